/**
 * The lookup step: Update by an external ID, and Update / Create or Update by any other
 * idLookup field (e.g. Email), first find the records of the match values with SOQL `IN`
 * queries (chunked, paged; never one query per item).
 */
import { buildLookupQueries, lookupKey, matchLookupResults } from '../../plan/soql';
import type { WriteSession } from './session';

const NUMERIC_TYPES = new Set(['int', 'double', 'currency', 'percent']);

/** How a lookup's SOQL is chunked: by the length of the query as sent in the URL. */
export const LOOKUP_QUERY_LENGTH = {
	maxQueryLength: 12_000,
	measure: (q: string) => encodeURIComponent(q).length,
};

/**
 * The value an item looks up: a number for numeric match fields, else the trimmed text.
 * `type`: the Salesforce type of the key's field (default: Match On's).
 */
export function lookupValue(
	s: WriteSession,
	matchValue: string | undefined,
	type = s.o.matchFieldType,
): string | number {
	const text = String(matchValue).trim();
	const numeric = NUMERIC_TYPES.has(type ?? '');
	return numeric && Number.isFinite(Number(text)) ? Number(text) : text;
}

/**
 * The records whose `field` is one of `values`, with `selectFields` too: SOQL `IN` queries
 * chunked to stay within the URL length, each paged with `nextRecordsUrl`.
 */
export async function queryByField(
	s: WriteSession,
	field: string,
	values: Array<string | number>,
	selectFields: readonly string[] = [],
	maxValuesPerQuery?: number,
	object = s.o.object,
	where?: string,
): Promise<Array<Record<string, unknown>>> {
	const rows: Array<Record<string, unknown>> = [];
	const queries = buildLookupQueries({
		object,
		matchField: field,
		values,
		selectFields: [...selectFields],
		maxValuesPerQuery,
		where,
		...LOOKUP_QUERY_LENGTH,
	});
	for (const q of queries) {
		let next: string | undefined;
		let first = true;
		while (first || next) {
			const req = first
				? { method: 'GET' as const, path: '/query', qs: { q }, retry: 'idempotent' as const }
				: { method: 'GET' as const, path: next as string, retry: 'idempotent' as const };
			s.note({
				method: 'GET',
				path: first ? '/query' : (next as string),
				records: 0,
				kind: 'lookup',
			});
			first = false;
			const res = await s.api.request<{
				records?: Array<Record<string, unknown>>;
				done?: boolean;
				nextRecordsUrl?: string;
			}>(req);
			rows.push(...(res.body?.records ?? []));
			next = res.body?.done === false ? res.body.nextRecordsUrl : undefined;
		}
	}
	return rows;
}

/**
 * Queries the records of `values` (with `selectFields`, e.g. the fields a Write Mode needs) on
 * `field` (default: Match On) of `object` (default: the node's), within `where` (Find's
 * conditions) when given; returns the Ids found for a value and the rows read.
 */
export async function lookUp(
	s: WriteSession,
	values: Array<string | number>,
	selectFields: readonly string[] = [],
	field = s.o.matchField as string,
	object = s.o.object,
	where?: string,
): Promise<{ idsOf: (value: string | number) => string[]; rows: Array<Record<string, unknown>> }> {
	const rows = await queryByField(s, field, values, selectFields, undefined, object, where);
	const matches = new Map<string, string[]>();
	for (const [value, ids] of matchLookupResults(values, rows, { matchField: field })) {
		matches.set(lookupKey(value, field), ids);
	}
	return { idsOf: (value) => matches.get(lookupKey(String(value), field)) ?? [], rows };
}

/**
 * `field` of the records `ids` (one SOQL per 200 Ids: one page each), by 15-character Id; a
 * record not found is absent.
 */
export async function readFieldById(
	s: WriteSession,
	ids: readonly string[],
	field: string,
): Promise<Map<string, unknown>> {
	const rows = await queryByField(s, 'Id', [...ids], [field], 200);
	return new Map(rows.map((row) => [String(row.Id).slice(0, 15), row[field]]));
}

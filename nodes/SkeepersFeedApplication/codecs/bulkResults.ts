/**
 * Pairing Bulk API 2.0 results back to the input records.
 *
 * Bulk API 2.0 returns three CSVs (successful, failed, unprocessed) whose rows are in no
 * guaranteed order and carry no row number. Each row echoes the uploaded field values
 * ("fields from the original CSV request data") next to `sf__Id`/`sf__Created` or
 * `sf__Id`/`sf__Error`. An extra correlation column is not possible: the header must only
 * name fields of the object.
 *
 * Method: every input record is turned into the exact cell texts it was uploaded with
 * (`csvCellText`, so null is `#N/A`) for the job's columns; each result row is keyed by its
 * echoed cells for the same columns (header names compared ignoring case). Results are
 * paired with inputs of identical content, with multiplicity: identical inputs are taken in
 * input order, one per result row. Rows that do not pair by content (if Salesforce echoed a
 * value differently) get a second chance on `keyColumn` (Id for Update, the external ID for
 * Upsert), when that key is unique among the inputs still unpaired.
 *
 * Limits: two inputs with byte-identical content are interchangeable — if one succeeds and
 * the other fails (e.g. a duplicate rule), which item gets which outcome follows input order
 * and cannot be proven. The duplicate-key waves (keys.ts) keep match keys unique within a job,
 * so this only concerns Create of identical records. An input no result row pairs with is
 * reported with status `unknown` (never assumed successful).
 */
import { ERROR_CODES, type SalesforceError } from '../domain';
import { csvCellText } from './csv';

type BulkStatus = 'success' | 'failed' | 'unprocessed' | 'unknown';

export interface BulkRecordResult {
	/** Index of the record in `inputRecords`. */
	index: number;
	status: BulkStatus;
	id?: string;
	created?: boolean;
	errors: SalesforceError[];
}

export interface BulkPairing {
	/** One per input record, same order. */
	results: BulkRecordResult[];
	/** Result rows that matched no input (should be empty; reported, never dropped). */
	unpaired: Array<{ kind: 'success' | 'failed' | 'unprocessed'; row: Record<string, string> }>;
}

export interface BulkPairingOptions {
	/** The job's columns, as uploaded. Default: every key of the input records. */
	columns?: string[];
	/** Second-chance pairing column: `Id` (update) or the external ID field (upsert). */
	keyColumn?: string;
}

/**
 * Reads `sf__Error`, e.g. `REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --`
 * → { errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }.
 */
export function parseBulkError(text: string): SalesforceError {
	const trimmed = text.trim();
	const m = /^([A-Z][A-Z0-9_]*):([\s\S]*)$/.exec(trimmed);
	if (!m) return { errorCode: 'UNKNOWN_EXCEPTION', message: trimmed, fields: [] };
	let message = m[2];
	let fields: string[] = [];
	const f = /:([A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)?\s*--\s*$/.exec(message);
	if (f) {
		fields = f[1] ? f[1].split(',').map((s) => s.trim()) : [];
		message = message.slice(0, f.index);
	}
	return { errorCode: m[1], message: message.trim(), fields };
}

function headerLookup(row: Record<string, string>): Map<string, string> {
	const map = new Map<string, string>();
	for (const [k, v] of Object.entries(row)) map.set(k.toLowerCase(), v);
	return map;
}

function defaultColumns(records: ReadonlyArray<Record<string, unknown>>): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const r of records) {
		for (const k of Object.keys(r)) {
			if (seen.has(k)) continue;
			seen.add(k);
			out.push(k);
		}
	}
	return out;
}

function keyOf(value: string, column: string): string {
	return column.toLowerCase() === 'id' ? value.slice(0, 15) : value.trim().toLowerCase();
}

export function mapBulkResults(
	inputRecords: ReadonlyArray<Record<string, unknown>>,
	successCsvRows: ReadonlyArray<Record<string, string>>,
	failedCsvRows: ReadonlyArray<Record<string, string>>,
	unprocessedRows: ReadonlyArray<Record<string, string>>,
	options: BulkPairingOptions = {},
): BulkPairing {
	const columns = options.columns ?? defaultColumns(inputRecords);
	const signature = (cells: string[]) => JSON.stringify(cells);

	// Content signature → queue of input indexes (input order).
	const queues = new Map<string, number[]>();
	inputRecords.forEach((record, index) => {
		const sig = signature(columns.map((c) => csvCellText(record[c])));
		const q = queues.get(sig) ?? [];
		q.push(index);
		queues.set(sig, q);
	});

	const results: Array<BulkRecordResult | undefined> = inputRecords.map(() => undefined);
	const leftovers: Array<{
		kind: 'success' | 'failed' | 'unprocessed';
		row: Record<string, string>;
	}> = [];

	const outcome = (
		kind: 'success' | 'failed' | 'unprocessed',
		row: Record<string, string>,
		index: number,
	): BulkRecordResult => {
		const h = headerLookup(row);
		if (kind === 'success') {
			const id = h.get('sf__id') ?? '';
			return {
				index,
				status: 'success',
				id: id || undefined,
				created: (h.get('sf__created') ?? '').toLowerCase() === 'true',
				errors: [],
			};
		}
		if (kind === 'failed') {
			const id = h.get('sf__id') ?? '';
			return {
				index,
				status: 'failed',
				id: id || undefined,
				errors: [parseBulkError(h.get('sf__error') ?? '')],
			};
		}
		return {
			index,
			status: 'unprocessed',
			errors: [
				{
					errorCode: ERROR_CODES.BULK_RECORD_UNPROCESSED,
					message:
						'Salesforce did not process this record because the Bulk API job stopped (failed or aborted) before reaching it.',
					fields: [],
				},
			],
		};
	};

	const all: Array<{ kind: 'success' | 'failed' | 'unprocessed'; row: Record<string, string> }> = [
		...successCsvRows.map((row) => ({ kind: 'success' as const, row })),
		...failedCsvRows.map((row) => ({ kind: 'failed' as const, row })),
		...unprocessedRows.map((row) => ({ kind: 'unprocessed' as const, row })),
	];

	for (const entry of all) {
		const h = headerLookup(entry.row);
		const sig = signature(columns.map((c) => h.get(c.toLowerCase()) ?? ''));
		const q = queues.get(sig);
		const index = q?.shift();
		if (index === undefined) leftovers.push(entry);
		else results[index] = outcome(entry.kind, entry.row, index);
	}

	// Second chance: a unique key among the inputs still unpaired.
	const unpaired: BulkPairing['unpaired'] = [];
	const keyColumn = options.keyColumn;
	if (keyColumn && leftovers.length > 0) {
		const byKey = new Map<string, number[]>();
		results.forEach((r, index) => {
			if (r) return;
			const text = csvCellText(inputRecords[index][keyColumn]);
			if (text === '') return;
			const k = keyOf(text, keyColumn);
			byKey.set(k, [...(byKey.get(k) ?? []), index]);
		});
		for (const entry of leftovers) {
			const text = headerLookup(entry.row).get(keyColumn.toLowerCase()) ?? '';
			const candidates = text === '' ? undefined : byKey.get(keyOf(text, keyColumn));
			if (candidates && candidates.length === 1 && !results[candidates[0]]) {
				results[candidates[0]] = outcome(entry.kind, entry.row, candidates[0]);
			} else {
				unpaired.push(entry);
			}
		}
	} else {
		unpaired.push(...leftovers);
	}

	return {
		results: results.map(
			(r, index) =>
				r ?? {
					index,
					status: 'unknown' as const,
					errors: [
						{
							errorCode: ERROR_CODES.BULK_RESULT_NOT_FOUND,
							message:
								'Salesforce returned no result row for this record; check the Bulk API job in Setup → Bulk Data Load Jobs before writing it again.',
							fields: [],
						},
					],
				},
		),
		unpaired,
	};
}

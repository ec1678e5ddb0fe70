/**
 * SOQL building for the bulk lookup of match keys (Update / Create or Update matched on a
 * field that is not an external ID, e.g. Email): one query per few hundred values, never one
 * per item.
 */

/**
 * Escapes text for a SOQL string literal (Salesforce "Quoted String Escape Sequences"):
 * backslash, single and double quotes, new line, carriage return, tab, \b and form feed get a
 * backslash escape; other control characters use \uXXXX. `%` and `_` are left alone: they
 * are wildcards only in LIKE, and `\%` / `\_` are errors outside LIKE. Other Unicode (é, emoji)
 * is kept as is; the transport URL-encodes the query.
 */
export function soqlEscape(value: string): string {
	let out = '';
	for (const ch of value) {
		switch (ch) {
			case '\\':
				out += '\\\\';
				break;
			case "'":
				out += "\\'";
				break;
			case '"':
				out += '\\"';
				break;
			case '\n':
				out += '\\n';
				break;
			case '\r':
				out += '\\r';
				break;
			case '\t':
				out += '\\t';
				break;
			case '\b':
				out += '\\b';
				break;
			case '\f':
				out += '\\f';
				break;
			default: {
				const code = ch.codePointAt(0) ?? 0;
				out += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
			}
		}
	}
	return out;
}

/** A quoted SOQL string literal: `O'Brien` → `'O\'Brien'`. */
export function soqlString(value: string): string {
	return `'${soqlEscape(value)}'`;
}

/** A literal for a value: numbers unquoted (numeric fields), everything else quoted. */
function soqlLiteral(value: string | number): string {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${String(value)}`);
		return String(value);
	}
	return soqlString(value);
}

const IDENTIFIER_RE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Object and field API names are identifiers; anything else is refused (no injection). */
function assertSoqlIdentifier(name: string): string {
	if (!IDENTIFIER_RE.test(name))
		throw new RangeError(`not a Salesforce API name: ${JSON.stringify(name)}`);
	return name;
}

export interface LookupQueryOptions {
	object: string;
	matchField: string;
	values: ReadonlyArray<string | number | undefined | null>;
	/** More fields to read; Id and the match field are always selected. */
	selectFields?: string[];
	/**
	 * Maximum length of one query. Salesforce allows 100,000 characters of SOQL, but a query
	 * sent with GET is also bounded by the URI length (16,384 bytes): a GET transport should
	 * pass a smaller limit together with `measure: (q) => encodeURIComponent(q).length`.
	 */
	maxQueryLength?: number;
	maxValuesPerQuery?: number;
	/** How a query's length is measured (default: characters). */
	measure?: (query: string) => number;
	/**
	 * Drop values equal ignoring case. Default: true, except for the Id field (Ids are case
	 * sensitive). SOQL `=` / `IN` on text compares without case anyway.
	 */
	caseInsensitive?: boolean;
	/** More conditions, already built and escaped (Find, plan/findQuery.ts): `WHERE (<where>) AND …`. */
	where?: string;
}

/**
 * `SELECT Id, <matchField>[, ...] FROM <object> WHERE <matchField> IN ('a','b',...)`, split so
 * each query stays within the length and value-count limits. Values are deduplicated and
 * empty ones dropped; the order of first appearance is kept, so the output is deterministic.
 */
export function buildLookupQueries(opts: LookupQueryOptions): string[] {
	const object = assertSoqlIdentifier(opts.object);
	const matchField = assertSoqlIdentifier(opts.matchField);
	const maxLength = opts.maxQueryLength ?? 100_000;
	const maxValues = opts.maxValuesPerQuery ?? Number.POSITIVE_INFINITY;
	const measure = opts.measure ?? ((q: string) => q.length);
	const caseInsensitive = opts.caseInsensitive ?? matchField.toLowerCase() !== 'id';

	const select: string[] = ['Id'];
	for (const f of [matchField, ...(opts.selectFields ?? [])]) {
		assertSoqlIdentifier(f);
		if (!select.some((s) => s.toLowerCase() === f.toLowerCase())) select.push(f);
	}
	const where = opts.where ? `(${opts.where}) AND ` : '';
	const head = `SELECT ${select.join(', ')} FROM ${object} WHERE ${where}${matchField} IN (`;
	const tail = ')';

	const seen = new Set<string>();
	const literals: string[] = [];
	for (const value of opts.values) {
		if (value === undefined || value === null) continue;
		if (typeof value === 'string' && value.trim() === '') continue;
		const key =
			typeof value === 'number' ? `#${value}` : caseInsensitive ? value.toLowerCase() : value;
		if (seen.has(key)) continue;
		seen.add(key);
		literals.push(soqlLiteral(value));
	}

	const queries: string[] = [];
	let current: string[] = [];
	const render = (list: string[]) => head + list.join(',') + tail;
	for (const literal of literals) {
		if (measure(render([literal])) > maxLength) {
			throw new RangeError(
				`a match value is too long for one query (${literal.length} characters)`,
			);
		}
		if (
			current.length > 0 &&
			(current.length >= maxValues || measure(render([...current, literal])) > maxLength)
		) {
			queries.push(render(current));
			current = [];
		}
		current.push(literal);
	}
	if (current.length > 0) queries.push(render(current));
	return queries;
}

/** How lookup keys are compared: Ids by their 15-character case-sensitive form, text ignoring case. */
export function lookupKey(value: string, matchField: string, caseInsensitive?: boolean): string {
	if (matchField.toLowerCase() === 'id') return value.slice(0, 15);
	return (caseInsensitive ?? true) ? value.toLowerCase() : value;
}

/**
 * Groups query results by match value: value (as the items gave it) → Ids of the records
 * whose match field equals it, in the order Salesforce returned them. Text comparison ignores
 * case, as SOQL does (`a@x.com` finds `A@x.com`). A value with no record maps to [] ; one with
 * several records maps to all their Ids (the writer reports MULTIPLE_MATCHES, never picks one).
 */
export function matchLookupResults(
	values: ReadonlyArray<string | number | undefined | null>,
	rows: ReadonlyArray<Record<string, unknown>>,
	opts: { matchField: string; caseInsensitive?: boolean },
): Map<string, string[]> {
	const byKey = new Map<string, string[]>();
	const fieldLower = opts.matchField.toLowerCase();
	for (const row of rows) {
		const id = row.Id;
		if (typeof id !== 'string') continue;
		const fieldName = Object.keys(row).find((k) => k.toLowerCase() === fieldLower);
		const raw = fieldName === undefined ? undefined : row[fieldName];
		if (raw === undefined || raw === null) continue;
		const key = lookupKey(String(raw), opts.matchField, opts.caseInsensitive);
		const ids = byKey.get(key) ?? [];
		if (!ids.includes(id)) ids.push(id);
		byKey.set(key, ids);
	}
	const out = new Map<string, string[]>();
	for (const value of values) {
		if (value === undefined || value === null) continue;
		const text = String(value);
		if (out.has(text)) continue;
		out.set(text, [...(byKey.get(lookupKey(text, opts.matchField, opts.caseInsensitive)) ?? [])]);
	}
	return out;
}

/**
 * CSV for Bulk API 2.0 ingest jobs (RFC 4180, comma delimiter, UTF-8).
 *
 * Salesforce reads field values exactly: no trimming, a space next to a quote breaks the row.
 * A value is quoted when it holds a quote, a comma, a CR or LF, or starts or ends with
 * whitespace; quotes are doubled. An empty cell is ignored on update (the field keeps its
 * value); `#N/A` sets the field to null, so `null` in a record is written as `#N/A` and
 * `undefined` as an empty cell. Limit: a text value that is literally `#N/A` cannot be sent
 * through Bulk API 2.0 (Salesforce would clear the field); use the REST path for it.
 */

export type LineEnding = 'LF' | 'CRLF';

/** The Bulk API 2.0 null marker. */
export const BULK_NULL = '#N/A';

/** A value as the text of a CSV cell (before quoting). */
export function csvCellText(value: unknown): string {
	if (value === undefined) return '';
	if (value === null) return BULK_NULL;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	if (value instanceof Date) return value.toISOString();
	return JSON.stringify(value) ?? '';
}

function csvQuote(text: string): string {
	if (/[",\r\n]/.test(text) || /^\s|\s$/.test(text)) return `"${text.replace(/"/g, '""')}"`;
	return text;
}

/** Columns of a set of records: every key, in order of first appearance. */
export function csvColumns(records: ReadonlyArray<Record<string, unknown>>): string[] {
	const seen = new Set<string>();
	const columns: string[] = [];
	for (const record of records) {
		for (const key of Object.keys(record)) {
			if (!seen.has(key)) {
				seen.add(key);
				columns.push(key);
			}
		}
	}
	return columns;
}

/** Header row plus one row per record; every row (the last included) ends with the line ending. */
export function toCsv(
	records: ReadonlyArray<Record<string, unknown>>,
	columns: readonly string[],
	lineEnding: LineEnding = 'LF',
): string {
	const eol = lineEnding === 'CRLF' ? '\r\n' : '\n';
	const lines = [columns.map(csvQuote).join(',')];
	for (const record of records)
		lines.push(columns.map((c) => csvQuote(csvCellText(record[c]))).join(','));
	return lines.join(eol) + eol;
}

/**
 * Parses RFC 4180 CSV into rows of cells: quoted values may hold commas, doubled quotes and
 * line breaks; lines end with LF or CRLF; a byte-order mark is ignored; the final line ending
 * is optional. Throws on an unterminated quoted value or text after a closing quote.
 */
export function parseCsvRows(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	let quoted = false;
	let afterQuote = false;
	let rowHasContent = false;
	const endCell = () => {
		row.push(cell);
		cell = '';
		afterQuote = false;
	};
	const endRow = () => {
		endCell();
		rows.push(row);
		row = [];
		rowHasContent = false;
	};
	while (i < text.length) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"') {
				if (text[i + 1] === '"') {
					cell += '"';
					i += 2;
					continue;
				}
				quoted = false;
				afterQuote = true;
				i += 1;
				continue;
			}
			cell += ch;
			i += 1;
			continue;
		}
		if (ch === ',') {
			endCell();
			rowHasContent = true;
			i += 1;
			continue;
		}
		if (ch === '\r' && text[i + 1] === '\n') {
			endRow();
			i += 2;
			continue;
		}
		if (ch === '\n' || ch === '\r') {
			endRow();
			i += 1;
			continue;
		}
		if (afterQuote)
			throw new SyntaxError(
				`CSV: unexpected ${JSON.stringify(ch)} after a closing quote (row ${rows.length + 1})`,
			);
		if (ch === '"' && cell === '') {
			quoted = true;
			rowHasContent = true;
			i += 1;
			continue;
		}
		cell += ch;
		rowHasContent = true;
		i += 1;
	}
	if (quoted) throw new SyntaxError(`CSV: a quoted value is not closed (row ${rows.length + 1})`);
	if (rowHasContent || cell !== '' || row.length > 0) endRow();
	return rows;
}

/** Parses CSV with a header row into objects (header → cell); missing cells are ''. */
export function parseCsv(text: string): Array<Record<string, string>> {
	const rows = parseCsvRows(text);
	if (rows.length === 0) return [];
	const [header, ...data] = rows;
	return data.map((cells) => {
		const record: Record<string, string> = {};
		header.forEach((name, i) => {
			record[name] = cells[i] ?? '';
		});
		return record;
	});
}

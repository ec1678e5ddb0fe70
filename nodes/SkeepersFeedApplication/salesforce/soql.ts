/**
 * Small pure helpers the writer needs for SOQL lookups and Bulk API 2.0 CSVs.
 * (Kept next to the writer; the pure planning modules in ../plan may offer richer versions.)
 */

/** Field types whose SOQL literals are not quoted. */
const UNQUOTED_TYPES = new Set(['int', 'double', 'currency', 'percent', 'boolean']);

/** SOQL string literal: single quotes; backslash and quote escaped with a backslash. */
export function soqlLiteral(value: string, fieldType?: string): string {
	if (fieldType && UNQUOTED_TYPES.has(fieldType) && /^-?\d+(\.\d+)?$|^(true|false)$/i.test(value)) {
		return value;
	}
	const escaped = value
		.replace(/\\/g, '\\\\')
		.replace(/'/g, "\\'")
		.replace(/\n/g, '\\n')
		.replace(/\r/g, '\\r')
		.replace(/\t/g, '\\t');
	return `'${escaped}'`;
}

/** Key used to compare a looked-up value with an item's value (SOQL `=` ignores case). */
export function lookupKey(value: string): string {
	return value.trim().toLowerCase();
}

/**
 * `SELECT Id, <field> FROM <object> WHERE <field> IN (...)`, split so that each query stays
 * short enough for a GET URL (`maxChars` of IN list) and carries at most `maxValues` values.
 */
export function buildLookupQueries(
	object: string,
	field: string,
	values: string[],
	fieldType?: string,
	maxChars = 8000,
	maxValues = 500,
): string[] {
	const head = `SELECT Id, ${field} FROM ${object} WHERE ${field} IN (`;
	const queries: string[] = [];
	let current: string[] = [];
	let size = 0;
	const flush = () => {
		if (current.length) queries.push(`${head}${current.join(',')})`);
		current = [];
		size = 0;
	};
	for (const v of values) {
		const lit = soqlLiteral(v, fieldType);
		if (current.length && (size + lit.length + 1 > maxChars || current.length >= maxValues)) flush();
		current.push(lit);
		size += lit.length + 1;
	}
	flush();
	return queries;
}

/** One CSV cell as Bulk API 2.0 expects it (`#N/A` clears a field). */
export function csvCell(value: unknown): string {
	let text: string;
	if (value === null) text = '#N/A';
	else if (value === undefined) text = '';
	else if (Array.isArray(value)) text = value.map(String).join(';');
	else if (value instanceof Date) text = value.toISOString();
	else if (typeof value === 'object') text = JSON.stringify(value);
	else text = String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvColumns(rows: Array<Record<string, unknown>>): string[] {
	const columns: string[] = [];
	const seen = new Set<string>();
	for (const row of rows) {
		for (const k of Object.keys(row)) {
			if (!seen.has(k)) {
				seen.add(k);
				columns.push(k);
			}
		}
	}
	return columns;
}

/** CSV (LF line endings) with the union of the rows' fields as header. */
export function buildCsv(rows: Array<Record<string, unknown>>): string {
	const columns = csvColumns(rows);
	const lines = [columns.map(csvCell).join(',')];
	for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
	return lines.join('\n') + '\n';
}

/** RFC 4180 parser (quoted cells, doubled quotes, CRLF or LF). Returns rows of cells. */
export function parseCsvRows(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	let i = 0;
	let any = false;
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
				i++;
				continue;
			}
			cell += ch;
			i++;
			continue;
		}
		if (ch === '"') {
			quoted = true;
			any = true;
			i++;
		} else if (ch === ',') {
			row.push(cell);
			cell = '';
			any = true;
			i++;
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			i++;
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			any = false;
		} else {
			cell += ch;
			any = true;
			i++;
		}
	}
	if (any || row.length) {
		row.push(cell);
		rows.push(row);
	}
	return rows;
}

export interface BulkRowResult {
	status: 'success' | 'failed' | 'unprocessed';
	id?: string;
	created?: boolean;
	error?: string;
}

/** Unquoted text of a cell as we sent it (what Salesforce echoes back in result CSVs). */
function sentText(value: unknown): string {
	const cell = csvCell(value);
	return cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
}

/**
 * Pairs Bulk API 2.0 result CSVs with the exact input rows. Result files echo every input
 * column after the `sf__` columns and are not in input order, so each result row is matched
 * to the first still-unpaired input row with the same input cells. Rows that appear in no
 * result file come back as `unprocessed`.
 */
export function pairBulkResults(
	rows: Array<Record<string, unknown>>,
	files: { success?: string; failed?: string; unprocessed?: string },
): BulkRowResult[] {
	const out: Array<BulkRowResult | undefined> = rows.map(() => undefined);
	const queues = new Map<string, Map<string, number[]>>();
	const queueFor = (columns: string[]): Map<string, number[]> => {
		const sig = columns.join('\u0000');
		let q = queues.get(sig);
		if (!q) {
			q = new Map();
			rows.forEach((row, index) => {
				const key = columns.map((c) => sentText(row[c])).join('\u0001');
				const list = q!.get(key) ?? [];
				list.push(index);
				q!.set(key, list);
			});
			queues.set(sig, q);
		}
		return q;
	};
	const apply = (text: string | undefined, status: BulkRowResult['status']) => {
		if (!text || !text.trim()) return;
		const [header, ...data] = parseCsvRows(text);
		if (!header) return;
		const inputCols: Array<{ name: string; at: number }> = [];
		header.forEach((name, at) => {
			if (!name.startsWith('sf__')) inputCols.push({ name, at });
		});
		const queue = queueFor(inputCols.map((c) => c.name));
		const idAt = header.indexOf('sf__Id');
		const createdAt = header.indexOf('sf__Created');
		const errorAt = header.indexOf('sf__Error');
		for (const cells of data) {
			if (cells.length === 1 && cells[0] === '') continue;
			const key = inputCols.map((c) => cells[c.at] ?? '').join('\u0001');
			const list = queue.get(key);
			const index = list?.find((i) => out[i] === undefined);
			if (index === undefined) continue;
			out[index] = {
				status,
				id: idAt >= 0 && cells[idAt] ? cells[idAt] : undefined,
				created: createdAt >= 0 ? cells[createdAt] === 'true' : undefined,
				error: errorAt >= 0 ? cells[errorAt] : undefined,
			};
		}
	};
	apply(files.success, 'success');
	apply(files.failed, 'failed');
	apply(files.unprocessed, 'unprocessed');
	return out.map((r) => r ?? { status: 'unprocessed' });
}

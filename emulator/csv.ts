/** RFC 4180 CSV: quoted fields, doubled quotes, delimiters and line breaks inside quotes. */

export function parseCsv(text: string, delimiter = ','): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	let i = 0;
	let fieldStarted = false;
	while (i < text.length) {
		const c = text[i];
		if (quoted) {
			if (c === '"') {
				if (text[i + 1] === '"') {
					field += '"';
					i += 2;
					continue;
				}
				quoted = false;
				i++;
				continue;
			}
			field += c;
			i++;
			continue;
		}
		if (c === '"' && !fieldStarted) {
			quoted = true;
			fieldStarted = true;
			i++;
			continue;
		}
		if (c === delimiter) {
			row.push(field);
			field = '';
			fieldStarted = false;
			i++;
			continue;
		}
		if (c === '\r' || c === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			fieldStarted = false;
			i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
			continue;
		}
		field += c;
		fieldStarted = true;
		i++;
	}
	if (fieldStarted || row.length) {
		row.push(field);
		rows.push(row);
	}
	if (quoted) throw new Error('Unterminated quoted field');
	return rows;
}

/** Every field quoted, as Salesforce writes its result files. */
export function toCsv(rows: string[][], lineEnding: '\n' | '\r\n' = '\n', delimiter = ','): string {
	return rows
		.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(delimiter) + lineEnding)
		.join('');
}

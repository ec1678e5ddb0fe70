/** Prints an object's records from a running emulator (for demos): a compact table. */

const DEFAULT_COLUMNS: Record<string, string[]> = {
	Contact: [
		'Id',
		'FirstName',
		'LastName',
		'Email',
		'MobilePhone',
		'Skeepers_Respondent_Id__c',
		'NPS_Score__c',
		'NPS_Category__c',
	],
	Lead: [
		'Id',
		'FirstName',
		'LastName',
		'Company',
		'Email',
		'Status',
		'Skeepers_Respondent_Id__c',
		'NPS_Category__c',
	],
	Case: ['Id', 'CaseNumber', 'Subject', 'Status', 'Priority', 'Origin', 'ContactId'],
	Skeepers_Feedback__c: [
		'Id',
		'Event_Id__c',
		'Campaign__c',
		'Respondent_Id__c',
		'NPS_Score__c',
		'Contact__c',
	],
};

function formatTable(records: Array<Record<string, unknown>>, columns?: string[]): string {
	if (!records.length) return '(no records)';
	const cols =
		columns ??
		Object.keys(records[0]).filter(
			(k) => !['IsDeleted', 'SystemModstamp', 'LastModifiedDate'].includes(k),
		);
	const cell = (v: unknown): string => {
		const s = v === null || v === undefined ? '' : String(v).replace(/\s+/g, ' ');
		return s.length > 40 ? s.slice(0, 39) + '…' : s;
	};
	const rows = records.map((r) => cols.map((c) => cell(r[c])));
	const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
	const line = (vals: string[]): string =>
		vals
			.map((v, i) => v.padEnd(widths[i]))
			.join('  ')
			.trimEnd();
	return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export async function printRecords(
	url: string,
	objectName: string,
	columns?: string[],
): Promise<string> {
	const res = await fetch(`${url}/__emulator/records/${encodeURIComponent(objectName)}`);
	if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
	const records = (await res.json()) as Array<Record<string, unknown>>;
	return `${objectName}: ${records.length} record(s)\n${formatTable(records, columns ?? DEFAULT_COLUMNS[objectName])}`;
}

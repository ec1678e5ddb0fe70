import { parseCsv, toCsv } from '../../emulator/csv';
import { api, useEmulator } from './helpers';

describe('Bulk API 2.0 ingest through jsforce', () => {
	const sf = useEmulator();

	test('loadAndWaitForResults insert: successes, failures with sf__Error, RFC 4180 values round-trip', async () => {
		const input = [
			{ LastName: 'Plain', Description: 'one line' },
			{ LastName: 'Quoted, "comma"', Description: 'multi\nline\r\nvalue' },
			{ LastName: '', Description: 'missing last name' },
			{ LastName: 'BadPick', NPS_Category__c: 'Nope' },
		];
		const res = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Contact',
			operation: 'insert',
			input: toCsv([
				['LastName', 'Description', 'NPS_Category__c'],
				...input.map((r) => [r.LastName, r.Description ?? '', r.NPS_Category__c ?? '']),
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(res.successfulResults).toHaveLength(2);
		expect(res.failedResults).toHaveLength(2);
		const ok = (res.successfulResults as Array<Record<string, unknown>>).find(
			(r) => r.LastName === 'Quoted, "comma"',
		)!;
		expect(ok.sf__Id).toMatch(/^003/);
		expect(String(ok.sf__Created)).toBe('true');
		expect(ok.Description).toBe('multi\nline\r\nvalue');
		const stored = sf.emu.records('Contact').find((r) => r.Id === ok.sf__Id)!;
		expect(stored.Description).toBe('multi\nline\r\nvalue');
		const errors = res.failedResults.map((r) => String(r.sf__Error)).sort();
		expect(errors[0]).toMatch(
			/^INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:NPS Category: bad value for restricted picklist field: Nope:NPS_Category__c/,
		);
		expect(errors[1]).toMatch(
			/^REQUIRED_FIELD_MISSING:Required fields are missing: \[LastName\]:LastName/,
		);
		expect(sf.emu.counters().byKind).toMatchObject({
			'bulk.create': 1,
			'bulk.upload': 1,
			'bulk.close': 1,
		});
		expect(sf.emu.counters().byKind['bulk.status']).toBeGreaterThanOrEqual(1);
	});

	test('upsert job by external ID: sf__Created true then false; CRLF line endings', async () => {
		const csv = 'Skeepers_Respondent_Id__c,LastName\r\nB-1,First\r\nB-2,Second\r\n';
		const first = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Contact',
			operation: 'upsert',
			externalIdFieldName: 'Skeepers_Respondent_Id__c',
			lineEnding: 'CRLF',
			input: csv,
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(first.successfulResults.map((r) => String(r.sf__Created))).toEqual(['true', 'true']);
		const second = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Contact',
			operation: 'upsert',
			externalIdFieldName: 'Skeepers_Respondent_Id__c',
			lineEnding: 'CRLF',
			input: csv.replace('First', 'Premier'),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(second.successfulResults.map((r) => String(r.sf__Created))).toEqual(['false', 'false']);
		expect(
			sf.emu
				.records('Contact')
				.filter((r) => String(r.Skeepers_Respondent_Id__c).startsWith('B-'))
				.map((r) => r.LastName)
				.sort(),
		).toEqual(['Premier', 'Second']);
	});

	test('job lifecycle over raw HTTP: Open → UploadComplete → InProgress → JobComplete, counts and result CSVs', async () => {
		const t = sf.conn.accessToken!;
		const created = await api(sf.emu, t, 'POST', '/jobs/ingest', {
			object: 'Lead',
			operation: 'insert',
			contentType: 'CSV',
			lineEnding: 'LF',
		});
		const job = created.json as Record<string, unknown>;
		expect(job).toMatchObject({
			object: 'Lead',
			operation: 'insert',
			state: 'Open',
			contentType: 'CSV',
			lineEnding: 'LF',
			columnDelimiter: 'COMMA',
			concurrencyMode: 'Parallel',
		});
		expect(job.id).toMatch(/^750/);
		const put = await fetch(
			`${sf.emu.url}/services/data/v66.0/jobs/ingest/${String(job.id)}/batches`,
			{
				method: 'PUT',
				headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'text/csv' },
				body: 'LastName,Company\nL1,C1\nL2,\n',
			},
		);
		expect(put.status).toBe(201);
		const closed = await api(sf.emu, t, 'PATCH', `/jobs/ingest/${String(job.id)}`, {
			state: 'UploadComplete',
		});
		expect((closed.json as { state: string }).state).toBe('UploadComplete');
		const seen = new Set<string>();
		let info: Record<string, unknown> = {};
		for (let i = 0; i < 100; i++) {
			info = (await api(sf.emu, t, 'GET', `/jobs/ingest/${String(job.id)}`)).json as Record<
				string,
				unknown
			>;
			seen.add(String(info.state));
			if (info.state === 'JobComplete') break;
			await new Promise((r) => setTimeout(r, 3));
		}
		expect(seen.has('JobComplete')).toBe(true);
		expect([...seen].some((s) => s === 'UploadComplete' || s === 'InProgress')).toBe(true);
		expect(info).toMatchObject({
			numberRecordsProcessed: 2,
			numberRecordsFailed: 1,
			jobType: 'V2Ingest',
		});
		const ok = await fetch(
			`${sf.emu.url}/services/data/v66.0/jobs/ingest/${String(job.id)}/successfulResults/`,
			{ headers: { Authorization: `Bearer ${t}` } },
		);
		expect(ok.headers.get('content-type')).toMatch(/^text\/csv/);
		const rows = parseCsv(await ok.text());
		expect(rows[0]).toEqual(['sf__Id', 'sf__Created', 'LastName', 'Company']);
		expect(rows[1].slice(1)).toEqual(['true', 'L1', 'C1']);
		const bad = parseCsv(
			await (
				await fetch(
					`${sf.emu.url}/services/data/v66.0/jobs/ingest/${String(job.id)}/failedResults/`,
					{
						headers: { Authorization: `Bearer ${t}` },
					},
				)
			).text(),
		);
		expect(bad[0]).toEqual(['sf__Id', 'sf__Error', 'LastName', 'Company']);
		expect(bad[1][1]).toMatch(/^REQUIRED_FIELD_MISSING/);
	});

	test('unknown column → job Failed with InvalidBatch; jsforce reports the failure', async () => {
		await expect(
			sf.conn.bulk2.loadAndWaitForResults({
				object: 'Contact',
				operation: 'insert',
				input: 'LastName,Nope__c\nx,y\n',
				pollInterval: 20,
				pollTimeout: 10000,
			}),
		).rejects.toThrow(/InvalidBatch : Field name not found : Nope__c/);
	});

	test('LF job given CRLF data fails like Salesforce', async () => {
		await expect(
			sf.conn.bulk2.loadAndWaitForResults({
				object: 'Contact',
				operation: 'insert',
				lineEnding: 'LF',
				input: 'LastName\r\nx\r\n',
				pollInterval: 20,
				pollTimeout: 10000,
			}),
		).rejects.toThrow(/LineEnding is invalid/);
	});

	test('aborted job keeps its data as unprocessed records', async () => {
		const t = sf.conn.accessToken!;
		const job = (
			await api(sf.emu, t, 'POST', '/jobs/ingest', { object: 'Contact', operation: 'insert' })
		).json as { id: string };
		await fetch(`${sf.emu.url}/services/data/v66.0/jobs/ingest/${job.id}/batches`, {
			method: 'PUT',
			headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'text/csv' },
			body: 'LastName\nNever\n',
		});
		const aborted = await api(sf.emu, t, 'PATCH', `/jobs/ingest/${job.id}`, { state: 'Aborted' });
		expect((aborted.json as { state: string }).state).toBe('Aborted');
		const un = await fetch(
			`${sf.emu.url}/services/data/v66.0/jobs/ingest/${job.id}/unprocessedrecords/`,
			{ headers: { Authorization: `Bearer ${t}` } },
		);
		expect(parseCsv(await un.text())).toEqual([['LastName'], ['Never']]);
		expect(sf.emu.records('Contact').some((r) => r.LastName === 'Never')).toBe(false);
	});
});

describe('CSV (RFC 4180)', () => {
	test('parses quotes, doubled quotes, delimiters and line breaks inside quotes', () => {
		expect(parseCsv('a,"b,1","c ""q""","multi\nline"\r\nx,,"",z\n')).toEqual([
			['a', 'b,1', 'c "q"', 'multi\nline'],
			['x', '', '', 'z'],
		]);
	});
	test('writes what it parses', () => {
		const rows = [
			['h1', 'h2'],
			['v "1"', 'a,b\nc'],
		];
		expect(parseCsv(toCsv(rows, '\r\n'))).toEqual(rows);
	});
});

import { api, rejection, useEmulator } from './helpers';

describe('sObject Collections through jsforce', () => {
	const sf = useEmulator();
	beforeEach(() => {
		sf.emu.clearRecords();
		sf.emu.resetCounters();
	});

	test('create an array: one collections call, results in request order, per-record errors use statusCode', async () => {
		const res = await sf.conn
			.sobject('Contact')
			.create([
				{ LastName: 'A' },
				{ FirstName: 'missing last' },
				{ LastName: 'C', Email: 'c@example.com' },
			]);
		expect(res.map((r) => r.success)).toEqual([true, false, true]);
		expect(res[1]).toEqual({
			success: false,
			errors: [
				{
					statusCode: 'REQUIRED_FIELD_MISSING',
					message: 'Required fields are missing: [LastName]',
					fields: ['LastName'],
				},
			],
		});
		expect(sf.emu.counters().byKind['collections.create']).toBe(1);
		expect(
			sf.emu
				.records('Contact')
				.map((r) => r.LastName)
				.sort(),
		).toEqual(['A', 'C']);
	});

	test('450 records with allowRecursive → 3 sequential calls of ≤200; without it the emulator answers EXCEEDED_ID_LIMIT', async () => {
		const recs = Array.from({ length: 450 }, (_, i) => ({
			LastName: `L${i}`,
			Skeepers_Respondent_Id__c: `R${i}`,
		}));
		const res = await sf.conn.sobject('Contact').create(recs, { allowRecursive: true });
		expect(res).toHaveLength(450);
		expect(res.every((r) => r.success)).toBe(true);
		expect(sf.emu.counters().byKind['collections.create']).toBe(3);
		const err = await rejection(
			sf.conn
				.sobject('Contact')
				.create(recs.map((r) => ({ ...r, Skeepers_Respondent_Id__c: undefined }))),
		);
		expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');
		expect(sf.emu.records('Contact')).toHaveLength(450);
	});

	test('allOrNone: one failure rolls back all, others report ALL_OR_NONE_OPERATION_ROLLED_BACK', async () => {
		const res = await sf.conn
			.sobject('Contact')
			.create(
				[{ LastName: 'ok1' }, { LastName: 'ok2', NPS_Category__c: 'Bad' }, { LastName: 'ok3' }],
				{ allOrNone: true },
			);
		expect(res.map((r) => r.success)).toEqual([false, false, false]);
		expect(res[0].errors[0]).toMatchObject({ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK' });
		expect(res[1].errors[0]).toMatchObject({
			statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
		});
		expect(sf.emu.records('Contact')).toHaveLength(0);
	});

	test('update by Id (lowercase id as jsforce sends it); bad and unknown Ids fail alone', async () => {
		const [a, b] = await sf.conn.sobject('Contact').create([{ LastName: 'A' }, { LastName: 'B' }]);
		const res = await sf.conn.sobject('Contact').update([
			{ Id: a.id!, Phone: '0102030405' },
			{ Id: 'garbage', Phone: '1' },
			{ Id: b.id!, LastName: 'B2' },
		]);
		expect(res.map((r) => r.success)).toEqual([true, false, true]);
		expect(res[1].errors[0]).toMatchObject({ statusCode: 'MALFORMED_ID' });
		expect(sf.emu.counters().byKind['collections.update']).toBe(1);
		expect(sf.emu.records('Contact').find((r) => r.Id === b.id)!.Name).toBe('B2');
	});

	test('upsert an array by external ID: created flags, duplicate ext ids in one request fail', async () => {
		await sf.conn
			.sobject('Contact')
			.create({ LastName: 'Existing', Skeepers_Respondent_Id__c: 'E1' });
		const res = await sf.conn.sobject('Contact').upsert(
			[
				{ Skeepers_Respondent_Id__c: 'E1', NPS_Score__c: 3 },
				{ Skeepers_Respondent_Id__c: 'N1', LastName: 'New' },
				{ Skeepers_Respondent_Id__c: 'D1', LastName: 'Dup a' },
				{ Skeepers_Respondent_Id__c: 'D1', LastName: 'Dup b' },
			],
			'Skeepers_Respondent_Id__c',
		);
		expect(res.map((r) => [r.success, (r as { created?: boolean }).created])).toEqual([
			[true, false],
			[true, true],
			[false, false],
			[false, false],
		]);
		expect(res[2].errors[0]).toMatchObject({ statusCode: 'DUPLICATE_EXTERNAL_ID' });
		expect(sf.emu.counters().byKind['collections.upsert']).toBe(1);
		expect(
			sf.emu.records('Contact').find((r) => r.Skeepers_Respondent_Id__c === 'E1')!.NPS_Score__c,
		).toBe(3);
	});

	test('upsert by a field that is not an external ID → 400 INVALID_FIELD', async () => {
		const raw = await api(
			sf.emu,
			sf.conn.accessToken!,
			'PATCH',
			'/composite/sobjects/Contact/Email',
			{
				allOrNone: false,
				records: [{ attributes: { type: 'Contact' }, Email: 'a@b.co', LastName: 'x' }],
			},
		);
		expect(raw.status).toBe(400);
		expect((raw.json as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_FIELD');
	});

	test('unknown field in a collection fails the whole request (400 array, nothing written)', async () => {
		const err = await rejection(
			sf.conn.sobject('Contact').create([{ LastName: 'ok' }, { LastName: 'x', Nope__c: 1 }]),
		);
		expect(err.errorCode).toBe('INVALID_FIELD');
		expect(sf.emu.records('Contact')).toHaveLength(0);
	});

	test('mixed object types in one create; records without attributes.type are refused', async () => {
		const raw = await api(sf.emu, sf.conn.accessToken!, 'POST', '/composite/sobjects', {
			allOrNone: false,
			records: [
				{ attributes: { type: 'Account' }, Name: 'Acme' },
				{ attributes: { type: 'Contact' }, LastName: 'Johnson' },
			],
		});
		expect(raw.status).toBe(200);
		const body = raw.json as Array<{ id: string; success: boolean; errors: unknown[] }>;
		expect(body[0].id).toMatch(/^001/);
		expect(body[1].id).toMatch(/^003/);
		const noType = await api(sf.emu, sf.conn.accessToken!, 'POST', '/composite/sobjects', {
			records: [{ LastName: 'x' }],
		});
		expect(noType.status).toBe(400);
	});

	test('More Match Keys, key 1 then key 2: each IN query finds the records holding its values, without case', async () => {
		const [one, two] = await sf.conn.sobject('Contact').create([
			{ LastName: 'One', Skeepers_Respondent_Id__c: 'R1' },
			{ LastName: 'Two', Email: 'two@x.fr' },
		]);
		const byKey1 = await sf.conn.query<{ Id: string }>(
			"SELECT Id, Skeepers_Respondent_Id__c FROM Contact WHERE Skeepers_Respondent_Id__c IN ('r1','R2')",
		);
		expect(byKey1.records.map((r) => r.Id)).toEqual([one.id]);
		const byKey2 = await sf.conn.query<{ Id: string; Email: string }>(
			"SELECT Id, Email FROM Contact WHERE Email IN ('TWO@x.fr')",
		);
		expect(byKey2.records.map((r) => [r.Id, r.Email])).toEqual([[two.id, 'two@x.fr']]);
	});

	test('Link to First Match Key, an update writing a unique external ID another record holds: DUPLICATE_VALUE on that field, record unchanged', async () => {
		const [holder, found] = await sf.conn.sobject('Contact').create([
			{ LastName: 'Holder', Skeepers_Respondent_Id__c: 'R2' },
			{ LastName: 'Found', Email: 'two@x.fr' },
		]);
		const [res] = await sf.conn
			.sobject('Contact')
			.update([{ Id: found.id as string, LastName: 'Found bis', Skeepers_Respondent_Id__c: 'r2' }]);
		expect(res.success).toBe(false);
		const errors = (res as unknown as { errors: Array<Record<string, unknown>> }).errors;
		expect(errors).toEqual([
			expect.objectContaining({
				statusCode: 'DUPLICATE_VALUE',
				fields: ['Skeepers_Respondent_Id__c'],
			}),
		]);
		expect(String(errors[0].message)).toContain(String(holder.id).slice(0, 15));
		const stored = (await sf.conn.sobject('Contact').retrieve(found.id as string)) as Record<
			string,
			unknown
		>;
		expect(stored).toMatchObject({ LastName: 'Found', Skeepers_Respondent_Id__c: null });
	});
});

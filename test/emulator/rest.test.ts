import type { Connection } from 'jsforce';
import type { Emulator } from '../../emulator';
import { api, connect, emulator, rejection } from './helpers';

describe('REST sObjects through jsforce', () => {
	let emu: Emulator;
	let conn: Connection;
	let token: string;
	beforeAll(async () => {
		emu = await emulator();
		conn = connect(emu);
		token = conn.accessToken!;
	});
	afterAll(() => emu.stop());

	test('create, retrieve, update, destroy a Contact', async () => {
		const res = await conn.sobject('Contact').create({
			FirstName: 'Ada',
			LastName: 'Lovelace',
			Email: 'ada@example.com',
			Birthdate: '1815-12-10',
			HasOptedOutOfEmail: 'true',
		});
		expect(res.success).toBe(true);
		const id = res.id!;
		expect(id).toMatch(/^0035g0[A-Za-z0-9]{12}$/);
		const rec = (await conn.sobject('Contact').retrieve(id)) as Record<string, unknown>;
		expect(rec).toMatchObject({
			Id: id,
			Name: 'Ada Lovelace',
			Email: 'ada@example.com',
			Birthdate: '1815-12-10',
			HasOptedOutOfEmail: true,
		});
		expect(rec.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
		expect((rec.attributes as Record<string, string>).url).toBe(
			`/services/data/v66.0/sobjects/Contact/${id}`,
		);
		const up = await conn.sobject('Contact').update({
			Id: id,
			MobilePhone: '0612345678',
			NPS_Category__c: 'Promoter',
			Skeepers_Flags__c: 'VIP;Complaint',
		});
		expect(up).toEqual({ id, success: true, errors: [] });
		expect(emu.records('Contact').find((r) => r.Id === id)).toMatchObject({
			MobilePhone: '0612345678',
			NPS_Category__c: 'Promoter',
			Skeepers_Flags__c: 'VIP;Complaint',
		});
		await conn.sobject('Contact').destroy(id);
		expect(emu.records('Contact').some((r) => r.Id === id)).toBe(false);
		expect(emu.counters().byKind).toMatchObject({
			'sobject.create': 1,
			'sobject.read': 1,
			'sobject.update': 1,
			'sobject.delete': 1,
		});
	});

	test('upsert by external ID: 201 created then 200 updated, with created flag', async () => {
		const a = await api(emu, token, 'PATCH', '/sobjects/Contact/Skeepers_Respondent_Id__c/R-1', {
			LastName: 'Durand',
			Email: 'd@example.com',
		});
		expect(a.status).toBe(201);
		expect(a.json).toEqual({
			id: expect.stringMatching(/^003/),
			success: true,
			errors: [],
			created: true,
		});
		const b = await conn
			.sobject('Contact')
			.upsert({ Skeepers_Respondent_Id__c: 'R-1', NPS_Score__c: 9 }, 'Skeepers_Respondent_Id__c');
		expect(b).toMatchObject({ id: (a.json as { id: string }).id, success: true, created: false });
		const stored = emu.records('Contact').filter((r) => r.Skeepers_Respondent_Id__c === 'R-1');
		expect(stored).toHaveLength(1);
		expect(stored[0].NPS_Score__c).toBe(9);
	});

	test('upsert: body repeating the external ID field → 400; updateOnly → 404 when absent; unknown field → 404', async () => {
		const rep = await api(emu, token, 'PATCH', '/sobjects/Contact/Skeepers_Respondent_Id__c/R-2', {
			LastName: 'X',
			Skeepers_Respondent_Id__c: 'R-2',
		});
		expect(rep.status).toBe(400);
		expect((rep.json as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_FIELD');
		const only = await api(
			emu,
			token,
			'PATCH',
			'/sobjects/Contact/Skeepers_Respondent_Id__c/R-404?updateOnly=true',
			{ LastName: 'X' },
		);
		expect(only.status).toBe(404);
		expect(emu.records('Contact').some((r) => r.Skeepers_Respondent_Id__c === 'R-404')).toBe(false);
		const nofield = await api(emu, token, 'PATCH', '/sobjects/Contact/No_Such__c/1', {
			LastName: 'X',
		});
		expect(nofield.status).toBe(404);
		expect(nofield.json).toEqual([
			{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
		]);
	});

	test('upsert by an idLookup field matching several records answers 300 (jsforce: MULTIPLE_CHOICES), nothing written', async () => {
		await conn.sobject('Contact').create([
			{ LastName: 'Twin1', Email: 'twin@example.com' },
			{ LastName: 'Twin2', Email: 'twin@example.com' },
		]);
		const raw = await api(emu, token, 'PATCH', '/sobjects/Contact/Email/twin@example.com', {
			FirstName: 'Z',
		});
		expect(raw.status).toBe(300);
		expect(raw.json).toEqual([
			expect.stringMatching(/^\/services\/data\/v66\.0\/sobjects\/Contact\/003/),
			expect.stringMatching(/^\/services\/data\/v66\.0\/sobjects\/Contact\/003/),
		]);
		const err = await rejection(
			conn.sobject('Contact').upsert({ Email: 'twin@example.com', FirstName: 'Z' }, 'Email'),
		);
		expect(err.errorCode).toBe('MULTIPLE_CHOICES');
		expect(emu.records('Contact').filter((r) => r.FirstName === 'Z')).toHaveLength(0);
	});

	test.each([
		[
			{ FirstName: 'NoLast' },
			'REQUIRED_FIELD_MISSING',
			'Required fields are missing: [LastName]',
			['LastName'],
		],
		[
			{ LastName: 'x'.repeat(81) },
			'STRING_TOO_LONG',
			/^Last Name: data value too large: x+\.\.\. \(max length=80\)$/,
			['LastName'],
		],
		[
			{ LastName: 'P', NPS_Category__c: 'Fan' },
			'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
			'NPS Category: bad value for restricted picklist field: Fan',
			['NPS_Category__c'],
		],
		[
			{ LastName: 'E', Email: 'not-an-email' },
			'INVALID_EMAIL_ADDRESS',
			'Email: invalid email address: not-an-email',
			['Email'],
		],
		[
			{ LastName: 'A', AccountId: 'nope' },
			'MALFORMED_ID',
			'Account ID: id value of incorrect type: nope',
			['AccountId'],
		],
		[
			{ LastName: 'A', AccountId: '0015g0000000000AAA' },
			'INVALID_CROSS_REFERENCE_KEY',
			'invalid cross reference id',
			['AccountId'],
		],
		[
			{ LastName: 'A', Name: 'Full' },
			'INVALID_FIELD_FOR_INSERT_UPDATE',
			/^Unable to create\/update fields: Name\./,
			['Name'],
		],
		[
			{ LastName: 'U', Bogus__c: 1 },
			'INVALID_FIELD',
			"No such column 'Bogus__c' on sobject of type Contact",
			['Bogus__c'],
		],
		[
			{ LastName: 'B', HasOptedOutOfEmail: 'maybe' },
			'JSON_PARSER_ERROR',
			/^Cannot deserialize instance of boolean/,
			['HasOptedOutOfEmail'],
		],
		[
			{ LastName: 'D', Birthdate: '2024-02-30' },
			'JSON_PARSER_ERROR',
			/^Cannot deserialize instance of date/,
			['Birthdate'],
		],
	])('create %j fails with %s (as jsforce reports it)', async (rec, code, message, fields) => {
		const err = await rejection(conn.sobject('Contact').create(rec));
		expect(err.errorCode).toBe(code);
		if (typeof message === 'string') expect(err.message).toBe(message);
		else expect(err.message).toMatch(message);
		expect((err.data as { fields?: string[] }).fields).toEqual(fields);
	});

	test('unique external ID → DUPLICATE_VALUE; CaseNumber is an autonumber and not writable', async () => {
		await conn
			.sobject('Lead')
			.create({ LastName: 'L', Company: 'C', Skeepers_Respondent_Id__c: 'U-1' });
		const dup = await rejection(
			conn
				.sobject('Lead')
				.create({ LastName: 'L2', Company: 'C', Skeepers_Respondent_Id__c: 'u-1' }),
		);
		expect(dup.errorCode).toBe('DUPLICATE_VALUE');
		expect(dup.message).toMatch(
			/^duplicate value found: Skeepers_Respondent_Id__c duplicates value on record with id: 00Q/,
		);
		const c = await conn
			.sobject('Case')
			.create({ Subject: 'Detractor', Origin: 'Skeepers Survey' });
		const cs = (await conn.sobject('Case').retrieve(c.id!)) as Record<string, unknown>;
		expect(cs.CaseNumber).toMatch(/^\d{8}$/);
		expect(cs).toMatchObject({ Status: 'New', Priority: 'Medium' });
		const w = await rejection(conn.sobject('Case').update({ Id: c.id!, CaseNumber: '1' }));
		expect(w.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
		const lead = await rejection(
			conn.sobject('Lead').create({ LastName: 'L', Company: 'C', Status: 'Hot' }),
		);
		expect(lead.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
	});

	test('reference fields accept an existing Id of the right type', async () => {
		const acc = await conn.sobject('Account').create({ Name: 'Acme' });
		const ok = await conn.sobject('Contact').create({ LastName: 'Ref', AccountId: acc.id });
		expect(ok.success).toBe(true);
		const wrongType = await rejection(
			conn.sobject('Case').create({ Subject: 's', ContactId: acc.id }),
		);
		expect(wrongType.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
	});

	test('describe global and describe Contact (all FieldDescribe properties)', async () => {
		const g = await conn.describeGlobal();
		const names = g.sobjects.map((s) => s.name);
		expect(names).toEqual(
			expect.arrayContaining([
				'Account',
				'Contact',
				'Lead',
				'Case',
				'Task',
				'Opportunity',
				'Skeepers_Feedback__c',
			]),
		);
		expect(g.sobjects.find((s) => s.name === 'Skeepers_Feedback__c')).toMatchObject({
			custom: true,
			createable: true,
			updateable: true,
			queryable: true,
			keyPrefix: 'a0X',
		});
		// like a real org, the list holds objects nobody can write (field history)
		expect(g.sobjects.find((s) => s.name === 'ContactHistory')).toMatchObject({
			createable: false,
			updateable: false,
			queryable: true,
		});
		const d = await conn.sobject('Contact').describe();
		const f = (n: string) => d.fields.find((x) => x.name === n)!;
		for (const field of d.fields)
			for (const k of [
				'name',
				'label',
				'type',
				'length',
				'nillable',
				'createable',
				'updateable',
				'custom',
				'externalId',
				'idLookup',
				'unique',
				'picklistValues',
				'restrictedPicklist',
				'referenceTo',
				'relationshipName',
				'defaultedOnCreate',
			])
				expect(field).toHaveProperty(k);
		expect(f('LastName')).toMatchObject({
			type: 'string',
			length: 80,
			nillable: false,
			createable: true,
		});
		expect(f('Email')).toMatchObject({ type: 'email', idLookup: true, externalId: false });
		expect(f('Skeepers_Respondent_Id__c')).toMatchObject({
			externalId: true,
			unique: true,
			idLookup: true,
			custom: true,
		});
		expect(f('NPS_Category__c')).toMatchObject({ type: 'picklist', restrictedPicklist: true });
		expect((f('NPS_Category__c').picklistValues ?? []).map((p) => p.value)).toEqual([
			'Detractor',
			'Passive',
			'Promoter',
		]);
		expect(f('AccountId')).toMatchObject({
			type: 'reference',
			referenceTo: ['Account'],
			relationshipName: 'Account',
		});
		expect(f('Id')).toMatchObject({ createable: false, updateable: false });
		const fb = await conn.sobject('Skeepers_Feedback__c').describe();
		expect(fb.fields.find((x) => x.name === 'Raw_Payload__c')).toMatchObject({
			type: 'textarea',
			length: 131072,
		});
		const unknown = await rejection(conn.sobject('Nope__c').describe());
		expect(unknown.errorCode).toBe('NOT_FOUND');
	});

	test('versions list, version below 42.0 → 404, Sforce-Limit-Info on every data response', async () => {
		const v = await fetch(`${emu.url}/services/data`);
		const list = (await v.json()) as Array<{ version: string; url: string; label: string }>;
		expect(list[0]).toEqual({ label: "Spring '18", url: '/services/data/v42.0', version: '42.0' });
		expect(list.find((x) => x.version === '66.0')!.label).toBe("Spring '26");
		const old = await api(emu, token, 'GET', '/services/data/v41.0/sobjects');
		expect(old.status).toBe(404);
		const ok = await api(emu, token, 'GET', '/limits');
		expect(ok.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
		const bad = await api(emu, token, 'GET', '/sobjects/Nope__c/describe');
		expect(bad.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
	});
});

describe('daily API allocation', () => {
	test('/limits counts down; when spent every call answers 403 REQUEST_LIMIT_EXCEEDED', async () => {
		const emu = await emulator({ dailyApiLimit: 3 });
		try {
			const conn = connect(emu);
			const l = (await conn.limits()) as unknown as {
				DailyApiRequests: { Max: number; Remaining: number };
			};
			expect(l.DailyApiRequests).toEqual({ Max: 3, Remaining: 2 });
			await conn.query('SELECT Id FROM Contact');
			await conn.query('SELECT Id FROM Contact');
			const err = await rejection(conn.query('SELECT Id FROM Contact'));
			expect(err.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
			expect(err.message).toBe('TotalRequests Limit exceeded.');
			const raw = await api(emu, conn.accessToken!, 'GET', '/limits');
			expect(raw.status).toBe(403);
			expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
		} finally {
			await emu.stop();
		}
	});
});

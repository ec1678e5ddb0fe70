/**
 * The configured org's named setup records (record types, users, campaigns) through jsforce:
 * queryable, listed in the describe, and checked on save as Salesforce does.
 */
import { toCsv } from '../../emulator/csv';
import { useEmulator } from './helpers';

type Row = Record<string, unknown>;

describe('configured org: record types, users and campaigns', () => {
	const sf = useEmulator({ clearEach: true });

	const ids = async (soql: string, key: string): Promise<Record<string, string>> => {
		const res = await sf.conn.query<Row>(soql);
		return Object.fromEntries(res.records.map((r) => [String(r[key]), String(r.Id)]));
	};

	test('RecordType is queryable: Id 012, DeveloperName, Name, SobjectType, IsActive', async () => {
		const res = await sf.conn.query<Row>(
			"SELECT Id, DeveloperName, Name, SobjectType, IsActive FROM RecordType WHERE SobjectType = 'Case' ORDER BY DeveloperName",
		);
		expect(res.records.map(({ DeveloperName, IsActive }) => ({ DeveloperName, IsActive }))).toEqual(
			[
				{ DeveloperName: 'Detractor_Follow_Up', IsActive: true },
				{ DeveloperName: 'Legacy', IsActive: false },
				{ DeveloperName: 'Partner_Escalation', IsActive: true },
				{ DeveloperName: 'Support', IsActive: true },
			],
		);
		expect(res.records.every((r) => /^012\w{15}$/.test(String(r.Id)))).toBe(true);
		const lead = await sf.conn.query<Row>(
			"SELECT Name FROM RecordType WHERE SobjectType = 'Lead' AND DeveloperName = 'Survey_Lead'",
		);
		expect(lead.records.map((r) => r.Name)).toEqual(['Survey Lead']);
	});

	test('User is queryable: the API users, an active agent and an inactive one', async () => {
		const res = await sf.conn.query<Row>(
			'SELECT Id, Username, Email, Name, IsActive FROM User ORDER BY Username',
		);
		expect(res.records.map(({ Username, IsActive }) => ({ Username, IsActive }))).toEqual([
			{ Username: 'alice.agent@skeepers-emulator.example', IsActive: true },
			{ Username: 'demo.admin@skeepers-emulator.example', IsActive: true },
			{ Username: 'former.agent@skeepers-emulator.example', IsActive: false },
			{ Username: 'integration@skeepers-emulator.example', IsActive: true },
		]);
		expect(res.records.every((r) => /^005\w{15}$/.test(String(r.Id)))).toBe(true);
		// the API user of the token is one of them (the identity URL names it)
		const me = await sf.conn.identity();
		expect(res.records.map((r) => r.Id)).toContain(me.user_id);
	});

	test('Campaign is queryable: Id 701, Name, IsActive', async () => {
		const res = await sf.conn.query<Row>(
			"SELECT Id, Name, IsActive FROM Campaign WHERE Name = 'Detractors follow-up'",
		);
		expect(res.records).toHaveLength(1);
		expect(res.records[0]).toMatchObject({ IsActive: true });
		expect(String(res.records[0].Id)).toMatch(/^701\w{15}$/);
	});

	test('describe: Case and Lead have RecordTypeId (a reference to RecordType) and recordTypeInfos', async () => {
		const rts = await ids(
			"SELECT Id, DeveloperName FROM RecordType WHERE SobjectType = 'Case'",
			'DeveloperName',
		);
		const d = await sf.conn.sobject('Case').describe();
		const field = d.fields.find((x) => x.name === 'RecordTypeId');
		expect(field).toMatchObject({
			type: 'reference',
			referenceTo: ['RecordType'],
			relationshipName: 'RecordType',
			createable: true,
			updateable: true,
		});
		const infos = d.recordTypeInfos as unknown as Row[];
		const byName = Object.fromEntries(infos.map((i) => [String(i.developerName), i]));
		expect(byName.Detractor_Follow_Up).toMatchObject({
			recordTypeId: rts.Detractor_Follow_Up,
			active: true,
			available: true,
			defaultRecordTypeMapping: true,
			master: false,
			name: 'Detractor Follow-Up',
		});
		expect(byName.Legacy).toMatchObject({ active: false, available: false });
		expect(byName.Partner_Escalation).toMatchObject({ active: true, available: false });
		expect(byName.Master).toMatchObject({
			master: true,
			available: true,
			recordTypeId: '012000000000000AAA',
		});
		const lead = await sf.conn.sobject('Lead').describe();
		expect((lead.recordTypeInfos as unknown as Row[]).map((i) => i.developerName).sort()).toEqual([
			'Master',
			'Survey_Lead',
		]);
		const contact = await sf.conn.sobject('Contact').describe();
		expect(contact.recordTypeInfos).toEqual([]);
		expect(contact.fields.some((x) => x.name === 'RecordTypeId')).toBe(false);
	});

	test('RecordTypeId: an available record type is saved; inactive, unavailable, another object’s or unknown fail INVALID_CROSS_REFERENCE_KEY', async () => {
		const rts = await ids('SELECT Id, DeveloperName FROM RecordType', 'DeveloperName');
		const unknown = rts.Legacy.slice(0, 14) + 'Z';
		const res = await sf.conn.sobject('Case').create(
			[
				{ Subject: 'ok', RecordTypeId: rts.Detractor_Follow_Up },
				{ Subject: 'inactive', RecordTypeId: rts.Legacy },
				{ Subject: 'not for the user', RecordTypeId: rts.Partner_Escalation },
				{ Subject: 'a Lead record type', RecordTypeId: rts.Survey_Lead },
				{ Subject: 'unknown', RecordTypeId: unknown },
			],
			{ allOrNone: false },
		);
		expect(res[0]).toMatchObject({ success: true });
		const stored = sf.emu.records('Case').find((r) => r.Id === res[0].id);
		expect(stored?.RecordTypeId).toBe(rts.Detractor_Follow_Up);
		const failed = [res[1], res[2], res[3], res[4]];
		const ids18 = [rts.Legacy, rts.Partner_Escalation, rts.Survey_Lead, unknown];
		failed.forEach((r, k) => {
			expect(r.success).toBe(false);
			expect(!r.success && r.errors[0]).toMatchObject({
				statusCode: 'INVALID_CROSS_REFERENCE_KEY',
				message: `Record Type ID: this ID value isn't valid for the user: ${ids18[k]}`,
				fields: ['RecordTypeId'],
			});
		});
		expect(sf.emu.records('Case')).toHaveLength(1);
	});

	test('RecordTypeId on Bulk API 2.0: the same check per row', async () => {
		const rts = await ids(
			"SELECT Id, DeveloperName FROM RecordType WHERE SobjectType = 'Lead' OR DeveloperName = 'Legacy'",
			'DeveloperName',
		);
		const res = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Lead',
			operation: 'insert',
			input: toCsv([
				['LastName', 'Company', 'RecordTypeId'],
				['Good', 'Acme', rts.Survey_Lead],
				['Bad', 'Acme', rts.Legacy],
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(res.successfulResults).toHaveLength(1);
		expect(sf.emu.records('Lead')[0]?.RecordTypeId).toBe(rts.Survey_Lead);
		expect(String(res.failedResults[0]?.sf__Error)).toMatch(
			`INVALID_CROSS_REFERENCE_KEY:Record Type ID: this ID value isn't valid for the user: ${rts.Legacy}:RecordTypeId`,
		);
	});

	test('OwnerId: an active user or a queue is saved; an inactive user fails INACTIVE_OWNER_OR_USER', async () => {
		const users = await ids('SELECT Id, Username FROM User', 'Username');
		const queues = await ids(
			"SELECT Id, DeveloperName FROM Group WHERE Type = 'Queue'",
			'DeveloperName',
		);
		const res = await sf.conn.sobject('Lead').create(
			[
				{ LastName: 'A', Company: 'X', OwnerId: users['alice.agent@skeepers-emulator.example'] },
				{ LastName: 'B', Company: 'X', OwnerId: queues.Lead_Triage },
				{ LastName: 'C', Company: 'X', OwnerId: users['former.agent@skeepers-emulator.example'] },
			],
			{ allOrNone: false, headers: { 'Sforce-Auto-Assign': 'FALSE' } },
		);
		expect(res.map((r) => r.success)).toEqual([true, true, false]);
		const owners = sf.emu.records('Lead').map((r) => r.OwnerId);
		expect(owners).toEqual([users['alice.agent@skeepers-emulator.example'], queues.Lead_Triage]);
		expect(!res[2].success && res[2].errors[0]).toMatchObject({
			statusCode: 'INACTIVE_OWNER_OR_USER',
			message: 'operation performed with inactive user',
			fields: ['OwnerId'],
		});
	});

	test('QueueSobject: the objects each queue supports', async () => {
		const queues = await ids(
			"SELECT Id, DeveloperName FROM Group WHERE Type = 'Queue'",
			'DeveloperName',
		);
		const res = await sf.conn.query<Row>(
			"SELECT QueueId, SobjectType FROM QueueSobject WHERE SobjectType = 'Lead'",
		);
		expect(res.records.map((r) => r.QueueId).sort()).toEqual(
			[queues.Lead_Triage, queues.Partner_Leads].sort(),
		);
	});
});

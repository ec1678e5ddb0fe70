/**
 * Write Modes × emulator: Only If Empty and Add to Multi-Select against the records Salesforce
 * holds, on every match path (lookup by Email, Update by Id, Create or Update by an external ID,
 * Create), Bulk API 2.0, duplicate keys in waves, Dry Run, pre-flight refusals, a read that
 * fails, and the API calls they cost (at most one query per wave besides the writes).
 */
import { buildLookupQueries } from '../../nodes/SkeepersFeedApplication/plan/soql';
import { FeedEnv, field, lastNameRow, people, type Row } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const flagsRow: Row = {
	internalEntity: field('flags'),
	remoteField: 'Skeepers_Flags__c',
	transformation: 'multiPicklist',
	writeMode: 'addToMultiSelect',
};
const titleRow: Row = {
	internalEntity: field('title'),
	remoteField: 'Title',
	writeMode: 'onlyIfEmpty',
};
const byId = () => new Map(env.emu.records('Contact').map((r) => [r.Id as string, r]));

describe('Update by Email (lookup): the lookup reads the current values, no extra query', () => {
	it('keeps the agents’ flags and adds the respondent’s; Only If Empty fills only the empty Title', async () => {
		const [leroy, martin] = await env.seed('Contact', [
			{
				LastName: 'Leroy',
				Email: 'thomas.leroy@example.fr',
				Title: 'Client platinum',
				Skeepers_Flags__c: 'VIP;Newsletter',
			},
			{ LastName: 'Martin', Email: 'camille.martin@example.fr' },
		]);
		const out = await env.run({
			items: [
				{ email: 'Thomas.Leroy@Example.fr', flags: ['To call back', 'VIP'], title: 'Respondent' },
				{ email: 'camille.martin@example.fr', flags: ['Complaint'], title: 'Respondent' },
			],
			operation: 'update',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [flagsRow, titleRow],
			options: { includeRecord: true },
		});
		expect(out.map((o) => [o.json.success, o.json.id])).toEqual([
			[true, leroy],
			[true, martin],
		]);
		const stored = byId();
		expect(stored.get(leroy)).toMatchObject({
			Skeepers_Flags__c: 'VIP;Newsletter;To call back',
			Title: 'Client platinum',
		});
		expect(stored.get(martin)).toMatchObject({
			Skeepers_Flags__c: 'Complaint',
			Title: 'Respondent',
		});
		// what was sent: the union, and no Title where one was already set
		expect(out[0].json.record).toEqual({
			Id: leroy,
			Skeepers_Flags__c: 'VIP;Newsletter;To call back',
		});
		expect(env.calls('query')).toBe(1);
		expect(env.calls('collections.update')).toBe(1);
	});

	it('nothing new to add and a Title already set: the fields are left out, the record is untouched', async () => {
		const [id] = await env.seed('Contact', [
			{ LastName: 'Leroy', Email: 'a@x.fr', Title: 'T', Skeepers_Flags__c: 'VIP;Newsletter' },
		]);
		const out = await env.run({
			items: [{ email: 'a@x.fr', flags: 'Newsletter', title: 'Other' }],
			operation: 'update',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [flagsRow, titleRow],
			options: { includeRecord: true },
		});
		expect(out[0].json).toMatchObject({ success: true, id, record: { Id: id } });
		expect(Object.keys(out[0].json.record as object)).toEqual(['Id']);
		expect(byId().get(id)).toMatchObject({ Title: 'T', Skeepers_Flags__c: 'VIP;Newsletter' });
	});
});

describe('Update by Id: one query reads the records', () => {
	it('reads by Id (15- or 18-character), merges, writes; an Id with no record fails without a write', async () => {
		const [a, b] = await env.seed('Contact', [
			{ LastName: 'A', Skeepers_Flags__c: 'Ambassador' },
			{ LastName: 'B', Title: 'Boss' },
		]);
		const missing = `${a.slice(0, 3)}000000000ZZZ`;
		const out = await env.run({
			items: [
				{ id: a.slice(0, 15), flags: 'VIP', title: 'x' },
				{ id: missing, flags: 'VIP', title: 'z' },
				{ id: b, flags: '', title: 'y' },
			],
			operation: 'update',
			matchField: 'Id',
			matchValue: field('id'),
			rows: [flagsRow, titleRow],
			continueOnFail: true,
		});
		// one result per item, paired to it, the failed one in the middle
		expect(out.map((o) => [o.pairedItem, o.json.success, o.json.id])).toEqual([
			[{ item: 0 }, true, a],
			[{ item: 1 }, false, null],
			[{ item: 2 }, true, b],
		]);
		expect(out[1].json.errors).toEqual([
			expect.objectContaining({ errorCode: 'NOT_FOUND', fields: ['Id'] }),
		]);
		expect(out[1].json.error).toContain('could not be read');
		const stored = byId();
		expect(stored.get(a)).toMatchObject({ Skeepers_Flags__c: 'Ambassador;VIP', Title: 'x' });
		expect(stored.get(b)).toMatchObject({ Title: 'Boss' });
		expect(stored.get(b)?.Skeepers_Flags__c ?? null).toBeNull();
		expect(env.calls('query')).toBe(1);
		expect(env.calls('collections.update')).toBe(1);
	});
});

describe('Create or Update by an external ID', () => {
	it('existing records are merged, new ones get the values as they are; one query for the wave', async () => {
		await env.seed('Contact', [
			{ LastName: 'Old', Skeepers_Respondent_Id__c: 'R1', Skeepers_Flags__c: 'Newsletter' },
		]);
		const out = await env.run({
			items: [
				{ respondentId: 'r1', lastName: 'Old', flags: ['VIP'], title: 'New' },
				{ respondentId: 'R2', lastName: 'New', flags: ['VIP', 'Complaint'], title: 'New' },
			],
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, flagsRow, titleRow],
		});
		expect(out.map((o) => [o.json.success, o.json.created])).toEqual([
			[true, false],
			[true, true],
		]);
		const byKey = new Map(
			env.emu.records('Contact').map((r) => [r.Skeepers_Respondent_Id__c as string, r]),
		);
		expect(byKey.get('R1')).toMatchObject({ Skeepers_Flags__c: 'Newsletter;VIP', Title: 'New' });
		expect(byKey.get('R2')).toMatchObject({ Skeepers_Flags__c: 'VIP;Complaint', Title: 'New' });
		expect(env.calls('query')).toBe(1);
		expect(env.calls('collections.upsert')).toBe(1);
	});

	it('items sharing a key: each wave reads what the previous one wrote, so every item adds its flags', async () => {
		const out = await env.run({
			items: [
				{ respondentId: 'R9', lastName: 'P', flags: 'VIP' },
				{ respondentId: 'R9', lastName: 'P', flags: 'Complaint' },
				{ respondentId: 'R9', lastName: 'P', flags: 'VIP;Ambassador' },
			],
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, flagsRow],
		});
		expect(out.every((o) => o.json.success)).toBe(true);
		const records = env.emu.records('Contact');
		expect(records).toHaveLength(1);
		expect(records[0].Skeepers_Flags__c).toBe('VIP;Complaint;Ambassador');
		expect(env.calls('query')).toBe(3); // one per wave
	});

	it('Overwrite rows only (the default): no read at all, as before', async () => {
		await env.run({
			items: people(3),
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, { ...titleRow, internalEntity: 'T', writeMode: 'overwrite' }],
		});
		expect(env.calls('query')).toBe(0);
		expect(env.calls('collections.upsert')).toBe(1);
	});
});

it('Create: no read; Only If Empty and Add to Multi-Select write the values of the new record', async () => {
	const out = await env.run({
		items: [{ lastName: 'N', flags: ['VIP', 'VIP', 'Newsletter'], title: 'T' }],
		operation: 'create',
		rows: [lastNameRow, flagsRow, titleRow],
	});
	expect(out[0].json.success).toBe(true);
	expect(env.emu.records('Contact')[0]).toMatchObject({
		Skeepers_Flags__c: 'VIP;Newsletter',
		Title: 'T',
	});
	expect(env.calls('query')).toBe(0);
});

it('Bulk API 2.0: the merged values go in the CSV, a field left out keeps its value', async () => {
	const ids = await env.seed('Contact', [
		{ LastName: 'A', Skeepers_Respondent_Id__c: 'B1', Title: 'Kept', Skeepers_Flags__c: 'VIP' },
		{ LastName: 'B', Skeepers_Respondent_Id__c: 'B2' },
	]);
	const out = await env.run({
		items: [
			{ respondentId: 'B1', flags: 'VIP', title: 'New' },
			{ respondentId: 'B2', flags: 'Newsletter', title: 'New' },
		],
		operation: 'update',
		matchField: 'Skeepers_Respondent_Id__c',
		matchValue: field('respondentId'),
		rows: [flagsRow, titleRow],
		options: { bulkMode: 'always' },
	});
	expect(out.map((o) => o.json.success)).toEqual([true, true]);
	const stored = byId();
	expect(stored.get(ids[0])).toMatchObject({ Title: 'Kept', Skeepers_Flags__c: 'VIP' });
	expect(stored.get(ids[1])).toMatchObject({ Title: 'New', Skeepers_Flags__c: 'Newsletter' });
	expect(env.calls('query')).toBe(1); // the lookup (Update by an external ID) carries the fields
	expect(env.calls('bulk.create')).toBe(1);
});

it('Dry Run: reads the current values and shows the merged record, writes nothing', async () => {
	const [id] = await env.seed('Contact', [
		{ LastName: 'L', Skeepers_Respondent_Id__c: 'D1', Skeepers_Flags__c: 'VIP;Newsletter' },
	]);
	const out = await env.run({
		items: [{ respondentId: 'D1', lastName: 'L', flags: 'To call back' }],
		operation: 'upsert',
		matchField: 'Skeepers_Respondent_Id__c',
		matchValue: field('respondentId'),
		rows: [lastNameRow, flagsRow],
		options: { dryRun: true },
	});
	expect(out[0].json).toMatchObject({
		success: true,
		dryRun: true,
		record: { Skeepers_Flags__c: 'VIP;Newsletter;To call back' },
	});
	expect(byId().get(id)?.Skeepers_Flags__c).toBe('VIP;Newsletter');
	expect(env.calls('query')).toBe(1);
	expect(env.calls('collections.')).toBe(0);
});

describe('refused before anything is read or written', () => {
	it('Add to Multi-Select on a text field: the node fails naming row and field, no call but the describe', async () => {
		await expect(
			env.run({
				items: people(2),
				operation: 'update',
				matchField: 'Email',
				matchValue: field('email'),
				rows: [lastNameRow, { ...titleRow, writeMode: 'addToMultiSelect' }],
			}),
		).rejects.toThrow(
			'Item 1, row 2 (Title): "Add to Multi-Select" applies to multi-select picklist fields only, and Title is a string field',
		);
		expect(env.emu.counters().total).toBe(1);
	});

	it('Only If Empty on a checkbox: INVALID_WRITE_MODE per item with Report per Item', async () => {
		const out = await env.run({
			items: people(1),
			operation: 'create',
			rows: [
				lastNameRow,
				{ internalEntity: true, remoteField: 'HasOptedOutOfEmail', writeMode: 'onlyIfEmpty' },
			],
			options: { preflight: 'perItem' },
			continueOnFail: true,
		});
		expect(out[0].json).toMatchObject({
			success: false,
			row: 2,
			errors: [expect.objectContaining({ errorCode: 'INVALID_WRITE_MODE' })],
		});
		expect(env.emu.records('Contact')).toHaveLength(0);
	});
});

it('a read Salesforce refuses fails the items with its error; nothing is overwritten', async () => {
	const [id] = await env.seed('Contact', [{ LastName: 'K', Title: 'Kept' }]);
	const out = await env.run({
		items: [{ id, title: 'New', x: 'v' }],
		operation: 'update',
		matchField: 'Id',
		matchValue: field('id'),
		// a field the object lacks (Pre-Flight off lets it through): the read's SELECT is refused
		rows: [
			titleRow,
			{ internalEntity: field('x'), remoteField: 'No_Such__c', writeMode: 'onlyIfEmpty' },
		],
		options: { preflight: 'off' },
		continueOnFail: true,
	});
	expect(out[0].json).toMatchObject({ success: false, action: null });
	expect(String(out[0].json.error)).toMatch(/^INVALID_FIELD/);
	expect(byId().get(id)?.Title).toBe('Kept');
	expect(env.calls('collections.')).toBe(0);
});

describe('API calls: the writes plus at most one query per wave (chunked by length)', () => {
	const n = 1000;
	const items = (from: number) =>
		people(n, from).map((p, k) => ({ ...p, flags: k % 2 ? 'VIP' : 'Complaint;Newsletter' }));

	it(`${n} Create or Update by external ID, one Add to Multi-Select row`, async () => {
		await env.seed(
			'Contact',
			people(n).map((p) => ({
				LastName: p.lastName,
				Skeepers_Respondent_Id__c: p.respondentId,
				Skeepers_Flags__c: 'Newsletter',
			})),
		);
		const out = await env.run({
			items: items(0),
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, flagsRow],
			options: { bulkMode: 'never' },
		});
		expect(out.every((o) => o.json.success && o.json.created === false)).toBe(true);
		const queries = buildLookupQueries({
			object: 'Contact',
			matchField: 'Skeepers_Respondent_Id__c',
			values: people(n).map((p) => p.respondentId as string),
			selectFields: ['Skeepers_Flags__c'],
			maxQueryLength: 12_000,
			measure: (q) => encodeURIComponent(q).length,
		}).length;
		expect(env.calls('collections.upsert')).toBe(n / 200);
		expect(env.calls('query')).toBe(queries);
		expect(queries).toBeLessThanOrEqual(n / 200);
		expect(env.emu.counters().total).toBe(1 + n / 200 + queries); // + the describe
		const flags = env.emu.records('Contact').map((r) => r.Skeepers_Flags__c);
		expect(flags.filter((f) => f === 'Newsletter;VIP')).toHaveLength(n / 2);
		expect(flags.filter((f) => f === 'Newsletter;Complaint')).toHaveLength(n / 2);
	});

	it(`${n} Update by external ID (lookup path): no query beyond the lookup`, async () => {
		await env.seed(
			'Contact',
			people(n).map((p) => ({ LastName: p.lastName, Skeepers_Respondent_Id__c: p.respondentId })),
		);
		env.emu.resetCounters();
		const plain = await env.run({
			items: items(0),
			operation: 'update',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, { ...flagsRow, writeMode: 'overwrite' }],
			options: { bulkMode: 'never' },
		});
		expect(plain.every((o) => o.json.success)).toBe(true);
		const lookups = env.calls('query');
		env.emu.resetCounters();
		const merged = await env.run({
			items: items(0),
			operation: 'update',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, flagsRow],
			options: { bulkMode: 'never' },
		});
		expect(merged.every((o) => o.json.success)).toBe(true);
		expect(env.calls('collections.update')).toBe(n / 200);
		// the SELECT carries one more field: the same count of queries, or one more when the chunks shift
		expect(env.calls('query')).toBeLessThanOrEqual(lookups + 1);
	});
});

/**
 * Feed Application node × emulator: every operation × match kind × path (collections, lookup,
 * bulk), sizes 1 / 199 / 200 / 201 / 5,000, API call counts and stored records.
 */
import { FeedEnv, field, lastNameRow, people } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const emailRow = { internalEntity: field('email'), remoteField: 'Email' };
const scoreRow = { internalEntity: field('score'), remoteField: 'NPS_Score__c' };

describe('Create (collections)', () => {
	it.each([
		[1, 1],
		[199, 1],
		[200, 1],
		[201, 2],
	])(
		'%i items → %i POST /composite/sobjects call(s), one paired result per item',
		async (n, calls) => {
			const out = await env.run({
				items: people(n),
				operation: 'create',
				rows: [lastNameRow, emailRow, scoreRow],
			});
			expect(env.calls('collections.create')).toBe(calls);
			expect(env.emu.counters().total).toBe(calls + 1); // + one describe
			expect(out).toHaveLength(n);
			const stored = new Map(env.emu.records('Contact').map((r) => [r.Id as string, r]));
			expect(stored.size).toBe(n);
			out.forEach((o, i) => {
				expect(o.pairedItem).toEqual({ item: i });
				expect(o.json.success).toBe(true);
				expect(o.json.created).toBe(true);
				const rec = stored.get(o.json.id as string);
				expect(rec).toMatchObject({
					LastName: `Person ${i}`,
					Email: `person${i}@example.fr`,
					NPS_Score__c: i % 11,
				});
			});
		},
	);
});

describe('Create or Update by external ID', () => {
	it('5,000 items in collections mode: ≤ 25 upsert calls, exactly 5,000 records, then all updated', async () => {
		const items = people(5000);
		const spec = {
			items,
			operation: 'upsert' as const,
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, scoreRow],
			options: { bulkMode: 'never' },
		};
		const first = await env.run(spec);
		expect(env.calls('collections.upsert')).toBeLessThanOrEqual(25);
		expect(env.calls('collections.upsert')).toBe(25);
		expect(env.calls('query')).toBe(0);
		expect(env.emu.records('Contact')).toHaveLength(5000);
		expect(first.every((o) => o.json.success && o.json.created && o.json.action === 'upsert')).toBe(
			true,
		);

		env.emu.resetCounters();
		const again = await env.run({
			...spec,
			items: items.map((p) => ({ ...p, lastName: `${p.lastName as string} bis` })),
		});
		expect(env.calls('collections.upsert')).toBe(25);
		expect(env.emu.records('Contact')).toHaveLength(5000);
		expect(again.every((o) => o.json.success && o.json.created === false)).toBe(true);
		expect(again.map((o) => o.json.id)).toEqual(first.map((o) => o.json.id));
		const byId = new Map(env.emu.records('Contact').map((r) => [r.Id, r]));
		expect(byId.get(again[4999].json.id as string)?.LastName).toBe('Person 4999 bis');
	});

	it('5,000 items on Auto without a Bulk Threshold: Collections cost less (25 calls at up to 10 in flight)', async () => {
		const out = await env.run({
			items: people(5000),
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow],
		});
		expect(env.calls('collections.upsert')).toBe(25);
		expect(env.calls('bulk.')).toBe(0);
		expect(env.emu.records('Contact')).toHaveLength(5000);
		expect(out.every((o) => o.json.success && o.json.created)).toBe(true);
	});

	it('5,000 items in Bulk API 2.0 (Auto over a Bulk Threshold of 2000): ≤ 6 calls, exactly 5,000 records, paired', async () => {
		const out = await env.run({
			items: people(5000),
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow, scoreRow],
			options: { bulkThreshold: 2000 },
		});
		const bulkCalls = env.calls('bulk.');
		expect(bulkCalls).toBeLessThanOrEqual(6);
		expect(env.calls('collections.')).toBe(0);
		const records = env.emu.records('Contact');
		expect(records).toHaveLength(5000);
		const byId = new Map(records.map((r) => [r.Id, r]));
		out.forEach((o, i) => {
			expect(o.json.success).toBe(true);
			expect(o.json.bulkJobId).toBeTruthy();
			expect(byId.get(o.json.id as string)?.Skeepers_Respondent_Id__c).toBe(
				`R${String(i).padStart(6, '0')}`,
			);
		});
	});

	it('two items with the same key in one run: one record, the later item wins (waves)', async () => {
		const items = [
			{ respondentId: 'R1', lastName: 'First' },
			{ respondentId: 'R2', lastName: 'Other' },
			{ respondentId: 'r1', lastName: 'Second' },
		];
		const out = await env.run({
			items,
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow],
		});
		expect(env.emu.records('Contact')).toHaveLength(2);
		expect(out[0].json).toMatchObject({ success: true, created: true });
		expect(out[2].json).toMatchObject({ success: true, created: false, id: out[0].json.id });
		expect(env.emu.records('Contact').find((r) => r.Id === out[0].json.id)?.LastName).toBe(
			'Second',
		);
		expect(env.calls('collections.')).toBe(2);
	});
});

describe('Update by Id (collections)', () => {
	it('updates by Id in PATCH /composite/sobjects; an unknown Id fails alone (continue on fail)', async () => {
		const ids = await env.seed(
			'Contact',
			people(3).map((p) => ({ LastName: p.lastName })),
		);
		const items = [
			...ids.map((id, i) => ({ id, lastName: `New ${i}` })),
			{ id: '003000000000000AAA', lastName: 'Ghost' },
		];
		const out = await env.run({
			items,
			operation: 'update',
			matchField: 'Id',
			matchValue: field('id'),
			rows: [lastNameRow],
			continueOnFail: true,
		});
		expect(env.calls('collections.update')).toBe(1);
		expect(
			out
				.slice(0, 3)
				.every((o) => o.json.success && o.json.created === false && o.json.action === 'update'),
		).toBe(true);
		expect(out[3].json.success).toBe(false);
		expect((out[3].json.errors as Array<{ errorCode: string }>)[0].errorCode).toMatch(
			/ENTITY_IS_DELETED|INVALID_CROSS_REFERENCE_KEY|NOT_FOUND|MALFORMED_ID/,
		);
		expect(
			env.emu
				.records('Contact')
				.map((r) => r.LastName)
				.sort(),
		).toEqual(['New 0', 'New 1', 'New 2']);
	});

	it('Create or Update by Id: items with an Id are updated, items without are created', async () => {
		const [id] = await env.seed('Contact', [{ LastName: 'Old' }]);
		const out = await env.run({
			items: [
				{ id, lastName: 'Updated' },
				{ id: '', lastName: 'Created' },
			],
			operation: 'upsert',
			matchField: 'Id',
			matchValue: field('id'),
			rows: [lastNameRow],
		});
		expect(out[0].json).toMatchObject({ success: true, id, created: false, action: 'update' });
		expect(out[1].json).toMatchObject({ success: true, created: true, action: 'create' });
		expect(
			env.emu
				.records('Contact')
				.map((r) => r.LastName)
				.sort(),
		).toEqual(['Created', 'Updated']);
	});
});

describe('Match on an idLookup field (Email): SOQL lookups, then collections', () => {
	it('Create or Update: found → update by Id (case-insensitive), not found → create; several matches → error with Ids', async () => {
		const [a, b, d1, d2] = await env.seed('Contact', [
			{ LastName: 'A', Email: 'a@example.fr' },
			{ LastName: 'B', Email: 'b@example.fr' },
			{ LastName: 'D1', Email: 'dup@example.fr' },
			{ LastName: 'D2', Email: 'dup@example.fr' },
		]);
		const out = await env.run({
			items: [
				{ email: 'A@Example.fr', lastName: 'A2' },
				{ email: 'b@example.fr', lastName: 'B2' },
				{ email: 'c@example.fr', lastName: 'C' },
				{ email: 'dup@example.fr', lastName: 'D?' },
			],
			operation: 'upsert',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [lastNameRow],
			continueOnFail: true,
		});
		expect(env.calls('query')).toBe(1);
		expect(env.calls('collections.update')).toBe(1);
		expect(env.calls('collections.create')).toBe(1);
		expect(out[0].json).toMatchObject({ success: true, id: a, action: 'update', created: false });
		expect(out[1].json).toMatchObject({ success: true, id: b, action: 'update' });
		expect(out[2].json).toMatchObject({ success: true, created: true, action: 'create' });
		expect(out[3].json).toMatchObject({ success: false, matchedIds: [d1, d2] });
		expect((out[3].json.errors as Array<{ errorCode: string }>)[0].errorCode).toBe(
			'MULTIPLE_MATCHES',
		);
		const created = env.emu.records('Contact').find((r) => r.Id === out[2].json.id);
		expect(created).toMatchObject({ LastName: 'C', Email: 'c@example.fr' });
		expect(
			env.emu
				.records('Contact')
				.filter((r) => r.Email === 'dup@example.fr')
				.map((r) => r.LastName)
				.sort(),
		).toEqual(['D1', 'D2']);
	});

	it('Update: a value with no record fails NOT_FOUND and nothing is created', async () => {
		await env.seed('Contact', [{ LastName: 'A', Email: 'a@example.fr' }]);
		const out = await env.run({
			items: [
				{ email: 'a@example.fr', lastName: 'A2' },
				{ email: 'nobody@example.fr', lastName: 'X' },
			],
			operation: 'update',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [lastNameRow],
			continueOnFail: true,
		});
		expect(out[0].json.success).toBe(true);
		expect(out[1].json).toMatchObject({ success: false });
		expect((out[1].json.errors as Array<{ errorCode: string }>)[0].errorCode).toBe('NOT_FOUND');
		expect(env.emu.records('Contact')).toHaveLength(1);
		expect(env.calls('collections.create')).toBe(0);
	});

	it('Update by external ID looks the records up, then updates by Id', async () => {
		await env.seed('Contact', [{ LastName: 'A', Skeepers_Respondent_Id__c: 'R1' }]);
		const out = await env.run({
			items: [{ respondentId: 'R1', lastName: 'A2' }],
			operation: 'update',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow],
		});
		expect(out[0].json).toMatchObject({ success: true, action: 'update' });
		expect(env.calls('query')).toBe(1);
		expect(env.calls('collections.update')).toBe(1);
		expect(env.emu.records('Contact')[0].LastName).toBe('A2');
	});

	it('5,000 items by Email: lookups in a few queries, then Bulk API 2.0 (Bulk Threshold 2000); exact records', async () => {
		await env.seed(
			'Contact',
			people(2500).map((p) => ({ LastName: p.lastName, Email: p.email })),
		);
		const out = await env.run({
			items: people(5000).map((p) => ({ ...p, lastName: `${p.lastName as string} v2` })),
			operation: 'upsert',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [lastNameRow],
			options: { bulkThreshold: 2000 },
		});
		const queries = env.calls('query') + env.calls('query.more');
		expect(queries).toBeGreaterThan(0);
		expect(queries).toBeLessThanOrEqual(30);
		expect(env.calls('collections.')).toBe(0);
		// an update job and an insert job
		expect(env.calls('bulk.create')).toBe(2);
		expect(env.calls('bulk.')).toBeLessThanOrEqual(12);
		const records = env.emu.records('Contact');
		expect(records).toHaveLength(5000);
		expect(records.every((r) => String(r.LastName).endsWith(' v2'))).toBe(true);
		expect(out.slice(0, 2500).every((o) => o.json.success && o.json.action === 'update')).toBe(
			true,
		);
		expect(out.slice(2500).every((o) => o.json.success && o.json.created === true)).toBe(true);
	});
});

describe('Bulk API 2.0 on request', () => {
	it('Always: a single Create goes through a job and reports its job id', async () => {
		const out = await env.run({
			items: people(3),
			operation: 'create',
			rows: [lastNameRow, emailRow],
			options: { bulkMode: 'always' },
		});
		expect(env.calls('bulk.create')).toBe(1);
		expect(out.every((o) => o.json.success && o.json.created && o.json.bulkJobId)).toBe(true);
		expect(env.emu.records('Contact')).toHaveLength(3);
	});

	it('Always with a record Salesforce rejects: that item fails, the others are paired to their records', async () => {
		const items = people(4);
		items[2].lastName = '';
		const out = await env.run({
			items,
			operation: 'create',
			rows: [lastNameRow, emailRow],
			options: { bulkMode: 'always', preflight: 'off' },
			continueOnFail: true,
		});
		expect(out.map((o) => o.json.success)).toEqual([true, true, false, true]);
		expect((out[2].json.errors as Array<{ errorCode: string }>)[0].errorCode).toBe(
			'REQUIRED_FIELD_MISSING',
		);
		const byId = new Map(env.emu.records('Contact').map((r) => [r.Id, r]));
		expect(byId.size).toBe(3);
		expect(byId.get(out[3].json.id as string)?.Email).toBe('person3@example.fr');
	});
});

describe('other objects', () => {
	it('creates a custom Skeepers_Feedback__c upserted on its external ID', async () => {
		const out = await env.run({
			object: 'Skeepers_Feedback__c',
			items: [{ eventId: 'E1', score: 3, comment: 'Slow delivery' }],
			operation: 'upsert',
			matchField: 'Event_Id__c',
			matchValue: field('eventId'),
			rows: [
				{ internalEntity: field('score'), remoteField: 'NPS_Score__c' },
				{
					internalEntity: field('score'),
					remoteField: 'NPS_Category__c',
					transformation: 'npsCategory',
				},
				{ internalEntity: field('comment'), remoteField: 'Comment__c' },
			],
		});
		expect(out[0].json).toMatchObject({
			success: true,
			created: true,
			object: 'Skeepers_Feedback__c',
		});
		expect(env.emu.records('Skeepers_Feedback__c')[0]).toMatchObject({
			Event_Id__c: 'E1',
			NPS_Score__c: 3,
			Comment__c: 'Slow delivery',
		});
	});
});

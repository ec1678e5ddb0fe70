/**
 * More Match Keys × emulator: Match On (the respondent's ID) then Email, through the node.
 * Each item matches on the first key that finds exactly one record; the lookups stay one SOQL
 * query per key per wave, the second only for the items the first did not find (the queries are
 * read off the real HTTP traffic); Link to First Match Key and Salesforce's unique index.
 */
import { FeedEnv, field, lastNameRow, queriesDuring, type RunSpec } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const contactsById = () => new Map(env.emu.records('Contact').map((r) => [r.Id as string, r]));

const byRespondentThenEmail = (spec: Partial<RunSpec>): RunSpec => ({
	items: [],
	operation: 'upsert',
	matchField: 'Skeepers_Respondent_Id__c',
	matchValue: field('respondentId'),
	moreMatchKeys: [{ field: 'Email', value: field('email') }],
	rows: [lastNameRow],
	...spec,
});

describe('Create or Update on Skeepers_Respondent_Id__c, then Email', () => {
	it('found by key 1, by key 2 only, by neither (created): one query per key, the second for the rest only', async () => {
		const [byId, byEmail] = await env.seed('Contact', [
			{ LastName: 'One', Skeepers_Respondent_Id__c: 'R1', Email: 'one@x.fr' },
			{ LastName: 'Two', Email: 'two@x.fr' },
		]);
		const { result: out, queries } = await queriesDuring(
			async () =>
				await env.run(
					byRespondentThenEmail({
						items: [
							{ respondentId: 'R1', email: 'other@x.fr', lastName: 'One bis' },
							{ respondentId: 'R2', email: 'TWO@x.fr', lastName: 'Two bis' },
							{ respondentId: 'R3', email: 'three@x.fr', lastName: 'Three' },
						],
					}),
				),
		);
		expect(out.map((o) => [o.json.success, o.json.created, o.json.id, o.json.matchedOn])).toEqual([
			[true, false, byId, 'Skeepers_Respondent_Id__c'],
			[true, false, byEmail, 'Email'],
			[true, true, expect.any(String), undefined],
		]);
		expect(queries).toEqual([
			"SELECT Id, Skeepers_Respondent_Id__c FROM Contact WHERE Skeepers_Respondent_Id__c IN ('R1','R2','R3')",
			"SELECT Id, Email FROM Contact WHERE Email IN ('TWO@x.fr','three@x.fr')",
		]);
		const records = contactsById();
		expect(records.get(byId)).toMatchObject({ LastName: 'One bis', Email: 'one@x.fr' });
		// the option is off: the record found by e-mail keeps no respondent ID
		expect(records.get(byEmail)).toMatchObject({ LastName: 'Two bis' });
		expect(records.get(byEmail)?.Skeepers_Respondent_Id__c ?? null).toBeNull();
		// the new record holds both keys, so the next delivery finds it on key 1
		expect(records.get(out[2].json.id as string)).toMatchObject({
			Skeepers_Respondent_Id__c: 'R3',
			Email: 'three@x.fr',
		});
		expect(env.calls('query')).toBe(2);
		expect(env.calls('collections.update')).toBe(1);
		expect(env.calls('collections.create')).toBe(1);
	});

	it('several records on key 1: MULTIPLE_MATCHES, even though key 2 would find one', async () => {
		const [a, b, c] = await env.seed('Contact', [
			{ LastName: 'A', Email: 'shared@x.fr' },
			{ LastName: 'B', Email: 'shared@x.fr' },
			{ LastName: 'C', Skeepers_Respondent_Id__c: 'R1' },
		]);
		const { result: out, queries } = await queriesDuring(
			async () =>
				await env.run({
					items: [{ respondentId: 'R1', email: 'shared@x.fr', lastName: 'N' }],
					operation: 'upsert',
					matchField: 'Email',
					matchValue: field('email'),
					moreMatchKeys: [{ field: 'Skeepers_Respondent_Id__c', value: field('respondentId') }],
					rows: [lastNameRow],
					continueOnFail: true,
				}),
		);
		expect(out[0].json).toMatchObject({ success: false, matchedIds: [a, b] });
		expect(out[0].json.errors).toEqual([
			expect.objectContaining({ errorCode: 'MULTIPLE_MATCHES', fields: ['Email'] }),
		]);
		expect(out[0].json.matchedOn).toBeUndefined();
		expect(queries).toEqual(["SELECT Id, Email FROM Contact WHERE Email IN ('shared@x.fr')"]);
		expect(env.emu.records('Contact').find((r) => r.Id === c)?.LastName).toBe('C');
		expect(env.emu.records('Contact')).toHaveLength(3);
		expect(env.calls('collections.')).toBe(0);
	});
});

describe('Update on Skeepers_Respondent_Id__c, then Email', () => {
	it('found by neither: NOT_FOUND naming both keys; an item without key 1 is looked up on key 2 alone', async () => {
		const [two] = await env.seed('Contact', [{ LastName: 'Two', Email: 'two@x.fr' }]);
		const { result: out, queries } = await queriesDuring(
			async () =>
				await env.run(
					byRespondentThenEmail({
						operation: 'update',
						items: [
							{ respondentId: 'R9', email: 'nobody@x.fr', lastName: 'N' },
							{ respondentId: '', email: 'two@x.fr', lastName: 'Two bis' },
							{ respondentId: '', email: '', lastName: 'Nothing' },
						],
						options: { preflight: 'perItem' },
						continueOnFail: true,
					}),
				),
		);
		expect(out.map((o) => [o.json.success, o.json.id, o.json.matchedOn])).toEqual([
			[false, null, undefined],
			[true, two, 'Email'],
			[false, null, undefined],
		]);
		expect(out[0].json.errors).toEqual([
			{
				errorCode: 'NOT_FOUND',
				message:
					'No Contact record has Skeepers_Respondent_Id__c = "R9", nor Email = "nobody@x.fr"',
				fields: ['Skeepers_Respondent_Id__c', 'Email'],
			},
		]);
		expect(out[2].json.errors).toEqual([
			expect.objectContaining({ errorCode: 'MISSING_MATCH_VALUE' }),
		]);
		expect(queries).toEqual([
			"SELECT Id, Skeepers_Respondent_Id__c FROM Contact WHERE Skeepers_Respondent_Id__c IN ('R9')",
			"SELECT Id, Email FROM Contact WHERE Email IN ('nobody@x.fr','two@x.fr')",
		]);
		expect(env.emu.records('Contact')).toHaveLength(1);
	});
});

describe('Link to First Match Key', () => {
	it('the record found by e-mail gets the respondent ID; the next run finds it on key 1', async () => {
		const [two] = await env.seed('Contact', [{ LastName: 'Two', Email: 'two@x.fr' }]);
		const spec = byRespondentThenEmail({
			items: [{ respondentId: 'R2', email: 'two@x.fr', lastName: 'Two bis' }],
			options: { linkFirstMatchKey: true, includeRecord: true },
		});
		const first = await env.run(spec);
		expect(first[0].json).toMatchObject({ success: true, id: two, matchedOn: 'Email' });
		expect(first[0].json.record).toEqual({
			Id: two,
			LastName: 'Two bis',
			Skeepers_Respondent_Id__c: 'R2',
		});
		expect(env.emu.records('Contact')[0]).toMatchObject({ Skeepers_Respondent_Id__c: 'R2' });

		env.emu.resetCounters();
		const second = await env.run(spec);
		expect(second[0].json).toMatchObject({
			success: true,
			id: two,
			matchedOn: 'Skeepers_Respondent_Id__c',
		});
		expect(env.calls('query')).toBe(1);
	});

	it('the respondent ID is already held by another record: the item fails with Salesforce’s error', async () => {
		const [two] = await env.seed('Contact', [{ LastName: 'Two', Email: 'two@x.fr' }]);
		// another execution writes a Contact with R2 right after this run's key-1 lookup found none
		let holder: string | undefined;
		const { result: out } = await queriesDuring(
			async () =>
				await env.run(
					byRespondentThenEmail({
						items: [{ respondentId: 'R2', email: 'two@x.fr', lastName: 'Two bis' }],
						options: { linkFirstMatchKey: true },
						continueOnFail: true,
					}),
				),
			async (q) => {
				if (holder === undefined && q.includes('Skeepers_Respondent_Id__c IN'))
					[holder] = await env.seed('Contact', [
						{ LastName: 'Holder', Skeepers_Respondent_Id__c: 'R2' },
					]);
			},
		);
		expect(out[0].json).toMatchObject({ success: false, matchedOn: 'Email' });
		expect(out[0].json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'DUPLICATE_VALUE',
				fields: ['Skeepers_Respondent_Id__c'],
			}),
		]);
		const records = contactsById();
		expect(records.get(two)).toMatchObject({ LastName: 'Two' });
		expect(records.get(two)?.Skeepers_Respondent_Id__c ?? null).toBeNull();
		expect(records.get(holder as string)).toMatchObject({ Skeepers_Respondent_Id__c: 'R2' });
	});

	it('with an Only If Empty row for the Match On field: a record already linked keeps its ID', async () => {
		const [linked, free] = await env.seed('Contact', [
			{ LastName: 'Linked', Email: 'linked@x.fr', Skeepers_Respondent_Id__c: 'R-old' },
			{ LastName: 'Free', Email: 'free@x.fr' },
		]);
		const out = await env.run(
			byRespondentThenEmail({
				items: [
					{ respondentId: 'R-new', email: 'linked@x.fr', lastName: 'Linked bis' },
					{ respondentId: 'R-free', email: 'free@x.fr', lastName: 'Free bis' },
				],
				rows: [
					lastNameRow,
					{
						internalEntity: field('respondentId'),
						remoteField: 'Skeepers_Respondent_Id__c',
						writeMode: 'onlyIfEmpty',
					},
				],
				options: { linkFirstMatchKey: true },
			}),
		);
		expect(out.map((o) => [o.json.success, o.json.id, o.json.matchedOn])).toEqual([
			[true, linked, 'Email'],
			[true, free, 'Email'],
		]);
		const records = contactsById();
		expect(records.get(linked)).toMatchObject({
			LastName: 'Linked bis',
			Skeepers_Respondent_Id__c: 'R-old',
		});
		expect(records.get(free)).toMatchObject({
			LastName: 'Free bis',
			Skeepers_Respondent_Id__c: 'R-free',
		});
		expect(env.calls('query')).toBe(2);
	});

	it('off (the default): the record found by e-mail is updated, its respondent ID untouched', async () => {
		const [two] = await env.seed('Contact', [
			{ LastName: 'Two', Email: 'two@x.fr', Skeepers_Respondent_Id__c: 'R-old' },
		]);
		const out = await env.run(
			byRespondentThenEmail({
				items: [{ respondentId: 'R2', email: 'two@x.fr', lastName: 'Two bis' }],
			}),
		);
		expect(out[0].json).toMatchObject({ success: true, id: two, matchedOn: 'Email' });
		expect(env.emu.records('Contact')[0]).toMatchObject({
			LastName: 'Two bis',
			Skeepers_Respondent_Id__c: 'R-old',
		});
	});
});

describe('waves and Write Modes', () => {
	it('two items sharing an e-mail go in two waves: the second finds the record the first created, without a query on e-mail', async () => {
		const { result: out, queries } = await queriesDuring(
			async () =>
				await env.run(
					byRespondentThenEmail({
						items: [
							{ respondentId: 'R1', email: 'same@x.fr', lastName: 'First' },
							{ respondentId: 'R2', email: 'Same@x.fr', lastName: 'Second' },
						],
					}),
				),
		);
		expect(out.map((o) => [o.json.success, o.json.created, o.json.matchedOn])).toEqual([
			[true, true, undefined],
			[true, false, 'Email'],
		]);
		expect(out[1].json.id).toBe(out[0].json.id);
		// wave 1: key 1, then key 2 for the item not found; wave 2: key 1 only (its e-mail is known)
		expect(queries).toEqual([
			"SELECT Id, Skeepers_Respondent_Id__c FROM Contact WHERE Skeepers_Respondent_Id__c IN ('R1')",
			"SELECT Id, Email FROM Contact WHERE Email IN ('same@x.fr')",
			"SELECT Id, Skeepers_Respondent_Id__c FROM Contact WHERE Skeepers_Respondent_Id__c IN ('R2')",
		]);
		expect(env.emu.records('Contact')).toEqual([
			expect.objectContaining({
				LastName: 'Second',
				Email: 'same@x.fr',
				Skeepers_Respondent_Id__c: 'R1',
			}),
		]);
	});

	it('Only If Empty on a record found by a later key: the lookups read its values, no extra query', async () => {
		const [two] = await env.seed('Contact', [
			{ LastName: 'Two', Email: 'two@x.fr', Title: 'Boss' },
		]);
		const { result: out, queries } = await queriesDuring(
			async () =>
				await env.run(
					byRespondentThenEmail({
						operation: 'update',
						items: [{ respondentId: 'R2', email: 'two@x.fr', lastName: 'Two bis', title: 'New' }],
						rows: [
							lastNameRow,
							{ internalEntity: field('title'), remoteField: 'Title', writeMode: 'onlyIfEmpty' },
						],
					}),
				),
		);
		expect(out[0].json).toMatchObject({ success: true, id: two, matchedOn: 'Email' });
		expect(queries).toEqual([
			"SELECT Id, Skeepers_Respondent_Id__c, Title FROM Contact WHERE Skeepers_Respondent_Id__c IN ('R2')",
			"SELECT Id, Email, Title FROM Contact WHERE Email IN ('two@x.fr')",
		]);
		expect(env.emu.records('Contact')[0]).toMatchObject({ LastName: 'Two bis', Title: 'Boss' });
	});
});

it('Bulk API 2.0 (Always): the same matches, the same two lookups, the writes in jobs', async () => {
	const [byId, byEmail] = await env.seed('Contact', [
		{ LastName: 'One', Skeepers_Respondent_Id__c: 'R1' },
		{ LastName: 'Two', Email: 'two@x.fr' },
	]);
	const out = await env.run(
		byRespondentThenEmail({
			items: [
				{ respondentId: 'R1', email: 'one@x.fr', lastName: 'One bis' },
				{ respondentId: 'R2', email: 'two@x.fr', lastName: 'Two bis' },
				{ respondentId: 'R3', email: 'three@x.fr', lastName: 'Three' },
			],
			options: { bulkMode: 'always' },
		}),
	);
	expect(out.map((o) => [o.json.success, o.json.created, o.json.matchedOn])).toEqual([
		[true, false, 'Skeepers_Respondent_Id__c'],
		[true, false, 'Email'],
		[true, true, undefined],
	]);
	expect([out[0].json.id, out[1].json.id]).toEqual([byId, byEmail]);
	expect(env.calls('query')).toBe(2);
	expect(env.calls('bulk.')).toBeGreaterThan(0);
	expect(env.calls('collections.')).toBe(0);
	expect(env.emu.records('Contact')).toHaveLength(3);
});

it('100 items, 50 found by ID and 50 by e-mail: 2 queries and 1 update call', async () => {
	const seeded = await env.seed('Contact', [
		...Array.from({ length: 50 }, (_, i) => ({
			LastName: `I${i}`,
			Skeepers_Respondent_Id__c: `R${i}`,
		})),
		...Array.from({ length: 50 }, (_, i) => ({ LastName: `E${i}`, Email: `e${i}@x.fr` })),
	]);
	const out = await env.run(
		byRespondentThenEmail({
			items: [
				...Array.from({ length: 50 }, (_, i) => ({
					respondentId: `R${i}`,
					email: '',
					lastName: 'x',
				})),
				...Array.from({ length: 50 }, (_, i) => ({
					respondentId: `N${i}`,
					email: `E${i}@x.fr`,
					lastName: 'y',
				})),
			],
		}),
	);
	expect(out.map((o) => o.json.id)).toEqual(seeded);
	expect(new Set(out.map((o) => o.json.matchedOn))).toEqual(
		new Set(['Skeepers_Respondent_Id__c', 'Email']),
	);
	expect(env.calls('query')).toBe(2);
	expect(env.calls('collections.update')).toBe(1);
	expect(env.calls('collections.create')).toBe(0);
});

it('a More Match Keys field that cannot match: the run fails before anything is written', async () => {
	await expect(
		env.run(
			byRespondentThenEmail({
				items: [{ respondentId: 'R1', title: 'T', lastName: 'x' }],
				moreMatchKeys: [{ field: 'Title', value: field('title') }],
			}),
		),
	).rejects.toThrow('More Match Keys: Contact.Title cannot be used to match records');
	expect(env.calls('query')).toBe(0);
	expect(env.calls('collections.')).toBe(0);
});

describe('saved workflows without More Match Keys', () => {
	it('a single Match On runs as before: no matchedOn, upsert by the external ID, no query', async () => {
		const out = await env.run({
			items: [{ respondentId: 'R1', lastName: 'One' }],
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow],
		});
		expect(out[0].json.success).toBe(true);
		expect(out[0].json).not.toHaveProperty('matchedOn');
		expect(env.calls('query')).toBe(0);
		expect(env.calls('collections.upsert')).toBe(1);
	});
});

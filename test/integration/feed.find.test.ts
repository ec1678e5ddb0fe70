/**
 * Find × emulator, through the node: records looked up on Match On then More Match Keys (the
 * same cascade as the writes: one SOQL query per key, the next key only for the items not found
 * yet), within the extra conditions, returning the chosen fields. NOT_FOUND and
 * MULTIPLE_MATCHES go to the error output as the writes' failures do; pre-flight problems stop
 * the run before any query. The queries are read off the real HTTP traffic.
 */
import { NodeOperationError } from 'n8n-workflow';

import { FeedEnv, field, queriesDuring, type RunSpec } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const find = (spec: Partial<RunSpec>): RunSpec => ({
	items: [],
	operation: 'find',
	matchField: 'Skeepers_Respondent_Id__c',
	matchValue: field('respondentId'),
	moreMatchKeys: [{ field: 'Email', value: field('email') }],
	findFields: ['LastName', 'Email'],
	rows: [],
	onError: 'continueErrorOutput',
	...spec,
});

describe('Find on Skeepers_Respondent_Id__c, then Email', () => {
	it('found by key 1, by key 2, NOT_FOUND, MULTIPLE_MATCHES: one result per item, failures on the error output', async () => {
		const [one, two] = await env.seed('Contact', [
			{ LastName: 'One', Skeepers_Respondent_Id__c: 'R1', Email: 'one@x.fr', Title: 'Buyer' },
			{ LastName: 'Two', Email: 'two@x.fr' },
			{ LastName: 'Twin A', Email: 'twin@x.fr' },
			{ LastName: 'Twin B', Email: 'twin@x.fr' },
		]);
		const before = env.emu.records('Contact').map((r) => ({ ...r }));
		const { result: out, queries } = await queriesDuring(
			async () =>
				await env.run(
					find({
						items: [
							{ respondentId: 'R1', email: 'other@x.fr' },
							{ respondentId: 'R2', email: 'TWO@x.fr' },
							{ respondentId: 'R3', email: 'three@x.fr' },
							{ respondentId: '', email: 'twin@x.fr' },
						],
					}),
				),
		);
		expect(queries).toEqual([
			"SELECT Id, Skeepers_Respondent_Id__c, LastName, Email FROM Contact WHERE Skeepers_Respondent_Id__c IN ('R1','R2','R3')",
			"SELECT Id, Email, LastName FROM Contact WHERE Email IN ('TWO@x.fr','three@x.fr','twin@x.fr')",
		]);
		expect(out).toHaveLength(4);
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(out[0].json).toEqual({
			success: true,
			id: one,
			created: false,
			operation: 'find',
			object: 'Contact',
			action: 'find',
			errors: [],
			record: { Id: one, LastName: 'One', Email: 'one@x.fr' },
			matchedOn: 'Skeepers_Respondent_Id__c',
		});
		expect(out[1].json).toMatchObject({
			success: true,
			id: two,
			record: { Id: two, LastName: 'Two', Email: 'two@x.fr' },
			matchedOn: 'Email',
		});
		expect(out.map((o) => o.error === undefined)).toEqual([true, true, false, false]);
		expect(out[2].json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'NOT_FOUND',
				fields: ['Skeepers_Respondent_Id__c', 'Email'],
			}),
		]);
		expect(out[2].error).toBeInstanceOf(NodeOperationError);
		expect(out[2].error?.message).toBe(
			'Item 3: NOT_FOUND on Skeepers_Respondent_Id__c, Email — No Contact record has Skeepers_Respondent_Id__c = "R3", nor Email = "three@x.fr"',
		);
		expect(out[3].json).toMatchObject({ success: false, matchedIds: expect.any(Array) });
		expect(out[3].json.errors).toEqual([
			expect.objectContaining({ errorCode: 'MULTIPLE_MATCHES', fields: ['Email'] }),
		]);
		expect(out[3].error?.message).toMatch(/^Item 4: MULTIPLE_MATCHES on Email — 2 Contact records/);
		// nothing was written, and no write path is reported
		expect(env.emu.records('Contact')).toEqual(before);
		expect(env.hints).toEqual([]);
	});

	it('extra conditions narrow a multiple match to one record; an injection attempt stays a value', async () => {
		const [, twinB] = await env.seed('Contact', [
			{ LastName: 'Twin A', Email: 'twin@x.fr', Title: 'Buyer' },
			{ LastName: 'Twin B', Email: 'twin@x.fr', Title: 'CEO' },
		]);
		const items = [{ respondentId: '', email: 'twin@x.fr', title: 'CEO' }];
		const { result: out, queries } = await queriesDuring(
			async () =>
				await env.run(
					find({
						items,
						findFields: ['Title'],
						findConditions: [
							{ field: 'Title', operator: 'equals', value: field('title') },
							{ field: 'LastName', operator: 'like', value: 'Twin%' },
						],
					}),
				),
		);
		expect(queries).toEqual([
			"SELECT Id, Email, Title FROM Contact WHERE (Title = 'CEO' AND LastName LIKE 'Twin%') AND Email IN ('twin@x.fr')",
		]);
		expect(out[0].json).toMatchObject({
			success: true,
			id: twinB,
			record: { Id: twinB, Title: 'CEO' },
			matchedOn: 'Email',
		});

		const injected = await env.run(
			find({
				items: [{ respondentId: '', email: 'twin@x.fr', title: "x' OR LastName != '" }],
				findFields: ['Title'],
				findConditions: [{ field: 'Title', operator: 'equals', value: field('title') }],
			}),
		);
		expect(injected[0].json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'NOT_FOUND',
				message: String.raw`No Contact record has Email = "twin@x.fr" with Title = 'x\' OR LastName != \''`,
			}),
		]);
	});

	it('an item without any key value fails alone (MISSING_MATCH_VALUE, error output), the others are found', async () => {
		const [one] = await env.seed('Contact', [{ LastName: 'One', Email: 'one@x.fr' }]);
		const out = await env.run(
			find({
				items: [
					{ respondentId: '', email: 'one@x.fr' },
					{ respondentId: ' ', email: '' },
				],
			}),
		);
		expect(out.map((o) => o.json.id)).toEqual([one, null]);
		expect(out[1].json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'MISSING_MATCH_VALUE',
				fields: ['Skeepers_Respondent_Id__c'],
			}),
		]);
		expect(out[1].error?.message).toMatch(/^Item 2: MISSING_MATCH_VALUE/);
	});

	it('items whose condition values differ are looked up apart, each with its own value', async () => {
		const [buyer, ceo] = await env.seed('Contact', [
			{ LastName: 'Twin A', Email: 'twin@x.fr', Title: 'Buyer' },
			{ LastName: 'Twin B', Email: 'twin@x.fr', Title: 'CEO' },
		]);
		const out = await env.run(
			find({
				items: [
					{ respondentId: '', email: 'twin@x.fr', title: 'CEO' },
					{ respondentId: '', email: 'twin@x.fr', title: 'Buyer' },
					{ respondentId: '', email: 'TWIN@x.fr', title: 'CEO' },
				],
				findConditions: [{ field: 'Title', operator: 'equals', value: field('title') }],
			}),
		);
		expect(out.map((o) => o.json.id)).toEqual([ceo, buyer, ceo]);
	});

	it('500 items: exactly one query per key, the second only for the items the first did not find', async () => {
		const items = Array.from({ length: 500 }, (_, i) => ({
			respondentId: `R${i}`,
			email: `p${i}@x.fr`,
		}));
		// 0..199 have the respondent ID, 200..399 only the e-mail, 400..499 nothing
		const seeded = await env.seed('Contact', [
			...items.slice(0, 200).map((it, i) => ({
				LastName: `L${i}`,
				Skeepers_Respondent_Id__c: it.respondentId,
			})),
			...items.slice(200, 400).map((it, i) => ({ LastName: `L${200 + i}`, Email: it.email })),
		]);
		const { result: out, queries } = await queriesDuring(
			async () => await env.run(find({ items, findFields: ['LastName'] })),
		);
		expect(queries).toHaveLength(2);
		expect(queries[0]).toContain('WHERE Skeepers_Respondent_Id__c IN (');
		expect(queries[0].split('IN (')[1].split(',')).toHaveLength(500);
		expect(queries[1]).toContain('WHERE Email IN (');
		expect(queries[1].split('IN (')[1].split(',')).toHaveLength(300);
		expect(out).toHaveLength(500);
		expect(out.map((o) => o.json.id)).toEqual([...seeded, ...new Array(100).fill(null)]);
		expect(
			out.map((o) => o.json.record && (o.json.record as { LastName: string }).LastName),
		).toEqual([
			...Array.from({ length: 400 }, (_, i) => `L${i}`),
			...new Array(100).fill(undefined),
		]);
		expect(
			out
				.slice(400)
				.every((o) => (o.json.errors as Array<{ errorCode: string }>)[0].errorCode === 'NOT_FOUND'),
		).toBe(true);
	});
});

describe('Find pre-flight: a clear error before any query', () => {
	it.each([
		[{ findFields: ['Nope__c'] }, 'Fields to Return: Contact has no field "Nope__c"'],
		[
			{ findConditions: [{ field: 'Description', operator: 'equals', value: 'x' }] },
			'Conditions: Contact.Description cannot be filtered in SOQL (filterable: false in the describe)',
		],
		[
			{ findConditions: [{ field: 'Title', operator: 'contains', value: 'x' }] },
			'Conditions: unknown operator "contains" on Title',
		],
		[
			{ findConditions: [{ field: 'Nope__c', operator: 'equals', value: 'x' }] },
			'Conditions: Contact has no field "Nope__c"',
		],
	])('%j', async (spec, message) => {
		const { result, queries } = await queriesDuring(
			async () =>
				await env.run(find({ items: [{ respondentId: 'R1', email: '' }], ...spec })).then(
					() => undefined,
					(error: Error) => error,
				),
		);
		expect(result).toBeInstanceOf(NodeOperationError);
		expect(result?.message).toContain(message);
		expect(queries).toEqual([]);
	});
});

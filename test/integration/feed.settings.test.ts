/**
 * Feed Application node × emulator: Object, Operation and Match On given as expressions, read
 * per item. Items are split into groups with the same settings (plan/groups.ts): each group is
 * set up against its object's describe before anything is written, then written on its own,
 * and every item still gets exactly one result, in input order.
 */
import type { IDataObject } from 'n8n-workflow';

import { schemaField } from '../../emulator';
import { FeedEnv, field, type Row, type RunSpec } from './feed.helpers';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

/** b2b respondents become Leads (Company required), the others Contacts (a Title instead). */
const respondents: IDataObject[] = [
	{ id: 'R1', kind: 'b2c', lastName: 'Martin', org: 'Cuisiniste' },
	{ id: 'R2', kind: 'b2b', lastName: 'Bernard', org: 'Bernard SARL' },
	{ id: 'R3', kind: 'b2c', lastName: 'Petit', org: 'Infirmière' },
	{ id: 'R4', kind: 'b2b', lastName: 'Durand', org: 'Durand & Fils' },
	{ id: 'R5', kind: 'b2c', lastName: 'Leroy', org: 'Boulanger' },
];
const objectOf = (_i: number, item: { json: IDataObject }) =>
	item.json.kind === 'b2b' ? 'Lead' : 'Contact';
const rows: Row[] = [
	{ internalEntity: field('lastName'), remoteField: 'LastName' },
	{
		internalEntity: field('org'),
		remoteField: ((_i: number, item: { json: IDataObject }) =>
			item.json.kind === 'b2b' ? 'Company' : 'Title') as unknown as string,
	},
];

const byRespondent = (object: string) =>
	Object.fromEntries(
		env.emu.records(object).map((r) => [r.Skeepers_Respondent_Id__c as string, r]),
	);

describe('Object as an expression: items split by object', () => {
	/** The five respondents upserted on their respondent id, each to the object its kind calls for. */
	const upsertByKind = (spec: Partial<RunSpec> = {}) =>
		env.run({
			items: respondents,
			object: objectOf as unknown as string,
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('id'),
			rows,
			...spec,
		});

	it('writes each item to its own object, one describe and one call per object, results in input order', async () => {
		const out = await upsertByKind();
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out.map((o) => o.json.success)).toEqual([true, true, true, true, true]);
		expect(out.map((o) => o.json.object)).toEqual([
			'Contact',
			'Lead',
			'Contact',
			'Lead',
			'Contact',
		]);
		expect(out.map((o) => (o.json.id as string).slice(0, 3))).toEqual([
			'003',
			'00Q',
			'003',
			'00Q',
			'003',
		]);

		const contacts = byRespondent('Contact');
		const leads = byRespondent('Lead');
		expect(Object.keys(contacts).sort()).toEqual(['R1', 'R3', 'R5']);
		expect(Object.keys(leads).sort()).toEqual(['R2', 'R4']);
		expect(contacts.R3).toMatchObject({
			LastName: 'Petit',
			Title: 'Infirmière',
			Id: out[2].json.id,
		});
		expect(leads.R4).toMatchObject({
			LastName: 'Durand',
			Company: 'Durand & Fils',
			Id: out[3].json.id,
		});
		expect(env.calls('describe.sobject')).toBe(2);
		expect(env.calls('collections.upsert')).toBe(2);
	});

	it('Dry Run numbers the planned calls across the objects', async () => {
		const out = await upsertByKind({ options: { dryRun: true } });
		// Contact's group (first item 0) is call 0, Lead's call 1; nothing written
		expect(out.map((o) => (o.json.plannedCall as { index: number }).index)).toEqual([
			0, 1, 0, 1, 0,
		]);
		expect(out.map((o) => (o.json.plannedCall as { path: string }).path)).toEqual([
			expect.stringContaining('/composite/sobjects/Contact/'),
			expect.stringContaining('/composite/sobjects/Lead/'),
			expect.stringContaining('/composite/sobjects/Contact/'),
			expect.stringContaining('/composite/sobjects/Lead/'),
			expect.stringContaining('/composite/sobjects/Contact/'),
		]);
		expect(out.every((o) => o.json.plannedCalls === 2)).toBe(true);
		expect(env.emu.records('Contact')).toHaveLength(0);
		expect(env.emu.records('Lead')).toHaveLength(0);
	});

	it('groups object names without case: "contact" and "Contact" are one object, one call', async () => {
		const out = await env.run({
			items: respondents.slice(0, 2),
			object: ((i: number) => (i === 0 ? 'contact' : 'Contact')) as unknown as string,
			operation: 'create',
			rows: [rows[0], { internalEntity: field('org'), remoteField: 'Title' }],
		});
		expect(out.map((o) => o.json.success)).toEqual([true, true]);
		expect(out.map((o) => o.json.object)).toEqual(['Contact', 'Contact']);
		expect(env.emu.records('Contact')).toHaveLength(2);
		expect(env.calls('collections.create')).toBe(1);
	});

	it('an operation per item: the existing Contact is updated by Id, the new one created', async () => {
		const [existing] = await env.seed('Contact', [{ LastName: 'Ancien' }]);
		const out = await env.run({
			items: [
				{ sfId: existing, lastName: 'Nouveau nom' },
				{ sfId: '', lastName: 'Créé' },
			],
			operation: ((_i: number, item: { json: IDataObject }) =>
				item.json.sfId ? 'update' : 'create') as unknown as 'update',
			matchField: 'Id',
			matchValue: field('sfId'),
			rows: [rows[0]],
		});
		expect(out.map((o) => [o.json.success, o.json.operation, o.json.created])).toEqual([
			[true, 'update', false],
			[true, 'create', true],
		]);
		expect(out[0].json.id).toBe(existing);
		expect(
			env.emu
				.records('Contact')
				.map((r) => r.LastName)
				.sort(),
		).toEqual(['Créé', 'Nouveau nom']);
		expect(env.calls('collections.update')).toBe(1);
		expect(env.calls('collections.create')).toBe(1);
	});
});

describe('a group that cannot be set up', () => {
	const withUnknownObject = (continueOnFail: boolean) =>
		env.run({
			items: respondents,
			object: ((_i: number, item: { json: IDataObject }) =>
				item.json.kind === 'b2b' ? 'Leed' : 'Contact') as unknown as string,
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('id'),
			rows: [rows[0], { internalEntity: field('org'), remoteField: 'Title' }],
			// (with Stop, a group that cannot be set up stops the whole run, like any pre-flight failure)
			options: { preflight: 'perItem' },
			continueOnFail,
		});

	it("fails the node before anything is written, naming the group's first item and Salesforce's code", async () => {
		const error = (await withUnknownObject(false).catch((e: unknown) => e)) as Error & {
			context?: { itemIndex?: number };
		};
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toBe(
			'Salesforce has no object named "Leed" (NOT_FOUND: The requested resource does not exist); check the API name (custom objects end in __c)',
		);
		expect(error.context?.itemIndex).toBe(1);
		expect(env.emu.records('Contact')).toHaveLength(0);
		expect(env.calls('collections.')).toBe(0);
	});

	it('with Continue On Fail: those items fail with the code and the item named, the other object is written', async () => {
		const out = await withUnknownObject(true);
		expect(out.map((o) => o.json.success)).toEqual([true, false, true, false, true]);
		for (const [k, i] of [1, 3].entries()) {
			const json = out[i].json as IDataObject & {
				errors: Array<{ errorCode: string; message: string }>;
			};
			expect(json.object).toBe('Leed');
			expect(json.errors[0].errorCode).toBe('NOT_FOUND');
			expect(json.errors[0].message).toBe(
				`Item ${i + 1}: Salesforce has no object named "Leed" (NOT_FOUND: The requested resource does not exist); check the API name (custom objects end in __c)`,
			);
			expect(json.error).toMatch(
				new RegExp(`^NOT_FOUND: Item ${[2, 4][k]}: Salesforce has no object named "Leed"`),
			);
		}
		expect(Object.keys(byRespondent('Contact')).sort()).toEqual(['R1', 'R3', 'R5']);
	});

	it('a Match On that cannot match for one object: INVALID_SETTINGS for its items, the other object is written', async () => {
		const out = await env.run({
			items: respondents.slice(0, 2),
			object: objectOf as unknown as string,
			operation: 'upsert',
			matchField: ((_i: number, item: { json: IDataObject }) =>
				item.json.kind === 'b2b' ? 'LastName' : 'Skeepers_Respondent_Id__c') as unknown as string,
			matchValue: field('id'),
			rows,
			options: { preflight: 'perItem' },
			continueOnFail: true,
		});
		expect(out.map((o) => o.json.success)).toEqual([true, false]);
		expect(out[1].json.errors).toEqual([
			{
				errorCode: 'INVALID_SETTINGS',
				message:
					'Item 2: Lead.LastName cannot be used to match records: it is neither the Id, an external ID, nor a lookup (idLookup) field',
				fields: [],
			},
		]);
		expect(Object.keys(byRespondent('Contact'))).toEqual(['R1']);
		expect(env.emu.records('Lead')).toHaveLength(0);
	});

	it('an item whose Object expression throws gets PARAMETER_ERROR; the others are written', async () => {
		const out = await env.run({
			items: respondents.slice(0, 3),
			object: ((i: number) => {
				if (i === 1) throw new Error('kind is not known');
				return 'Contact';
			}) as unknown as string,
			operation: 'create',
			rows: [rows[0]],
			options: { preflight: 'perItem' },
			continueOnFail: true,
		});
		expect(out.map((o) => o.json.success)).toEqual([true, false, true]);
		// its settings were not read: no operation or object to report
		expect(out[1].json).toMatchObject({
			operation: null,
			object: '',
			errors: [
				expect.objectContaining({
					errorCode: 'PARAMETER_ERROR',
					message: expect.stringMatching(/^Item 2: .*kind is not known/),
				}),
			],
		});
		expect(env.emu.records('Contact')).toHaveLength(2);
	});
});

describe('the run stops across groups', () => {
	// Lead R2's Company: too long for pre-flight to pass, or empty (Salesforce refuses the create)
	const spec = (preflight: 'stop' | 'off') => ({
		items: [
			{ id: 'R1', kind: 'b2c', lastName: 'Martin', org: 'x' },
			{
				id: 'R2',
				kind: 'b2b',
				lastName: 'Bernard',
				org: preflight === 'stop' ? 'C'.repeat(256) : '',
			},
			{ id: 'R3', kind: 'b2c', lastName: 'Petit', org: 'y' },
		],
		object: objectOf as unknown as string,
		operation: 'upsert' as const,
		matchField: 'Skeepers_Respondent_Id__c',
		matchValue: field('id'),
		rows,
		options: { preflight },
	});

	it('pre-flight (stop): an invalid Lead stops the run before the Contacts are written', async () => {
		const error = (await env.run(spec('stop')).catch((e: unknown) => e)) as Error;
		expect(error.message).toMatch(/^Item 2, row 2 \(Company\): /);
		expect(env.calls('collections.')).toBe(0);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});

	it('Salesforce refuses the Lead: the Contacts written before it are reported, and a group after a failure is not sent', async () => {
		// Lead R2 (group 2) fails in Salesforce; the Contacts (group 1, first item 0) are written first
		const error = (await env.run(spec('off')).catch((e: unknown) => e)) as Error & {
			description?: string;
		};
		expect(error.message).toMatch(/^Item 2: REQUIRED_FIELD_MISSING on Company/);
		expect(error.description).toMatch(/2 of 3 item\(s\) WERE written/);
		expect(Object.keys(byRespondent('Contact')).sort()).toEqual(['R1', 'R3']);

		// the same failure in the first group: the second group is not sent
		env.reset();
		const reversed = {
			...spec('off'),
			items: [spec('off').items[1], spec('off').items[0], spec('off').items[2]],
		};
		const error2 = (await env
			.run({ ...reversed, continueOnFail: false })
			.catch((e: unknown) => e)) as Error & { description?: string };
		expect(error2.message).toMatch(/^Item 1: REQUIRED_FIELD_MISSING on Company/);
		expect(error2.description).toMatch(/Nothing was written/);
		expect(error2.description).toMatch(/2 were not sent/);
		expect(env.emu.records('Contact')).toHaveLength(0);
		expect(env.calls('collections.upsert')).toBe(1);
	});
});

describe('a lookup Salesforce refuses in the second group', () => {
	// The admin deleted Lead.Alt_Email__c while this n8n process still had Lead's describe cached:
	// the Lead group passes set-up and pre-flight, then its SOQL lookup gets INVALID_FIELD.
	const run = async (continueOnFail: boolean) => {
		const removeField = env.emu.addField(
			'Lead',
			schemaField.email('Alt_Email__c', 'Alt Email', { idLookup: true }),
		);
		await env.run({
			items: [{ mail: 'cache@example.fr' }],
			object: 'Lead',
			operation: 'update',
			matchField: 'Alt_Email__c',
			matchValue: field('mail'),
			rows: [rows[0]],
			continueOnFail: true,
		});
		removeField();
		env.emu.resetCounters();
		return await env
			.run({
				items: respondents.map((r) => ({ ...r, mail: `${String(r.id).toLowerCase()}@example.fr` })),
				object: objectOf as unknown as string,
				operation: 'upsert',
				matchField: ((_i: number, item: { json: IDataObject }) =>
					item.json.kind === 'b2b'
						? 'Alt_Email__c'
						: 'Skeepers_Respondent_Id__c') as unknown as string,
				matchValue: ((_i: number, item: { json: IDataObject }) =>
					item.json.kind === 'b2b' ? item.json.mail : item.json.id) as unknown as string,
				rows,
				continueOnFail,
			})
			.catch((e: unknown) => e as Error & { description?: string });
	};

	it('with Continue On Fail: the Contacts are written, the Leads fail with INVALID_FIELD; one result per item', async () => {
		const out = (await run(true)) as Array<{
			json: IDataObject & { errors: Array<{ errorCode: string }> };
		}>;
		expect(
			out.map((o) => [o.json.object, o.json.success, o.json.errors[0]?.errorCode ?? null]),
		).toEqual([
			['Contact', true, null],
			['Lead', false, 'INVALID_FIELD'],
			['Contact', true, null],
			['Lead', false, 'INVALID_FIELD'],
			['Contact', true, null],
		]);
		expect(Object.keys(byRespondent('Contact')).sort()).toEqual(['R1', 'R3', 'R5']);
		expect(env.emu.records('Lead')).toHaveLength(0);
	});

	it('without it: the node fails on the first Lead and says the 3 Contacts WERE written', async () => {
		const error = (await run(false)) as Error & { description?: string };
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toMatch(/^Item 2: INVALID_FIELD/);
		expect(error.description).toMatch(
			/^3 of 5 item\(s\) WERE written to Salesforce before the node failed/,
		);
		expect(Object.keys(byRespondent('Contact')).sort()).toEqual(['R1', 'R3', 'R5']);
	});
});

/**
 * Feed Application × the emulator's configured org: the Assignment Rules option on every path
 * (Collections, Bulk API 2.0, Update through a lookup), the Specific Rule dropdown and check,
 * and the errors that name a validation rule or a read-only field.
 */
import type { IDataObject } from 'n8n-workflow';

import { USER_ID } from '../../emulator/ids';
import { setupRows } from '../../emulator/org';
import { getAssignmentRules } from '../../nodes/SkeepersFeedApplication/methods';
import { createLoadOptionsContext } from '../harness/loadOptions';
import { FeedEnv, field, type RunSpec } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

/** The org's setup rows (the emulator's seeded AssignmentRule and queue Group records). */
const setupId = (object: string, name: string) =>
	String((setupRows(object, true) ?? []).find((r) => r.Name === name)?.Id);
const ruleId = (name: string) => setupId('AssignmentRule', name);
const PARTNER_RULE = ruleId('Partner Lead Assignment'); // inactive: runs only when named
const CASE_RULE = ruleId('Feedback Case Assignment');
const TRIAGE = setupId('Group', 'Lead Triage');
const PARTNERS = setupId('Group', 'Partner Leads');

const leads = (n: number): IDataObject[] =>
	Array.from({ length: n }, (_, i) => ({ respondentId: `L-${i}`, lastName: `Lead ${i}` }));
const leadRows = [
	{ internalEntity: field('lastName'), remoteField: 'LastName' },
	{ internalEntity: 'Skeepers', remoteField: 'Company' },
];
type Options = NonNullable<RunSpec['options']>;
const createLeads = (options: Options) =>
	env.run({
		items: leads(2),
		object: 'Lead',
		operation: 'upsert',
		matchField: 'Skeepers_Respondent_Id__c',
		matchValue: field('respondentId'),
		rows: leadRows,
		options,
	});
const owners = () => env.emu.records('Lead').map((l) => String(l.OwnerId));

describe.each([
	['collections', 'never'],
	['bulk', 'always'],
])('Assignment Rules on the %s path', (path, bulkMode) => {
	it("Don't Run (default): the API user owns the new Leads", async () => {
		const out = await createLeads({ bulkMode });
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(owners()).toEqual([USER_ID, USER_ID]);
	});

	it("Active Rule: the object's active rule assigns them (its queue)", async () => {
		await createLeads({ bulkMode, assignmentRules: 'active' });
		expect(owners()).toEqual([TRIAGE, TRIAGE]);
		// Bulk looks the active rule up (one SOQL query); Collections sends TRUE and needs none
		expect(env.calls('query')).toBe(path === 'bulk' ? 1 : 0);
	});

	it('Specific Rule: the chosen rule assigns them, even an inactive one', async () => {
		await createLeads({ bulkMode, assignmentRules: 'specific', assignmentRuleId: PARTNER_RULE });
		expect(owners()).toEqual([PARTNERS, PARTNERS]);
	});

	it('Org Default: Salesforce runs the active rule through Collections, none through Bulk API 2.0', async () => {
		await createLeads({ bulkMode, assignmentRules: 'orgDefault' });
		const expected = path === 'bulk' ? USER_ID : TRIAGE;
		expect(owners()).toEqual([expected, expected]);
	});
});

describe('Assignment Rules, Update through a lookup', () => {
	const update = (options: Options) =>
		env.run({
			items: leads(2).map((l) => ({ ...l, lastName: `${String(l.lastName)} (edited)` })),
			object: 'Lead',
			operation: 'update',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [leadRows[0]],
			options,
		});

	it("Don't Run (default) never reassigns an existing Lead; Active Rule does", async () => {
		await createLeads({ bulkMode: 'never' });
		const kept = await update({});
		expect(kept.every((o) => o.json.success && o.json.action === 'update')).toBe(true);
		expect(env.calls('query')).toBeGreaterThan(0);
		expect(owners()).toEqual([USER_ID, USER_ID]);
		await update({ assignmentRules: 'active' });
		expect(owners()).toEqual([TRIAGE, TRIAGE]);
	});
});

describe('Specific Rule, checked before anything is written', () => {
	it.each([
		["another object's rule", CASE_RULE, /assigns Case records, not Lead/],
		['a rule that does not exist', '01Q000000000099AAA', /No assignment rule has the Id/],
		['no rule chosen', '', /no assignment rule is chosen/],
	])('%s → the node fails, nothing written', async (_name, id, message) => {
		await expect(
			createLeads({ assignmentRules: 'specific', assignmentRuleId: id }),
		).rejects.toThrow(message);
		expect(env.emu.records('Lead')).toHaveLength(0);
		expect(env.calls('collections.') + env.calls('bulk.')).toBe(0);
	});

	it("the dropdown lists the object's assignment rules, active first", async () => {
		const { ctx } = createLoadOptionsContext({
			parameters: { object: { __rl: true, mode: 'list', value: 'Lead' } },
			credential: env.credential,
		});
		const options = await getAssignmentRules.call(ctx);
		expect(options.map((o) => o.value)).toEqual([ruleId('Lead Triage Assignment'), PARTNER_RULE]);
		expect(options[0].name).toBe('Lead Triage Assignment (active)');
	});
});

describe('Dry Run shows the assignment behaviour', () => {
	it('Collections: the Sforce-Auto-Assign header; Bulk: the job assignmentRuleId (the active rule, looked up)', async () => {
		const rest = await createLeads({
			dryRun: true,
			assignmentRules: 'specific',
			assignmentRuleId: PARTNER_RULE,
		});
		expect(rest[0].json.plannedCall).toMatchObject({
			headers: { 'Sforce-Auto-Assign': PARTNER_RULE },
		});
		const bulk = await env.run({
			items: leads(2),
			object: 'Lead',
			operation: 'create',
			rows: leadRows,
			options: { dryRun: true, bulkMode: 'always', assignmentRules: 'active' },
		});
		expect(bulk[0].json.plannedCall).toMatchObject({
			job: { assignmentRuleId: ruleId('Lead Triage Assignment') },
		});
		expect(env.emu.records('Lead')).toHaveLength(0);
	});
});

describe('Errors name the rule or the field', () => {
	const contact = (score: number) => ({ lastName: 'Valid', score, value: 10 });
	it.each([
		['collections', 'never'],
		['bulk', 'always'],
	])(
		'%s: a validation rule answers FIELD_CUSTOM_VALIDATION_EXCEPTION with its message and field',
		async (_path, bulkMode) => {
			const out = await env.run({
				items: [contact(5), contact(12)],
				operation: 'create',
				rows: [
					{ internalEntity: field('lastName'), remoteField: 'LastName' },
					{ internalEntity: field('score'), remoteField: 'NPS_Score__c' },
				],
				options: { bulkMode },
				continueOnFail: true,
			});
			expect(out[0].json.success).toBe(true);
			expect(out[1].json.errors).toEqual([
				{
					errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION',
					message: 'NPS score must be between 0 and 10',
					fields: ['NPS_Score__c'],
				},
			]);
		},
	);

	const valueRows = [
		{ internalEntity: field('lastName'), remoteField: 'LastName' },
		{ internalEntity: field('value'), remoteField: 'Lifetime_Value__c' },
	];
	it('pre-flight refuses a field the describe says the user cannot create, before any write', async () => {
		await expect(
			env.run({ items: [contact(5)], operation: 'create', rows: valueRows }),
		).rejects.toThrow(/Lifetime_Value__c/);
		expect(env.calls('collections.')).toBe(0);
	});

	it.each([
		['collections', 'never'],
		['bulk', 'always'],
	])(
		'%s with pre-flight off: Salesforce answers INVALID_FIELD_FOR_INSERT_UPDATE naming the field',
		async (_path, bulkMode) => {
			const [out] = await env.run({
				items: [contact(5)],
				operation: 'create',
				rows: valueRows,
				options: { bulkMode, preflight: 'off' },
				continueOnFail: true,
			});
			expect(out.json.errors).toEqual([
				expect.objectContaining({
					errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
					fields: ['Lifetime_Value__c'],
				}),
			]);
		},
	);
});

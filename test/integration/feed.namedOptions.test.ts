/**
 * Feed Application × the emulator's configured org: Record Type, Owner and Campaign stored by
 * name and resolved to this org's Ids once per run, on both paths; unknown, inactive or unusable
 * names fail the run before anything is written; the dropdowns list what the org offers.
 */
import type { IDataObject } from 'n8n-workflow';

import { setupRows } from '../../emulator/org';
import {
	getCampaigns,
	getOwners,
	getRecordTypes,
} from '../../nodes/SkeepersFeedApplication/methods';
import { createLoadOptionsContext } from '../harness/loadOptions';
import { FeedEnv, field, type RunSpec } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const idOf = (object: string, key: string, value: string) =>
	String((setupRows(object, true) ?? []).find((r) => r[key] === value)?.Id);
const DETRACTOR = idOf('RecordType', 'DeveloperName', 'Detractor_Follow_Up');
const SURVEY_LEAD = idOf('RecordType', 'DeveloperName', 'Survey_Lead');
const ALICE = idOf('User', 'Username', 'alice.agent@skeepers-emulator.example');
const FEEDBACK_QUEUE = idOf('Group', 'DeveloperName', 'Feedback_Follow_up');
const TRIAGE_QUEUE = idOf('Group', 'DeveloperName', 'Lead_Triage');
const DETRACTORS_CAMPAIGN = idOf('Campaign', 'Name', 'Detractors follow-up');

type Options = NonNullable<RunSpec['options']>;
const cases = (n: number): IDataObject[] =>
	Array.from({ length: n }, (_, i) => ({ subject: `Detractor ${i}` }));
const createCases = (options: Options, n = 3) =>
	env.run({
		items: cases(n),
		object: 'Case',
		operation: 'create',
		rows: [{ internalEntity: field('subject'), remoteField: 'Subject' }],
		options,
	});
const createLeads = (options: Options, n = 3) =>
	env.run({
		items: Array.from({ length: n }, (_, i) => ({ lastName: `Lead ${i}` })),
		object: 'Lead',
		operation: 'create',
		rows: [
			{ internalEntity: field('lastName'), remoteField: 'LastName' },
			{ internalEntity: 'Skeepers', remoteField: 'Company' },
		],
		options,
	});
const stored = (object: string, f: string) => env.emu.records(object).map((r) => r[f]);
const writes = () => env.calls('collections.') + env.calls('bulk.') + env.calls('sobject.');

describe.each([
	['collections', 'never'],
	['bulk', 'always'],
])('by name on the %s path', (_path, bulkMode) => {
	it('Record Type by developer name: every Case gets its Id, with no lookup query', async () => {
		const out = await createCases({ bulkMode, recordType: 'Detractor_Follow_Up' });
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(stored('Case', 'RecordTypeId')).toEqual([DETRACTOR, DETRACTOR, DETRACTOR]);
		// from the describe the run reads anyway
		expect(env.calls('query')).toBe(0);
		expect(env.calls('describe.sobject')).toBe(1);
	});

	it('Owner by username: one query per run', async () => {
		const out = await createCases({
			bulkMode,
			owner: 'user:alice.agent@skeepers-emulator.example',
		});
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(stored('Case', 'OwnerId')).toEqual([ALICE, ALICE, ALICE]);
		expect(env.calls('query')).toBe(1);
	});

	it('Owner by queue API name, with a record type: two queries per run (queue, its objects)', async () => {
		const out = await createLeads({
			bulkMode,
			owner: 'queue:Lead_Triage',
			recordType: 'Survey_Lead',
		});
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(stored('Lead', 'OwnerId')).toEqual([TRIAGE_QUEUE, TRIAGE_QUEUE, TRIAGE_QUEUE]);
		expect(stored('Lead', 'RecordTypeId')).toEqual([SURVEY_LEAD, SURVEY_LEAD, SURVEY_LEAD]);
		expect(env.calls('query')).toBe(2);
	});
});

describe('items split over several objects (Object as an expression)', () => {
	const perObject = (forCase: string, forLead: string) =>
		((_i: number, item: { json: IDataObject }) =>
			item.json.object === 'Case' ? forCase : forLead) as unknown as string;
	const run = (options: Options) =>
		env.run({
			items: [
				{ object: 'Case', name: 'Case 1' },
				{ object: 'Lead', name: 'Lead 1' },
				{ object: 'Case', name: 'Case 2' },
			],
			object: ((_i: number, item: { json: IDataObject }) => item.json.object) as unknown as string,
			operation: 'create',
			// Case: Subject, Description; Lead: LastName, Company
			rows: [
				{ internalEntity: field('name'), remoteField: perObject('Subject', 'LastName') },
				{ internalEntity: 'Skeepers', remoteField: perObject('Description', 'Company') },
			],
			options,
		});

	it('Owner: one query for the whole run, every object; a queue is checked against each object', async () => {
		const ok = await run({ owner: 'user:alice.agent@skeepers-emulator.example' });
		expect(ok.every((o) => o.json.success)).toBe(true);
		expect(stored('Case', 'OwnerId')).toEqual([ALICE, ALICE]);
		expect(stored('Lead', 'OwnerId')).toEqual([ALICE]);
		expect(env.calls('query')).toBe(1);
		env.reset();
		// a Case queue cannot own the Lead: nothing of the run is written
		await expect(run({ owner: 'queue:Feedback_Follow_up' })).rejects.toThrow(
			/queue "Feedback_Follow_up" cannot own Lead records/,
		);
		expect(writes()).toBe(0);
		expect(env.calls('query')).toBe(2);
	});
});

describe('a name that cannot be used fails the run before anything is written', () => {
	it.each([
		['an unknown record type', { recordType: 'Nope' }, /Case has no record type named "Nope"/],
		['an inactive record type', { recordType: 'Legacy' }, /"Legacy" of Case is inactive/],
		[
			'a record type not available to the integration user',
			{ recordType: 'Partner_Escalation' },
			/"Partner_Escalation" of Case is not available to the integration user/,
		],
		[
			'an unknown user',
			{ owner: 'user:nobody@skeepers-emulator.example' },
			/no user has the username "nobody@skeepers-emulator.example"/,
		],
		[
			'an inactive user',
			{ owner: 'user:former.agent@skeepers-emulator.example' },
			/user "former.agent@skeepers-emulator.example" is inactive/,
		],
		['an unknown queue', { owner: 'queue:Nope' }, /no queue is named "Nope"/],
		[
			'a queue that does not support the object',
			{ owner: 'queue:Lead_Triage' },
			/queue "Lead_Triage" cannot own Case records/,
		],
		['an unknown campaign', { campaign: 'Nope' }, /no campaign is named "Nope"/],
		[
			'an inactive campaign',
			{ campaign: 'Spring survey 2024' },
			/"Spring survey 2024" is inactive/,
		],
	])('%s', async (_name, options, message) => {
		await expect(createCases(options as Options)).rejects.toThrow(message);
		expect(writes()).toBe(0);
		expect(env.emu.records('Case')).toHaveLength(0);
	});

	it('a dry run fails the same way', async () => {
		await expect(createCases({ dryRun: true, recordType: 'Legacy' })).rejects.toThrow(/inactive/);
	});
});

describe('Dry Run, mapping, campaign', () => {
	it('Dry Run shows the resolved Ids in the planned records; nothing is written', async () => {
		const out = await createCases({
			dryRun: true,
			recordType: 'Detractor_Follow_Up',
			owner: 'queue:Feedback_Follow_up',
		});
		expect(out[0].json.record).toMatchObject({
			RecordTypeId: DETRACTOR,
			OwnerId: FEEDBACK_QUEUE,
		});
		expect(out[0].json.plannedCall).toMatchObject({ method: 'POST' });
		expect(writes()).toBe(0);
	});

	it('a mapped OwnerId wins over the option', async () => {
		const out = await env.run({
			items: cases(1),
			object: 'Case',
			operation: 'create',
			rows: [
				{ internalEntity: field('subject'), remoteField: 'Subject' },
				{ internalEntity: ALICE, remoteField: 'OwnerId' },
			],
			options: { owner: 'queue:Feedback_Follow_up' },
		});
		expect(out[0].json.success).toBe(true);
		expect(stored('Case', 'OwnerId')).toEqual([ALICE]);
	});

	it('Campaign by name: resolved once and shown on every result', async () => {
		const out = await createCases({ campaign: 'Detractors follow-up' }, 2);
		expect(out.map((o) => o.json.campaign)).toEqual([
			{ id: DETRACTORS_CAMPAIGN, name: 'Detractors follow-up' },
			{ id: DETRACTORS_CAMPAIGN, name: 'Detractors follow-up' },
		]);
		expect(env.calls('query')).toBe(1);
	});
});

describe('the dropdowns', () => {
	const ctxFor = (object: string) =>
		createLoadOptionsContext({
			parameters: { object: { __rl: true, mode: 'list', value: object } },
			credential: env.credential,
		}).ctx;

	it("Record Type: the object's active, available record types by developer name", async () => {
		const options = await getRecordTypes.call(ctxFor('Case'));
		expect(options.map((o) => o.value)).toEqual(['Detractor_Follow_Up', 'Support']);
	});

	it('Owner: active users by username, then the queues that support the object', async () => {
		const options = await getOwners.call(ctxFor('Lead'));
		expect(options.map((o) => o.value)).toEqual([
			'user:alice.agent@skeepers-emulator.example',
			'user:demo.admin@skeepers-emulator.example',
			'user:integration@skeepers-emulator.example',
			'queue:Lead_Triage',
			'queue:Partner_Leads',
		]);
	});

	it('Campaign: the active campaigns by name', async () => {
		const options = await getCampaigns.call(ctxFor('Lead'));
		expect(options.map((o) => o.value)).toEqual(['Detractors follow-up', 'Promoters referral']);
	});
});

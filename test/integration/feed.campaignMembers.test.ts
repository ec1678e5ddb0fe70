/**
 * Feed Application × the emulator: with Campaign set, the Contacts and Leads the node writes join
 * the campaign with the Member Status, batched (one query and one Collections call per 200);
 * existing members are updated or left alone; a status the campaign does not have is refused
 * before anything is written; a membership that fails is reported on the item, whose record
 * stays written.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { setupRows } from '../../emulator/org';
import { getCampaignMemberStatuses } from '../../nodes/SkeepersFeedApplication/methods';
import { createLoadOptionsContext } from '../harness/loadOptions';
import { FeedEnv, field, lastNameRow, people, queriesDuring, type RunSpec } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const DETRACTORS = String(
	(setupRows('Campaign', true) ?? []).find((r) => r.Name === 'Detractors follow-up')?.Id,
);
type Options = NonNullable<RunSpec['options']>;
const campaign = (more: Options = {}): Options => ({ campaign: 'Detractors follow-up', ...more });

const upsertContacts = (items: IDataObject[], options: Options, continueOnFail = false) =>
	env.run({
		items,
		object: 'Contact',
		operation: 'upsert',
		matchField: 'Skeepers_Respondent_Id__c',
		matchValue: field('respondentId'),
		rows: [lastNameRow],
		options,
		continueOnFail,
	});
/** Creates `n` Contacts; the SOQL queries the run made. */
const createContacts = async (n: number, options: Options) =>
	await queriesDuring(() =>
		env.run({
			items: people(n),
			object: 'Contact',
			operation: 'create',
			rows: [lastNameRow],
			options,
		}),
	);
const memberId = (o: INodeExecutionData) => (o.json.campaignMember as { id: string }).id;
const members = () => env.emu.records('CampaignMember');
const statusOf = (contactId: unknown) =>
	members().find((m) => m.ContactId === contactId && m.CampaignId === DETRACTORS)?.Status;

describe('Campaign membership', () => {
	it('new Contacts join with the Member Status; each result shows its membership', async () => {
		const out = await upsertContacts(people(3), campaign({ campaignMemberStatus: 'To call back' }));
		expect(out.every((o) => o.json.success)).toBe(true);
		for (const o of out) {
			expect(o.json.campaignMember).toEqual({
				id: expect.stringMatching(/^00v\w{15}$/),
				status: 'To call back',
				created: true,
			});
			expect(statusOf(o.json.id)).toBe('To call back');
		}
		expect(members()).toHaveLength(3);
	});

	it('Contacts written through Bulk API 2.0 join the same way (memberships through Collections)', async () => {
		const out = await upsertContacts(people(3), campaign({ bulkMode: 'always' }));
		expect(env.calls('bulk.')).toBeGreaterThan(0);
		expect(out.map((o) => o.json.campaignMember)).toEqual([
			expect.objectContaining({ status: 'Sent', created: true }),
			expect.objectContaining({ status: 'Sent', created: true }),
			expect.objectContaining({ status: 'Sent', created: true }),
		]);
		expect(members()).toHaveLength(3);
		expect(env.calls('collections.create')).toBe(1);
	});

	it("no Member Status: the campaign's default", async () => {
		const out = await upsertContacts(people(1), campaign());
		expect(out[0].json.campaignMember).toMatchObject({ status: 'Sent', created: true });
	});

	it('Leads join too (LeadId)', async () => {
		const out = await env.run({
			items: [{ lastName: 'L' }],
			object: 'Lead',
			operation: 'create',
			rows: [lastNameRow, { internalEntity: 'Skeepers', remoteField: 'Company' }],
			options: campaign({ campaignMemberStatus: 'Responded' }),
		});
		expect(out[0].json.campaignMember).toMatchObject({ status: 'Responded', created: true });
		expect(members()).toEqual([
			expect.objectContaining({ LeadId: out[0].json.id, Status: 'Responded', ContactId: null }),
		]);
	});

	it('Existing Member → Update Status (default): the membership is updated, not duplicated', async () => {
		const first = await upsertContacts(people(2), campaign());
		env.emu.resetCounters();
		const out = await upsertContacts(people(3), campaign({ campaignMemberStatus: 'Responded' }));
		expect(out.map((o) => o.json.campaignMember)).toEqual([
			{ id: memberId(first[0]), status: 'Responded', created: false },
			{ id: memberId(first[1]), status: 'Responded', created: false },
			{ id: expect.any(String), status: 'Responded', created: true },
		]);
		expect(members().map((m) => m.Status)).toEqual(['Responded', 'Responded', 'Responded']);
		expect(env.calls('collections.update')).toBe(1);
	});

	it('Existing Member → Leave As Is: the membership keeps its status, no update is sent', async () => {
		await upsertContacts(people(1), campaign({ campaignMemberStatus: 'To call back' }));
		env.emu.resetCounters();
		const out = await upsertContacts(
			people(1),
			campaign({ campaignMemberStatus: 'Responded', campaignExistingMember: 'leave' }),
		);
		expect(out[0].json.campaignMember).toMatchObject({ status: 'To call back', created: false });
		expect(statusOf(out[0].json.id)).toBe('To call back');
		expect(env.calls('collections.update')).toBe(0);
		expect(env.calls('collections.create')).toBe(0);
	});

	it('450 Contacts: 3 membership queries and 3 Collections creates, next to the 3 that write the Contacts', async () => {
		const { result: out, queries } = await createContacts(450, campaign());
		expect(out.every((o) => o.json.campaignMember)).toBe(true);
		expect(members()).toHaveLength(450);
		const memberQueries = queries.filter((q) => q.includes('FROM CampaignMember WHERE'));
		expect(memberQueries).toHaveLength(3);
		expect(memberQueries[0]).toContain(`CampaignId = '${DETRACTORS}'`);
		// the campaign, its statuses, the memberships of each batch of 200
		expect(env.calls('query')).toBe(5);
		expect(env.calls('collections.create')).toBe(6);
		expect(env.calls('collections.update')).toBe(0);
	});

	it('a status the campaign does not have is refused before anything is written, naming it', async () => {
		await expect(
			upsertContacts(people(2), campaign({ campaignMemberStatus: 'Referred a friend' })),
		).rejects.toThrow(
			'Member Status: campaign "Detractors follow-up" has no status "Referred a friend" (its statuses: "Sent", "Responded", "To call back")',
		);
		expect(env.calls('collections.')).toBe(0);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});

	it('a membership that fails is reported on its item with the Salesforce error; the Contact stays written', async () => {
		const [contactId] = await env.seed('Contact', [
			{ LastName: 'Person 0', Skeepers_Respondent_Id__c: 'R000000' },
		]);
		// another writer adds the Contact to the campaign between the node's query and its create
		const { result: out } = await queriesDuring(
			() => upsertContacts(people(2), campaign(), true),
			async (q) => {
				if (q.includes('FROM CampaignMember WHERE'))
					await env.seed('CampaignMember', [{ CampaignId: DETRACTORS, ContactId: contactId }]);
			},
		);
		expect(out[0].json).toMatchObject({
			success: true,
			id: contactId,
			campaignMemberError: { errorCode: 'DUPLICATE_VALUE', message: 'Already a campaign member.' },
		});
		expect(out[0].json.campaignMember).toBeUndefined();
		expect(out[1].json.campaignMember).toMatchObject({ created: true });
		expect(env.emu.records('Contact')).toHaveLength(2);
		expect(env.hints.map((h) => h.message)).toContainEqual(
			expect.stringContaining(
				'Campaign "Detractors follow-up": 1 written record(s) could not be added',
			),
		);
	});

	it('Dry Run checks the status and adds nobody', async () => {
		const out = await upsertContacts(people(1), campaign({ dryRun: true }));
		expect(out[0].json.dryRun).toBe(true);
		expect(out[0].json.campaignMember).toBeUndefined();
		expect(members()).toHaveLength(0);
	});

	it('Dry Run shows each item its planned membership and counts the membership calls; nothing is written', async () => {
		const out = await upsertContacts(
			people(3),
			campaign({ dryRun: true, campaignMemberStatus: 'To call back' }),
		);
		// one upsert call for the Contacts (call 0), then the membership query, create and update
		for (const o of out) {
			expect(o.json).toMatchObject({
				success: true,
				dryRun: true,
				plannedCall: { index: 0, method: 'PATCH' },
				plannedCalls: 4,
				plannedCampaignMember: {
					campaign: { id: DETRACTORS, name: 'Detractors follow-up' },
					status: 'To call back',
					existingMember: 'update',
					ifAlreadyMember: 'its status becomes "To call back"',
					calls: [
						{ index: 1, method: 'GET', path: '/query', records: 3 },
						{ index: 2, method: 'POST', path: '/composite/sobjects', records: 3 },
						{ index: 3, method: 'PATCH', path: '/composite/sobjects', records: 3 },
					],
				},
			});
			expect(o.json.campaignMember).toBeUndefined();
		}
		expect(members()).toHaveLength(0);
		expect(env.emu.records('Contact')).toHaveLength(0);
		expect(env.calls('collections.')).toBe(0);
		expect(env.hints.map((h) => h.message)).toContainEqual(
			'Dry Run: 3 item(s) would join campaign "Detractors follow-up" as "To call back" (already a member: its status becomes "To call back"), in at most 3 call(s) after the writes.',
		);
	});

	it('Dry Run of 450 Contacts with Leave As Is: a query and a create per 200, after the 3 creates of the Contacts', async () => {
		const { result: out, queries } = await createContacts(
			450,
			campaign({ dryRun: true, campaignExistingMember: 'leave' }),
		);
		expect(out.every((o) => o.json.plannedCalls === 3 + 6)).toBe(true);
		const callsOf = (o: INodeExecutionData) =>
			(o.json.plannedCampaignMember as { calls: Array<{ index: number; records: number }> }).calls;
		expect(callsOf(out[0])).toEqual([
			{ index: 3, method: 'GET', path: '/query', records: 200 },
			{ index: 4, method: 'POST', path: '/composite/sobjects', records: 200 },
		]);
		expect(callsOf(out[449]).map((c) => [c.index, c.records])).toEqual([
			[7, 50],
			[8, 50],
		]);
		expect(out[0].json.plannedCampaignMember).toMatchObject({
			status: 'Sent',
			existingMember: 'leave',
			ifAlreadyMember: 'its membership is left as is',
		});
		// the dry run itself reads the campaign and its statuses, never the memberships
		expect(queries.filter((q) => q.includes('FROM CampaignMember WHERE'))).toHaveLength(0);
		expect(env.calls('collections.')).toBe(0);
		expect(members()).toHaveLength(0);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});

	it('Dry Run: an item that fails pre-flight gets no planned membership', async () => {
		const out = await env.run({
			items: [{ lastName: 'Ok' }, { lastName: '' }],
			object: 'Contact',
			operation: 'create',
			rows: [lastNameRow],
			options: campaign({ dryRun: true, preflight: 'perItem' }),
		});
		expect(out[0].json.plannedCampaignMember).toMatchObject({ status: 'Sent' });
		expect(out[1].json.success).toBe(false);
		expect(out[1].json.plannedCampaignMember).toBeUndefined();
		expect(members()).toHaveLength(0);
	});

	it('the Member Status dropdown lists the chosen campaign’s statuses, the default marked', async () => {
		const { ctx } = createLoadOptionsContext({
			parameters: {
				object: { __rl: true, mode: 'list', value: 'Contact' },
				options: { campaign: 'Detractors follow-up' },
			},
			credential: env.credential,
		});
		const options = await getCampaignMemberStatuses.call(ctx);
		expect(options.map((o) => [o.name, o.value])).toEqual([
			['Sent (default)', 'Sent'],
			['Responded', 'Responded'],
			['To call back', 'To call back'],
		]);
	});
});

/** The configured org's Lead and Case assignment rules (queues), through jsforce. */
import type { Connection } from 'jsforce';
import type { Emulator } from '../../emulator';
import { toCsv } from '../../emulator/csv';
import { USER_ID } from '../../emulator/ids';
import { connect, emulator, rejection, requestWithHeaders } from './helpers';

type Row = Record<string, unknown>;

describe('configured org: assignment rules', () => {
	let emu: Emulator;
	let conn: Connection;
	const queue: Record<string, string> = {};
	const rule: Record<string, string> = {};
	beforeAll(async () => {
		emu = await emulator();
		conn = connect(emu);
		const groups = await conn.query<Row>(
			"SELECT Id, Name, DeveloperName, Type FROM Group WHERE Type = 'Queue'",
		);
		for (const g of groups.records) queue[String(g.Name)] = String(g.Id);
		const rules = await conn.query<Row>(
			"SELECT Id, Name, SobjectType, Active FROM AssignmentRule WHERE SobjectType IN ('Lead', 'Case')",
		);
		for (const r of rules.records) rule[String(r.Name)] = String(r.Id);
	});
	afterAll(() => emu.stop());
	beforeEach(() => emu.clearRecords());

	const owner = (object: string, id: string): unknown =>
		emu.records(object).find((r) => r.Id === id)?.OwnerId;

	const send = (
		method: 'POST' | 'PATCH',
		path: string,
		body: unknown,
		headers: Record<string, string>,
	) => requestWithHeaders(conn, method, path, body, headers);

	test('Group queues and AssignmentRules are queryable (Ids 00G / 01Q; one active and one inactive rule per object)', async () => {
		const groups = await conn.query<Row>(
			"SELECT Id, Name, DeveloperName, Type FROM Group WHERE Type = 'Queue'",
		);
		expect(groups.records.map((g) => g.DeveloperName)).toEqual([
			'Lead_Triage',
			'Partner_Leads',
			'Feedback_Follow_up',
			'Escalations',
		]);
		expect(groups.records.every((g) => /^00G\w{15}$/.test(String(g.Id)))).toBe(true);
		const leadRules = await conn.query<Row>(
			"SELECT Id, Name, SobjectType, Active FROM AssignmentRule WHERE SobjectType = 'Lead'",
		);
		expect(leadRules.records.map(({ Name, Active }) => ({ Name, Active }))).toEqual([
			{ Name: 'Lead Triage Assignment', Active: true },
			{ Name: 'Partner Lead Assignment', Active: false },
		]);
		expect(leadRules.records.every((r) => /^01Q\w{15}$/.test(String(r.Id)))).toBe(true);
		const active = await conn.query<Row>(
			"SELECT Name FROM AssignmentRule WHERE SobjectType = 'Case' AND Active = true",
		);
		expect(active.records.map((r) => r.Name)).toEqual(['Feedback Case Assignment']);
	});

	test('OwnerId is a polymorphic reference (Group, User) on Lead and Case in the describe', async () => {
		for (const object of ['Lead', 'Case']) {
			const d = await conn.sobject(object).describe();
			expect(d.fields.find((f) => f.name === 'OwnerId')).toMatchObject({
				type: 'reference',
				referenceTo: ['Group', 'User'],
				relationshipName: 'Owner',
				createable: true,
				updateable: true,
			});
		}
	});

	test('REST without the header (= TRUE): the active rule assigns Leads and Cases to its queue on create', async () => {
		const lead = await conn.sobject('Lead').create({ LastName: 'L', Company: 'C' });
		expect(owner('Lead', lead.id!)).toBe(queue['Lead Triage']);
		const c = await conn.sobject('Case').create({ Subject: 'S' });
		expect(owner('Case', c.id!)).toBe(queue['Feedback Follow-up']);
		const [row] = (await conn.query<Row>(`SELECT OwnerId FROM Case WHERE Id = '${c.id!}'`)).records;
		expect(row.OwnerId).toBe(queue['Feedback Follow-up']);
		// Contacts have no assignment rules.
		const contact = await conn.sobject('Contact').create({ LastName: 'K' });
		expect(emu.records('Contact').find((r) => r.Id === contact.id)?.OwnerId).toBeUndefined();
	});

	test('Sforce-Auto-Assign FALSE keeps the given owner or the current user; TRUE on update reassigns', async () => {
		const made = (await send(
			'POST',
			'/sobjects/Lead',
			{ LastName: 'L', Company: 'C' },
			{ 'Sforce-Auto-Assign': 'false' },
		)) as { id: string };
		expect(owner('Lead', made.id)).toBe(USER_ID);
		const given = (await send(
			'POST',
			'/sobjects/Case',
			{ Subject: 'S', OwnerId: queue.Escalations },
			{ 'Sforce-Auto-Assign': 'FALSE' },
		)) as { id: string };
		expect(owner('Case', given.id)).toBe(queue.Escalations);
		await conn.sobject('Lead').update({ Id: made.id, City: 'Lyon' });
		expect(owner('Lead', made.id)).toBe(queue['Lead Triage']);
	});

	test('an AssignmentRule Id (18 or 15 chars) runs that rule, even an inactive one, on create and update', async () => {
		const made = (await send(
			'POST',
			'/sobjects/Lead',
			{ LastName: 'L', Company: 'C' },
			{ 'Sforce-Auto-Assign': rule['Partner Lead Assignment'] },
		)) as { id: string };
		expect(owner('Lead', made.id)).toBe(queue['Partner Leads']);
		const c = await conn.sobject('Case').create({ Subject: 'S' });
		await send(
			'PATCH',
			`/sobjects/Case/${c.id!}`,
			{ Priority: 'High' },
			{
				'Sforce-Auto-Assign': rule['Escalation Case Assignment'].slice(0, 15),
			},
		);
		expect(owner('Case', c.id!)).toBe(queue.Escalations);
		// A Lead rule's Id on a Case: no rule of the Case object has it, nothing is assigned.
		const other = (await send(
			'POST',
			'/sobjects/Case',
			{ Subject: 'S' },
			{ 'Sforce-Auto-Assign': rule['Lead Triage Assignment'] },
		)) as { id: string };
		expect(owner('Case', other.id)).toBe(USER_ID);
	});

	test('a value that is neither TRUE, FALSE nor an Id fails the request with MALFORMED_ID', async () => {
		const err = await rejection(
			send(
				'POST',
				'/sobjects/Lead',
				{ LastName: 'L', Company: 'C' },
				{ 'Sforce-Auto-Assign': 'yes' },
			),
		);
		expect(err.errorCode).toBe('MALFORMED_ID');
		expect(emu.records('Lead')).toHaveLength(0);
	});

	test('sObject Collections honour the header for every record (create and update)', async () => {
		const res = (await send(
			'POST',
			'/composite/sobjects',
			{
				allOrNone: false,
				records: [
					{ attributes: { type: 'Lead' }, LastName: 'L', Company: 'C' },
					{ attributes: { type: 'Case' }, Subject: 'S' },
				],
			},
			{ 'Sforce-Auto-Assign': 'FALSE' },
		)) as Array<{ id: string }>;
		expect(res.map((r) => owner(r.id.startsWith('00Q') ? 'Lead' : 'Case', r.id))).toEqual([
			USER_ID,
			USER_ID,
		]);
		await conn.sobject('Lead').update([{ Id: res[0].id, City: 'Lyon' }], { allOrNone: false });
		expect(owner('Lead', res[0].id)).toBe(queue['Lead Triage']);
	});

	test('Bulk API 2.0: no rule without assignmentRuleId; with it every row goes to the rule queue and the job echoes it', async () => {
		const csv = toCsv([
			['LastName', 'Company'],
			['A', 'C'],
			['B', 'C'],
		]);
		const plain = await conn.bulk2.loadAndWaitForResults({
			object: 'Lead',
			operation: 'insert',
			input: csv,
			pollInterval: 20,
			pollTimeout: 10000,
		});
		for (const r of plain.successfulResults) expect(owner('Lead', String(r.sf__Id))).toBe(USER_ID);
		const job = conn.bulk2.createJob({
			object: 'Lead',
			operation: 'insert',
			assignmentRuleId: rule['Lead Triage Assignment'],
		});
		const info = await job.open();
		expect(info.assignmentRuleId).toBe(rule['Lead Triage Assignment']);
		await job.uploadData(csv);
		await job.close();
		await job.poll(20, 10000);
		const res = await job.getAllResults();
		expect(res.successfulResults).toHaveLength(2);
		for (const r of res.successfulResults)
			expect(owner('Lead', String(r.sf__Id))).toBe(queue['Lead Triage']);
	});

	test('blank org (or assignmentRules: false): no queues, no rules, the owner is the user', async () => {
		for (const org of [false, { assignmentRules: false }] as const) {
			const blank = await emulator({ org });
			try {
				const c = connect(blank);
				const lead = await c.sobject('Lead').create({ LastName: 'L', Company: 'C' });
				expect(blank.records('Lead')[0].OwnerId).toBe(USER_ID);
				expect(lead.success).toBe(true);
				expect((await c.query("SELECT Id FROM Group WHERE Type = 'Queue'")).totalSize).toBe(0);
				expect((await c.query('SELECT Id FROM AssignmentRule')).totalSize).toBe(0);
			} finally {
				await blank.stop();
			}
		}
	});
});

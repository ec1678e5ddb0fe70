/**
 * Feed Application × the emulator's configured org: the Duplicate Rules option on both paths.
 * The org holds the standard Contact duplicate rule (Allow with alert; matches same FirstName,
 * LastName and Email): Block reports DUPLICATES_DETECTED with the rule and the matched Ids, Save
 * Anyway writes a second record, Use the Matched Record updates the one match (batched).
 */
import type { IDataObject } from 'n8n-workflow';

import { FeedEnv, field, person, personRows as rows } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const RULE = 'Standard_Contact_Duplicate_Rule';
/** Contacts that already hold the respondents' names and e-mails, without their respondent ID. */
const seedPeople = async (n: number) =>
	await env.seed(
		'Contact',
		Array.from({ length: n }, (_, i) => {
			const p = person(i);
			return { FirstName: p.firstName, LastName: p.lastName, Email: p.email };
		}),
	);
const upsert = (items: IDataObject[], bulkMode: string, duplicateRules?: string) =>
	env.run({
		items,
		operation: 'upsert',
		matchField: 'Skeepers_Respondent_Id__c',
		matchValue: field('respondentId'),
		rows,
		options: { bulkMode, ...(duplicateRules ? { duplicateRules } : {}) },
		continueOnFail: true,
	});
const PATHS = [['collections', 'never'] as const, ['bulk', 'always'] as const];

describe.each(PATHS)('Duplicate Rules on the %s path', (path, bulkMode) => {
	it('Block (default): the item fails with DUPLICATES_DETECTED naming the rule and the matched Id; nothing is written', async () => {
		const [existing] = await seedPeople(1);
		const [out] = await upsert([person(0)], bulkMode);
		expect(out.json.success).toBe(false);
		expect(out.json.matchedIds).toEqual([existing]);
		expect(out.json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'DUPLICATES_DETECTED',
				duplicateRule: RULE,
				matchedIds: [existing],
			}),
		]);
		expect(out.json.error).toContain(RULE);
		expect(out.json.error).toContain(existing);
		expect(env.emu.records('Contact')).toHaveLength(1);
		expect(env.emu.records('Contact')[0].Skeepers_Respondent_Id__c ?? null).toBeNull();
		if (path === 'bulk') {
			// the Bulk row's refusal was sent once more through Collections, which lists the matches
			expect(env.calls('bulk.create')).toBe(1);
			expect(env.calls('collections.upsert')).toBe(1);
		}
	});

	it('Save Anyway: a second Contact is created', async () => {
		const [existing] = await seedPeople(1);
		const [out] = await upsert([person(0)], bulkMode, 'allowSave');
		expect(out.json).toMatchObject({ success: true, created: true });
		expect(out.json.id).not.toBe(existing);
		expect(env.emu.records('Contact')).toHaveLength(2);
	});

	it('Use the Matched Record: each existing Contact gets its respondent ID, in one batched update, no second Contact', async () => {
		const ids = await seedPeople(3);
		const fresh = { ...person(9) }; // no match: created as usual
		const out = await upsert([person(0), fresh, person(1), person(2)], bulkMode, 'useMatched');
		expect(out.map((o) => o.json.success)).toEqual([true, true, true, true]);
		expect(out[0].json).toMatchObject({
			id: ids[0],
			created: false,
			action: 'update',
			usedMatchedRecord: { id: ids[0], rule: RULE },
		});
		expect(out[2].json.usedMatchedRecord).toEqual({ id: ids[1], rule: RULE });
		expect(out[3].json.id).toBe(ids[2]);
		expect(out[1].json).toMatchObject({ created: true });
		expect(out[1].json.usedMatchedRecord).toBeUndefined();
		expect(env.calls('collections.update')).toBe(1);
		expect(env.calls('query')).toBe(1); // the matches' respondent IDs, read once for the wave
		const contacts = env.emu.records('Contact');
		expect(contacts).toHaveLength(4);
		const byId = new Map(contacts.map((c) => [String(c.Id), c]));
		expect(byId.get(ids[0])?.Skeepers_Respondent_Id__c).toBe('R-0');
		expect(byId.get(ids[2])?.Skeepers_Respondent_Id__c).toBe('R-2');
	});

	it('Use the Matched Record with two matches: the item fails naming both, nothing is guessed', async () => {
		const p = person(0);
		const twins = await env.seed('Contact', [
			{ FirstName: p.firstName, LastName: p.lastName, Email: p.email },
			{ FirstName: p.firstName, LastName: p.lastName, Email: p.email },
		]);
		const [out] = await upsert([p], bulkMode, 'useMatched');
		expect(out.json.success).toBe(false);
		expect(out.json.errors).toEqual([
			expect.objectContaining({ errorCode: 'DUPLICATES_DETECTED' }),
		]);
		expect([...(out.json.matchedIds as string[])].sort()).toEqual([...twins].sort());
		for (const id of twins) expect(out.json.error).toContain(id);
		expect(env.emu.records('Contact')).toHaveLength(2);
		expect(env.calls('collections.update')).toBe(0);
	});
	it("Use the Matched Record never takes another respondent's record: a match holding another respondent ID fails, untouched", async () => {
		const p = person(0);
		const [other] = await env.seed('Contact', [
			{
				FirstName: p.firstName,
				LastName: p.lastName,
				Email: p.email,
				Skeepers_Respondent_Id__c: 'R-OTHER',
			},
		]);
		const [out] = await upsert([p], bulkMode, 'useMatched');
		expect(out.json.success).toBe(false);
		expect(out.json.matchedIds).toEqual([other]);
		expect(out.json.errors).toEqual([
			expect.objectContaining({ errorCode: 'DUPLICATES_DETECTED' }),
		]);
		expect(out.json.error).toContain('already has Skeepers_Respondent_Id__c = "R-OTHER"');
		expect(env.emu.records('Contact')).toEqual([
			expect.objectContaining({ Id: other, Skeepers_Respondent_Id__c: 'R-OTHER' }),
		]);
		expect(env.calls('collections.update')).toBe(0);
	});
});

describe('Duplicate Rules, other cases', () => {
	it('Create with Use the Matched Record updates the match with the mapped fields (Collections)', async () => {
		const [existing] = await seedPeople(1);
		const out = await env.run({
			items: [{ ...person(0), title: 'Engineer' }],
			operation: 'create',
			rows: [...rows, { internalEntity: field('title'), remoteField: 'Title' }],
			options: { duplicateRules: 'useMatched' },
		});
		expect(out[0].json).toMatchObject({ success: true, id: existing, action: 'update' });
		expect(env.emu.records('Contact')).toEqual([expect.objectContaining({ Title: 'Engineer' })]);
	});

	it('All or None with Use the Matched Record: the records rolled back with the duplicate are sent again', async () => {
		const [existing] = await seedPeople(1);
		const out = await env.run({
			items: [person(0), person(5), person(6)],
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows,
			options: { allOrNone: true, duplicateRules: 'useMatched' },
		});
		expect(out.map((o) => o.json.success)).toEqual([true, true, true]);
		expect(out[0].json.usedMatchedRecord).toEqual({ id: existing, rule: RULE });
		expect(out.slice(1).map((o) => o.json.created)).toEqual([true, true]);
		expect(env.emu.records('Contact')).toHaveLength(3);
	});

	it('Dry Run shows the duplicate rule header Save Anyway would send', async () => {
		const out = await env.run({
			items: [person(0)],
			operation: 'create',
			rows,
			options: { dryRun: true, duplicateRules: 'allowSave' },
		});
		expect(out[0].json.plannedCall).toMatchObject({
			method: 'POST',
			path: '/composite/sobjects',
			headers: { 'Sforce-Duplicate-Rule-Header': 'allowSave=true', 'Sforce-Auto-Assign': 'FALSE' },
		});
		expect(env.emu.records('Contact')).toHaveLength(0);
	});
});

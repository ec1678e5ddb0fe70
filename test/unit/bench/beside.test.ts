import type { Emulator } from '../../../emulator';
import { makeItems } from '../../../bench/data';
import { besideLine, compareBeside, differingKinds } from '../../../bench/scenarios/beside';
import { FEED_VARIANTS } from '../../../bench/scenarios/variants';
import type { WriteResult } from '../../../bench/types';

function result(path: string, byKind: Record<string, number>, records = 1000): WriteResult {
	const apiCalls = Object.values(byKind).reduce((a, b) => a + b, 0);
	return {
		path: path as WriteResult['path'],
		operation: 'upsert',
		records,
		apiCalls,
		seconds: 2,
		recordsWritten: records,
		apiCallsByKind: byKind,
		recordsPerSecond: records / 2,
		nodeSeconds: 1,
		vsBuiltin: null,
		limitSeconds: null,
		vsLimit: null,
		nodeVsLimit: null,
		vsJsforce: null,
	};
}

const variant = (path: string) => FEED_VARIANTS.find((v) => v.path === path)!;

/** An org holding `records` per object, as the variants' checks read it. */
const org = (records: Record<string, Array<Record<string, unknown>>>) =>
	({ records: (name: string) => records[name] ?? [] }) as unknown as Emulator;

describe('variants beside their plain path', () => {
	const items = makeItems(1000);

	it('lists the kinds whose counts differ', () => {
		expect(
			differingKinds(
				result('a', { 'collections.upsert': 5, 'describe.sobject': 1 }),
				result('b', { 'collections.upsert': 5 }),
			),
		).toEqual(['describe.sobject 1 vs 0']);
	});

	it("parent link on Collections: the plain path's calls are within budget; one more write, or a describe (the parent's is cached), is not", () => {
		const plain = result('skeepers-collections', { 'collections.upsert': 5 });
		const linked = result('skeepers-parent-link', { 'collections.upsert': 5 });
		const described = result('skeepers-parent-link', {
			'collections.upsert': 5,
			'describe.sobject': 1,
		});
		const more = result('skeepers-parent-link', { 'collections.upsert': 6 }, 1000);
		compareBeside([plain, linked], items, FEED_VARIANTS);
		expect(linked.beside).toEqual(
			expect.objectContaining({ path: 'skeepers-collections', apiCalls: 5, met: true }),
		);
		compareBeside([plain, described], items, FEED_VARIANTS);
		expect(described.beside!.met).toBe(false);
		expect(besideLine(described)).toContain(
			'skeepers-parent-link at 1,000: 6 calls vs 5 without (skeepers-collections; describe.sobject 1 vs 0)',
		);
		compareBeside([plain, more], items, FEED_VARIANTS);
		expect(more.beside!.met).toBe(false);
		expect(plain.beside).toBeUndefined();
	});

	it("parent link on Bulk API 2.0: status polls follow the job's timing and are left out", () => {
		const plain = result('skeepers-bulk', { 'bulk.create': 1, 'bulk.status': 4, 'bulk.close': 1 });
		const linked = result('skeepers-parent-link-bulk', {
			'bulk.create': 1,
			'bulk.status': 6,
			'bulk.close': 1,
		});
		compareBeside([plain, linked], items, FEED_VARIANTS);
		expect(linked.beside!.met).toBe(true);
		linked.apiCallsByKind['bulk.create'] = 2;
		compareBeside([plain, linked], items, FEED_VARIANTS);
		expect(linked.beside!.met).toBe(false);
	});

	it('ordered keys: at most one lookup per key per wave, chunked by URL length', () => {
		const plain = result('skeepers-collections', { 'collections.upsert': 5 });
		const keys = result('skeepers-ordered-keys', {
			query: 1,
			'collections.update': 4,
			'collections.create': 2,
		});
		compareBeside([plain, keys], items, FEED_VARIANTS);
		// 1,000 IDs of ≈ 11 characters and 667 e-mails: each lookup takes more than one query
		const m = /≤ (\d+) \+ (\d+) queries/.exec(keys.beside!.expected!)!;
		const [byId, byEmail] = [Number(m[1]), Number(m[2])];
		expect({ byId: byId > 1, byEmail: byEmail > 1, met: keys.beside!.met }).toEqual({
			byId: true,
			byEmail: true,
			met: true,
		});
		keys.apiCallsByKind.query = byId + byEmail + 1;
		compareBeside([plain, keys], items, FEED_VARIANTS);
		expect(keys.beside!.met).toBe(false);
	});

	it('a variant whose plain path did not run is not compared', () => {
		const linked = result('skeepers-parent-link', { 'collections.upsert': 5 });
		compareBeside([linked], items, FEED_VARIANTS);
		expect(linked.beside).toBeUndefined();
		expect(besideLine(linked)).toBeNull();
	});
});

describe("the variants' checks of the org", () => {
	const items = makeItems(3);
	const accounts = items.map((it, i) => ({
		Id: `001AA0${i}`.padEnd(18, 'x'),
		Skeepers_Account_Id__c: `account-${it.respondentId}`,
	}));

	it('parent link: each Contact points to its own Account', () => {
		const contacts = items.map((it, i) => ({
			Skeepers_Respondent_Id__c: it.respondentId,
			AccountId: accounts[i].Id,
		}));
		const verify = variant('skeepers-parent-link').verify!;
		expect(verify(org({ Account: accounts, Contact: contacts }), items)).toEqual({
			right: 3,
			problems: [],
		});
		contacts[1].AccountId = accounts[0].Id;
		const wrong = verify(org({ Account: accounts, Contact: contacts.slice(0, 2) }), items);
		expect(wrong.right).toBe(1);
		expect(wrong.problems).toEqual([
			expect.stringContaining(`${items[1].respondentId}: AccountId`),
			`${items[2].respondentId}: no Contact`,
		]);
	});

	it('ordered keys: one Contact per person, holding its respondent ID; a duplicate or a missing link is reported', () => {
		const contacts = items.map((it) => ({
			Email: it.email.toLowerCase(),
			Skeepers_Respondent_Id__c: it.respondentId,
		}));
		const verify = variant('skeepers-ordered-keys').verify!;
		expect(verify(org({ Contact: contacts }), items)).toEqual({ right: 3, problems: [] });
		const duplicate = { Email: contacts[0].Email, Skeepers_Respondent_Id__c: 'x' };
		const notLinked = { ...contacts[2], Skeepers_Respondent_Id__c: undefined };
		const wrong = verify(org({ Contact: [contacts[0], duplicate, contacts[1], notLinked] }), items);
		expect(wrong.right).toBe(1);
		expect(wrong.problems).toEqual([
			'4 Contacts for 3 people',
			expect.stringContaining('2 Contacts'),
			expect.stringContaining('respondent ID empty'),
		]);
	});
});

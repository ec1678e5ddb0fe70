/**
 * Feed Application × the emulator's configured org: the Dedup Key Field when a duplicate rule
 * answers first. A second run of the same people (same FirstName, LastName, Email: the standard
 * Contact duplicate rule matches) repeating their dedup key is refused with DUPLICATES_DETECTED,
 * not DUPLICATE_VALUE; the node reads the matched Contacts' key field and, when one holds the
 * item's key, the item is "already processed", whatever the Duplicate Rules option.
 */
import type { IDataObject } from 'n8n-workflow';

import { DedupStore, FeedEnv, field, person, personRows as rows } from './feed.helpers';

jest.setTimeout(120_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const KEY_FIELD = 'Skeepers_Respondent_Id__c';
const people = (n: number) => Array.from({ length: n }, (_, i) => person(i));
/** Each run has its own n8n deduplication store: only Salesforce knows the keys already written. */
const create = async (items: IDataObject[], bulkMode: string, duplicateRules?: string) =>
	(
		await env.run({
			object: 'Contact',
			items,
			operation: 'create',
			rows,
			options: {
				bulkMode,
				dedupKey: field('respondentId'),
				dedupKeyField: KEY_FIELD,
				...(duplicateRules ? { duplicateRules } : {}),
			},
			dedup: new DedupStore(),
			continueOnFail: true,
		})
	).map((o) => o.json as Record<string, unknown> & { dedup?: Record<string, unknown> });

const PATHS = [['collections', 'never'] as const, ['bulk', 'always'] as const];
const RULES = [['Block', undefined] as const, ['Use the Matched Record', 'useMatched'] as const];

describe.each(PATHS)('Dedup Key Field × duplicate rules on the %s path', (_path, bulkMode) => {
	it.each(RULES)(
		'%s: the same people run twice → every second item is already processed, no second Contact',
		async (_name, duplicateRules) => {
			const first = await create(people(5), bulkMode, duplicateRules);
			expect(first.map((r) => r.created)).toEqual([true, true, true, true, true]);
			const idOf = new Map(first.map((r) => [r.dedup?.key, r.id]));
			env.emu.resetCounters();

			const second = await create(people(5), bulkMode, duplicateRules);
			for (const r of second) {
				expect(r).toMatchObject({ success: true, skipped: true });
				expect(r.errors ?? []).toEqual([]);
				expect(r.error).toBeUndefined();
				expect(r.dedup).toMatchObject({
					skipped: true,
					field: KEY_FIELD,
					existingId: idOf.get(r.dedup?.key),
				});
				expect(r.id).toBe(idOf.get(r.dedup?.key));
				expect(String(r.dedup?.reason)).toContain('already processed');
			}
			expect(env.emu.records('Contact')).toHaveLength(5);
			expect(env.calls('query')).toBe(1); // the matches' keys, read once for the wave
			expect(env.calls('collections.update')).toBe(0); // no matched record touched
		},
	);

	it('Block: a match that holds ANOTHER dedup key is not this item: the item fails with DUPLICATES_DETECTED', async () => {
		const [existing] = await env.seed('Contact', [
			{ FirstName: 'Ada0', LastName: 'Lovelace0', Email: 'ada0@example.fr', [KEY_FIELD]: 'R-old' },
		]);
		const [out] = await create([person(0)], bulkMode);
		expect(out.success).toBe(false);
		expect(out.skipped).not.toBe(true);
		expect(out.matchedIds).toEqual([existing]);
		expect(out.errors).toEqual([expect.objectContaining({ errorCode: 'DUPLICATES_DETECTED' })]);
		expect(env.emu.records('Contact')).toHaveLength(1);
		expect(env.emu.records('Contact')[0][KEY_FIELD]).toBe('R-old');
	});

	it('Use the Matched Record: a match that holds ANOTHER dedup key is used as the option says (updated)', async () => {
		const [existing] = await env.seed('Contact', [
			{ FirstName: 'Ada0', LastName: 'Lovelace0', Email: 'ada0@example.fr', [KEY_FIELD]: 'R-old' },
		]);
		const [out] = await create([person(0)], bulkMode, 'useMatched');
		expect(out).toMatchObject({ success: true, id: existing, action: 'update' });
		expect(out.skipped).not.toBe(true);
		expect(env.emu.records('Contact')).toHaveLength(1);
		expect(env.emu.records('Contact')[0][KEY_FIELD]).toBe('R-0');
	});
});

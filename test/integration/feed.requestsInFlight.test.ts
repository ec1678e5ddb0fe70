/**
 * Feed Application node × emulator: Requests in Flight (Auto or fixed), Bulk API 2.0 on Auto,
 * and the option ranges refused before anything is written.
 */
import { FeedEnv, lastNameRow, people } from './feed.helpers';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const create = (n: number, options: Record<string, unknown> = {}) =>
	env.run({ items: people(n), operation: 'create', rows: [lastNameRow], options });

describe('options out of range are refused before any write', () => {
	it.each([
		[{ batchSize: 500 }, /Batch Size must be a whole number from 1 to 200 .*got 500/],
		[{ batchSize: 0 }, /Batch Size must be a whole number from 1 to 200 .*got 0/],
		[
			{ concurrency: 25 },
			/Requests in Flight must be 0 \(Auto\) or a whole number from 1 to 10; got 25/,
		],
		[
			{ concurrency: -1 },
			/Requests in Flight must be 0 \(Auto\) or a whole number from 1 to 10; got -1/,
		],
	])('%p', async (options, message) => {
		await expect(create(3, options)).rejects.toThrow(message);
		expect(env.emu.counters().total).toBe(0);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});
});

describe('what Auto did, in the run’s notice', () => {
	it('Auto by default: the path, why, and the most calls in flight (≤ 10)', async () => {
		const out = await create(2000);
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(env.calls('collections.create')).toBe(10);
		expect(env.hints).toHaveLength(1);
		const message = env.hints[0].message;
		expect(message).toMatch(
			/^Contact: 2000 record\(s\) through sObject Collections \(Auto: sObject Collections 10 call\(s\), ~\d+ s vs Bulk API 2\.0 \d+ call\(s\), ~\d+ s\); Requests in Flight Auto: at most (\d+) call\(s\) in flight\.$/,
		);
		const peak = Number(/at most (\d+) call/.exec(message)?.[1]);
		expect(peak).toBeGreaterThanOrEqual(1);
		expect(peak).toBeLessThanOrEqual(10);
	});

	it('a fixed number and Bulk API 2.0 set to Never: no Auto in the notice', async () => {
		await create(50, { concurrency: 3, bulkMode: 'never' });
		expect(env.hints.map((h) => h.message)).toEqual([
			'Contact: 50 record(s) through sObject Collections (Bulk API 2.0 is set to Never).',
		]);
	});
});

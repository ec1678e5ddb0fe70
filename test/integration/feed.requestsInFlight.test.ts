/**
 * Feed Application node × emulator: Requests in Flight (Auto or fixed), Bulk API 2.0 on Auto,
 * and the option ranges refused before anything is written.
 */
import { createSalesforceApi } from '../../nodes/SkeepersFeedApplication/salesforce/transport';
import { Writer } from '../../nodes/SkeepersFeedApplication/salesforce/write/writer';
import { createExecuteContext } from '../harness/execute';
import { FeedEnv, field, lastNameRow, people } from './feed.helpers';

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
			{ concurrency: 26 },
			/Requests in Flight must be 0 \(Auto\) or a whole number from 1 to 25; got 26/,
		],
		[
			{ concurrency: -1 },
			/Requests in Flight must be 0 \(Auto\) or a whole number from 1 to 25; got -1/,
		],
	])('%p', async (options, message) => {
		await expect(create(3, options)).rejects.toThrow(message);
		expect(env.emu.counters().total).toBe(0);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});
});

describe('what Auto did, in the run’s notice', () => {
	it('Auto by default: the path, why, and the most calls in flight (≤ 25)', async () => {
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
		expect(peak).toBeLessThanOrEqual(25);
	});

	it('a fixed number and Bulk API 2.0 set to Never: no Auto in the notice', async () => {
		await create(50, { concurrency: 3, bulkMode: 'never' });
		expect(env.hints.map((h) => h.message)).toEqual([
			'Contact: 50 record(s) through sObject Collections (Bulk API 2.0 is set to Never).',
		]);
	});
});

describe('against the emulator’s latency and limits model', () => {
	afterEach(() => env.emu.setModel('off'));

	it('Auto under a ceiling of 3 and 503 / lock faults: never above the cap, halves on pushback, one result per item', async () => {
		// every request held 20 ms + 0.1 ms per record; a 4th request in flight is refused with
		// REQUEST_LIMIT_EXCEEDED (ConcurrentPerOrgLongTxn); 3 % of calls 503, 0.1 % of records locked
		env.emu.setModel({ baseMs: 20, perRecordMs: 0.1, maxConcurrent: 3 });
		env.emu.setFaults('503=0.03,lock=0.001,seed=3');
		const n = 6000;
		const out = await create(n, { batchSize: 50, bulkMode: 'never' });

		expect(out.map((o) => o.pairedItem)).toEqual(people(n).map((_, i) => ({ item: i })));
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(env.emu.records('Contact')).toHaveLength(n);

		const model = env.emu.counters().model;
		const faults = env.emu.counters().faults;
		// Auto grew past the ceiling (it cannot know it), was refused, and halved
		expect(model?.refused).toBeGreaterThan(0);
		expect(model?.peakConcurrency).toBeLessThanOrEqual(3);
		const message = env.hints[0]?.message ?? '';
		const peak = Number(/at most (\d+) call\(s\) in flight/.exec(message)?.[1]);
		const pushbacks = Number(/(\d+) pushback\(s\) from Salesforce/.exec(message)?.[1]);
		expect(peak).toBeGreaterThan(3);
		expect(peak).toBeLessThanOrEqual(25);
		// each refusal, 503 and locked call was told to Auto
		expect(pushbacks).toBeGreaterThanOrEqual((model?.refused ?? 0) + faults.unavailable);
	});

	it('records that share a parent: a naive split hits the parent’s lock, the node’s batches do not', async () => {
		const contactIds = await env.seed(
			'Contact',
			Array.from({ length: 20 }, (_, i) => ({ LastName: `Parent ${i}` })),
		);
		// 400 Cases, case i under contact i % 20: every batch of a naive split names every contact
		const caseItems = Array.from({ length: 400 }, (_, i) => ({
			subject: `Case ${i}`,
			contactId: contactIds[i % 20],
		}));
		// a write waits at most 5 ms for a parent another call in flight holds (Salesforce: 10 s)
		env.emu.setModel({ baseMs: 30, lockWaitMs: 5 });

		// naive: the same writer, fixed 4 in flight, batches of 40 in input order
		const { ctx } = createExecuteContext({ items: [], parameters: {}, credential: env.credential });
		const api = createSalesforceApi(ctx, { instanceUrl: env.emu.url });
		const naive = await new Writer(api, {
			object: 'Case',
			operation: 'create',
			batchSize: 40,
			concurrency: 4,
			bulkMode: 'never',
			lockRetries: 0,
			parentFields: [],
		}).write(
			caseItems.map((c, i) => ({
				itemIndex: i,
				record: { Subject: c.subject, ContactId: c.contactId },
			})),
		);
		const naiveLocks = env.emu.counters().model?.lockFailures ?? 0;
		const naiveFailed = naive.outcomes.filter(
			(o) => o.errors[0]?.errorCode === 'UNABLE_TO_LOCK_ROW',
		).length;
		expect(naiveLocks).toBeGreaterThan(0);
		expect(naiveFailed).toBe(naiveLocks);

		// the node: same records, same width and batch size, batched by ContactId
		env.emu.resetCounters();
		const out = await env.run({
			object: 'Case',
			items: caseItems,
			operation: 'create',
			rows: [
				{ internalEntity: field('subject'), remoteField: 'Subject' },
				{ internalEntity: field('contactId'), remoteField: 'ContactId' },
			],
			options: { batchSize: 40, concurrency: 4, bulkMode: 'never' },
		});
		expect(env.emu.counters().model?.lockFailures).toBe(0);
		expect(env.calls('collections.create')).toBe(10);
		expect(out).toHaveLength(400);
		out.forEach((o, i) => {
			expect(o.pairedItem).toEqual({ item: i });
			expect(o.json.success).toBe(true);
		});
		const cases = env.emu.records('Case');
		expect(cases).toHaveLength(400 + (400 - naiveFailed));
		const byId = new Map(cases.map((c) => [c.Id, c]));
		out.forEach((o, i) =>
			expect(byId.get(o.json.id as string)).toMatchObject({
				Subject: `Case ${i}`,
				ContactId: contactIds[i % 20],
			}),
		);
	});
});

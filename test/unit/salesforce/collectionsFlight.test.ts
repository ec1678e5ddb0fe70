/**
 * The Collections path with Requests in Flight and parent batching, against a small fake org
 * that holds a parent's lock while a call writes its children: a second call in flight naming
 * the same parent gets UNABLE_TO_LOCK_ROW for those records (as Salesforce does when the wait
 * for the lock runs out). The emulator's latency model proves the same end to end
 * (test/integration/feed.requestsInFlight.test.ts).
 */
import type { WriteInput } from '../../../nodes/SkeepersFeedApplication/domain';
import type { ParentField } from '../../../nodes/SkeepersFeedApplication/plan/parentBatches';
import { AUTO_CONCURRENCY } from '../../../nodes/SkeepersFeedApplication/salesforce/adaptiveConcurrency';
import type {
	SalesforceApi,
	SalesforceRequest,
	SalesforceResponse,
} from '../../../nodes/SkeepersFeedApplication/salesforce/types';
import {
	Writer,
	type WriterOptions,
} from '../../../nodes/SkeepersFeedApplication/salesforce/write/writer';

class LockingOrg implements SalesforceApi {
	readonly apiVersion = '66.0';
	readonly usage = undefined;
	readonly stats = { calls: 0, retries: 0 };
	inFlight = 0;
	maxInFlight = 0;
	lockFailures = 0;
	calls = 0;
	private held = new Map<string, number>();
	private seq = 0;
	/** Every n-th call comes back after the transport retried a pushback (0: never). */
	pushbackEvery = 0;

	async request<T>(req: SalesforceRequest): Promise<SalesforceResponse<T>> {
		const call = ++this.calls;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		const records = (req.body as { records: Array<Record<string, unknown>> }).records;
		const mine: string[] = [];
		const results = records.map((r) => {
			const parent = r.ContactId as string | undefined;
			if (parent && (this.held.get(parent) ?? call) !== call) {
				this.lockFailures++;
				return {
					id: null,
					success: false,
					errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', fields: [] }],
				};
			}
			if (parent && !this.held.has(parent)) {
				this.held.set(parent, call);
				mine.push(parent);
			}
			return { id: `500${String(++this.seq).padStart(12, '0')}`, success: true, errors: [] };
		});
		for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
		for (const parent of mine) this.held.delete(parent);
		this.inFlight--;
		// as the transport does when it retries an attempt Salesforce pushed back on
		if (this.pushbackEvery && call % this.pushbackEvery === 0) req.onPushback?.();
		return { status: 200, body: results as T, headers: {} };
	}
}

const PARENTS: ParentField[] = [{ name: 'ContactId', relationshipName: 'Contact' }];
/** n Cases under 20 Contacts (18-character Ids), interleaved: case i belongs to contact i % 20. */
const cases = (n: number): WriteInput[] =>
	Array.from({ length: n }, (_, i) => ({
		itemIndex: i,
		record: { Subject: `S${i}`, ContactId: `003${String(i % 20).padStart(12, '0')}AAA` },
	}));
/** n Cases without a parent. */
const orphans = (n: number): WriteInput[] =>
	Array.from({ length: n }, (_, i) => ({ itemIndex: i, record: { Subject: `S${i}` } }));
const write = async (
	api: LockingOrg,
	n: number,
	o: Partial<WriterOptions>,
	inputs: (n: number) => WriteInput[] = cases,
) =>
	await new Writer(api, {
		object: 'Case',
		operation: 'create',
		lockRetries: 0,
		// many small calls: Auto would rightly pick Bulk API 2.0, which this fake org does not have
		bulkMode: 'never',
		sleep: async () => {},
		...o,
	}).write(inputs(n));

describe('Collections: records that share a parent go in the same batch', () => {
	it('a naive split makes concurrent calls contend for parents; grouping by parent removes it', async () => {
		const naive = new LockingOrg();
		const split = await write(naive, 400, { batchSize: 40, concurrency: 4 });
		const grouped = new LockingOrg();
		const byParent = await write(grouped, 400, {
			batchSize: 40,
			concurrency: 4,
			parentFields: PARENTS,
		});

		expect(naive.maxInFlight).toBe(4);
		expect(grouped.maxInFlight).toBe(4);
		expect(naive.lockFailures).toBeGreaterThan(0);
		expect(split.outcomes.some((o) => o.errors[0]?.errorCode === 'UNABLE_TO_LOCK_ROW')).toBe(true);
		expect(grouped.lockFailures).toBe(0);
		for (const report of [split, byParent]) {
			expect(report.outcomes.map((o) => o.itemIndex)).toEqual(cases(400).map((c) => c.itemIndex));
		}
		expect(byParent.outcomes.every((o) => o.success && o.sent?.Subject === `S${o.itemIndex}`)).toBe(
			true,
		);
		// same number of calls: 400 records, 40 per call (two contacts' 20 cases each)
		expect(naive.calls).toBe(10);
		expect(grouped.calls).toBe(10);
	});

	it('a parent with more children than a batch: its batches are sent one after the other', async () => {
		const org = new LockingOrg();
		// 1,000 cases of contact 0 and 5 of others, batch 200, 10 in flight
		const inputs: WriteInput[] = Array.from({ length: 1005 }, (_, i) => ({
			itemIndex: i,
			record: { Subject: `S${i}`, ContactId: i < 1000 ? '003A' : `003B${i}` },
		}));
		const report = await new Writer(org, {
			object: 'Case',
			operation: 'create',
			lockRetries: 0,
			concurrency: 10,
			parentFields: PARENTS,
		}).write(inputs);
		expect(org.lockFailures).toBe(0);
		expect(report.outcomes.every((o) => o.success)).toBe(true);
		expect(org.calls).toBe(6);
	});
});

describe('Collections: Requests in Flight on Auto', () => {
	it('grows from 2 while latency holds, never above the cap', async () => {
		const org = new LockingOrg();
		const report = await write(org, 10_000, { batchSize: 20 }, orphans);
		expect(org.calls).toBe(500);
		expect(org.maxInFlight).toBeGreaterThan(AUTO_CONCURRENCY.start);
		expect(org.maxInFlight).toBeLessThanOrEqual(AUTO_CONCURRENCY.cap);
		expect(report.flight).toEqual({
			setting: 'auto',
			peakInFlight: org.maxInFlight,
			pushbacks: 0,
			startedAt: AUTO_CONCURRENCY.start,
			resumed: false,
		});
		expect(report.outcomes.every((o) => o.success)).toBe(true);
	});

	it('counts the pushbacks the transport retried through, and stays within 1..cap', async () => {
		const org = new LockingOrg();
		org.pushbackEvery = 7;
		const report = await write(org, 4000, { batchSize: 20 }, orphans);
		expect(report.flight?.pushbacks).toBe(Math.floor(200 / 7));
		expect(org.maxInFlight).toBeLessThanOrEqual(AUTO_CONCURRENCY.cap);
		expect(report.outcomes).toHaveLength(4000);
		expect(report.outcomes.every((o) => o.success)).toBe(true);
	});

	it('a fixed number stays fixed', async () => {
		const org = new LockingOrg();
		org.pushbackEvery = 3;
		const report = await write(org, 2000, { batchSize: 20, concurrency: 6 }, orphans);
		expect(org.maxInFlight).toBe(6);
		expect(report.flight).toMatchObject({ setting: 6, peakInFlight: 6 });
	});
});

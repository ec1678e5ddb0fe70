import {
	bulkLimitSeconds,
	collectionsLimitSeconds,
	flatModel,
	limitSeconds,
	presetModel,
	type LatencyModel,
} from '../../../bench/limits';

const model: LatencyModel = {
	name: 'test',
	baseMs: 150,
	perRecordMs: 5,
	concurrency: 10,
	bulkBatchSize: 10_000,
	bulkChunkSize: 200,
	bulkParallelism: 4,
};

describe('physical limit of a write', () => {
	it('spreads ⌈N/200⌉ collections calls over the concurrency ceiling', () => {
		// 10,000 records: 50 calls of 150 + 200 × 5 ms = 1.15 s, 10 at once → 5 waves
		expect(collectionsLimitSeconds(10_000, model)).toBeCloseTo(5 * 1.15);
		// 1,001 records: 6 calls in one wave; the wave lasts as long as its largest call
		expect(collectionsLimitSeconds(1001, model)).toBeCloseTo(1.15);
		// 50 records: one call of 150 + 250 ms
		expect(collectionsLimitSeconds(50, model)).toBeCloseTo(0.4);
	});

	it('runs Bulk API 2.0 batches side by side, plus its five calls', () => {
		// a batch of 10,000: 50 transactions × 150 ms + 10,000 × 5 ms = 57.5 s
		expect(bulkLimitSeconds(10_000, model)).toBeCloseTo(57.5 + 0.75);
		// 100,000: 10 batches on 4 workers → 3 batches on the busiest one
		expect(bulkLimitSeconds(100_000, model)).toBeCloseTo(3 * 57.5 + 0.75);
		// 25,000: batches of 10,000, 10,000 and 5,000, side by side
		expect(bulkLimitSeconds(25_000, model)).toBeCloseTo(57.5 + 0.75);
	});

	it('gives the Auto path and the others the better of both APIs', () => {
		expect(limitSeconds('skeepers-auto', 100_000, model)).toBeCloseTo(
			Math.min(collectionsLimitSeconds(100_000, model), bulkLimitSeconds(100_000, model)),
		);
		expect(limitSeconds('jsforce', 10_000, model)).toBeCloseTo(
			collectionsLimitSeconds(10_000, model),
		);
		expect(limitSeconds('n8n-noop', 10_000, model)).toBeNull();
	});

	it('reads a flat latency as one call time per wave of the node’s 25 requests in flight', () => {
		const flat = flatModel(20);
		// 50 calls of 200 records: 2 waves of 25
		expect(collectionsLimitSeconds(10_000, flat)).toBeCloseTo(2 * 0.02);
		expect(bulkLimitSeconds(10_000, flat)).toBeCloseTo(6 * 0.02);
	});

	it("reads the emulator's Salesforce preset: 10,000 upserts take 2 waves of 25 calls of 1.15 s", () => {
		const m = presetModel('salesforce');
		expect(m).toEqual(expect.objectContaining({ baseMs: 150, perRecordMs: 5, concurrency: 25 }));
		expect(collectionsLimitSeconds(10_000, m)).toBeCloseTo(2.3);
	});
});

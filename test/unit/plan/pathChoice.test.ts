import {
	choosePath,
	estimatePaths,
	PATH_COST_MODEL,
} from '../../../nodes/SkeepersFeedApplication/plan/pathChoice';

const auto = (records: number, concurrency = 10) =>
	choosePath({ records, batchSize: 200, concurrency }).path;

describe('choosePath (Bulk API 2.0: Auto)', () => {
	it('keeps Always, Never and All or None', () => {
		const base = { records: 100_000, batchSize: 200, concurrency: 10 };
		expect(choosePath({ ...base, records: 1, bulkMode: 'always' }).path).toBe('bulk');
		expect(choosePath({ ...base, bulkMode: 'never' }).path).toBe('collections');
		expect(choosePath({ ...base, allOrNone: true }).path).toBe('collections');
		expect(choosePath({ ...base, allOrNone: true }).reason).toMatch(/no rollback/);
	});

	it('a Bulk Threshold set on the node keeps the threshold rule', () => {
		const base = { batchSize: 200, concurrency: 10, bulkThreshold: 2000 };
		expect(choosePath({ ...base, records: 2000 }).path).toBe('bulk');
		expect(choosePath({ ...base, records: 1999 }).path).toBe('collections');
	});

	it('counts the calls of each path', () => {
		const e = estimatePaths({ records: 5000, batchSize: 200, concurrency: 10 });
		expect(e.collections).toEqual({
			calls: 25,
			seconds: 3 * PATH_COST_MODEL.collectionCallSeconds,
		});
		// one internal batch; each record at a Collections record's server time (1.5 s / 200)
		expect(e.bulk.seconds).toBeCloseTo(
			PATH_COST_MODEL.bulkJobSeconds + (5000 * PATH_COST_MODEL.collectionCallSeconds) / 200,
		);
		// 25,000 records: 3 internal batches of 10,000 side by side take as long as one
		expect(estimatePaths({ records: 25_000, batchSize: 200, concurrency: 10 }).bulk.seconds).toBe(
			estimatePaths({ records: 10_000, batchSize: 200, concurrency: 10 }).bulk.seconds,
		);
		expect(e.bulk.calls).toBeGreaterThan(PATH_COST_MODEL.bulkFixedCalls);
	});

	it('small runs stay on Collections, large ones go to Bulk', () => {
		expect(auto(1)).toBe('collections');
		expect(auto(2000)).toBe('collections');
		expect(auto(5000)).toBe('collections');
		// 10,000: 50 parallel calls finish in ~8 s, a Bulk job in ~85 s, so 32 calls saved do not pay
		expect(auto(10_000)).toBe('collections');
		expect(auto(50_000)).toBe('bulk');
		expect(auto(200_000)).toBe('bulk');
	});

	it('fewer calls in flight make Collections slower, so Bulk wins sooner', () => {
		const crossover = (concurrency: number) => {
			let n = 200;
			while (auto(n, concurrency) === 'collections') n += 200;
			return n;
		};
		expect(crossover(1)).toBeLessThan(crossover(4));
		expect(crossover(4)).toBeLessThan(crossover(10));
	});

	it('says why, with both estimates', () => {
		const choice = choosePath({ records: 5000, batchSize: 200, concurrency: 10 });
		expect(choice.reason).toMatch(
			/^Auto: sObject Collections 25 call\(s\), ~5 s vs Bulk API 2\.0 \d+ call\(s\), ~48 s$/,
		);
	});
});

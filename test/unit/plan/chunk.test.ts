import { COLLECTION_LIMIT, chunk } from '../../../nodes/SkeepersFeedApplication/plan/chunk';

const items = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('chunk', () => {
	it.each([
		[0, []],
		[1, [1]],
		[199, [199]],
		[200, [200]],
		[201, [200, 1]],
		[400, [200, 200]],
		[401, [200, 200, 1]],
	])('%i items → batches of %j', (n, sizes) => {
		const batches = chunk(items(n), COLLECTION_LIMIT);
		expect(batches.map((b) => b.length)).toEqual(sizes);
		expect(batches.flat()).toEqual(items(n)); // order kept, nothing lost
	});

	it('is 200 for sObject Collections', () => {
		expect(COLLECTION_LIMIT).toBe(200);
	});

	it.each([0, -1, 1.5, Number.NaN])('refuses size %p', (size) => {
		expect(() => chunk([1], size)).toThrow(RangeError);
	});
});

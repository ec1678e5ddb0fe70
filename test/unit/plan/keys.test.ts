import { planKeys } from '../../../nodes/SkeepersFeedApplication/plan/keys';

describe('planKeys', () => {
	it('puts unique keys in one wave', () => {
		const plan = planKeys(['a@x.fr', 'b@x.fr', 'c@x.fr']);
		expect(plan.waves).toEqual([[0, 1, 2]]);
		expect(plan.duplicates.size).toBe(0);
	});

	it('writes items sharing a key in successive waves, in input order', () => {
		const plan = planKeys(['a@x.fr', 'b@x.fr', 'A@X.fr ', undefined, 'a@x.fr', 'b@x.fr', '']);
		expect(plan.waves).toEqual([[0, 1, 3, 6], [2, 5], [4]]);
		expect(plan.occurrence).toEqual([0, 0, 1, 0, 2, 1, 0]);
		expect(plan.previous).toEqual([undefined, undefined, 0, undefined, 2, 1, undefined]);
		expect([...plan.duplicates.entries()]).toEqual([
			['a@x.fr', [0, 2, 4]],
			['b@x.fr', [1, 5]],
		]);
	});

	it('no wave holds the same key twice, and every item is in exactly one wave', () => {
		const keys = Array.from({ length: 1000 }, (_, i) => `k${i % 37}`);
		const plan = planKeys(keys);
		const all = plan.waves.flat().sort((a, b) => a - b);
		expect(all).toEqual(keys.map((_, i) => i));
		for (const wave of plan.waves) {
			const ks = wave.map((i) => keys[i]);
			expect(new Set(ks).size).toBe(ks.length);
			expect(wave).toEqual([...wave].sort((a, b) => a - b));
		}
		// The last item with a key is in the last wave that key appears in.
		expect(plan.waves.length).toBe(Math.ceil(1000 / 37));
	});

	it('several keys per item: an item goes one wave after the latest earlier item sharing any key', () => {
		// 1 shares b with 0, 3 shares c with 2, 5 shares R1 with 0 (keys compared without case)
		const plan = planKeys([
			['R1', 'b'],
			['R2', 'B '],
			['R3', 'c'],
			[undefined, 'c'],
			['R9', undefined],
			['r1', 'z'],
		]);
		expect(plan.waves).toEqual([
			[0, 2, 4],
			[1, 3, 5],
		]);
		expect(plan.previous).toEqual([undefined, 0, undefined, 2, undefined, 0]);
		expect([...plan.duplicates.keys()]).toEqual(['r1', 'b', 'c']);
	});

	it('one key per item given as a list plans exactly as the plain key', () => {
		const keys = ['a', 'b', 'A', undefined, 'a', 'b', ''];
		expect(planKeys(keys.map((k) => [k]))).toEqual(planKeys(keys));
	});

	it('handles no items', () => {
		expect(planKeys([])).toEqual({
			waves: [],
			occurrence: [],
			previous: [],
			duplicates: new Map(),
		});
	});
});

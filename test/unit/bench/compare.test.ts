import { limitTargets } from '../../../bench/compare';
import { emptyRatios } from '../../../bench/scenarios/written';
import type { WriteResult } from '../../../bench/types';

function write(path: string, seconds: number, nodeSeconds: number | null): WriteResult {
	return {
		path: path as WriteResult['path'],
		operation: 'upsert',
		records: 10_000,
		apiCalls: 0,
		seconds,
		recordsWritten: 10_000,
		apiCallsByKind: {},
		recordsPerSecond: 10_000 / seconds,
		nodeSeconds,
		...emptyRatios(),
	};
}

describe('within 1.3× of the limit: on the node’s own time and on the wall', () => {
	const auto = write('skeepers-auto', 3.73, 2.98);
	const noop = write('n8n-noop', 0.99, 0.01);

	it('judges the node’s time and the wall time each against 1.3×', () => {
		const [node, wall] = limitTargets('10,000 upserts', auto, 2.3, [auto, noop]);
		expect(node.met).toBe(true); // 2.98 / 2.3 = 1.30
		expect(node.measured).toContain('1.3×');
		expect(wall.met).toBe(false); // 3.73 / 2.3 = 1.62
		expect(wall.measured).toContain('1.62×');
	});

	it('gives the wall time’s floor: n8n alone plus the limit', () => {
		const [, wall] = limitTargets('10,000 upserts', auto, 2.3, [auto, noop]);
		// (0.99 + 2.3) / 2.3
		expect(wall.measured).toMatch(
			/takes 0\.99 s, so a writer at the limit itself would be at 1\.43×/,
		);
	});

	it('a slower node fails the node-time target; without a No Operation run no floor is claimed', () => {
		const slow = write('skeepers-auto', 4, 3.1);
		const [node, wall] = limitTargets('10,000 upserts', slow, 2.3, [slow]);
		expect(node.met).toBe(false);
		expect(wall.measured).not.toMatch(/n8n alone/);
	});

	it('no node time: not measured', () => {
		const jsOnly = write('skeepers-auto', 3, null);
		expect(limitTargets('10,000 upserts', jsOnly, 2.3, [jsOnly])[0].met).toBeNull();
	});
});

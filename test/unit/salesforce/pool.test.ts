import { runPool } from '../../../nodes/SkeepersFeedApplication/salesforce/pool';

/** Tasks that wait until released, counting how many run at once. */
function gatedTasks(n: number) {
	let running = 0;
	const widths: number[] = [];
	const gates: Array<() => void> = [];
	const tasks = Array.from({ length: n }, () => async () => {
		running++;
		widths.push(running);
		await new Promise<void>((resolve) => gates.push(resolve));
		running--;
	});
	const releaseOne = async () => {
		gates.shift()?.();
		await new Promise((r) => setImmediate(r));
	};
	return { tasks, widths, gates, releaseOne };
}

describe('runPool', () => {
	it('reads a changing limit each time a task settles', async () => {
		const { tasks, widths, gates, releaseOne } = gatedTasks(12);
		let limit = 2;
		const done = runPool(tasks, () => limit);
		expect(gates.length).toBe(2);
		limit = 5;
		await releaseOne();
		expect(gates.length).toBe(5);
		limit = 1;
		while (gates.length > 1) await releaseOne();
		await releaseOne();
		expect(gates.length).toBe(1);
		while (gates.length) await releaseOne();
		await done;
		expect(widths.length).toBe(12);
		expect(Math.max(...widths)).toBe(5);
	});

	it('stops starting tasks once shouldStop says so, and after a task throws', async () => {
		let started = 0;
		const tasks = Array.from({ length: 5 }, () => async () => {
			started++;
		});
		await runPool(tasks, 1, () => started >= 2);
		expect(started).toBe(2);
		const failing = [
			async () => {
				throw new Error('boom');
			},
			async () => {
				started++;
			},
		];
		await expect(runPool(failing, 1)).rejects.toThrow('boom');
		expect(started).toBe(2);
	});
});

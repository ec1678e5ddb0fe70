/**
 * A small promise pool: runs `tasks` with at most `limit` in flight, in order of start.
 * No timers: a worker picks the next task as soon as its previous one settles.
 * `shouldStop` is checked before each start, so a caller can stop scheduling new work
 * (tasks already running finish).
 */
export async function runPool(
	tasks: Array<() => Promise<void>>,
	limit: number,
	shouldStop: () => boolean = () => false,
): Promise<void> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < tasks.length && !shouldStop()) {
			const task = tasks[next++];
			await task();
		}
	};
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, tasks.length));
	const workers: Array<Promise<void>> = [];
	for (let w = 0; w < width; w++) workers.push(worker());
	await Promise.all(workers);
}

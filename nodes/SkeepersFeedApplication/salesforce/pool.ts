/**
 * A small promise pool: runs `tasks` with at most `limit` in flight, in order of start. The
 * limit may change while the pool runs (Requests in Flight: Auto): it is read again each time a
 * task settles. No timers: the next task starts as soon as a slot is free.
 * `shouldStop` is checked before each start, so a caller can stop scheduling new work
 * (tasks already running finish). The first task that throws rejects the pool; no task starts
 * after it.
 */
export async function runPool(
	tasks: Array<() => Promise<void>>,
	limit: number | (() => number),
	shouldStop: () => boolean = () => false,
): Promise<void> {
	const width = typeof limit === 'function' ? limit : () => limit;
	await new Promise<void>((resolve, reject) => {
		let next = 0;
		let inFlight = 0;
		let failed = false;
		const pump = (): void => {
			while (
				!failed &&
				next < tasks.length &&
				!shouldStop() &&
				inFlight < Math.max(1, Math.floor(width()) || 1)
			) {
				const task = tasks[next++];
				inFlight++;
				task().then(
					() => {
						inFlight--;
						pump();
					},
					(error: unknown) => {
						failed = true;
						reject(error);
					},
				);
			}
			if (!failed && inFlight === 0) resolve();
		};
		pump();
	});
}

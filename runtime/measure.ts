// tsx runtime/measure.ts: start-up times of each major (first start with migrations, then a restart)
import { startN8n } from './n8n';
(async () => {
	for (const major of [2, 1] as const) {
		const t0 = Date.now();
		const n = await startN8n({ major });
		const first = Date.now() - t0;
		await n.restart();
		console.log(
			JSON.stringify({
				major,
				version: n.version,
				firstStartMs: n.startupMs[0],
				restartMs: n.startupMs[1],
				startN8nTotalMs: first,
			}),
		);
		await n.stop();
	}
})().catch((e) => {
	console.error(e);
	process.exit(1);
});

/**
 * Node overhead without network: 10,000 items × 10 mapping rows, Dry Run, emulator latency 0,
 * against the same workflow with a No Operation node (n8n's own cost), n8n's CPU from /metrics,
 * and the node's pure functions timed in this process.
 */
import { makeItems } from '../data';
import { round, runThroughWorkflow } from '../n8n-exec';
import { timePureFunctions } from '../overhead';
import type { BenchStack } from '../setup';
import type { BenchOptions, OverheadResult } from '../types';
import { noOpNode, overheadNode, writerWorkflow } from '../workflows';

export async function benchOverhead(
	o: BenchOptions,
	s: BenchStack,
	say: (l: string) => void,
): Promise<OverheadResult> {
	const items = makeItems(o.overheadItems, 'overhead');
	const dry = { id: '', path: 'bench-overhead-dryrun', seen: new Set<string>() };
	const base = { id: '', path: 'bench-overhead-baseline', seen: new Set<string>() };
	dry.id = await s.createWorkflow(
		writerWorkflow('bench overhead: dry run', dry.path, overheadNode(s.creds.sfCred, true)),
	);
	base.id = await s.createWorkflow(
		writerWorkflow('bench overhead: baseline', base.path, noOpNode()),
	);
	for (const w of [dry, base]) {
		const r = await runThroughWorkflow(s.n8n, w.id, w.path, items.slice(0, 20), w.seen);
		if (r.error) throw new Error(`overhead warm-up failed: ${r.error}`);
	}
	say(`[bench] overhead: ${items.length} items × 10 rows, Dry Run, latency 0…`);
	const b = await runThroughWorkflow(s.n8n, base.id, base.path, items, base.seen);
	s.emu.resetCounters();
	const r = await runThroughWorkflow(s.n8n, dry.id, dry.path, items, dry.seen);
	if (r.error) throw new Error(`overhead run failed: ${r.error}`);
	const apiCalls = s.emu.counters().total;
	const cpu = r.memory?.cpuSeconds ?? null;
	const baseCpu = b.memory?.cpuSeconds ?? null;
	say(
		`[bench]   ${round(r.seconds, 2)} s wall (node ${r.nodeSeconds?.toFixed(2)} s, n8n CPU ${cpu ?? '—'} s); baseline without the node ${round(b.seconds, 2)} s (CPU ${baseCpu ?? '—'} s)`,
	);
	const pure = await timePureFunctions(items, s.token);
	return {
		items: items.length,
		itemsPerSecond: round(items.length / r.seconds, 0),
		rows: 10,
		seconds: round(r.seconds, 3),
		nodeSeconds: r.nodeSeconds === null ? null : round(r.nodeSeconds, 3),
		baselineSeconds: round(b.seconds, 3),
		cpuSeconds: cpu,
		baselineCpuSeconds: baseCpu,
		nodeCpuMsPer10k:
			cpu !== null && baseCpu !== null
				? round(((cpu - baseCpu) * 1000 * 10_000) / items.length, 0)
				: null,
		apiCalls,
		pure,
	};
}

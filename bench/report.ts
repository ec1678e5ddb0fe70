/** Markdown tables of a bench result, printed by `npm run bench` (see docs/performance.md). */
import { besideLine } from './scenarios/beside';
import type { BenchResult, WriteResult } from './types';

const fmt = (x: number | null | undefined, d = 2) =>
	x === null || x === undefined
		? '—'
		: x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
const times = (x: number | null | undefined, d = 2) =>
	x === null || x === undefined ? '—' : `${fmt(x, d)}×`;

function kinds(byKind: Record<string, number>): string {
	return Object.entries(byKind)
		.filter(([, n]) => n > 0)
		.sort((a, b) => b[1] - a[1])
		.map(([k, n]) => `${k} ${n}`)
		.join(', ');
}

function writeRow(w: WriteResult): string {
	const recs = w.sampleOf ? `${fmt(w.records, 0)} (sample)` : fmt(w.records, 0);
	const cold =
		w.apiCallsCold !== undefined && w.apiCallsCold !== w.apiCalls
			? ` (cold ${fmt(w.apiCallsCold, 0)})`
			: '';
	const mem = w.memory
		? `${fmt(w.memory.heapBeforeMb, 0)} → ${fmt(w.memory.heapPeakMb, 0)} → ${fmt(w.memory.heapAfterMb, 0)}`
		: '—';
	const rss = rssGrowthMb(w);
	const m = w.memory;
	const gc =
		m?.heapAfterGcBeforeMb !== undefined && m.heapAfterGcAfterMb !== undefined
			? `${fmt(m.heapAfterGcBeforeMb, 1)} → ${fmt(m.heapAfterGcAfterMb, 1)} (${signed(m.heapKeptMb!, 1)})`
			: '—';
	const written = w.path === 'n8n-noop' ? '—' : `${fmt(w.recordsWritten, 0)}/${fmt(w.records, 0)}`;
	return `| ${w.operation} | ${recs} | ${w.path} | ${fmt(w.apiCalls, 0)}${cold} | ${kinds(w.apiCallsByKind)} | ${fmt(w.seconds)} | ${fmt(w.nodeSeconds)} | ${fmt(w.recordsPerSecond, 0)} | ${fmt(w.limitSeconds)} | ${times(w.vsLimit)} | ${times(w.nodeVsLimit)} | ${times(w.vsJsforce)} | ${times(w.vsBuiltin, 0)} | ${mem} | ${rss === undefined ? '—' : signed(rss, 1)} | ${gc} | ${written}${w.error ? ` ⚠ ${w.error.slice(0, 80)}` : ''} |`;
}

const growthMb = (w: WriteResult | undefined) =>
	w?.memory ? w.memory.heapPeakMb - w.memory.heapBeforeMb : undefined;
const rssGrowthMb = (w: WriteResult | undefined) => w?.memory?.rssPeakGrowthMb;
const signed = (x: number, d = 0) => `${x >= 0 ? '+' : '−'}${fmt(Math.abs(x), d)}`;

/** Why n8n's peak from the OS is missing from a run that has /metrics figures, if it is. */
function rssMissing(r: BenchResult): string | undefined {
	return r.writes.find((w) => w.memory && w.memory.rssPeakGrowthMb === undefined)?.memory
		?.rssPeakUnavailable;
}

const keptMb = (w: WriteResult | undefined) => w?.memory?.heapKeptMb;

/** Why the heap n8n keeps is missing from a run that has /metrics figures, if it is. */
function keptMissing(r: BenchResult): string | undefined {
	const w = r.writes.find((x) => x.memory?.heapAfterGcUnavailable !== undefined);
	return w && `${w.path} at ${fmt(w.records, 0)}, ${w.memory!.heapAfterGcUnavailable}`;
}

/** How each path's time and n8n's heap grow with the size, against the No Operation baseline. */
function growth(r: BenchResult): string[] {
	const sizes = r.sizes;
	const rows: string[] = [];
	for (const op of [...new Set(r.writes.map((w) => w.operation))]) {
		const at = (p: string, n: number) =>
			r.writes.find((w) => w.operation === op && w.path === p && w.records === n);
		for (const p of [...new Set(r.writes.map((w) => w.path))]) {
			if (p === 'n8n-builtin' || p === 'jsforce') continue;
			const cells = sizes.map((n) => {
				const w = at(p, n);
				if (!w) return '—';
				const g = growthMb(w);
				const rss = rssGrowthMb(w);
				const noop = at('n8n-noop', n);
				// vs No Op on the OS peak when both runs have it, else on the heap's
				const [mine, base, what] =
					rss !== undefined && rssGrowthMb(noop) !== undefined
						? [rss, rssGrowthMb(noop), 'peak RSS']
						: [g, growthMb(noop), 'heap'];
				const extra =
					p !== 'n8n-noop' && mine !== undefined && base !== undefined
						? ` (${what} ${signed(mine - base)} vs No Op)`
						: '';
				const peak = rss === undefined ? '' : `; peak RSS ${signed(rss)} MB`;
				const k = keptMb(w);
				const kNoop = keptMb(noop);
				const kept =
					k === undefined
						? ''
						: `; kept ${signed(k, 1)} MB${p !== 'n8n-noop' && kNoop !== undefined ? ` (${signed(k - kNoop, 1)} vs No Op)` : ''}`;
				return `${fmt(w.nodeSeconds)} s; heap ${g === undefined ? '—' : signed(g)} MB${peak}${extra}${kept}`;
			});
			rows.push(`| ${op} | ${p} | ${cells.join(' | ')} |`);
		}
	}
	const missing = rssMissing(r);
	const noKept = keptMissing(r);
	return [
		`**Growth with the size** (node s = the writer's own \`executionTime\`; heap = growth of n8n's heap used during the run, peak − before, from its /metrics sampled every 250 ms; peak RSS = n8n's peak resident memory during the run from the OS (VmHWM, reset before the run) − its resident memory before, which holds while n8n is too busy to answer /metrics; the No Operation workflow holds the same items, so *vs No Op* is what the writer needs beyond n8n's own items, on the peak RSS when both runs have it, give or take n8n's garbage collector${missing ? `; **peak RSS not measured**: ${missing}, so *vs No Op* compares the heap from /metrics` : ''}; kept = n8n's heap after a full garbage collection once the execution ended − the same before the run, garbage left out, and its *vs No Op* is what the writer keeps beyond n8n's own items after the run${noKept ? `; **kept not measured** for ${noKept}` : ''})`,
		'',
		`| operation | path | ${sizes.map((n) => fmt(n, 0)).join(' | ')} |`,
		`| --- | --- | ${sizes.map(() => '---').join(' | ')} |`,
		...rows,
		'',
	];
}

/** Each variant's calls beside its plain path's, in one table, then a line per variant. */
function besideTable(r: BenchResult): string[] {
	const vs = r.writes.filter((w) => w.beside);
	if (!vs.length) return [];
	return [
		'**Variants beside the plain path** (same run, same records; API calls after the warm-up; right = records as the variant should leave them, checked in the org after the run)',
		'',
		'| operation | records | variant | beside | API calls without → with | calls by kind without | calls by kind with | wall s without → with | right in the org | met |',
		'| --- | ---: | --- | --- | ---: | --- | --- | ---: | ---: | --- |',
		...vs.map((w) => {
			const b = w.beside!;
			const met = b.met === null ? '—' : b.met ? 'yes' : '**no**';
			const wrong = w.orgProblems?.length ? ' ⚠' : '';
			return `| ${w.operation} | ${fmt(w.records, 0)} | ${w.path} | ${b.path} | ${fmt(b.apiCalls, 0)} → ${fmt(w.apiCalls, 0)} | ${kinds(b.apiCallsByKind)} | ${kinds(w.apiCallsByKind)} | ${fmt(b.seconds)} → ${fmt(w.seconds)} | ${fmt(w.recordsWritten, 0)}/${fmt(w.records, 0)}${wrong} | ${met} |`;
		}),
		'',
		...vs.map((w) => `- ${besideLine(w)}`),
		'',
	];
}

export function renderMarkdown(r: BenchResult): string {
	const out: string[] = [];
	const m = r.machineInfo;
	const l = r.latency;
	out.push(
		`Machine: ${m.cpuModel}, ${m.nproc} cores; load average ${m.loadAvgStart.join(' / ')} at start, ${m.loadAvgEnd.join(' / ')} at end; n8n ${m.n8nVersion} on Node ${m.n8nNode} (expression engine ${m.expressionEngine}); emulator latency: ${l.name} (${l.baseMs} ms per request + ${l.perRecordMs} ms per record, ${l.concurrency} requests at once; Bulk batches of ${fmt(l.bulkBatchSize, 0)} in transactions of ${fmt(l.bulkChunkSize, 0)}, ${l.bulkParallelism} side by side); total ${fmt(r.totalSeconds, 0)} s.`,
		'',
	);
	if (r.writes.length) {
		out.push(
			"**Writes, side by side** (wall = POST to the workflow until the execution ended, or jsforce's call; node = the writer node's own `executionTime`; limit = the latency model's physical limit for the path (bench/limits.ts); ×limit = wall ÷ limit, node ×limit = node ÷ limit; vs jsforce = jsforce's time ÷ this path's (> 1 = faster); heap = n8n's heap used before → peak → after, MB; peak RSS = growth of n8n's resident memory to its peak, from the OS, MB; heap after GC = n8n's heap used after a full garbage collection before → after the run, MB (kept = after − before); API calls after a warm-up, describe cached; cold = in a fresh n8n process)",
			'',
			'| operation | records | path | API calls | calls by kind | wall s | node s | records/s | limit s | ×limit | node ×limit | vs jsforce | vs built-in | heap MB | peak RSS MB | heap after GC MB (kept) | written |',
			'| --- | ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
			...r.writes.map(writeRow),
			'',
			...besideTable(r),
			...growth(r),
		);
	}
	if (r.targets.length) {
		out.push(
			'**Targets** (measured in this run)',
			'',
			'| target | measured | met |',
			'| --- | --- | --- |',
			...r.targets.map(
				(t) =>
					`| ${t.target} | ${t.measured} | ${t.met === null ? 'not measured' : t.met === 'reported' ? '(reported)' : t.met ? 'yes' : '**no**'} |`,
			),
			'',
		);
	}
	if (r.intake.length) {
		out.push(
			'**Webhook intake** (deliveries in A B B A halves; latency = time to the HTTP answer)',
			'',
			'| path | deliveries | accepted | executions completed | p50 ms | p95 ms | p99 ms | p50 vs Webhook | p95 vs Webhook | p99 vs Webhook | deliveries/s | deliveries/s vs Webhook |',
			'| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
			...[...r.intake, ...(r.intakeDiagnostics ?? [])].map(
				(i) =>
					`| ${i.path} | ${fmt(i.deliveries, 0)} | ${fmt(i.accepted, 0)} | ${fmt(i.executionsCompleted, 0)} | ${fmt(i.p50Ms, 1)} | ${fmt(i.p95Ms, 1)} | ${fmt(i.p99Ms, 1)} | ${fmt(i.p50VsWebhook)}× | ${fmt(i.p95VsWebhook)}× | ${fmt(i.p99VsWebhook)}× | ${fmt(i.deliveriesPerSecond, 0)} | ${fmt(i.throughputVsWebhook)}× |`,
			),
			'',
		);
	}
	if (r.overhead) {
		const o = r.overhead;
		out.push(
			`**Node overhead without network** (${fmt(o.items, 0)} items × ${o.rows} mapping rows, Create or Update by external ID, Dry Run, latency 0)`,
			'',
			'| measure | seconds | items/s | n8n CPU s |',
			'| --- | ---: | ---: | ---: |',
			`| whole workflow (Webhook → Split Out → Feed Application), wall | ${fmt(o.seconds)} | ${fmt(o.itemsPerSecond, 0)} | ${fmt(o.cpuSeconds)} |`,
			`| the Feed Application node alone (\`executionTime\`) | ${fmt(o.nodeSeconds)} | ${o.nodeSeconds ? fmt(o.items / o.nodeSeconds, 0) : '—'} | |`,
			`| same workflow with a No Operation node instead (n8n's own cost) | ${fmt(o.baselineSeconds)} | ${o.baselineSeconds ? fmt(o.items / o.baselineSeconds, 0) : '—'} | ${fmt(o.baselineCpuSeconds)} |`,
			`| pure functions in-process: mapItem ${fmt(o.pure.mapMs, 0)} ms + validateRecord ${fmt(o.pure.validateMs, 0)} ms + planKeys/chunk ${fmt(o.pure.planMs, 0)} ms | ${fmt(o.pure.totalMs / 1000, 3)} | ${fmt(o.pure.itemsPerSecond, 0)} | |`,
			'',
			`The node's CPU per 10,000 items (n8n's CPU with the node − without it): ${fmt(o.nodeCpuMsPer10k, 0)} ms.`,
			'',
		);
	}
	if (r.notes.length) out.push(...r.notes.map((n) => `- ${n}`), '');
	if (r.errors?.length) out.push(...r.errors.map((e) => `- **failed** ${e}`), '');
	return out.join('\n');
}

/** Markdown tables of a bench result, printed by `npm run bench` (see docs/performance.md). */
import type { BenchResult, WriteResult } from './run';

const fmt = (x: number | null | undefined, d = 2) =>
	x === null || x === undefined
		? '—'
		: x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });

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
	return `| ${w.operation} | ${w.path} | ${recs} | ${fmt(w.apiCalls, 0)}${cold} | ${kinds(w.apiCallsByKind)} | ${fmt(w.seconds)} | ${fmt(w.nodeSeconds)} | ${fmt(w.recordsPerSecond, 0)} | ${w.vsBuiltin === null ? '—' : `${fmt(w.vsBuiltin, 1)}×`} | ${fmt(w.recordsWritten, 0)}/${fmt(w.records, 0)}${w.error ? ` ⚠ ${w.error.slice(0, 80)}` : ''} |`;
}

export function renderMarkdown(r: BenchResult): string {
	const out: string[] = [];
	const m = r.machineInfo;
	out.push(
		`Machine: ${m.cpuModel}, ${m.nproc} cores; load average ${m.loadAvgStart.join(' / ')} at start, ${m.loadAvgEnd.join(' / ')} at end; n8n ${m.n8nVersion} on Node ${m.n8nNode} (expression engine ${m.expressionEngine}); emulator latency ${r.latencyMs} ms per request; total ${fmt(r.totalSeconds, 0)} s.`,
		'',
	);
	if (r.writes.length) {
		out.push(
			"**Writes** (wall = POST to the workflow until the execution ended; node = the writer node's own `executionTime`; API calls after a warm-up, describe cached; cold = in a fresh n8n process)",
			'',
			'| operation | path | records | API calls | calls by kind | wall s | node s | records/s | vs built-in | written |',
			'| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
			...r.writes.map(writeRow),
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
			'| measure | seconds | items/s |',
			'| --- | ---: | ---: |',
			`| whole workflow (Webhook → Split Out → Feed Application), wall | ${fmt(o.seconds)} | ${fmt(o.itemsPerSecond, 0)} |`,
			`| the Feed Application node alone (\`executionTime\`) | ${fmt(o.nodeSeconds)} | ${o.nodeSeconds ? fmt(o.items / o.nodeSeconds, 0) : '—'} |`,
			`| same workflow with a No Operation node instead (n8n's own cost) | ${fmt(o.baselineSeconds)} | ${o.baselineSeconds ? fmt(o.items / o.baselineSeconds, 0) : '—'} |`,
			`| pure functions in-process: mapItem ${fmt(o.pure.mapMs, 0)} ms + validateRecord ${fmt(o.pure.validateMs, 0)} ms + planKeys/chunk ${fmt(o.pure.planMs, 0)} ms | ${fmt(o.pure.totalMs / 1000, 3)} | ${fmt(o.pure.itemsPerSecond, 0)} |`,
			'',
		);
	}
	if (r.notes.length) out.push(...r.notes.map((n) => `- ${n}`), '');
	if (r.errors?.length) out.push(...r.errors.map((e) => `- **failed** ${e}`), '');
	return out.join('\n');
}

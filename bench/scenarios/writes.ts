/**
 * Writes, side by side in one run: for each size, the same records through the Feed Application
 * (Collections, Bulk API 2.0, Auto), jsforce and a No Operation baseline (n8n's own time and
 * memory for the items); n8n's built-in Salesforce node runs once per operation on a sample.
 *
 * Requests in Flight Auto remembers each org for 10 minutes, so the Feed Application paths after
 * the first are runs on an org Auto already knows, as a workflow's runs are. `skeepers-auto-first`
 * is Auto's first run on an org: a credential of its own, used once (no warm-up, so its describe
 * is fetched in the run as well).
 */
import type { Connection } from 'jsforce';

import { makeItems, type BenchItem } from '../data';
import { round, runThroughWorkflow } from '../n8n-exec';
import type { BenchStack } from '../setup';
import type { BenchOptions, WritePath, WriteResult } from '../types';
import { builtinNode, feedNode, noOpNode, writerWorkflow, type Operation } from '../workflows';
import { jsforceConnection, runJsforce, warmJsforce } from './jsforce';
import { besideLine, compareBeside } from './beside';
import { FEED_VARIANTS } from './variants';
import { countWritten, emptyRatios } from './written';

interface N8nPath {
	path: WritePath;
	operation: Operation;
	workflowId: string;
	webhookPath: string;
	seen: Set<string>;
}

/** The n8n paths of one operation, as --skip leaves them. */
function writerNodes(
	o: BenchOptions,
	operation: Operation,
	s: BenchStack,
): Array<[WritePath, Record<string, unknown>]> {
	const { sfCred, builtinCred } = s.creds;
	const all: Array<[WritePath, Record<string, unknown>, boolean]> = [
		['skeepers-collections', feedNode(operation, 'never', sfCred), !o.skip.has('collections')],
		['skeepers-bulk', feedNode(operation, 'always', sfCred), !o.skip.has('bulk')],
		['skeepers-auto', feedNode(operation, 'auto', sfCred), !o.skip.has('auto')],
		['n8n-builtin', builtinNode(operation, builtinCred), !o.skip.has('builtin')],
		['n8n-noop', noOpNode(), !o.skip.has('noop')],
	];
	for (const v of FEED_VARIANTS) {
		const choice = v.options(operation);
		if (choice)
			all.push([
				v.path,
				feedNode(
					operation,
					choice.bulkMode,
					sfCred,
					choice.options,
					choice.rows,
					choice.parameters,
				),
				!o.skip.has('variants'),
			]);
	}
	return all.filter(([, , on]) => on).map(([p, node]) => [p, node]);
}

/** Clears the org and seeds what a variant's run needs there, without the latency model. */
async function prepareOrg(s: BenchStack, path: WritePath, conn: Connection, items: BenchItem[]) {
	s.emu.clearRecords();
	const variant = FEED_VARIANTS.find((v) => v.path === path);
	if (variant?.before) {
		// what the org holds already is not measured
		s.latencyOff();
		try {
			await variant.before(conn, items);
		} finally {
			s.restoreLatency();
		}
	}
	return variant;
}

async function runN8nPath(
	s: BenchStack,
	p: N8nPath,
	items: BenchItem[],
	coldDescribes: number,
	conn: Connection,
): Promise<WriteResult> {
	const variant = await prepareOrg(s, p.path, conn, items);
	s.emu.resetCounters();
	// a path that fails (n8n out of memory at 100,000 items, a timeout) is reported, the others run
	const r = await runThroughWorkflow(s.n8n, p.workflowId, p.webhookPath, items, p.seen).catch(
		(e: unknown) => ({
			seconds: 0,
			nodeSeconds: null,
			successItems: 0,
			memory: undefined,
			error: e instanceof Error ? e.message : String(e),
		}),
	);
	const c = s.emu.counters();
	const check = variant?.verify?.(s.emu, items);
	const written =
		p.path === 'n8n-noop' ? 0 : (check?.right ?? countWritten(s.emu, p.operation, items));
	return {
		path: p.path,
		operation: p.operation,
		records: items.length,
		apiCalls: c.total,
		seconds: round(r.seconds, 3),
		recordsWritten: written,
		apiCallsByKind: c.byKind,
		recordsPerSecond: r.seconds > 0 ? round(items.length / r.seconds, 1) : 0,
		nodeSeconds: r.nodeSeconds === null ? null : round(r.nodeSeconds, 3),
		...emptyRatios(),
		successItems: r.successItems,
		...(r.memory ? { memory: r.memory } : {}),
		...(p.path.startsWith('skeepers-')
			? { apiCallsCold: c.total + coldDescribes - (c.byKind['describe.sobject'] ?? 0) }
			: {}),
		...(check?.problems.length ? { orgProblems: check.problems } : {}),
		...(r.error ? { error: r.error } : {}),
	};
}

function line(w: WriteResult): string {
	const m = w.memory;
	const rss = m?.rssPeakGrowthMb ?? m?.rssPeakUnavailable;
	const kept =
		m?.heapKeptMb === undefined
			? `not measured (${m?.heapAfterGcUnavailable})`
			: `${m.heapAfterGcBeforeMb}→${m.heapAfterGcAfterMb} MB (kept ${m.heapKeptMb >= 0 ? '+' : ''}${m.heapKeptMb} MB)`;
	const mem = m
		? `, heap ${m.heapBeforeMb}→${m.heapPeakMb} MB, peak RSS ${typeof rss === 'number' ? `${rss >= 0 ? '+' : ''}${rss} MB` : `not measured (${rss})`}, heap after GC ${kept}`
		: '';
	const wrong = w.orgProblems ? `, WRONG IN THE ORG ${w.orgProblems.join('; ')}` : '';
	return `[bench]   ${w.path}: ${w.seconds} s wall, node ${w.nodeSeconds ?? '—'} s, ${w.apiCalls} calls, ${w.recordsWritten}/${w.records} written${mem}${wrong}${w.error ? `, ERROR ${w.error}` : ''}`;
}

/** One workflow per operation and size, each with a credential of its own, for Auto's first run. */
async function firstRunPaths(o: BenchOptions, s: BenchStack): Promise<Map<string, N8nPath>> {
	const out = new Map<string, N8nPath>();
	let k = 0;
	for (const size of o.sizes)
		for (const operation of o.operations) {
			const webhookPath = `bench-skeepers-auto-first-${operation}-${size}`;
			const node = feedNode(operation, 'auto', s.firstRunCreds[k++]);
			const workflowId = await s.createWorkflow(
				writerWorkflow(`bench skeepers-auto-first ${operation} ${size}`, webhookPath, node),
			);
			out.set(`${operation} ${size}`, {
				path: 'skeepers-auto-first',
				operation,
				workflowId,
				webhookPath,
				seen: new Set(),
			});
		}
	return out;
}

export async function benchWrites(
	o: BenchOptions,
	s: BenchStack,
	say: (l: string) => void,
	notes: string[],
): Promise<WriteResult[]> {
	const paths: N8nPath[] = [];
	for (const operation of o.operations) {
		for (const [p, node] of writerNodes(o, operation, s)) {
			const webhookPath = `bench-${p}-${operation}`;
			const workflowId = await s.createWorkflow(
				writerWorkflow(`bench ${p} ${operation}`, webhookPath, node),
			);
			paths.push({ path: p, operation, workflowId, webhookPath, seen: new Set() });
		}
	}
	// warm-up: n8n loads node types lazily, the first calls open connections, and the node caches the
	// object's describe (the measured runs are warm; the first warm-up's describes give the cold figure)
	const warm = makeItems(3, 'warmup');
	const coldDescribes = new Map<Operation, number>();
	const conn = jsforceConnection(s.token);
	for (const p of paths) {
		await prepareOrg(s, p.path, conn, warm);
		s.emu.resetCounters();
		const w = await runThroughWorkflow(s.n8n, p.workflowId, p.webhookPath, warm, p.seen);
		if (w.error) throw new Error(`warm-up of ${p.path} ${p.operation} failed: ${w.error}`);
		const d = s.emu.counters().byKind['describe.sobject'] ?? 0;
		coldDescribes.set(p.operation, Math.max(coldDescribes.get(p.operation) ?? 0, d));
	}
	if (!o.skip.has('jsforce')) await warmJsforce(conn, warm);
	const firstRuns = o.skip.has('auto') ? new Map<string, N8nPath>() : await firstRunPaths(o, s);

	const results: WriteResult[] = [];
	const biggest = Math.max(...o.sizes);
	for (const operation of o.operations) {
		for (const size of o.sizes) {
			const items = makeItems(size);
			const ofSize: WriteResult[] = [];
			const first = firstRuns.get(`${operation} ${size}`);
			for (const p of [
				...(first ? [first] : []),
				...paths.filter((x) => x.operation === operation),
			]) {
				if (p.path === 'n8n-builtin') continue;
				say(`[bench] ${operation} × ${size} through ${p.path}…`);
				const w = await runN8nPath(s, p, items, coldDescribes.get(operation) ?? 0, conn);
				ofSize.push(w);
				say(line(w));
			}
			compareBeside(ofSize, items, FEED_VARIANTS);
			for (const w of ofSize) {
				const l = besideLine(w);
				if (l) say(`[bench]   ${l}`);
			}
			results.push(...ofSize);
			if (!o.skip.has('jsforce') && size <= o.jsforceMaxRecords) {
				say(`[bench] ${operation} × ${size} through jsforce…`);
				const w = await runJsforce(conn, s.emu, operation, items);
				results.push(w);
				say(line(w));
			}
		}
		const builtin = paths.find((x) => x.operation === operation && x.path === 'n8n-builtin');
		if (builtin) {
			const sample = makeItems(Math.min(o.builtinRecords, biggest));
			say(`[bench] ${operation} × ${sample.length} (sample) through n8n-builtin…`);
			const w = await runN8nPath(s, builtin, sample, 0, conn);
			results.push({ ...w, sampleOf: biggest });
			say(line(w));
		}
	}
	s.emu.clearRecords();
	if (!o.skip.has('variants'))
		for (const v of FEED_VARIANTS) notes.push(`${v.path}: ${v.description}`);
	if (!o.skip.has('builtin'))
		notes.push(
			`n8n's built-in Salesforce node ran on a sample of ${Math.min(o.builtinRecords, biggest)} records (one API call per record); ratios to it compare records/s.`,
		);
	if (!o.skip.has('jsforce') && biggest > o.jsforceMaxRecords)
		notes.push(
			`jsforce ran up to ${o.jsforceMaxRecords.toLocaleString('en-US')} records (--jsforce-max); its collections are sequential, so beyond that its time grows linearly with the calls.`,
		);
	return results;
}

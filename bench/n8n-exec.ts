/**
 * Running the bench's workflows in n8n and reading n8n back: POST the items to a webhook → Split
 * Out → writer workflow, read its execution, count executions, and sample n8n's heap and CPU from
 * its /metrics endpoint (n8n runs with N8N_METRICS=true), its peak resident memory from the OS.
 */
import * as http from 'node:http';

import type { N8nInstance } from '../runtime/n8n';
import { HEAP_PROBE_ENV, heapAfterGc, keptFigures } from './heapProbe';
import { resetPeakRss } from './peakRss';
import type { N8nMemory } from './types';
import { WRITER_NODE } from './workflows';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export interface RunOutcome {
	status: number;
	seconds: number;
	nodeSeconds: number | null;
	successItems: number;
	outputItems: number;
	memory?: N8nMemory;
	error?: string;
}

/** The environment n8n needs for the bench: /metrics on, and room for 100,000 items in one POST. */
export const BENCH_N8N_ENV: Record<string, string> = {
	N8N_METRICS: 'true',
	N8N_PAYLOAD_SIZE_MAX: '512',
};

interface Metrics {
	heapUsed: number;
	rss: number;
	cpu: number;
}

async function readMetrics(inst: N8nInstance, timeoutMs = 5000): Promise<Metrics | null> {
	try {
		const res = await fetch(`${inst.url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
		if (res.status !== 200) return null;
		const text = await res.text();
		const value = (name: string) => {
			const m = new RegExp(`^(?:n8n_)?${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text);
			return m ? Number(m[1]) : NaN;
		};
		const r = {
			heapUsed: value('nodejs_heap_size_used_bytes'),
			rss: value('process_resident_memory_bytes'),
			cpu: value('process_cpu_seconds_total'),
		};
		return Number.isNaN(r.heapUsed) ? null : r;
	} catch {
		return null;
	}
}

/**
 * Samples n8n's /metrics every 250 ms until stop(), and its peak resident memory from the OS (which
 * does not wait for n8n's event loop); null when n8n does not expose /metrics.
 */
/** How long a reading before or after a run waits for n8n to answer /metrics. */
const BUSY_N8N_WAIT_MS = 180_000;

async function watchN8n(inst: N8nInstance): Promise<{ stop(): Promise<N8nMemory | null> }> {
	// before and after wait for a busy n8n (the samples in between may miss a busy moment); at
	// 100,000 items n8n can be busy for well over 30 s after answering (saving the execution),
	// which once lost the run's whole memory record
	const before = await readMetrics(inst, BUSY_N8N_WAIT_MS);
	const osPeak = resetPeakRss(inst.pid(), /[\\/]n8n[\\/]bin[\\/]n8n start$/);
	let peakHeap = before?.heapUsed ?? 0;
	let peakRss = before?.rss ?? 0;
	let running = before !== null;
	const loop = (async () => {
		while (running) {
			await sleep(250);
			const m = await readMetrics(inst);
			if (m) {
				peakHeap = Math.max(peakHeap, m.heapUsed);
				peakRss = Math.max(peakRss, m.rss);
			}
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			const after = await readMetrics(inst, BUSY_N8N_WAIT_MS);
			if (!before || !after) return null;
			const mb = (b: number) => round(b / 2 ** 20, 1);
			const osGrowth = 'unavailable' in osPeak ? null : osPeak.growthBytes();
			return {
				heapBeforeMb: mb(before.heapUsed),
				heapPeakMb: mb(Math.max(peakHeap, after.heapUsed)),
				heapAfterMb: mb(after.heapUsed),
				rssPeakMb: mb(Math.max(peakRss, after.rss)),
				...(osGrowth === null
					? { rssPeakUnavailable: 'unavailable' in osPeak ? osPeak.unavailable : 'n8n exited' }
					: { rssPeakGrowthMb: mb(osGrowth) }),
				cpuSeconds: round(after.cpu - before.cpu, 3),
			};
		},
	};
}

/**
 * POST without a time limit: the answer of 100,000 items comes after minutes, past fetch's
 * 300-second wait for the response headers.
 */
function postJson(url: string, body: string): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
				);
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

/** POSTs the items to a webhook → split out → writer workflow and reads the execution back. */
export async function runThroughWorkflow(
	inst: N8nInstance,
	workflowId: string,
	webhookPath: string,
	items: unknown[],
	seen: Set<string>,
): Promise<RunOutcome> {
	const body = JSON.stringify({ items });
	// the collection comes first: its CPU and its garbage are not the run's
	const gc = () => heapAfterGc(inst.pid(), inst.env[HEAP_PROBE_ENV]);
	const gcBefore = await gc();
	const watch = await watchN8n(inst);
	// a workflow activated a moment ago can answer 404 on a busy machine: nothing ran, so retry
	const deadline = Date.now() + 60_000;
	let res: { status: number; text: string };
	let t: number;
	for (;;) {
		t = performance.now();
		res = await postJson(inst.webhookUrl(webhookPath), body);
		if (res.status !== 404 || Date.now() > deadline) break;
		await sleep(500);
	}
	const text = res.text;
	const seconds = (performance.now() - t) / 1000;
	const watched = await watch.stop();
	if (res.status === 404)
		return {
			status: 404,
			seconds,
			nodeSeconds: null,
			successItems: 0,
			outputItems: 0,
			error: `HTTP 404 ${text.slice(0, 200)}`,
		};
	const exec = await inst.rest.waitForExecution(workflowId, {
		timeoutMs: 600_000,
		exclude: [...seen],
	});
	seen.add(String(exec.id));
	// the execution has ended (and been saved): what n8n still holds now, it keeps
	const memory = watched ? { ...watched, ...keptFigures(gcBefore, await gc()) } : undefined;
	const run = exec.data?.resultData?.runData?.[WRITER_NODE]?.[0];
	const out: Array<{ json: Record<string, unknown> }> = run?.data?.main?.[0] ?? [];
	const errorMsg: string | undefined =
		exec.data?.resultData?.error?.message ??
		run?.error?.message ??
		(res.status !== 200 ? `HTTP ${res.status} ${text.slice(0, 200)}` : undefined);
	return {
		status: res.status,
		seconds,
		nodeSeconds: typeof run?.executionTime === 'number' ? run.executionTime / 1000 : null,
		successItems: out.filter(
			(i) => i.json?.success === true || (i.json?.id && i.json?.success !== false),
		).length,
		outputItems: out.length,
		memory,
		error: errorMsg,
	};
}

/** Number of executions of a workflow (any status) as n8n's REST API counts them. */
export async function executionCount(
	n8n: N8nInstance,
	workflowId: string,
	status?: string[],
): Promise<number> {
	const filter: Record<string, unknown> = { workflowId };
	if (status) filter.status = status;
	const body = await n8n.rest.get<{ count: number; results: unknown[] }>('/executions', {
		filter: JSON.stringify(filter),
		limit: '1',
	});
	return body.count;
}

/**
 * n8n 2.x answers 503 "Database is not ready!" while its database health check lags (seen at load
 * 20 on 2 cores): ask again, once a second, until the deadline.
 */
export async function notWhileDbBusy<T>(ask: () => Promise<T>, deadline: number): Promise<T> {
	for (;;) {
		try {
			return await ask();
		} catch (e) {
			if (!/→ 503/.test(String(e)) || Date.now() > deadline) throw e;
			await sleep(1000);
		}
	}
}

export async function waitForExecutions(
	n8n: N8nInstance,
	workflowId: string,
	n: number,
	timeoutMs: number,
): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	let done = 0;
	for (;;) {
		done = await notWhileDbBusy(
			() => executionCount(n8n, workflowId, ['success', 'error', 'crashed', 'canceled']),
			deadline,
		);
		if (done >= n) return done;
		if (Date.now() > deadline) return done;
		await sleep(250);
	}
}

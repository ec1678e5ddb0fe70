/**
 * n8n's heap after a full garbage collection, asked of the probe preloaded into n8n
 * (bench/n8nHeapProbe.cjs): the bench signals n8n's process (SIGUSR2), the probe collects the
 * garbage and writes the heap it keeps to a file, the bench waits for that fresh answer. The heap
 * n8n's /metrics reports counts garbage not yet collected; this one is what n8n holds on to.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import type { N8nMemory } from './types';

/** the environment variable that names the probe's answer file (read by n8nHeapProbe.cjs) */
export const HEAP_PROBE_ENV = 'BENCH_HEAP_PROBE_FILE';
const PRELOAD = path.join(__dirname, 'n8nHeapProbe.cjs');
const SIGNAL = 'SIGUSR2';

/** What the probe writes: its process, the answer's number in that process, n8n's memory. */
export interface ProbeAnswer {
	pid: number;
	seq: number;
	/** v8.getHeapStatistics().used_heap_size after the collections, bytes */
	usedHeapSize?: number;
	memoryUsage?: NodeJS.MemoryUsage;
	gcMs?: number;
	error?: string;
}

export type HeapAfterGc = { usedBytes: number } | { unavailable: string };

/** The probe's answer in `text`; null when it is not one (absent, cut, foreign). */
export function parseProbeAnswer(text: string | null): ProbeAnswer | null {
	if (!text) return null;
	let a: unknown;
	try {
		a = JSON.parse(text);
	} catch {
		return null;
	}
	if (typeof a !== 'object' || a === null) return null;
	const r = a as Partial<ProbeAnswer>;
	if (!Number.isInteger(r.pid) || !Number.isInteger(r.seq)) return null;
	if (typeof r.error !== 'string' && typeof r.usedHeapSize !== 'number') return null;
	return r as ProbeAnswer;
}

/** True when `answer` came from `pid` after `previous` (the file's content before the signal). */
export function isFresh(
	answer: ProbeAnswer | null,
	previous: ProbeAnswer | null,
	pid: number,
): answer is ProbeAnswer {
	if (!answer || answer.pid !== pid) return false;
	return !previous || previous.pid !== pid || answer.seq > previous.seq;
}

/**
 * Whether the process whose /proc/<pid>/status is `status` catches signal number `signo` (its
 * `SigCgt` mask); null when the text has no mask. An uncaught SIGUSR2 ends a process.
 */
export function catchesSignal(status: string, signo: number): boolean | null {
	const m = /^SigCgt:\s*([0-9a-f]+)$/im.exec(status);
	if (!m) return null;
	return ((BigInt(`0x${m[1]}`) >> BigInt(signo - 1)) & 1n) === 1n;
}

/** The memory record's figures from the collections before and after a run. */
export function keptFigures(
	before: HeapAfterGc,
	after: HeapAfterGc,
): Pick<
	N8nMemory,
	'heapAfterGcBeforeMb' | 'heapAfterGcAfterMb' | 'heapKeptMb' | 'heapAfterGcUnavailable'
> {
	const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
	const out: ReturnType<typeof keptFigures> = {};
	if ('usedBytes' in before) out.heapAfterGcBeforeMb = mb(before.usedBytes);
	if ('usedBytes' in after) out.heapAfterGcAfterMb = mb(after.usedBytes);
	if ('usedBytes' in before && 'usedBytes' in after)
		out.heapKeptMb = mb(after.usedBytes - before.usedBytes);
	const why = [
		'unavailable' in before ? `before the run: ${before.unavailable}` : null,
		'unavailable' in after ? `after the run: ${after.unavailable}` : null,
	].filter((x) => x !== null);
	if (why.length) out.heapAfterGcUnavailable = why.join('; ');
	return out;
}

/** The environment that loads the probe into n8n: NODE_OPTIONS flags and the answer file. */
export function heapProbeEnv(): {
	env: Record<string, string>;
	nodeOptions: string;
	remove(): void;
} {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-heap-probe-'));
	return {
		env: { [HEAP_PROBE_ENV]: path.join(dir, 'answer.json') },
		// allowed in NODE_OPTIONS on Node 20, 22 and 24; the quotes keep a path with spaces whole
		nodeOptions: `--expose-gc --require "${PRELOAD}"`,
		remove: () => fs.rmSync(dir, { recursive: true, force: true }),
	};
}

const readText = (file: string) => {
	try {
		return fs.readFileSync(file, 'utf8');
	} catch {
		return null;
	}
};

/**
 * Signals `pid` and waits (at most `timeoutMs`) for the probe's fresh answer in `file`: the heap
 * used after a full collection, or why there is none. Never signals a process that does not catch
 * the signal (it would end it).
 */
export async function heapAfterGc(
	pid: number | undefined,
	file: string | undefined,
	timeoutMs = 30_000,
): Promise<HeapAfterGc> {
	if (!file) return { unavailable: `n8n runs without the heap probe (no ${HEAP_PROBE_ENV})` };
	if (pid === undefined) return { unavailable: 'n8n is not running' };
	const status = readText(`/proc/${pid}/status`);
	const caught = status === null ? null : catchesSignal(status, os.constants.signals[SIGNAL]);
	if (caught === null)
		return { unavailable: `/proc/${pid}/status cannot tell whether n8n catches ${SIGNAL} (Linux)` };
	if (!caught)
		return { unavailable: `n8n does not catch ${SIGNAL}: the probe is not loaded (NODE_OPTIONS)` };
	const previous = parseProbeAnswer(readText(file));
	process.kill(pid, SIGNAL);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const a = parseProbeAnswer(readText(file));
		if (isFresh(a, previous, pid))
			return a.error !== undefined || a.usedHeapSize === undefined
				? { unavailable: a.error ?? 'the probe gave no heap' }
				: { usedBytes: a.usedHeapSize };
		if (Date.now() > deadline)
			return { unavailable: `no answer from the probe within ${timeoutMs / 1000} s` };
		await sleep(50);
	}
}

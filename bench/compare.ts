/**
 * Ratios between the write paths of one run (to the physical limit, to jsforce, to n8n's built-in
 * node) and the targets, measured: each says what it rests on and whether it is met.
 */
import {
	bulkLimitSeconds,
	collectionsLimitSeconds,
	limitSeconds,
	type LatencyModel,
} from './limits';
import { round } from './n8n-exec';
import type { TargetCheck, WriteResult } from './types';

const FEED_PATHS = ['skeepers-collections', 'skeepers-bulk', 'skeepers-auto'];

/** Fills vsLimit, nodeVsLimit, vsJsforce and vsBuiltin of every write result, in place. */
export function addRatios(writes: WriteResult[], m: LatencyModel): void {
	for (const w of writes) {
		const limit = limitSeconds(w.path, w.records, m);
		w.limitSeconds = limit === null ? null : round(limit, 3);
		w.vsLimit = limit ? round(w.seconds / limit, 2) : null;
		w.nodeVsLimit = limit && w.nodeSeconds !== null ? round(w.nodeSeconds / limit, 2) : null;
		const js = writes.find(
			(x) => x.path === 'jsforce' && x.operation === w.operation && x.records === w.records,
		);
		w.vsJsforce = js && !js.error && w.seconds > 0 ? round(js.seconds / w.seconds, 2) : null;
		const b = writes.find((x) => x.path === 'n8n-builtin' && x.operation === w.operation);
		w.vsBuiltin =
			b && b.recordsPerSecond > 0 ? round(w.recordsPerSecond / b.recordsPerSecond, 1) : null;
	}
}

/** The fastest Feed Application path (wall time) among the upserts of a size. */
function bestFeed(writes: WriteResult[], size: number): WriteResult | undefined {
	return writes
		.filter(
			(w) =>
				w.operation === 'upsert' &&
				w.records === size &&
				FEED_PATHS.includes(w.path) &&
				!w.error &&
				w.recordsWritten === w.records,
		)
		.sort((a, b) => a.seconds - b.seconds)[0];
}

/**
 * "Within 1.3× of the limit", on the writer node's own time and on the workflow's wall time. The
 * wall time also holds n8n receiving and splitting the items, which no writer can shorten: the
 * No Operation run of the same size gives that floor, (n8n alone + the limit) ÷ the limit.
 */
export function limitTargets(
	what: string,
	best: WriteResult,
	limit: number,
	writes: WriteResult[],
): TargetCheck[] {
	const node = best.nodeSeconds === null ? null : round(best.nodeSeconds / limit, 2);
	const wall = round(best.seconds / limit, 2);
	const noop = writes.find(
		(w) => w.path === 'n8n-noop' && w.operation === best.operation && w.records === best.records,
	);
	const floor = noop && !noop.error ? round((noop.seconds + limit) / limit, 2) : null;
	return [
		{
			target: `${what} within 1.3× of the physical limit, on the writer node's own time`,
			measured: `${best.path} node ${best.nodeSeconds ?? '—'} s vs limit ${round(limit, 2)} s: ${x(node)}`,
			met: node === null ? null : node <= 1.3,
		},
		{
			target: `${what} within 1.3× of the physical limit, on the workflow's wall time`,
			measured:
				`${best.path} ${best.seconds} s wall: ${x(wall)}` +
				(floor === null
					? ''
					: `; n8n alone (No Operation) takes ${noop!.seconds} s, so a writer at the limit itself would be at ${x(floor)}`),
			met: wall <= 1.3,
		},
	];
}

const x = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${n}×`);

export function checkTargets(writes: WriteResult[], m: LatencyModel): TargetCheck[] {
	const out: TargetCheck[] = [];
	const at10k = bestFeed(writes, 10_000);
	const js10k = writes.find(
		(w) => w.path === 'jsforce' && w.operation === 'upsert' && w.records === 10_000,
	);
	if (at10k) {
		const vsJs = js10k && !js10k.error ? round(js10k.seconds / at10k.seconds, 2) : null;
		out.push({
			target: '10,000 upserts ≥ 4× faster than jsforce',
			measured: vsJs
				? `${at10k.path} ${at10k.seconds} s vs jsforce ${js10k!.seconds} s: ${x(vsJs)}`
				: 'jsforce did not run at 10,000',
			met: vsJs === null ? null : vsJs >= 4,
		});
		const limit = Math.min(collectionsLimitSeconds(10_000, m), bulkLimitSeconds(10_000, m));
		out.push(...limitTargets('10,000 upserts', at10k, limit, writes));
	}
	const first10k = writes.find(
		(w) => w.path === 'skeepers-auto-first' && w.operation === 'upsert' && w.records === 10_000,
	);
	if (first10k && !first10k.error) {
		out.push({
			target: "10,000 upserts, Auto's first run on an org (starts at 2 calls in flight)",
			measured: `${first10k.seconds} s wall (node ${first10k.nodeSeconds ?? '—'} s): ${x(first10k.vsLimit)} of the limit (node alone ${x(first10k.nodeVsLimit)})`,
			met: 'reported',
		});
	}
	const at100k = bestFeed(writes, 100_000);
	if (at100k?.limitSeconds)
		out.push(
			...limitTargets('100,000 upserts, the best path', at100k, at100k.limitSeconds, writes),
		);
	const builtin = writes.find((w) => w.path === 'n8n-builtin' && w.operation === 'upsert');
	const sizes = [...new Set(writes.map((w) => w.records))].filter((n) => n !== builtin?.records);
	const top = bestFeed(writes, Math.max(0, ...sizes));
	if (builtin && top) {
		const ratio = round(top.recordsPerSecond / builtin.recordsPerSecond, 0);
		out.push({
			target: "≥ 200× the built-in node's records/s",
			measured: `${top.path} at ${top.records.toLocaleString('en-US')}: ${top.recordsPerSecond} rec/s vs ${builtin.recordsPerSecond} rec/s (built-in, ${builtin.records}-record sample): ${ratio}×`,
			met: ratio >= 200,
		});
	}
	return out;
}

/**
 * The physical limit of a write under the emulator's latency model: the least time any client
 * could take, given the calls it must make, what each costs and how many the org serves at once.
 *
 * - sObject Collections: ⌈N/200⌉ calls of `baseMs + records × perRecordMs`, spread over
 *   `concurrency` requests at once (waves of `concurrency` calls).
 * - Bulk API 2.0: create job, upload, close, one status and one results call (5 × baseMs), plus the
 *   job's processing as the emulator's model plans it (`bulkPlan`: its batches side by side).
 *
 * The figures come from the emulator's model preset (docs/emulator.md); a flat latency is a model
 * with no per-record time, with the node's own maximum Requests in Flight as its ceiling.
 */
import { bulkPlan } from '../emulator';
import { realClock } from '../emulator/model/clock';
import { resolveModel } from '../emulator/model/options';
import { COLLECTION_LIMIT } from '../nodes/SkeepersFeedApplication/plan/chunk';
import { MAX_REQUESTS_IN_FLIGHT } from '../nodes/SkeepersFeedApplication/plan/optionRanges';
export interface LatencyModel {
	/** preset name, or `flat N ms` */
	name: string;
	baseMs: number;
	perRecordMs: number;
	/** requests the org serves at the same time */
	concurrency: number;
	/** Bulk API 2.0: records per internal batch, records per transaction, batches side by side */
	bulkBatchSize: number;
	bulkChunkSize: number;
	bulkParallelism: number;
}

/** The emulator's preset (emulator/model/options.ts) as the limit reads it. */
export function presetModel(preset: 'salesforce'): LatencyModel {
	const m = resolveModel(preset, realClock);
	return {
		name: `${preset} model (±${m.jitter * 100} % jitter)`,
		baseMs: m.baseMs,
		perRecordMs: m.perRecordMs,
		concurrency: m.maxConcurrent ?? MAX_REQUESTS_IN_FLIGHT,
		bulkBatchSize: m.bulkBatchSize,
		bulkChunkSize: m.bulkChunkSize,
		bulkParallelism: m.bulkParallelism,
	};
}

export function flatModel(latencyMs: number): LatencyModel {
	return {
		name: `flat ${latencyMs} ms`,
		baseMs: latencyMs,
		perRecordMs: 0,
		concurrency: MAX_REQUESTS_IN_FLIGHT,
		bulkBatchSize: 10_000,
		bulkChunkSize: 10_000,
		bulkParallelism: MAX_REQUESTS_IN_FLIGHT,
	};
}

/** Seconds for N records written by sObject Collections at the model's ceiling. */
export function collectionsLimitSeconds(n: number, m: LatencyModel): number {
	const calls: number[] = [];
	for (let left = n; left > 0; left -= COLLECTION_LIMIT)
		calls.push(m.baseMs + Math.min(COLLECTION_LIMIT, left) * m.perRecordMs);
	let ms = 0;
	// waves of `concurrency` calls; the first wave holds the largest calls
	for (let i = 0; i < calls.length; i += m.concurrency)
		ms += Math.max(...calls.slice(i, i + m.concurrency));
	return ms / 1000;
}

/** Seconds for N records written by one Bulk API 2.0 job. */
export function bulkLimitSeconds(n: number, m: LatencyModel): number {
	return (5 * m.baseMs + bulkPlan({ ...m, perRowMs: 0 }, n).totalMs) / 1000;
}

/** The limit of a path: its own API for Collections/Bulk, the better of both for the others. */
export function limitSeconds(path: string, n: number, m: LatencyModel): number | null {
	if (n <= 0 || path === 'n8n-noop') return null;
	if (path === 'skeepers-collections') return collectionsLimitSeconds(n, m);
	if (path === 'skeepers-bulk') return bulkLimitSeconds(n, m);
	return Math.min(collectionsLimitSeconds(n, m), bulkLimitSeconds(n, m));
}

/**
 * How long Salesforce takes: a request costs a base time plus a time per record written or per
 * row read; a Bulk API 2.0 job is split into batches processed side by side, each batch into
 * chunks (one transaction each, costing the base time) of records costing the per-record time.
 */
import type { ResolvedModel } from './options';

type Costs = Pick<ResolvedModel, 'baseMs' | 'perRecordMs' | 'perRowMs'>;

/** Server time of one request before jitter, ms. */
export function requestMs(m: Costs, work: { records?: number; rows?: number }): number {
	return m.baseMs + m.perRecordMs * (work.records ?? 0) + m.perRowMs * (work.rows ?? 0);
}

/** Applies the seeded spread: `ms` × (1 ± jitter), rounded to whole ms. */
export function withJitter(ms: number, jitter: number, random: () => number): number {
	if (!jitter || !ms) return Math.round(ms);
	return Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));
}

export interface BulkPlan {
	/** Records per internal batch, in upload order. */
	batches: number[];
	/** Time of each batch, ms. */
	batchMs: number[];
	/** Time until the last batch ends, with `bulkParallelism` batches at a time, ms. */
	totalMs: number;
}

/** The modelled processing of a Bulk API 2.0 ingest job of `records` records. */
export function bulkPlan(
	m: Costs & Pick<ResolvedModel, 'bulkBatchSize' | 'bulkChunkSize' | 'bulkParallelism'>,
	records: number,
): BulkPlan {
	const batches: number[] = [];
	for (let left = records; left > 0; left -= m.bulkBatchSize)
		batches.push(Math.min(left, m.bulkBatchSize));
	const batchMs = batches.map((n) => Math.ceil(n / m.bulkChunkSize) * m.baseMs + n * m.perRecordMs);
	// Each batch starts on the worker that frees up first (upload order).
	const workers: number[] = new Array<number>(Math.min(m.bulkParallelism, batches.length)).fill(0);
	for (const ms of batchMs) {
		const i = workers.indexOf(Math.min(...workers));
		workers[i] += ms;
	}
	return { batches, batchMs, totalMs: Math.round(Math.max(0, ...workers)) };
}

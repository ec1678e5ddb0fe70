/**
 * Bulk API 2.0 on Auto: which path writes N records, sObject Collections or a Bulk API 2.0 job.
 * Pure; the reasoning is in docs/scaling.md ("How Auto chooses").
 *
 * Each path has a cost in API calls (counted against the org's daily allocation) and in time:
 * - Collections: ⌈N / batch size⌉ calls, about `collectionCallSeconds` each, `concurrency` at a time.
 * - Bulk: 5 calls (create the job, upload, close, successful and failed results) plus the polls
 *   while the job runs. Salesforce does the same work per record on both paths (triggers, flows,
 *   validation run for every record), so the job's records cost what a Collections call's do
 *   (`collectionCallSeconds` / 200 each); Salesforce splits a job into batches of
 *   `bulkBatchRecords` (10,000) processed `bulkParallelBatches` at a time, after `bulkJobSeconds`
 *   of queueing, upload and results. Bulk is not faster per record: it saves API calls.
 * A run's cost is its seconds + `secondsPerCall` × its calls: every API call Bulk saves is worth
 * a second of waiting. Auto takes the cheaper path. All or None stays on Collections (Bulk API
 * 2.0 has no rollback); a Bulk Threshold set on the node keeps the fixed threshold rule.
 */
import type { WritePath } from '../domain';

export interface PathCostModel {
	/** One Collections call of a full batch (Salesforce answers 200 records in about 1 s or more). */
	collectionCallSeconds: number;
	/** A Bulk API 2.0 job's fixed time: queueing, CSV upload, closing, reading the results. */
	bulkJobSeconds: number;
	/** Records per internal batch of a job (Salesforce: 10,000). */
	bulkBatchRecords: number;
	/** Internal batches of one job processed at the same time. */
	bulkParallelBatches: number;
	/** Calls of a Bulk job besides its polls. */
	bulkFixedCalls: number;
	/** First poll wait; each next wait doubles up to `bulkMaxPollMs` (salesforce/write/bulkJob.ts). */
	bulkFirstPollMs: number;
	bulkMaxPollMs: number;
	/** What one API call saved is worth, in seconds of waiting. */
	secondsPerCall: number;
}

export const PATH_COST_MODEL: PathCostModel = {
	collectionCallSeconds: 1.5,
	bulkJobSeconds: 10,
	bulkBatchRecords: 10_000,
	bulkParallelBatches: 4,
	bulkFixedCalls: 5,
	bulkFirstPollMs: 250,
	bulkMaxPollMs: 5000,
	secondsPerCall: 1,
};

export interface PathChoiceInput {
	records: number;
	bulkMode?: 'auto' | 'always' | 'never';
	allOrNone?: boolean;
	/** Set on the node: Auto uses Bulk from this many records (the rule before the cost model). */
	bulkThreshold?: number;
	batchSize: number;
	/** Calls in flight the Collections path can expect (Auto: its cap). */
	concurrency: number;
}

export interface PathEstimate {
	calls: number;
	seconds: number;
}

export interface PathChoice {
	path: WritePath;
	/** Why, in words (for the run's notice). */
	reason: string;
	collections?: PathEstimate;
	bulk?: PathEstimate;
}

/** Polls of a job that runs `seconds`, waiting first `first` ms, doubling up to `max` ms. */
function polls(seconds: number, first: number, max: number): number {
	let waited = 0;
	let wait = first;
	let count = 1;
	while (waited < seconds * 1000) {
		waited += wait;
		wait = Math.min(wait * 2, max);
		count++;
	}
	return count;
}

export function estimatePaths(
	input: Pick<PathChoiceInput, 'records' | 'batchSize' | 'concurrency'>,
	model: PathCostModel = PATH_COST_MODEL,
): { collections: PathEstimate; bulk: PathEstimate } {
	const n = Math.max(0, input.records);
	const batch = Math.max(1, Math.floor(input.batchSize));
	const width = Math.max(1, Math.floor(input.concurrency));
	const collectionCalls = Math.ceil(n / batch);
	// the job's batches, `bulkParallelBatches` at a time, each record at a Collections record's cost
	const perRecord = model.collectionCallSeconds / 200;
	const batches = Math.ceil(n / model.bulkBatchRecords);
	const rounds = Math.ceil(batches / model.bulkParallelBatches);
	const bulkSeconds =
		model.bulkJobSeconds + rounds * Math.min(n, model.bulkBatchRecords) * perRecord;
	return {
		collections: {
			calls: collectionCalls,
			seconds: Math.ceil(collectionCalls / width) * model.collectionCallSeconds,
		},
		bulk: {
			calls: model.bulkFixedCalls + polls(bulkSeconds, model.bulkFirstPollMs, model.bulkMaxPollMs),
			seconds: bulkSeconds,
		},
	};
}

export function choosePath(
	input: PathChoiceInput,
	model: PathCostModel = PATH_COST_MODEL,
): PathChoice {
	const mode = input.bulkMode ?? 'auto';
	if (mode === 'always') return { path: 'bulk', reason: 'Bulk API 2.0 is set to Always' };
	if (mode === 'never') return { path: 'collections', reason: 'Bulk API 2.0 is set to Never' };
	if (input.allOrNone) {
		return { path: 'collections', reason: 'All or None is on (Bulk API 2.0 has no rollback)' };
	}
	if (input.bulkThreshold !== undefined) {
		const bulk = input.records >= input.bulkThreshold;
		return {
			path: bulk ? 'bulk' : 'collections',
			reason: `${input.records} record(s) ${bulk ? 'reach' : 'are under'} the Bulk Threshold (${input.bulkThreshold})`,
		};
	}
	const { collections, bulk } = estimatePaths(input, model);
	const cost = (e: PathEstimate) => e.seconds + model.secondsPerCall * e.calls;
	const path: WritePath = cost(bulk) < cost(collections) ? 'bulk' : 'collections';
	const say = (e: PathEstimate) => `${e.calls} call(s), ~${Math.ceil(e.seconds)} s`;
	return {
		path,
		reason: `Auto: sObject Collections ${say(collections)} vs Bulk API 2.0 ${say(bulk)}`,
		collections,
		bulk,
	};
}

/**
 * The latency and limits model's settings, their Salesforce defaults (`--model salesforce`) and
 * how a partial setting is resolved. Everything is off unless set: the emulator then answers as
 * fast as it can, as the unit and integration tests expect.
 */
import type { Clock } from './clock';

export interface ModelOptions {
	/** Server time of every API request, ms (0 = off). */
	baseMs?: number;
	/** Added per record a write request carries (Collections: up to 200), ms. */
	perRecordMs?: number;
	/** Added per row a query page returns, ms. */
	perRowMs?: number;
	/** Seeded random spread of each time, as a fraction: 0.1 = ±10 %. */
	jitter?: number;
	/** Seed of the jitter (default 1). */
	seed?: number;
	/** Concurrent requests per org beyond which a request answers 403 REQUEST_LIMIT_EXCEEDED (off when unset). */
	maxConcurrent?: number;
	/** Only requests in flight at least this long count toward `maxConcurrent` (Salesforce: 20,000; default 0 = all). */
	longRunningMs?: number;
	/** How long a write waits for a parent record another in-flight write holds before UNABLE_TO_LOCK_ROW, ms (locks off when unset). */
	lockWaitMs?: number;
	/** Bulk API 2.0: records per internal batch (default 10,000). */
	bulkBatchSize?: number;
	/** Bulk API 2.0: records per transaction inside a batch; each costs `baseMs` (default 200). */
	bulkChunkSize?: number;
	/** Bulk API 2.0: batches of one job processed at the same time (default 4). */
	bulkParallelism?: number;
	/** Time source and timers (default: the real clock). */
	clock?: Clock;
}

export type ModelSetting = ModelOptions | 'salesforce' | 'off';

/**
 * `--model salesforce`: a 200-record Collections write takes 150 + 200 × 5 = 1,150 ms (Salesforce:
 * "about a second or more"); 25 concurrent requests per org (production and sandbox limit); a lock
 * wait of 10 s (Salesforce's lock timeout); Bulk API 2.0 batches of 10,000 records in chunks of 200.
 */
export const SALESFORCE_MODEL: Readonly<ModelOptions> = {
	baseMs: 150,
	perRecordMs: 5,
	perRowMs: 0.1,
	jitter: 0.1,
	maxConcurrent: 25,
	longRunningMs: 0,
	lockWaitMs: 10_000,
	bulkBatchSize: 10_000,
	bulkChunkSize: 200,
	bulkParallelism: 4,
};

export type ResolvedModel = Required<Omit<ModelOptions, 'maxConcurrent' | 'lockWaitMs' | 'clock'>> &
	Pick<ModelOptions, 'maxConcurrent' | 'lockWaitMs'> & { clock: Clock };

/** A preset name or options (later keys win) → every setting with its value or default. */
export function resolveModel(setting: ModelSetting | undefined, clock: Clock): ResolvedModel {
	if (typeof setting === 'string' && setting !== 'salesforce' && setting !== 'off')
		throw new Error(`Unknown model "${setting}" (use salesforce, off or settings)`);
	const o: ModelOptions =
		setting === 'salesforce' ? SALESFORCE_MODEL : setting === 'off' || !setting ? {} : setting;
	for (const [k, v] of Object.entries(o)) {
		if (k === 'clock') continue;
		if (!(k in SALESFORCE_MODEL) && k !== 'seed') throw new Error(`Unknown model setting "${k}"`);
		if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0))
			throw new Error(`model.${k} must be a number >= 0`);
	}
	for (const k of ['bulkBatchSize', 'bulkChunkSize', 'bulkParallelism', 'maxConcurrent'] as const)
		if (o[k] !== undefined && o[k] < 1) throw new Error(`model.${k} must be at least 1`);
	if ((o.jitter ?? 0) > 1) throw new Error('model.jitter must be between 0 and 1');
	return {
		baseMs: o.baseMs ?? 0,
		perRecordMs: o.perRecordMs ?? 0,
		perRowMs: o.perRowMs ?? 0,
		jitter: o.jitter ?? 0,
		seed: o.seed ?? 1,
		maxConcurrent: o.maxConcurrent,
		longRunningMs: o.longRunningMs ?? 0,
		lockWaitMs: o.lockWaitMs,
		bulkBatchSize: o.bulkBatchSize ?? 10_000,
		bulkChunkSize: o.bulkChunkSize ?? 200,
		bulkParallelism: o.bulkParallelism ?? 4,
		clock: o.clock ?? clock,
	};
}

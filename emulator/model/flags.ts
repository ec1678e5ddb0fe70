/** The latency model's command-line flags → ModelOptions (`--model salesforce` plus overrides). */
import { SALESFORCE_MODEL, type ModelOptions } from './options';

/** flag → [setting, help]. */
export const MODEL_FLAGS: Record<string, [keyof ModelOptions, string]> = {
	'base-ms': ['baseMs', 'server time of every API request, ms'],
	'per-record-ms': ['perRecordMs', 'added per record a write carries, ms'],
	'per-row-ms': ['perRowMs', 'added per row a query page returns, ms'],
	jitter: ['jitter', 'seeded spread of each time (0.1 = ±10 %)'],
	'max-concurrent': [
		'maxConcurrent',
		'concurrent requests per org before 403 REQUEST_LIMIT_EXCEEDED',
	],
	'long-running-ms': [
		'longRunningMs',
		'only requests in flight this long count toward the ceiling',
	],
	'lock-wait-ms': ['lockWaitMs', 'wait for a held parent record before UNABLE_TO_LOCK_ROW, ms'],
	'bulk-batch-size': ['bulkBatchSize', 'Bulk API 2.0 records per internal batch'],
	'bulk-chunk-size': ['bulkChunkSize', 'Bulk API 2.0 records per transaction in a batch'],
	'bulk-parallelism': ['bulkParallelism', 'Bulk API 2.0 batches processed at once'],
};

/** `--model salesforce|off` and the flags above → the model setting (undefined: off). */
export function modelFromFlags(
	preset: string | undefined,
	values: Record<string, number | undefined>,
	seed: number | undefined,
): ModelOptions | undefined {
	if (preset !== undefined && preset !== 'salesforce' && preset !== 'off')
		throw new Error(`--model expects salesforce or off, got "${preset}"`);
	const out: ModelOptions = preset === 'salesforce' ? { ...SALESFORCE_MODEL } : {};
	for (const [flag, [key]] of Object.entries(MODEL_FLAGS))
		if (values[flag] !== undefined) Object.assign(out, { [key]: values[flag] });
	if (!Object.keys(out).length) return undefined;
	return seed === undefined ? out : { ...out, seed };
}

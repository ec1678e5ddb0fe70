/**
 * The allowed ranges of the write options that size the calls (Batch Size, Requests in Flight),
 * checked before anything is written: a value out of range (an expression can give one; the
 * editor's bounds do not apply to it) is refused with the range, never clamped silently.
 */
import { COLLECTION_LIMIT } from './chunk';

/**
 * Requests in Flight: 0 is Auto; a fixed number goes up to the same cap as Auto, Salesforce's
 * concurrent long-running API request limit (25 in production and sandbox orgs).
 */
export const MAX_REQUESTS_IN_FLIGHT = 25;

function wholeIn(value: unknown, min: number, max: number): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** The first option out of range, in words with its allowed range; undefined when all are fine. */
export function optionRangeProblem(options: {
	batchSize?: unknown;
	concurrency?: unknown;
}): string | undefined {
	const { batchSize, concurrency } = options;
	if (batchSize !== undefined && !wholeIn(batchSize, 1, COLLECTION_LIMIT)) {
		return `Batch Size must be a whole number from 1 to ${COLLECTION_LIMIT} (sObject Collections take at most ${COLLECTION_LIMIT} records per call); got ${JSON.stringify(batchSize)}`;
	}
	if (concurrency !== undefined && !wholeIn(concurrency, 0, MAX_REQUESTS_IN_FLIGHT)) {
		return `Requests in Flight must be 0 (Auto) or a whole number from 1 to ${MAX_REQUESTS_IN_FLIGHT}; got ${JSON.stringify(concurrency)}`;
	}
	return undefined;
}

/** Requests in Flight as the writer takes it: unset or 0 → 'auto', else the fixed number. */
export function requestsInFlight(concurrency: number | undefined): number | 'auto' {
	return concurrency === undefined || concurrency === 0 ? 'auto' : concurrency;
}

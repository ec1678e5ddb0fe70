/** Splits `items` into consecutive groups of at most `size` (the last one may be smaller). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) {
		throw new RangeError(`chunk size must be a whole number above 0, got ${String(size)}`);
	}
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** sObject Collections accept at most 200 records per call. */
export const COLLECTION_LIMIT = 200;

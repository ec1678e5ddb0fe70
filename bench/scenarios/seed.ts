/**
 * What a variant's org holds before its run (scenarios/variants.ts): records created through
 * jsforce, the emulator's latency model off meanwhile (writes.ts), so seeding costs no time and
 * no call is counted.
 */
import type { Connection } from 'jsforce';

import type { BenchItem } from '../data';

/** Creates `records` of `object` (all or none); throws naming how many were refused. */
export async function seedRecords(
	conn: Connection,
	object: string,
	records: Array<Record<string, unknown>>,
): Promise<void> {
	if (!records.length) return;
	const results = await conn
		.sobject(object)
		.create(records, { allOrNone: true, allowRecursive: true });
	const failed = results.filter((r) => !r.success).length;
	if (failed) throw new Error(`seeding ${object}: ${failed} of ${records.length} refused`);
}

/** An item's person as a Contact as the bench writes it (same names, same e-mail). */
export function personOf(it: BenchItem): Record<string, unknown> {
	return { FirstName: it.firstName, LastName: it.lastName.trim(), Email: it.email.toLowerCase() };
}

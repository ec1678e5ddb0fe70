/**
 * Duplicate rules, after each wave, so both paths give the same result (the records held by
 * `WriteSession.hold`):
 * 1. Bulk API 2.0 rows refused with DUPLICATES_DETECTED: a Bulk job cannot carry the duplicate
 *    rule header, and its failed rows do not list the matched records. Nothing of them was
 *    written, so they are sent once more through sObject Collections (batched, never one call per
 *    item), which carries the option's header (Save Anyway) and answers the `duplicateResult`.
 * 2. Use the Matched Record: a create refused with exactly one matched record becomes an update
 *    of that record (Id = the match), all such items of the wave in batched Collections updates.
 *    The item's result says so (`usedMatchedRecord`). Several matches: the item fails with
 *    DUPLICATES_DETECTED naming them (`matchedIds`); nothing is guessed.
 */
import { runCollections } from './collections';
import type { Op, WriteSession } from './session';

export async function resendHeld(s: WriteSession): Promise<void> {
	if (s.heldFromBulk.length) await runCollections(s, s.heldFromBulk.splice(0));
	if (!s.heldMatched.length) return;
	const updates: Op[] = s.heldMatched.splice(0).map(({ op, id, rule }) => {
		s.usedMatch.set(op.input.itemIndex, { id, rule });
		return { input: op.input, action: 'update', body: { ...op.body, Id: id }, key: op.key };
	});
	await runCollections(s, updates);
}

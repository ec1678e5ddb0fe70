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
 *    DUPLICATES_DETECTED naming them (`matchedIds`); nothing is guessed. A match that already
 *    holds another value of the external ID the item matches on is another record's: the item
 *    fails naming it, and that record is left alone (one SOQL read per 200 such matches).
 * Before 2., with a Dedup Key Field, a refused create whose match already holds the item's key is
 * "already processed" (write/keyDuplicates.ts).
 */
import type { SalesforceError } from '../../domain';
import { errorsOf } from '../errors';
import { runCollections } from './collections';
import { settleKeyDuplicates } from './keyDuplicates';
import { readFieldById } from './lookup';
import type { Op, WriteSession } from './session';

type Held = WriteSession['heldMatched'][number];

export async function resendHeld(s: WriteSession): Promise<void> {
	if (s.heldFromBulk.length) await runCollections(s, s.heldFromBulk.splice(0));
	await settleKeyDuplicates(s);
	if (!s.heldMatched.length) return;
	const held = s.heldMatched.splice(0);
	const refused = await refusedMatches(s, held);
	const updates: Op[] = [];
	for (const h of held) {
		const errors = refused.get(h.op.input.itemIndex);
		if (errors) {
			s.fail(h.op.input, errors, { action: h.op.action, sent: h.op.body, matchedIds: [h.id] });
			continue;
		}
		s.usedMatch.set(h.op.input.itemIndex, { id: h.id, rule: h.rule });
		updates.push({ ...h.op, action: 'update', body: { ...h.op.body, Id: h.id } });
	}
	await runCollections(s, updates);
}

const text = (v: unknown): string =>
	v === null || v === undefined
		? ''
		: String(v as string)
				.trim()
				.toLowerCase();

/**
 * The items whose matched record already holds another value of the match field (Create or
 * Update by an external ID / idLookup field), with their errors; the others may use their match.
 */
async function refusedMatches(
	s: WriteSession,
	held: Held[],
): Promise<Map<number, SalesforceError[]>> {
	const refused = new Map<number, SalesforceError[]>();
	const field = s.o.matchField;
	if (!field || s.o.matchKind === 'id') return refused;
	const carrying = held.filter((h) => text(h.op.body[field]) !== '');
	if (!carrying.length) return refused;
	let current: Map<string, unknown>;
	try {
		current = await readFieldById(
			s,
			carrying.map((h) => h.id),
			field,
		);
	} catch (error) {
		for (const h of carrying)
			refused.set(h.op.input.itemIndex, [h.error, ...errorsOf(error).errors]);
		return refused;
	}
	for (const h of carrying) {
		const value = current.get(h.id.slice(0, 15));
		if (text(value) === '' || text(value) === text(h.op.body[field])) continue;
		refused.set(h.op.input.itemIndex, [
			{
				...h.error,
				message: `${h.error.message}; the matched record ${h.id} already has ${field} = "${String(value as string)}", so it is another record's and was left alone. Nothing was written for this item`,
			},
		]);
	}
	return refused;
}

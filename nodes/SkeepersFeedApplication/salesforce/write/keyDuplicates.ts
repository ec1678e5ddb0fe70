/**
 * Dedup Key Field × duplicate rules. Salesforce runs duplicate rules before the save where the
 * unique index is enforced, so a retried create of the same person that repeats its dedup key
 * fails with DUPLICATES_DETECTED (the matched Ids listed) instead of DUPLICATE_VALUE. The
 * matched records' dedup field is read (one SOQL per 200 Ids, for the whole wave): when one of
 * them already holds the item's key, the item is the same `duplicate` ("already processed",
 * existingId = that record) as a DUPLICATE_VALUE, whatever the Duplicate Rules option. Otherwise
 * the option decides, as without the Dedup Key Field (Use the Matched Record holds it, Block
 * settles the refusal); when the read fails, the refusal stands with the read's error.
 */
import { duplicatesDetected } from '../duplicates';
import { errorsOf } from '../errors';
import { readFieldById } from './lookup';
import type { WriteSession } from './session';

const text = (v: unknown): string =>
	v === null || v === undefined ? '' : String(v as string).trim();

export async function settleKeyDuplicates(s: WriteSession): Promise<void> {
	if (!s.heldKeyCheck.length) return;
	const held = s.heldKeyCheck.splice(0);
	const field = s.o.dedupField as string;
	const matchesOf = (h: (typeof held)[number]) =>
		duplicatesDetected(h.outcome.errors)?.matchedIds ?? [];
	let keys: Map<string, unknown>;
	try {
		keys = await readFieldById(s, [...new Set(held.flatMap(matchesOf))], field);
	} catch (error) {
		// whether they were already processed is unknown: the refusal stands, with the read's error
		for (const h of held)
			s.settle({ ...h.outcome, errors: [...h.outcome.errors, ...errorsOf(error).errors] });
		return;
	}
	for (const h of held) {
		const key = text(h.op.body[field]);
		const existingId = matchesOf(h).find((id) => text(keys.get(id.slice(0, 15))) === key);
		if (existingId) s.settle({ ...h.outcome, duplicate: { field, existingId } });
		else if (!s.hold(h.op, h.outcome.errors, 'collections')) s.settle(h.outcome);
	}
}

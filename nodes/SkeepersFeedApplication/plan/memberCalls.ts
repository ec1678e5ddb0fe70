/**
 * Dry Run's plan of the campaign membership calls (pure): the calls a real run would make after
 * its writes to add the written Contacts and Leads to the campaign, batched exactly like
 * salesforce/write/campaignMembers.ts: per object and per 200 written items, one SOQL query for
 * their memberships, one sObject Collections create for the new members and, with Existing
 * Member → Update Status, one Collections update for the members whose status changes. Without
 * reading the memberships, the create and the update are the most a batch can need: a real run
 * skips the create when every record is already a member, the update when no status changes.
 */
import type { CallRecord } from '../domain';
import type { ExistingMemberMode } from './campaignMembers';
import { chunk, COLLECTION_LIMIT } from './chunk';

/** An item whose record the run would write (its Id when known before writing). */
export interface WouldWrite {
	itemIndex: number;
	id: string | null;
}

export interface PlannedMemberCalls {
	/** The membership calls, in the order a real run makes them (after every write call). */
	calls: CallRecord[];
	/** Item → the indexes (in `calls`) of the calls that would carry its membership. */
	callsByItem: Map<number, number[]>;
}

/** Records in a batch: items naming the same Id are one record, items without an Id one each. */
function recordsIn(batch: readonly WouldWrite[]): number {
	const ids = new Set(batch.filter((w) => w.id).map((w) => w.id));
	return ids.size + batch.filter((w) => !w.id).length;
}

/** The membership calls for `groups` (the written items of each Contact or Lead group, in writing order). */
export function planMemberCalls(
	groups: ReadonlyArray<readonly WouldWrite[]>,
	existingMember: ExistingMemberMode,
): PlannedMemberCalls {
	const calls: CallRecord[] = [];
	const callsByItem = new Map<number, number[]>();
	const add = (call: CallRecord): number => calls.push(call) - 1;
	for (const items of groups) {
		for (const batch of chunk(items, COLLECTION_LIMIT)) {
			const records = recordsIn(batch);
			const carried = [
				add({ method: 'GET', path: '/query', records, kind: 'lookup' }),
				add({ method: 'POST', path: '/composite/sobjects', records, kind: 'write' }),
			];
			if (existingMember === 'update')
				carried.push(add({ method: 'PATCH', path: '/composite/sobjects', records, kind: 'write' }));
			for (const w of batch) callsByItem.set(w.itemIndex, carried);
		}
	}
	return { calls, callsByItem };
}

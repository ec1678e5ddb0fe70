/**
 * Ordered match keys (Match On, then More Match Keys): which record each item of a wave updates.
 * Pure: the writer (salesforce/write/writer.ts) runs the queries this plans.
 *
 *   **Rule: an item matches on the first key that finds exactly one record.**
 *   Key 1 is looked up for every item of the wave that has a value for it (one SOQL `IN` query,
 *   chunked only past the URL length), key 2 only for the items key 1 did not find, and so on:
 *   at most one query per key per wave, never one per item. An item with no value for a key
 *   skips it. Several records on a key stop the item with MULTIPLE_MATCHES: it never falls
 *   through to the next key (the keys before are more specific, a later key could pick the
 *   wrong one of them). An item no key found is created (Create or Update) or fails with
 *   NOT_FOUND (Update).
 */
import type { MatchKind } from '../domain';
import type { SObjectDescribe } from '../salesforce/types';
import { findField, matchKindOf } from '../schema/fields';

/** A match key as the writer uses it: the field, how it matches and its Salesforce type. */
export interface MatchKey {
	field: string;
	kind?: MatchKind;
	type?: string;
}

/**
 * More Match Keys checked against the object's describe, named as Salesforce spells them; or the
 * problem, in words (nothing is written then). Each must be a field records can be matched on,
 * none may repeat Match On or another key, and Link to First Match Key cannot write an Id.
 */
export function resolveMoreMatchKeys(
	describe: SObjectDescribe,
	settings: { object: string; matchField?: string; moreMatchFields?: string[] },
	linkFirstMatchKey: boolean,
): MatchKey[] | string {
	const fields = settings.moreMatchFields ?? [];
	if (!settings.matchField || fields.length === 0) return [];
	const seen = new Set([settings.matchField.toLowerCase()]);
	const keys: MatchKey[] = [];
	for (const name of fields) {
		const kind = matchKindOf(describe, name);
		if (!kind)
			return `More Match Keys: ${settings.object}.${name} cannot be used to match records: it is neither the Id, an external ID, nor a lookup (idLookup) field`;
		if (seen.has(name.toLowerCase()))
			return `More Match Keys: ${name} is already a match key; each field may be used once`;
		seen.add(name.toLowerCase());
		const field = findField(describe, name);
		keys.push({ field: field?.name ?? name, kind, type: field?.type });
	}
	if (linkFirstMatchKey && matchKindOf(describe, settings.matchField) === 'id')
		return 'Link to First Match Key cannot write the record Id: choose a Match On field other than Id, or turn the option off';
	return keys;
}

/** One key of an item, as the writer compares it (plan/keys.ts) and looks it up. */
export interface ItemKeys {
	item: number;
	/** Per key, in order: the value, or undefined when the item has none for that key. */
	values: ReadonlyArray<string | undefined>;
}

/** How an item ended: found on key `key` (record `id`), several records on `key`, or none. */
export type KeyMatch =
	| { kind: 'found'; key: number; id: string }
	| { kind: 'multiple'; key: number; ids: string[] }
	| { kind: 'none' };

/** The items whose key `key` is queried: those still unmatched that have a value for it. */
export function itemsForKey(pending: readonly ItemKeys[], key: number): ItemKeys[] {
	return pending.filter((p) => p.values[key] !== undefined);
}

/**
 * One step of the cascade: with the Ids each value of key `key` found (`idsOf`, only asked for
 * items with a value), settles the found and the multiple, and returns the items left for the
 * next key.
 */
export function matchOnKey(
	pending: readonly ItemKeys[],
	key: number,
	idsOf: (value: string) => readonly string[],
	settled: Map<number, KeyMatch>,
): ItemKeys[] {
	const rest: ItemKeys[] = [];
	for (const p of pending) {
		const value = p.values[key];
		const ids = value === undefined ? [] : idsOf(value);
		if (ids.length === 1) settled.set(p.item, { kind: 'found', key, id: ids[0] });
		else if (ids.length > 1) settled.set(p.item, { kind: 'multiple', key, ids: [...ids] });
		else rest.push(p);
	}
	return rest;
}

/**
 * Records that share a parent go in the same batch. Salesforce locks the parent record (the
 * Account of a Contact, the Contact of a Case…) while it writes a child; two calls in flight
 * that write children of one parent wait on that lock and one may fail with UNABLE_TO_LOCK_ROW.
 *
 * Records are grouped by the parents their reference fields name (records linked through any
 * shared parent form one group), then the groups are packed into batches of at most `size`,
 * first fit, in order of first appearance; order within a group is input order. A group larger
 * than `size` spans consecutive batches that form one *chain*: a chain's batches are sent one
 * after the other, never at the same time. Distinct chains share no parent, so they can run
 * concurrently without contending for a parent's lock.
 */
import type { FieldDescribe, SObjectDescribe } from '../salesforce/types';

/** A reference field of the object, and its relationship name (for `Parent__r: {ExtId: …}`). */
export interface ParentField {
	name: string;
	relationshipName?: string;
	/** The objects the field can point to (one, or several for a polymorphic field). */
	referenceTo?: string[];
}

/** Owner, record type and similar references are not parents whose lock children contend for. */
const NOT_PARENTS = new Set(['User', 'Group', 'RecordType', 'Profile', 'UserRole']);

/** The reference fields of an object whose values are parent records (describe `type: reference`). */
export function parentFieldsOf(describe: SObjectDescribe | undefined): ParentField[] {
	if (!describe) return [];
	return describe.fields
		.filter(
			(f: FieldDescribe) =>
				f.type === 'reference' &&
				f.name !== 'Id' &&
				(f.referenceTo ?? []).some((target) => !NOT_PARENTS.has(target)),
		)
		.map((f) => ({
			name: f.name,
			relationshipName: f.relationshipName ?? undefined,
			referenceTo: f.referenceTo,
		}));
}

/** The parents a record names through `fields` (an Id, or a relationship's external ID). */
export function parentKeysOf(
	record: Record<string, unknown>,
	fields: readonly ParentField[],
): string[] {
	const keys: string[] = [];
	for (const field of fields) {
		const value = record[field.name];
		if (typeof value === 'string' && value.trim() !== '') {
			const id = value.trim();
			// 15- and 18-character Ids of one record are the same parent
			keys.push(/^[a-zA-Z0-9]{18}$/.test(id) ? id.slice(0, 15) : id);
		}
		const related = field.relationshipName ? record[field.relationshipName] : undefined;
		if (related && typeof related === 'object') {
			keys.push(`${field.relationshipName}:${JSON.stringify(related)}`);
		}
	}
	return keys;
}

/**
 * Chains of batches (see the file comment). Every item is in exactly one batch, in exactly one
 * chain; items without parents fill the batches' free room.
 */
export function parentBatches<T>(
	items: readonly T[],
	parentsOf: (item: T) => readonly string[],
	size: number,
): T[][][] {
	if (!Number.isInteger(size) || size < 1) {
		throw new RangeError(`batch size must be a whole number above 0, got ${String(size)}`);
	}
	// union-find over items: two items naming one parent are in one group
	const root = items.map((_, i) => i);
	const find = (i: number): number => {
		while (root[i] !== i) {
			root[i] = root[root[i]];
			i = root[i];
		}
		return i;
	};
	const byParent = new Map<string, number>();
	items.forEach((item, i) => {
		for (const parent of parentsOf(item)) {
			const seen = byParent.get(parent);
			if (seen === undefined) byParent.set(parent, i);
			else {
				const a = find(seen);
				const b = find(i);
				if (a !== b) root[Math.max(a, b)] = Math.min(a, b);
			}
		}
	});
	const groups = new Map<number, T[]>();
	items.forEach((item, i) => {
		const r = find(i);
		const group = groups.get(r);
		if (group) group.push(item);
		else groups.set(r, [item]);
	});

	const chains: T[][][] = [];
	const open: T[][] = []; // single-batch chains with room left (full ones leave)
	for (const group of groups.values()) {
		if (group.length > size) {
			const chain: T[][] = [];
			for (let i = 0; i < group.length; i += size) chain.push(group.slice(i, i + size));
			chains.push(chain);
			continue;
		}
		const at = open.findIndex((b) => b.length + group.length <= size);
		const batch = at >= 0 ? open[at] : [];
		if (at < 0) chains.push([batch]);
		batch.push(...group);
		if (batch.length === size) {
			if (at >= 0) open.splice(at, 1);
		} else if (at < 0) open.push(batch);
	}
	return chains;
}

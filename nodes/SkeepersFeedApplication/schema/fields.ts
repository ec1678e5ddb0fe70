/**
 * Questions asked of a describe (pure), by the editor's dropdowns (methods/) and by the run
 * (match kinds, pre-flight): writable objects and fields, match fields, a field by name.
 */
import type { FeedOperation, MatchKind } from '../domain';
import type { FieldDescribe, SObjectDescribe, SObjectSummary } from '../salesforce/types';

/** Objects the node can write: createable or updateable. */
export function writableObjects(sobjects: SObjectSummary[]): SObjectSummary[] {
	return sobjects
		.filter((o) => o.createable || o.updateable)
		.sort((a, b) => a.label.localeCompare(b.label));
}

/** Fields a mapping row may write for this operation. */
export function writableFields(
	describe: SObjectDescribe,
	operation: FeedOperation,
): FieldDescribe[] {
	return describe.fields
		.filter((f) => {
			if (f.name === 'Id') return false;
			if (operation === 'create') return f.createable;
			if (operation === 'update') return f.updateable;
			return f.createable || f.updateable;
		})
		.sort((a, b) => a.label.localeCompare(b.label));
}

/** Fields an item can be matched on: Id, external IDs, idLookup fields. */
export function matchFields(describe: SObjectDescribe): FieldDescribe[] {
	const id = describe.fields.filter((f) => f.name === 'Id');
	const rest = describe.fields
		.filter((f) => f.name !== 'Id' && (f.externalId || f.idLookup))
		.sort((a, b) => Number(b.externalId) - Number(a.externalId) || a.label.localeCompare(b.label));
	return [...id, ...rest];
}

/** Finds a field in a describe, ignoring case (Salesforce API names are case-insensitive). */
export function findField(
	describe: SObjectDescribe | undefined,
	name: string,
): FieldDescribe | undefined {
	if (!describe) return undefined;
	const lower = name.toLowerCase();
	return describe.fields.find((f) => f.name.toLowerCase() === lower);
}

/** Id → 'id'; external ID → 'externalId'; other idLookup field → 'idLookup'; else undefined. */
export function matchKindOf(describe: SObjectDescribe, field: string): MatchKind | undefined {
	if (field.toLowerCase() === 'id') return 'id';
	const f = findField(describe, field);
	if (!f) return undefined;
	if (f.externalId) return 'externalId';
	if (f.idLookup) return 'idLookup';
	return undefined;
}

/**
 * Reading the org's schema (global describe and one object's describe) for dropdowns, match
 * kinds and pre-flight validation. One describe per object per execution.
 */
import type { SalesforceApi, SObjectDescribe, SObjectSummary, FieldDescribe } from '../salesforce/types';
import { describeGlobal, describeSObject } from '../salesforce/describe';
import type { FeedOperation, MatchKind } from '../salesforce/writer';

/** Global describe (cached per SalesforceApi instance, see salesforce/describe.ts). */
export async function globalDescribe(api: SalesforceApi): Promise<SObjectSummary[]> {
	return await describeGlobal(api);
}

/** One object's describe (cached per SalesforceApi instance). */
export async function describeObject(api: SalesforceApi, object: string): Promise<SObjectDescribe> {
	return await describeSObject(api, object);
}

/** Objects the node can write: createable or updateable. */
export function writableObjects(sobjects: SObjectSummary[]): SObjectSummary[] {
	return sobjects
		.filter((o) => o.createable || o.updateable)
		.sort((a, b) => a.label.localeCompare(b.label));
}

/** Fields a mapping row may write for this operation. */
export function writableFields(describe: SObjectDescribe, operation: FeedOperation): FieldDescribe[] {
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

export function findField(describe: SObjectDescribe, name: string): FieldDescribe | undefined {
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

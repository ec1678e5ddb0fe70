/**
 * Editor-time methods of the Feed Application (dropdowns and list search): the org's objects,
 * match fields, writable fields, dedup key fields and Find's fields, read from its describes. Never imports
 * execution code (run/).
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { FeedOperation } from '../domain';
import { dedupKeyFields } from '../plan/dedup';
import { listAssignmentRules } from '../salesforce/assignment';
import { describeGlobal, describeSObject } from '../salesforce/describe';
import type { FieldDescribe, SObjectDescribe } from '../salesforce/types';
import { matchFields, writableFields, writableObjects } from '../schema/fields';
import { apiFor, currentObject } from './context';
import { relationshipOptions } from './relationshipOptions';

/** Object picker (resource locator "From List"): writable standard and custom objects. */
export async function searchObjects(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const objects = writableObjects(await describeGlobal(apiFor(this)));
	const needle = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = objects
		.filter(
			(o) =>
				!needle || o.name.toLowerCase().includes(needle) || o.label.toLowerCase().includes(needle),
		)
		.map((o) => ({ name: `${o.label} (${o.name})`, value: o.name }));
	return { results };
}

/** Match On: Id, external ID fields, idLookup fields (e.g. Email). */
export async function getMatchFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const object = currentObject(this);
	if (!object) return [{ name: 'Record ID', value: 'Id' }];
	const describe = await describeSObject(apiFor(this), object);
	return matchFields(describe).map((f) => ({
		name: f.name === 'Id' ? 'Record ID' : `${f.label} (${f.name})`,
		value: f.name,
		description:
			f.name === 'Id'
				? 'Salesforce record ID'
				: f.externalId
					? 'External ID'
					: 'Lookup field (matched with SOQL)',
	}));
}

/** The chosen object's fields that `pick` keeps for the chosen operation, as dropdown options. */
async function fieldOptions(
	ctx: ILoadOptionsFunctions,
	pick: (describe: SObjectDescribe, operation: FeedOperation) => FieldDescribe[],
	describeField: (f: FieldDescribe) => string,
): Promise<INodePropertyOptions[]> {
	const object = currentObject(ctx);
	if (!object) return [];
	const operation = (ctx.getCurrentNodeParameter('operation') ?? 'create') as FeedOperation;
	const describe = await describeSObject(apiFor(ctx), object);
	return pick(describe, operation).map((f) => ({
		name: `${f.label} (${f.name})`,
		value: f.name,
		description: describeField(f),
	}));
}

const sizeOf = (f: FieldDescribe) => `${f.type}${f.length ? `(${f.length})` : ''}`;

/**
 * Remote field dropdown: the object's fields writable for the chosen operation, then the
 * parents those reference fields can name by External ID (methods/relationshipOptions.ts).
 */
export async function getWritableFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const references: FieldDescribe[] = [];
	const fields = await fieldOptions(
		this,
		(describe, operation) => {
			const writable = writableFields(describe, operation);
			references.push(...writable.filter((f) => f.type === 'reference'));
			return writable;
		},
		(f) =>
			`${sizeOf(f)}${f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean' ? ', required on create' : ''}${f.externalId ? ', external ID' : ''}`,
	);
	return [...fields, ...(await relationshipOptions(apiFor(this), references))];
}

/** Dedup Key Field: the object's unique fields writable for the operation. */
export async function getDedupKeyFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await fieldOptions(
		this,
		dedupKeyFields,
		(f) => `Unique ${sizeOf(f)}${f.externalId ? ', external ID' : ''}`,
	);
}

/** Assignment Rule (Specific Rule): the chosen object's AssignmentRule records, active first. */
export async function getAssignmentRules(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const object = currentObject(this);
	if (!object) return [];
	const rules = await listAssignmentRules(apiFor(this), object);
	return rules.map((r) => ({
		name: `${r.Name ?? r.Id}${r.Active ? ' (active)' : ''}`,
		value: r.Id,
		description: `${object} assignment rule ${r.Id}`,
	}));
}

export { getCampaignMemberStatuses } from './campaignMemberOptions';
export { getCampaigns, getOwners, getRecordTypes } from './namedOptions';

/** Find → Fields to Return: every field of the object (Id is always returned). */
export async function getFindFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return await fieldOptions(
		this,
		(describe) =>
			describe.fields.filter((f) => f.name !== 'Id').sort((a, b) => a.label.localeCompare(b.label)),
		sizeOf,
	);
}

/** Find → Conditions: the fields SOQL can filter on (`filterable` in the describe). */
export async function getFilterableFields(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return await fieldOptions(
		this,
		(describe) =>
			describe.fields
				.filter((f) => f.filterable !== false)
				.sort((a, b) => a.label.localeCompare(b.label)),
		sizeOf,
	);
}

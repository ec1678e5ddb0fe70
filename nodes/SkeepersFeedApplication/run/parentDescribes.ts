/**
 * The describes of the parent objects a group's mapping names by External ID
 * (`Contact.Skeepers_Respondent_Id__c`, schema/relationships.ts), for the pre-flight of those
 * rows (mapping/relationships.ts). Rows whose remote field is an expression are left out:
 * Salesforce answers for them. Cached across executions like the object's own describe
 * (describeForRun.ts), so a parent link costs no call once the cache holds it; a cached parent
 * describe on which a named parent field is missing or cannot match is fetched again, and one
 * that fails an item's pre-flight is dropped with the others (`schemaWasStale`).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { FeedOperation } from '../domain';
import type { SalesforceApi, SObjectDescribe } from '../salesforce/types';
import { fixedFieldNames } from '../schema/cachePolicy';
import { matchKindOf } from '../schema/fields';
import { parentFieldsNamed } from '../schema/relationships';
import { describeForRun, type RunDescribes } from './describeForRun';

/** Parents' describes by lower-cased object name (one describe per parent and execution). */
export async function parentDescribes(
	ctx: IExecuteFunctions,
	describes: RunDescribes,
	api: SalesforceApi,
	describe: SObjectDescribe,
	itemIndex: number,
	options: { operation: FeedOperation; schemaCacheSeconds?: unknown },
): Promise<Map<string, SObjectDescribe>> {
	let raw: unknown = [];
	try {
		raw = ctx.getNodeParameter('mapping.rows', itemIndex, [], { rawExpressions: true });
	} catch {
		// unreadable rows: the planning reports them per item
	}
	const parents = new Map<string, SObjectDescribe>();
	for (const [name, fields] of parentFieldsNamed(describe, fixedFieldNames(raw))) {
		const found = await describeForRun(ctx, describes, api, name, {
			...options,
			gapsOf: (d) => fields.filter((f) => !matchKindOf(d, f)),
		});
		parents.set(name.toLowerCase(), found);
	}
	return parents;
}

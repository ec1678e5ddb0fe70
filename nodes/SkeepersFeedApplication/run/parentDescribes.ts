/**
 * The describes of the parent objects a group's mapping names by External ID
 * (`Contact.Skeepers_Respondent_Id__c`, schema/relationships.ts), for the pre-flight of those
 * rows (mapping/relationships.ts). Rows whose remote field is an expression are left out:
 * Salesforce answers for them.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { describeSObject } from '../salesforce/describe';
import type { SalesforceApi, SObjectDescribe } from '../salesforce/types';
import { fixedFieldNames } from '../schema/cachePolicy';
import { parentObjectsNamed } from '../schema/relationships';

/** Parents' describes by lower-cased object name (one describe per parent and execution). */
export async function parentDescribes(
	ctx: IExecuteFunctions,
	api: SalesforceApi,
	describe: SObjectDescribe,
	itemIndex: number,
): Promise<Map<string, SObjectDescribe>> {
	let raw: unknown = [];
	try {
		raw = ctx.getNodeParameter('mapping.rows', itemIndex, [], { rawExpressions: true });
	} catch {
		// unreadable rows: the planning reports them per item
	}
	const parents = new Map<string, SObjectDescribe>();
	for (const name of parentObjectsNamed(describe, fixedFieldNames(raw)))
		parents.set(name.toLowerCase(), await describeSObject(api, name));
	return parents;
}

/**
 * Remote Field dropdown entries that set a parent by its External ID or idLookup field
 * (`Contact.Skeepers_Respondent_Id__c`, schema/relationships.ts): the parents of the object's
 * writable reference fields are described (a parent whose describe cannot be read, e.g. User
 * for a user without access, is left out).
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { describeSObject } from '../salesforce/describe';
import type { FieldDescribe, SalesforceApi, SObjectDescribe } from '../salesforce/types';
import { relationshipChoices } from '../schema/relationships';

export async function relationshipOptions(
	api: SalesforceApi,
	references: readonly FieldDescribe[],
): Promise<INodePropertyOptions[]> {
	const withRelationship = references.filter((f) => f.type === 'reference' && f.relationshipName);
	const types = [...new Set(withRelationship.flatMap((f) => f.referenceTo))];
	const parents = new Map<string, SObjectDescribe>();
	await Promise.all(
		types.map(async (type) => {
			try {
				parents.set(type.toLowerCase(), await describeSObject(api, type));
			} catch {
				// not describable for this user: no entries for it
			}
		}),
	);
	return relationshipChoices(withRelationship, parents).map((c) => ({
		name: `${c.reference.label} → ${c.parent.label} by ${c.parentField.label} (${c.path})`,
		value: c.path,
		description: `Sets ${c.reference.name} to the ${c.parent.name} whose ${c.parentField.name} is the value (${c.parentField.externalId ? 'external ID' : 'idLookup field'})`,
	}));
}

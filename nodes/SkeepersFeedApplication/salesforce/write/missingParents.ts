/**
 * Missing Parents: Leave the Lookup Empty (option `missingParents: 'leaveEmpty'`). Before a
 * wave is written, the parents its records name by an External ID or idLookup field
 * (`Contact: {Skeepers_Respondent_Id__c: "r-1"}`, mapping/relationships.ts) are looked up: one
 * SOQL query per parent object and field per wave (chunked by URL length), never one per item.
 * - one parent found: the record carries its Id in the reference field (`ContactId`);
 * - none: the record is written without that link, and its result names the parent in
 *   `parentsNotFound` (the record is not lost, and what was left out is visible);
 * - several: left as it is, so Salesforce refuses the record with its own error.
 * With the default, Fail the Item, none of this runs: Salesforce finds the parents itself, at no
 * extra call, and refuses a record whose parent does not exist (INVALID_FIELD).
 */
import type { ParentNotFound } from '../../domain';
import type { ParentField } from '../../plan/parentBatches';
import { lookUp } from './lookup';
import type { Op, WriteSession } from './session';

interface Link {
	op: Op;
	reference: ParentField;
	relationshipName: string;
	parentType: string;
	parentField: string;
	value: string | number;
}

/** The parents `op` names in nested form, through the object's reference fields. */
function linksOf(op: Op, references: readonly ParentField[]): Link[] {
	const links: Link[] = [];
	for (const reference of references) {
		const relationshipName = reference.relationshipName;
		if (!relationshipName) continue;
		const key = Object.keys(op.body).find(
			(k) => k.toLowerCase() === relationshipName.toLowerCase(),
		);
		const nested = key === undefined ? undefined : op.body[key];
		if (!nested || typeof nested !== 'object' || Array.isArray(nested)) continue;
		const { attributes, ...fields } = nested as Record<string, unknown>;
		const named = Object.entries(fields);
		if (named.length !== 1) continue; // not one parent field: left to Salesforce
		const [parentField, value] = named[0];
		if (typeof value !== 'string' && typeof value !== 'number') continue;
		const parentType =
			(attributes as { type?: string } | undefined)?.type ?? reference.referenceTo?.[0];
		if (!parentType) continue;
		links.push({ op, reference, relationshipName: key as string, parentType, parentField, value });
	}
	return links;
}

/** Resolves the nested parents of `ops` in place (see the file comment). */
export async function linkParents(s: WriteSession, ops: readonly Op[]): Promise<void> {
	const references = s.o.parentFields ?? [];
	const byParent = new Map<string, Link[]>();
	for (const op of ops) {
		for (const link of linksOf(op, references)) {
			const group = `${link.parentType}.${link.parentField}`;
			byParent.set(group, [...(byParent.get(group) ?? []), link]);
		}
	}
	for (const links of byParent.values()) {
		const { parentType, parentField } = links[0];
		const { idsOf } = await lookUp(
			s,
			links.map((l) => l.value),
			[],
			parentField,
			parentType,
		);
		for (const link of links) {
			const ids = idsOf(link.value);
			if (ids.length > 1) continue;
			delete link.op.body[link.relationshipName];
			if (ids.length === 1) {
				link.op.body[link.reference.name] = ids[0];
				continue;
			}
			const polymorphic = (link.reference.referenceTo?.length ?? 0) > 1;
			const missing: ParentNotFound = {
				field: `${polymorphic ? `${link.parentType}:` : ''}${link.relationshipName}.${link.parentField}`,
				value: link.value,
				object: link.parentType,
			};
			const item = link.op.input.itemIndex;
			s.parentsNotFound.set(item, [...(s.parentsNotFound.get(item) ?? []), missing]);
		}
	}
}

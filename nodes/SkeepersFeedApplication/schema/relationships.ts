/**
 * Parents named by their External ID or idLookup field (pure). A remote field
 * `RelationshipName.ParentField` (`Contact.Skeepers_Respondent_Id__c` on Case,
 * `Contact__r.Skeepers_Respondent_Id__c` on a custom object) sets the reference field whose
 * `relationshipName` it names to the parent found by that field; a polymorphic reference names
 * the parent type first, as Bulk API 2.0 headers do: `Lead:Who.Email`.
 * Salesforce accepts it as a nested object in REST and sObject Collections bodies
 * (`{"Contact": {"Skeepers_Respondent_Id__c": "r-1"}}`, `attributes.type` for the parent type)
 * and as that column name in Bulk API 2.0 CSV; the parent field must be an External ID or an
 * idLookup field of the parent.
 */
import type { FieldDescribe, SObjectDescribe } from '../salesforce/types';

/** A relationship remote field, read from its name. */
export interface RelationshipPath {
	/** Polymorphic references only: the parent object named before `:`. */
	parentType?: string;
	relationshipName: string;
	parentField: string;
}

const PATH = /^(?:([A-Za-z0-9_]+):)?([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/;

/** `[ParentType:]RelationshipName.ParentField`, or undefined for a plain field name. */
export function parseRelationshipPath(name: string): RelationshipPath | undefined {
	const m = PATH.exec(name.trim());
	if (!m) return undefined;
	return { parentType: m[1], relationshipName: m[2], parentField: m[3] };
}

/** The remote field name of a relationship (the parent type only for a polymorphic reference). */
function relationshipPathName(
	reference: FieldDescribe,
	parentType: string,
	parentField: string,
): string {
	const prefix = reference.referenceTo.length > 1 ? `${parentType}:` : '';
	return `${prefix}${reference.relationshipName}.${parentField}`;
}

/** The reference field whose relationshipName is `name` (ignoring case). */
export function referenceFieldOf(
	describe: SObjectDescribe,
	relationshipName: string,
): FieldDescribe | undefined {
	const lower = relationshipName.toLowerCase();
	return describe.fields.find(
		(f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === lower,
	);
}

/** The parent fields that can identify a parent: External ID and idLookup fields, Id aside. */
function parentLookupFields(parent: SObjectDescribe): FieldDescribe[] {
	return parent.fields
		.filter((f) => f.name !== 'Id' && (f.externalId || f.idLookup))
		.sort((a, b) => Number(b.externalId) - Number(a.externalId) || a.label.localeCompare(b.label));
}

/** A relationship path checked against the object's and the parent's describes. */
export interface ResolvedRelationship {
	/** The reference field the parent's Id goes into (e.g. ContactId). */
	reference: FieldDescribe;
	/** The parent object's API name (as the reference lists it). */
	parentType: string;
	/** The parent field, as Salesforce spells it. */
	parentField: FieldDescribe;
	/** The canonical remote field name. */
	path: string;
}

/**
 * Resolves `path` against `describe` and the parents' describes (by object name): the
 * relationship, or a plain-language reason it cannot be used. `parents` lacks an object when
 * its describe could not be read; then the reason says so.
 */
export function resolveRelationship(
	describe: SObjectDescribe,
	path: RelationshipPath,
	parents: ReadonlyMap<string, SObjectDescribe>,
): ResolvedRelationship | { problem: string } {
	const reference = referenceFieldOf(describe, path.relationshipName);
	if (!reference)
		return {
			problem: `${describe.name} has no relationship named ${path.relationshipName} (a lookup field's relationship name: Contact for ContactId, Contact__r for Contact__c).`,
		};
	const targets = reference.referenceTo;
	if (targets.length > 1 && !path.parentType)
		return {
			problem: `${reference.name} can point to ${targets.join(' or ')}: name the parent object, e.g. ${targets[0]}:${reference.relationshipName}.${path.parentField}.`,
		};
	const wanted = (path.parentType ?? targets[0] ?? '').toLowerCase();
	const parentType = targets.find((t) => t.toLowerCase() === wanted);
	if (!parentType)
		return {
			problem: `${reference.name} cannot point to ${path.parentType}; it points to ${targets.join(' or ')}.`,
		};
	const parent = parents.get(parentType.toLowerCase());
	if (!parent)
		return {
			problem: `the describe of ${parentType} could not be read, so ${path.parentField} cannot be checked.`,
		};
	const lower = path.parentField.toLowerCase();
	const parentField = parent.fields.find((f) => f.name.toLowerCase() === lower);
	if (!parentField) return { problem: `${parentType} has no field named ${path.parentField}.` };
	if (parentField.name === 'Id' || !(parentField.externalId || parentField.idLookup))
		return {
			problem: `${parentType}.${parentField.name} is neither an External ID nor an idLookup field, so Salesforce cannot find the parent by it. Pick one of: ${
				parentLookupFields(parent)
					.map((f) => f.name)
					.join(', ') || `(${parentType} has none)`
			}.`,
		};
	return {
		reference,
		parentType,
		parentField,
		path: relationshipPathName(reference, parentType, parentField.name),
	};
}

/**
 * The parent objects `names` (remote field names) point to, for their describes, each with the
 * parent fields named on it (once each).
 */
export function parentFieldsNamed(
	describe: SObjectDescribe,
	names: readonly string[],
): Map<string, string[]> {
	const out = new Map<string, string[]>();
	for (const name of names) {
		const path = parseRelationshipPath(name);
		if (!path) continue;
		const reference = referenceFieldOf(describe, path.relationshipName);
		if (!reference) continue;
		const wanted = (path.parentType ?? reference.referenceTo[0] ?? '').toLowerCase();
		const parentType = reference.referenceTo.find((t) => t.toLowerCase() === wanted);
		if (!parentType) continue;
		const fields = out.get(parentType) ?? [];
		if (!fields.includes(path.parentField)) fields.push(path.parentField);
		out.set(parentType, fields);
	}
	return out;
}

/**
 * The nested value Salesforce reads for a relationship in a REST / Collections body:
 * `{ParentField: value}`, with `attributes.type` when the path names the parent type.
 */
export function nestedParent(path: RelationshipPath, value: unknown): Record<string, unknown> {
	return path.parentType
		? { attributes: { type: path.parentType }, [path.parentField]: value }
		: { [path.parentField]: value };
}

/** One way to name a parent in the Remote Field dropdown. */
export interface RelationshipChoice {
	reference: FieldDescribe;
	parent: SObjectDescribe;
	parentField: FieldDescribe;
	path: string;
}

/**
 * Every `[Type:]Relationship.ParentField` the mapping can use: for each of `references` (the
 * object's writable reference fields) and each parent type whose describe is in `parents` (by
 * lower-cased name), each External ID or idLookup field of that parent.
 */
export function relationshipChoices(
	references: readonly FieldDescribe[],
	parents: ReadonlyMap<string, SObjectDescribe>,
): RelationshipChoice[] {
	const out: RelationshipChoice[] = [];
	for (const reference of references) {
		if (reference.type !== 'reference' || !reference.relationshipName) continue;
		for (const type of reference.referenceTo) {
			const parent = parents.get(type.toLowerCase());
			if (!parent) continue;
			for (const parentField of parentLookupFields(parent))
				out.push({
					reference,
					parent,
					parentField,
					path: relationshipPathName(reference, type, parentField.name),
				});
		}
	}
	return out;
}

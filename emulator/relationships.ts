/**
 * Parents named by their external ID (or idLookup) field instead of their Id, as Salesforce
 * accepts them on every write path:
 * - JSON (REST, sObject Collections): `{"Contact": {"Skeepers_Respondent_Id__c": "r-1"}}`, the key
 *   being the reference field's `relationshipName` (`Contact__r` for a custom lookup); a
 *   polymorphic field names the parent type: `{"Who": {"attributes": {"type": "Lead"}, "Email": "…"}}`.
 * - Bulk API 2.0 CSV: a column `RelationshipName.IndexedFieldName` (`Contact.Skeepers_Respondent_Id__c`),
 *   `ParentType:RelationshipName.IndexedFieldName` for a polymorphic field (`Lead:Who.Email`).
 * The parent is looked up and its Id stored in the reference field; a parent that is not found
 * (or found twice) fails that record alone.
 */
import { sfError, type SfError } from './errors';
import { findField, findObject, type EmuField, type EmuObject } from './schema';
import type { Rec, Store } from './store';
import type { Source } from './validation';

export interface ResolvedParents {
	/** The input with each relationship key replaced by its reference field and the parent's Id. */
	input: Rec;
	/** Per-record errors (parent not found, found more than once). */
	errors: SfError[];
	/** Request errors (a malformed relationship: the whole request fails, like an unknown field). */
	fatal: SfError[];
}

/** A relationship the caller named: the reference field, the parent object and its lookup field. */
interface Named {
	field: EmuField;
	parent: EmuObject;
	lookup: EmuField;
}

const CSV_COLUMN = /^(?:([A-Za-z0-9_]+):)?([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/;

function relationshipField(o: EmuObject, name: string): EmuField | undefined {
	const n = name.toLowerCase();
	return o.fields.find((f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === n);
}

/** Resolves `field`'s parent type (`type` given or the only target) and lookup field, or says why not. */
function name(field: EmuField, type: string | undefined, lookupName: string): Named | SfError {
	const rel = field.relationshipName!;
	if (type === undefined && field.referenceTo.length > 1)
		return sfError(
			'INVALID_FIELD',
			`Polymorphic foreign key reference ${rel} needs the parent type (one of ${field.referenceTo.join(', ')})`,
			[field.name],
		);
	const typeName = type ?? field.referenceTo[0];
	const parent = field.referenceTo.some((t) => t.toLowerCase() === typeName.toLowerCase())
		? findObject(typeName)
		: undefined;
	if (!parent)
		return sfError(
			'INVALID_FIELD',
			`${typeName} is not a valid parent type for foreign key reference ${rel}`,
			[field.name],
		);
	const lookup = findField(parent, lookupName);
	if (!lookup)
		return sfError(
			'INVALID_FIELD',
			`No such column '${lookupName}' on sobject of type ${parent.name}`,
			[lookupName],
		);
	if (!lookup.externalId && !lookup.idLookup)
		return sfError(
			'INVALID_FIELD',
			`Field ${lookup.name} on ${parent.name} is neither an External ID nor an idLookup field: it cannot identify the parent of ${rel}`,
			[lookup.name],
		);
	return { field, parent, lookup };
}

/** The parent's Id, or the per-record error Salesforce answers. */
function find(store: Store, n: Named, value: unknown): string | SfError {
	const matches = store.findBy(n.parent.name, n.lookup.name, value);
	const shown = String(value);
	if (matches.length === 1) return String(matches[0].Id);
	return sfError(
		'INVALID_FIELD',
		matches.length === 0
			? `Foreign key external ID: ${shown} not found for field ${n.lookup.name} in entity ${n.parent.name}`
			: `Foreign key external ID: ${shown} found more than once for field ${n.lookup.name} in entity ${n.parent.name}`,
		[],
	);
}

/** A JSON relationship key: `{<relationshipName>: {[attributes: {type}], <lookup field>: value}}`. */
function fromJson(
	o: EmuObject,
	field: EmuField,
	raw: unknown,
): { named: Named; value: unknown } | SfError {
	const rel = field.relationshipName!;
	if (!raw || typeof raw !== 'object' || Array.isArray(raw))
		return sfError(
			'INVALID_FIELD',
			`The value provided for foreign key reference ${rel} is not a nested SObject`,
			[field.name],
		);
	const { attributes, ...rest } = raw as Rec;
	const keys = Object.keys(rest);
	if (keys.length !== 1)
		return sfError(
			'INVALID_FIELD',
			`Foreign key reference ${rel} on ${o.name} must give exactly one External ID or idLookup field of the parent, got ${keys.length}`,
			[field.name],
		);
	const type =
		attributes && typeof attributes === 'object' && 'type' in attributes
			? String((attributes as Rec).type)
			: undefined;
	const named = name(field, type, keys[0]);
	return 'errorCode' in named ? named : { named, value: rest[keys[0]] };
}

/** A CSV relationship column, `[ParentType:]RelationshipName.IndexedFieldName`. */
function fromColumn(o: EmuObject, column: string): Named | SfError | undefined {
	const m = CSV_COLUMN.exec(column);
	if (!m) return undefined;
	const field = relationshipField(o, m[2]);
	if (!field)
		return sfError('INVALID_FIELD', `No such relationship '${m[2]}' on sobject of type ${o.name}`, [
			column,
		]);
	return name(field, m[1], m[3]);
}

/**
 * Bulk API 2.0: the job fails when a relationship column names no relationship, no parent field,
 * or a parent field that is not an External ID or idLookup field. Returns the job's error message.
 */
export function relationshipColumnProblem(o: EmuObject, header: string[]): string | undefined {
	for (const h of header) {
		if (!h.includes('.')) continue;
		const named = fromColumn(o, h);
		if (!named || 'errorCode' in named) return `InvalidBatch : Field name not found : ${h}`;
	}
	return undefined;
}

/** Replaces the relationship keys of one record with the parents' Ids (see the file comment). */
export function resolveParents(
	store: Store,
	o: EmuObject,
	input: Rec,
	source: Source,
): ResolvedParents {
	const out: Rec = {};
	const errors: SfError[] = [];
	const fatal: SfError[] = [];
	for (const [key, raw] of Object.entries(input)) {
		let resolved: { named: Named; value: unknown } | SfError | undefined;
		if (source === 'csv') {
			const named = key.includes('.') ? fromColumn(o, key) : undefined;
			resolved = named && !('errorCode' in named) ? { named, value: raw } : named;
		} else if (!findField(o, key)) {
			const field = relationshipField(o, key);
			resolved = field ? fromJson(o, field, raw) : undefined;
		}
		if (!resolved) {
			out[key] = raw;
			continue;
		}
		if ('errorCode' in resolved) {
			fatal.push(resolved);
			continue;
		}
		const { named, value } = resolved;
		// An empty CSV cell leaves the field alone (like any other column); #N/A and null clear it.
		if (source === 'csv' && value === '') continue;
		if (value === null || value === undefined || (source === 'csv' && value === '#N/A')) {
			out[named.field.name] = source === 'csv' ? '#N/A' : null;
			continue;
		}
		const id = find(store, named, value);
		if (typeof id === 'string') out[named.field.name] = id;
		else errors.push(id);
	}
	return { input: out, errors, fatal };
}

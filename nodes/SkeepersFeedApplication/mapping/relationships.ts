/**
 * Mapping rows that name a parent by its External ID or idLookup field
 * (`Contact.Skeepers_Respondent_Id__c`, schema/relationships.ts):
 * - `placeParent` puts a row's value in the record as Salesforce's nested form
 *   (`Contact: {Skeepers_Respondent_Id__c: "r-1"}`); an empty value is skipped, or clears the
 *   reference field itself (`ContactId: null`) when empty values are sent as null;
 * - `relationshipRowErrors` is the pre-flight of those rows, before anything is written: the
 *   relationship exists, the parent field is an External ID or idLookup field of the parent, the
 *   reference field is writable for the operation, one row per reference, Overwrite only.
 */
import { ERROR_CODES, type FeedOperation } from '../domain';
import type { SObjectDescribe } from '../salesforce/types';
import { findField } from '../schema/fields';
import {
	nestedParent,
	parseRelationshipPath,
	referenceFieldOf,
	resolveRelationship,
} from '../schema/relationships';
import type { EmptyValues, MappingRow } from './record';
import { isEmptyValue, itemRowPrefix, type ItemError } from './types';

export interface PlaceParentInput {
	field: string;
	value: unknown;
	describe?: SObjectDescribe;
	emptyValues: EmptyValues;
	itemIndex: number;
	rowNo: number;
}

/**
 * Writes a relationship row into `record` (and its row number into `rowByField`): returns false
 * when `field` is a plain field name (nothing done), an ItemError when the empty value cannot
 * clear the reference, true when placed (or skipped as empty).
 */
export function placeParent(
	record: Record<string, unknown>,
	rowByField: Record<string, number>,
	input: PlaceParentInput,
): boolean | ItemError {
	const path = parseRelationshipPath(input.field);
	if (!path) return false;
	const reference = input.describe
		? referenceFieldOf(input.describe, path.relationshipName)
		: undefined;
	if (isEmptyValue(input.value)) {
		if (input.emptyValues === 'skip') return true;
		if (reference && !reference.nillable)
			return {
				itemIndex: input.itemIndex,
				row: input.rowNo,
				field: input.field,
				value: input.value,
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: `${itemRowPrefix(input.itemIndex, input.rowNo, input.field)}: the value is empty, and ${reference.name} cannot be cleared (Salesforce requires a parent).`,
			};
		const key = reference?.name ?? path.relationshipName;
		record[key] = null;
		rowByField[key] = input.rowNo;
		return true;
	}
	// an unknown relationship keeps its row's name, for the pre-flight to report
	const key = reference?.relationshipName ?? input.field;
	// two rows on one relationship are both sent (pre-flight refuses them; when off, Salesforce does)
	const earlier = record[key];
	record[key] = {
		...(earlier !== null && typeof earlier === 'object' ? earlier : {}),
		...nestedParent(path, input.value),
	};
	rowByField[key] = input.rowNo;
	return true;
}

/**
 * Whether `record[name]` was put there by placeParent: a parent in nested form, or a
 * relationship row's name (pre-flight leaves both to relationshipRowErrors).
 */
export function isParentKey(describe: SObjectDescribe, name: string, value: unknown): boolean {
	if (findField(describe, name)) return false;
	if (parseRelationshipPath(name)) return true;
	return (
		value !== null &&
		typeof value === 'object' &&
		!Array.isArray(value) &&
		referenceFieldOf(describe, name) !== undefined
	);
}

export interface RelationshipRowsOptions {
	describe: SObjectDescribe;
	/** Parents' describes by lower-cased object name; a parent missing here is left to Salesforce. */
	parents: ReadonlyMap<string, SObjectDescribe>;
	operation: FeedOperation;
	itemIndex: number;
}

function writable(operation: FeedOperation, f: { createable: boolean; updateable: boolean }) {
	if (operation === 'create') return f.createable;
	if (operation === 'update') return f.updateable;
	return f.createable || f.updateable;
}

/** Pre-flight of the relationship rows (see the file comment): one ItemError per bad row. */
export function relationshipRowErrors(
	rows: readonly MappingRow[],
	opts: RelationshipRowsOptions,
): ItemError[] {
	const { describe, parents, operation, itemIndex } = opts;
	const errors: ItemError[] = [];
	const rowOfReference = new Map<string, number>();
	rows.forEach((row, i) => {
		const direct = findField(describe, (row.field ?? '').trim());
		if (direct?.type === 'reference') rowOfReference.set(direct.name, i + 1);
	});
	for (const [i, row] of rows.entries()) {
		const rowNo = i + 1;
		const field = (row.field ?? '').trim();
		const path = parseRelationshipPath(field);
		if (!path) continue;
		const fail = (errorCode: string, text: string) =>
			void errors.push({
				itemIndex,
				row: rowNo,
				field,
				errorCode,
				message: `${itemRowPrefix(itemIndex, rowNo, field)}: ${text}`,
			});
		const reference = referenceFieldOf(describe, path.relationshipName);
		const parentKnown = reference?.referenceTo.some((t) => parents.has(t.toLowerCase()));
		const resolved = resolveRelationship(describe, path, parents);
		if ('problem' in resolved) {
			// a parent whose describe was not read (a field chosen by an expression): Salesforce answers
			if (!reference || parentKnown) fail('INVALID_FIELD', resolved.problem);
			continue;
		}
		const first = rowOfReference.get(resolved.reference.name);
		if (!writable(operation, resolved.reference))
			fail(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
				`${resolved.reference.name} cannot be written on ${operation} (a read-only field or one your user cannot edit).`,
			);
		else if ((row.writeMode ?? 'overwrite') !== 'overwrite')
			fail(
				ERROR_CODES.INVALID_WRITE_MODE,
				'a parent found by its External ID is always written with Overwrite; choose Overwrite for this row.',
			);
		else if (first !== undefined && first !== rowNo)
			fail(
				ERROR_CODES.DUPLICATE_FIELD_MAPPING,
				`row ${first} already sets ${resolved.reference.name}; a parent is set by one row only. Remove one of the rows.`,
			);
		else rowOfReference.set(resolved.reference.name, rowNo);
	}
	return errors;
}

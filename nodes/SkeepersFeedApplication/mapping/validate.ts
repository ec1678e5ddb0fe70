/**
 * Pre-flight validation of one record against the object's describe, before any write: the
 * record-level checks (each field exists and can be written, empty values, required fields),
 * then each value's own checks, in valueChecks.ts (type, size, picklist, format). It reports
 * what Salesforce would reject, with Salesforce's own error codes where they exist, so an item
 * fails the same way whether the check happens here or in Salesforce:
 *
 * | check                                              | errorCode                                |
 * | -------------------------------------------------- | ---------------------------------------- |
 * | field not on the object                            | INVALID_FIELD                            |
 * | not createable (create) / updateable (update)      | INVALID_FIELD_FOR_INSERT_UPDATE          |
 * | upsert: neither createable nor updateable          | INVALID_FIELD_FOR_INSERT_UPDATE          |
 * | null for a field that cannot be empty              | REQUIRED_FIELD_MISSING                   |
 * | required field absent on create                    | REQUIRED_FIELD_MISSING                   |
 * | the value itself (type, digits, e-mail, Id, …)     | see valueChecks.ts                       |
 *
 * Upsert: Salesforce decides per record whether it creates or updates, and refuses a field the
 * chosen path cannot write. Before the write we cannot know the path, so a field that is
 * neither createable nor updateable is refused; a field writable on one path only is let
 * through (Salesforce answers for the record if the other path is taken). Required fields are
 * only checked for Create, for the same reason.
 */
import type { FeedOperation } from '../domain';
import type { SObjectDescribe } from '../salesforce/types';
import { findField } from '../schema/fields';
import { isParentKey } from './relationships';
import type { ItemError } from './types';
import { itemRowPrefix } from './types';
import { checkValue, fieldLabel } from './valueChecks';

export interface ValidateOptions {
	describe: SObjectDescribe;
	operation: FeedOperation;
	/** Update / upsert: the field items are matched on (Id, external ID or idLookup field). */
	matchField?: string;
	itemIndex: number;
	/** Field → 1-based mapping row number, for messages. */
	rowByField: Record<string, number>;
}

export function validateRecord(
	record: Record<string, unknown>,
	opts: ValidateOptions,
): ItemError[] {
	const { describe, operation, itemIndex, rowByField } = opts;
	const errors: ItemError[] = [];
	const matchLower = opts.matchField?.toLowerCase();
	const objectName = describe.label || describe.name;

	const rowOf = (name: string): number | undefined => {
		if (rowByField[name] !== undefined) return rowByField[name];
		const lower = name.toLowerCase();
		const key = Object.keys(rowByField).find((k) => k.toLowerCase() === lower);
		return key === undefined ? undefined : rowByField[key];
	};
	const push = (
		field: string,
		value: unknown,
		errorCode: string,
		text: string,
		withValue = true,
	) => {
		const row = rowOf(field);
		const error: ItemError = {
			itemIndex,
			field,
			errorCode,
			message: `${itemRowPrefix(itemIndex, row, field)}: ${text}`,
		};
		if (row !== undefined) error.row = row;
		if (withValue) error.value = value;
		errors.push(error);
	};

	const present = new Set<string>();
	for (const [name, value] of Object.entries(record)) {
		const field = findField(describe, name);
		if (!field && isParentKey(describe, name, value)) continue; // mapping/relationships.ts
		if (!field) {
			push(
				name,
				value,
				'INVALID_FIELD',
				`${describe.name} has no field named ${name}. Check the API name (custom fields end in __c) or reload the field list.`,
			);
			continue;
		}
		present.add(field.name.toLowerCase());
		const label = fieldLabel(field);
		const isMatch = matchLower !== undefined && field.name.toLowerCase() === matchLower;
		const isIdOnUpdate = field.name === 'Id' && operation !== 'create';

		// Writability
		if (!isMatch && !isIdOnUpdate) {
			let refused: string | undefined;
			if (operation === 'create' && !field.createable)
				refused = 'cannot be set when creating a record';
			if (operation === 'update' && !field.updateable)
				refused = 'cannot be changed on an existing record';
			if (operation === 'upsert' && !field.createable && !field.updateable)
				refused = 'cannot be written (it is read-only)';
			if (refused) {
				push(
					field.name,
					value,
					'INVALID_FIELD_FOR_INSERT_UPDATE',
					`${label} ${refused} (a formula, system or read-only field, or a field your user cannot edit). Remove the row or pick another field.`,
				);
				continue;
			}
		}

		if (value === null || value === undefined) {
			if (!field.nillable && !isMatch) {
				push(
					field.name,
					value,
					'REQUIRED_FIELD_MISSING',
					`${label} cannot be empty in ${objectName}; a value is required.`,
				);
			}
			continue;
		}

		checkValue(field, value, push); // mapping/valueChecks.ts
	}

	if (operation === 'create') {
		for (const field of describe.fields) {
			if (present.has(field.name.toLowerCase())) continue;
			if (
				field.createable &&
				!field.nillable &&
				!field.defaultedOnCreate &&
				field.type !== 'boolean'
			) {
				errors.push({
					itemIndex,
					field: field.name,
					errorCode: 'REQUIRED_FIELD_MISSING',
					message: `${itemRowPrefix(itemIndex, undefined, field.name)}: ${fieldLabel(field)} is required to create a ${objectName}, and no mapping row sets it. Add a row for ${field.name}.`,
				});
			}
		}
	}
	return errors;
}

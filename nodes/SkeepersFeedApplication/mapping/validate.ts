/**
 * (Over 400 lines: one job, the check table below, run in one pass over the record's fields.)
 * Pre-flight validation of one record against the object's describe, before any write.
 * It reports what Salesforce would reject, with Salesforce's own error codes where they exist,
 * so an item fails the same way whether the check happens here or in Salesforce:
 *
 * | check                                              | errorCode                                |
 * | -------------------------------------------------- | ---------------------------------------- |
 * | field not on the object                            | INVALID_FIELD                            |
 * | not createable (create) / updateable (update)      | INVALID_FIELD_FOR_INSERT_UPDATE          |
 * | upsert: neither createable nor updateable          | INVALID_FIELD_FOR_INSERT_UPDATE          |
 * | wrong type (text for a checkbox, bad number/date)  | INVALID_TYPE_ON_FIELD_IN_RECORD          |
 * | number with too many digits for its precision      | NUMBER_OUTSIDE_VALID_RANGE               |
 * | malformed e-mail                                   | INVALID_EMAIL_ADDRESS                    |
 * | Id / lookup value that is not a 15 or 18 char Id   | MALFORMED_ID                             |
 * | value not in a restricted (multi-select) picklist  | INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST  |
 * | text longer than the field                         | STRING_TOO_LONG                          |
 * | null for a field that cannot be empty              | REQUIRED_FIELD_MISSING                   |
 * | required field absent on create                    | REQUIRED_FIELD_MISSING                   |
 *
 * Upsert: Salesforce decides per record whether it creates or updates, and refuses a field the
 * chosen path cannot write. Before the write we cannot know the path, so a field that is
 * neither createable nor updateable is refused; a field writable on one path only is let
 * through (Salesforce answers for the record if the other path is taken). Required fields are
 * only checked for Create, for the same reason.
 *
 * Text length is counted in UTF-16 code units, as Salesforce (Java) counts characters: an
 * emoji counts as 2.

 */
import type { FeedOperation } from '../domain';
import type { FieldDescribe, SObjectDescribe } from '../salesforce/types';
import { isValidCalendarDate } from './datetime';
import { findField } from '../schema/fields';
import { isParentKey } from './relationships';
import type { ItemError } from './types';
import { describeValue, itemRowPrefix } from './types';

export interface ValidateOptions {
	describe: SObjectDescribe;
	operation: FeedOperation;
	/** Update / upsert: the field items are matched on (Id, external ID or idLookup field). */
	matchField?: string;
	itemIndex: number;
	/** Field → 1-based mapping row number, for messages. */
	rowByField: Record<string, number>;
}

const TEXT_TYPES = new Set([
	'string',
	'textarea',
	'phone',
	'url',
	'combobox',
	'encryptedstring',
	'picklist',
	'email',
]);
const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);

/**
 * Only what no Salesforce org accepts, so pre-flight never refuses an address Salesforce would
 * take (Salesforce's "Email Address Format Technical Standards" article): non-Latin letters are
 * allowed (orgs with Email Address Internationalization take them), so are RFC 5322's special
 * characters and consecutive dots inside or at the end of the local part (`a..a@test.jp`,
 * `a..@test.jp`). Refused: spaces, no or several `@`, a local part starting with a dot, quotes or
 * brackets, a domain without a dot or with an empty label, a label starting or ending with `-`.
 */
const EMAIL_RE =
	/^(?!\.)[^\s@"(),:;<>[\]\\]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?)+$/u;
const ID_RE = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
	/^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,3})?)?Z?$/;
const NUMERIC_TEXT_RE = /^[+-]?(\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Characters as Salesforce counts them for a text field's length. */
function salesforceLength(text: string): number {
	return text.length;
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function isValidDateString(text: string): boolean {
	const m = DATE_RE.exec(text);
	return m !== null && isValidCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function isValidDateTime(value: unknown): boolean {
	if (value instanceof Date) return !Number.isNaN(value.getTime());
	if (typeof value !== 'string') return false;
	const m = DATETIME_RE.exec(value);
	return m !== null && isValidCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function picklistValues(field: FieldDescribe): string[] {
	return field.picklistValues.filter((p) => p.active).map((p) => p.value);
}

function fieldLabel(field: FieldDescribe): string {
	return field.label || field.name;
}

/** Digits before/after the decimal point of a finite number, e.g. 1234.5 → [4, 1]. */
function digitCounts(n: number): [number, number] {
	const text = Math.abs(n).toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
	const [int, frac = ''] = text.split('.');
	return [int.replace(/^0+/, '').length, frac.length];
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

		const shown = describeValue(value);
		const type = field.type;
		if (type === 'boolean') {
			if (typeof value !== 'boolean') {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is not a checkbox value for ${label}; expected true or false (the "Boolean" transformation reads oui/non, yes/no, 1/0).`,
				);
			}
			continue;
		}
		if (NUMBER_TYPES.has(type)) {
			let n: number | undefined;
			if (typeof value === 'number' && Number.isFinite(value)) n = value;
			else if (typeof value === 'string' && NUMERIC_TEXT_RE.test(value.trim()))
				n = Number(value.trim());
			if (n === undefined) {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is not a number for ${label}; expected a number like 12.5 (the "Number" transformation reads 12,5 and 1 234,56).`,
				);
				continue;
			}
			if (type === 'int' && !Number.isInteger(n)) {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is not a whole number; ${label} takes whole numbers only.`,
				);
				continue;
			}
			const precision =
				type === 'int' ? field.precision || field.length || 0 : (field.precision ?? 0);
			const scale = type === 'int' ? 0 : (field.scale ?? 0);
			if (precision > 0) {
				const [intDigits] = digitCounts(n);
				if (intDigits > precision - scale) {
					push(
						field.name,
						value,
						'NUMBER_OUTSIDE_VALID_RANGE',
						`${shown} is too large for ${label}: at most ${precision - scale} digits before the decimal point.`,
					);
				}
			}
			continue;
		}
		if (type === 'date') {
			if (typeof value !== 'string' || !isValidDateString(value)) {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is not a date for ${label}; expected YYYY-MM-DD like 2024-05-31 (the "Date" transformation reads 31/05/2024).`,
				);
			}
			continue;
		}
		if (type === 'datetime') {
			if (!isValidDateTime(value)) {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is not a date-time for ${label}; expected ISO 8601 like 2024-05-31T12:30:00.000Z (the "Date-Time" transformation reads 31/05/2024 14:30).`,
				);
			}
			continue;
		}
		if (type === 'time') {
			if (typeof value !== 'string' || !TIME_RE.test(value)) {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is not a time for ${label}; expected HH:mm:ss.SSSZ like 14:30:00.000Z.`,
				);
			}
			continue;
		}
		if (type === 'id' || type === 'reference') {
			if (typeof value !== 'string' || !ID_RE.test(value)) {
				const target =
					field.referenceTo.length > 0 ? ` of a ${field.referenceTo.join(' or ')} record` : '';
				push(
					field.name,
					value,
					'MALFORMED_ID',
					`${shown} is not a Salesforce Id${target} for ${label}; expected 15 or 18 letters and digits like 0035g00000AbCdEAAV.`,
				);
			}
			continue;
		}
		if (type === 'multipicklist') {
			const text = textOf(value);
			if (text === undefined) {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is not text for ${label}; expected values separated by ";" (the "List to Multi-Select Picklist" transformation joins a list).`,
				);
				continue;
			}
			if (field.restrictedPicklist) {
				const allowed = picklistValues(field);
				const bad = text.split(';').filter((v) => !allowed.includes(v));
				if (bad.length > 0) {
					push(
						field.name,
						value,
						'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
						`${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length > 1 ? 'are not values' : 'is not a value'} of the restricted picklist ${label} (${allowed.join(', ')})${suggest(bad[0], allowed)}`,
					);
					continue;
				}
			}
			checkLength(field, text, value, push);
			continue;
		}
		if (TEXT_TYPES.has(type) || type === 'anyType') {
			const text = textOf(value);
			if (text === undefined) {
				push(
					field.name,
					value,
					'INVALID_TYPE_ON_FIELD_IN_RECORD',
					`${shown} is an object or a list, not text, for ${label}; map a single value (e.g. {{ $json.respondent.email }}).`,
				);
				continue;
			}
			if (type === 'picklist' && field.restrictedPicklist) {
				const allowed = picklistValues(field);
				if (!allowed.includes(text)) {
					push(
						field.name,
						value,
						'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
						`${JSON.stringify(text)} is not a value of the restricted picklist ${label} (${allowed.join(', ')})${suggest(text, allowed)}`,
					);
					continue;
				}
			}
			if (type === 'email' && !EMAIL_RE.test(text)) {
				push(
					field.name,
					value,
					'INVALID_EMAIL_ADDRESS',
					`${shown} is not a valid e-mail address for ${label}; expected an address like jean.dupont@exemple.fr.`,
				);
				continue;
			}
			checkLength(field, text, value, push);
			continue;
		}
		// address, location, base64 and unknown types: Salesforce decides.
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

function checkLength(
	field: FieldDescribe,
	text: string,
	value: unknown,
	push: (field: string, value: unknown, code: string, text: string, withValue?: boolean) => void,
): void {
	const length = salesforceLength(text);
	if (field.length > 0 && length > field.length) {
		push(
			field.name,
			value,
			'STRING_TOO_LONG',
			`the text is ${length} characters long and ${fieldLabel(field)} holds at most ${field.length} (use the "Truncate" transformation to cut it).`,
		);
	}
}

function suggest(value: string, allowed: string[]): string {
	const lower = value.trim().toLowerCase();
	const near = allowed.find((a) => a.toLowerCase() === lower);
	return near ? `; did you mean ${JSON.stringify(near)}? Values must match exactly.` : '.';
}

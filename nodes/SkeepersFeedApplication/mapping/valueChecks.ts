/**
 * Pre-flight checks of one value against its field's describe: does a non-empty value fit the
 * field's type, size, picklist and format? validate.ts runs them for each mapped field of a
 * record, after the record-level checks (field exists, writable, empty). Each failure is
 * reported with Salesforce's own error code, so an item fails the same way whether the check
 * happens here or in Salesforce:
 *
 * | check                                              | errorCode                                |
 * | -------------------------------------------------- | ---------------------------------------- |
 * | wrong type (text for a checkbox, bad number/date)  | INVALID_TYPE_ON_FIELD_IN_RECORD          |
 * | number with too many digits for its precision      | NUMBER_OUTSIDE_VALID_RANGE               |
 * | malformed e-mail                                   | INVALID_EMAIL_ADDRESS                    |
 * | Id / lookup value that is not a 15 or 18 char Id   | MALFORMED_ID                             |
 * | value not in a restricted (multi-select) picklist  | INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST  |
 * | text longer than the field                         | STRING_TOO_LONG                          |
 *
 * Text length is counted in UTF-16 code units, as Salesforce (Java) counts characters: an
 * emoji counts as 2.
 */
import type { FieldDescribe } from '../salesforce/types';
import { isValidCalendarDate } from './datetime';
import { describeValue } from './types';

/** Reports one failed check; validate.ts adds the item and row to the message. */
export type ReportValueError = (
	field: string,
	value: unknown,
	errorCode: string,
	text: string,
	withValue?: boolean,
) => void;

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

export function fieldLabel(field: FieldDescribe): string {
	return field.label || field.name;
}

/** Digits before/after the decimal point of a finite number, e.g. 1234.5 → [4, 1]. */
function digitCounts(n: number): [number, number] {
	const text = Math.abs(n).toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
	const [int, frac = ''] = text.split('.');
	return [int.replace(/^0+/, '').length, frac.length];
}

/**
 * Checks a non-empty value against its field's type and reports what Salesforce would reject
 * (at most one error per value). Address, location, base64 and unknown types are not checked.
 */
export function checkValue(field: FieldDescribe, value: unknown, push: ReportValueError): void {
	const label = fieldLabel(field);
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
		return;
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
			return;
		}
		if (type === 'int' && !Number.isInteger(n)) {
			push(
				field.name,
				value,
				'INVALID_TYPE_ON_FIELD_IN_RECORD',
				`${shown} is not a whole number; ${label} takes whole numbers only.`,
			);
			return;
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
		return;
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
		return;
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
		return;
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
		return;
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
		return;
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
			return;
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
				return;
			}
		}
		checkLength(field, text, value, push);
		return;
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
			return;
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
				return;
			}
		}
		if (type === 'email' && !EMAIL_RE.test(text)) {
			push(
				field.name,
				value,
				'INVALID_EMAIL_ADDRESS',
				`${shown} is not a valid e-mail address for ${label}; expected an address like jean.dupont@exemple.fr.`,
			);
			return;
		}
		checkLength(field, text, value, push);
		return;
	}
	// address, location, base64 and unknown types: Salesforce decides.
}

function checkLength(
	field: FieldDescribe,
	text: string,
	value: unknown,
	push: ReportValueError,
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

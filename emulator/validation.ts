/**
 * Field-level validation and coercion, as Salesforce does it on save.
 * - `fatal` problems make the whole request fail (HTTP 400 array): unknown fields, values the
 *   JSON deserializer cannot read (e.g. "abc" for a boolean).
 * - `errors` are per-record save errors (REQUIRED_FIELD_MISSING, STRING_TOO_LONG, ...).
 */
import { sfError, type SfError } from './errors';
import { isValidId } from './ids';
import { namedReferenceErrors } from './org/namedRecords';
import { resolveParents } from './relationships';
import { findField, objectByPrefix, type EmuField, type EmuObject } from './schema';
import type { Rec, Store } from './store';

export type Source = 'json' | 'csv';

export interface Checked {
	values: Rec;
	errors: SfError[];
	fatal: SfError[];
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

class Unreadable extends Error {}

function validDate(s: string): boolean {
	const m = DATE.exec(s);
	if (!m) return false;
	const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
	return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Salesforce prints date-times as `2024-01-15T10:30:00.000+0000`. */
export function formatDateTime(d: Date): string {
	return d.toISOString().replace('Z', '+0000');
}

function toNumber(field: EmuField, v: unknown, integer: boolean): number {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
	if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new Unreadable(field.type);
	return n;
}

/** Coerces one value to the field's type; throws Unreadable when the deserializer would fail. */
function coerce(field: EmuField, raw: unknown): unknown {
	if (raw === null) return field.type === 'boolean' ? false : null;
	if (typeof raw === 'object') throw new Unreadable(field.type);
	switch (field.type) {
		case 'boolean': {
			if (typeof raw === 'boolean') return raw;
			const s = String(raw).toLowerCase();
			if (s === 'true' || s === '1') return true;
			if (s === 'false' || s === '0') return false;
			throw new Unreadable('boolean');
		}
		case 'int':
			return toNumber(field, raw, true);
		case 'double':
		case 'currency':
		case 'percent':
			return toNumber(field, raw, false);
		case 'date': {
			const s = String(raw);
			const d = s.length > 10 && /^\d{4}-\d{2}-\d{2}T/.test(s) ? s.slice(0, 10) : s;
			if (!validDate(d)) throw new Unreadable('date');
			return d;
		}
		case 'datetime': {
			const s = String(raw);
			if (
				!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(s) ||
				!validDate(s.slice(0, 10))
			)
				throw new Unreadable('datetime');
			const iso =
				s.length === 10 ? `${s}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
			const d = new Date(iso.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
			if (Number.isNaN(d.getTime())) throw new Unreadable('datetime');
			return formatDateTime(d);
		}
		default:
			return String(raw);
	}
}

function fieldErrors(
	store: Store,
	field: EmuField,
	v: unknown,
	selfId: string | undefined,
	object: string,
): SfError[] {
	if (v === null || v === undefined || v === '') return [];
	const errs: SfError[] = [];
	const s = String(v);
	switch (field.type) {
		case 'email':
			if (!EMAIL.test(s))
				errs.push(
					sfError('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${s}`, [
						field.name,
					]),
				);
			break;
		case 'picklist':
			if (field.restrictedPicklist && !field.picklistValues.some((p) => p.active && p.value === s))
				errs.push(
					sfError(
						'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
						`${field.label}: bad value for restricted picklist field: ${s}`,
						[field.name],
					),
				);
			break;
		case 'multipicklist':
			if (field.restrictedPicklist)
				for (const part of s.split(';')) {
					if (!field.picklistValues.some((p) => p.active && p.value === part)) {
						errs.push(
							sfError(
								'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
								`${field.label}: bad value for restricted picklist field: ${part}`,
								[field.name],
							),
						);
						break;
					}
				}
			break;
		case 'reference': {
			if (!isValidId(s)) {
				errs.push(
					sfError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${s}`, [field.name]),
				);
				break;
			}
			// record types, users and queues are no schema objects (org/namedRecords.ts)
			const named = namedReferenceErrors(field, s, object);
			if (named) {
				errs.push(...named);
				break;
			}
			const target = objectByPrefix(s);
			if (!target || !field.referenceTo.includes(target.name)) {
				errs.push(
					sfError('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${s}`, [
						field.name,
					]),
				);
			} else if (!store.get(target.name, s)) {
				errs.push(
					sfError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]),
				);
			}
			break;
		}
		case 'int':
		case 'double':
		case 'currency':
		case 'percent': {
			const n = Number(v);
			const digits = (field.precision ?? 18) - (field.scale ?? 0);
			if (Math.abs(Math.trunc(n)) >= 10 ** digits)
				errs.push(
					sfError(
						'NUMBER_OUTSIDE_VALID_RANGE',
						`${field.label}: value outside of valid range on numeric field: ${n}`,
						[field.name],
					),
				);
			break;
		}
	}
	if (
		field.length > 0 &&
		typeof v === 'string' &&
		[
			'string',
			'textarea',
			'email',
			'phone',
			'url',
			'picklist',
			'multipicklist',
			'combobox',
		].includes(field.type) &&
		v.length > field.length
	)
		errs.push(
			sfError(
				'STRING_TOO_LONG',
				`${field.label}: data value too large: ${s.length > 40 ? s.slice(0, 40) + '...' : s} (max length=${field.length})`,
				[field.name],
			),
		);
	if (field.unique && !errs.length) {
		const dup = store.findBy(object, field.name, v).find((r) => r.Id !== selfId);
		if (dup)
			errs.push(
				sfError(
					'DUPLICATE_VALUE',
					`duplicate value found: ${field.name} duplicates value on record with id: ${String(dup.Id)}`,
					[field.name],
				),
			);
	}
	return errs;
}

export interface CheckOptions {
	mode: 'create' | 'update';
	source: Source;
	/** The record being updated (uniqueness ignores it). */
	selfId?: string;
	/** Keys that are not fields to write (e.g. `attributes`, `id` in collections). */
	ignore?: string[];
	/** Fields the user's profile cannot edit (field-level security, emulator/org/fieldSecurity.ts). */
	readOnly?: string[];
}

/** Checks and coerces a client-supplied record for `o`. */
export function checkRecord(store: Store, o: EmuObject, given: Rec, opts: CheckOptions): Checked {
	const values: Rec = {};
	const { input, errors, fatal } = resolveParents(store, o, given, opts.source);
	const notWritable: string[] = [];
	const ignore = new Set((opts.ignore ?? []).map((k) => k.toLowerCase()));
	for (const [key, raw] of Object.entries(input)) {
		if (ignore.has(key.toLowerCase())) continue;
		const field = findField(o, key);
		if (!field) {
			fatal.push(
				sfError('INVALID_FIELD', `No such column '${key}' on sobject of type ${o.name}`, [key]),
			);
			continue;
		}
		if (opts.source === 'csv' && raw === '') continue;
		let v: unknown;
		try {
			v = opts.source === 'csv' && raw === '#N/A' ? null : coerce(field, raw);
		} catch (e) {
			if (!(e instanceof Unreadable)) throw e;
			const shown = JSON.stringify(raw);
			if (opts.source === 'csv')
				errors.push(
					sfError('INVALID_FIELD', `${field.label}: value not of required type: ${String(raw)}`, [
						field.name,
					]),
				);
			else
				fatal.push(
					sfError(
						'JSON_PARSER_ERROR',
						`Cannot deserialize instance of ${field.type} from ${typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${shown} or request may be missing a required field`,
						[field.name],
					),
				);
			continue;
		}
		const writable =
			(opts.mode === 'create' ? field.createable : field.updateable) &&
			!opts.readOnly?.includes(field.name);
		if (!writable) {
			notWritable.push(field.name);
			continue;
		}
		values[field.name] = v;
	}
	if (notWritable.length)
		errors.push(
			sfError(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
				`Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
				notWritable,
			),
		);
	if (fatal.length) return { values, errors, fatal };
	const missing = o.fields
		.filter((f) => !f.nillable && f.createable && f.type !== 'boolean' && !f.defaultedOnCreate)
		.filter((f) =>
			opts.mode === 'create'
				? values[f.name] === undefined || values[f.name] === null || values[f.name] === ''
				: f.name in values && (values[f.name] === null || values[f.name] === ''),
		)
		.map((f) => f.name);
	if (missing.length)
		errors.push(
			sfError(
				'REQUIRED_FIELD_MISSING',
				`Required fields are missing: [${missing.join(', ')}]`,
				missing,
			),
		);
	for (const [name, v] of Object.entries(values)) {
		const field = findField(o, name)!;
		errors.push(...fieldErrors(store, field, v, opts.selfId, o.name));
	}
	return { values, errors, fatal };
}

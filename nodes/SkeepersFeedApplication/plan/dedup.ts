/**
 * Dedup Key Field: Salesforce's unique index as the dedup store (pure, no I/O).
 *
 * With the option set, every record carries its item's dedup key in a field of the object that
 * is unique. Salesforce enforces a unique index atomically, so of two executions writing the
 * same key at the same moment (two queue-mode workers) one write succeeds and the other fails
 * with `DUPLICATE_VALUE`. That failure means "already processed": the item becomes a skipped
 * result instead of an error.
 *
 * What Salesforce returns (REST, sObject Collections, Bulk API 2.0 `sf__Error`):
 *   errorCode `DUPLICATE_VALUE` (SOAP/REST `statusCode`), message
 *   `duplicate value found: <Field> duplicates value on record with id: <15-char Id>`, and a
 *   `fields` array that is often EMPTY. The message sometimes names neither
 *   (`duplicate value found: <unknown> duplicates value on record with id: <unknown>`).
 * So a duplicate is recognised by `fields` when it names fields, else by the field named in the
 * message, else (nothing named) only when the dedup field is the one unique field the record
 * carried — the only field the unique index can have been about.
 */
import { itemRowPrefix, type ItemError } from '../mapping/types';
import {
	ERROR_CODES,
	type FeedOperation,
	type KeyDuplicate,
	type SalesforceError,
} from '../domain';
import type { FieldDescribe, SObjectDescribe } from '../salesforce/types';

const DUPLICATE_VALUE = 'DUPLICATE_VALUE';

const NAMED_FIELD_RE = /duplicate value found:\s*(\S+)\s+duplicates value/i;
const EXISTING_ID_RE = /record with id:\s*([A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?)(?![A-Za-z0-9])/i;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The Id in `… duplicates value on record with id: <Id>`, or null (absent, `<unknown>`). */
export function existingIdFromMessage(message: string): string | null {
	return EXISTING_ID_RE.exec(message)?.[1] ?? null;
}

/** The field a DUPLICATE_VALUE message names, or undefined (absent, `<unknown>`, blank). */
export function fieldNamedInMessage(message: string): string | undefined {
	const named = NAMED_FIELD_RE.exec(message)?.[1];
	if (!named || !/^[A-Za-z][A-Za-z0-9_]*$/.test(named)) return undefined;
	return named;
}

function isDuplicateOn(
	e: SalesforceError,
	field: string,
	uniqueFieldsSent: readonly string[] | undefined,
): boolean {
	if (e.errorCode !== DUPLICATE_VALUE) return false;
	const fields = (e.fields ?? []).filter((f) => f && f.trim() !== '');
	if (fields.length) return fields.some((f) => same(f, field));
	const named = fieldNamedInMessage(e.message ?? '');
	if (named) return same(named, field);
	// Nothing named: it can only be our field if no other unique field was sent.
	return (
		uniqueFieldsSent !== undefined &&
		uniqueFieldsSent.length === 1 &&
		same(uniqueFieldsSent[0], field)
	);
}

/**
 * Whether a failed write is "the key is already in Salesforce": at least one error, and every
 * error a DUPLICATE_VALUE on the dedup field. Any other error (alone or alongside) keeps the
 * item a failure, so a real problem is never hidden as "already processed".
 *
 * `uniqueFieldsSent`: the unique fields the record carried (see `uniqueFieldsIn`); used only
 * when Salesforce names no field at all.
 */
export function keyDuplicate(
	errors: readonly SalesforceError[],
	field: string,
	uniqueFieldsSent?: readonly string[],
): KeyDuplicate | undefined {
	if (!errors.length || !errors.every((e) => isDuplicateOn(e, field, uniqueFieldsSent)))
		return undefined;
	let existingId: string | null = null;
	for (const e of errors) existingId ??= existingIdFromMessage(e.message ?? '');
	return { field, existingId };
}

/** The unique fields (per describe) among a record's keys. */
export function uniqueFieldsIn(
	record: Record<string, unknown>,
	describe: SObjectDescribe,
): string[] {
	const unique = new Map(
		describe.fields.filter((f) => f.unique).map((f) => [f.name.toLowerCase(), f.name]),
	);
	return Object.keys(record)
		.map((k) => unique.get(k.toLowerCase()))
		.filter((n): n is string => n !== undefined);
}

/** Fields that can hold a dedup key for this operation: unique and writable. */
export function dedupKeyFields(
	describe: SObjectDescribe,
	operation: FeedOperation,
): FieldDescribe[] {
	return describe.fields
		.filter((f) => f.unique && writableFor(f, operation))
		.sort((a, b) => a.label.localeCompare(b.label));
}

function writableFor(f: FieldDescribe, operation: FeedOperation): boolean {
	if (operation === 'create') return f.createable;
	if (operation === 'update') return f.updateable;
	return f.createable && f.updateable;
}

export interface DedupFieldCheck {
	ok: boolean;
	/** The field's name as the describe spells it (when found). */
	field?: string;
	/** Why the field cannot hold the dedup key (a sentence for the node's error). */
	problem?: string;
}

/**
 * Start-up check of the Dedup Key Field: it exists on the object, is unique (else Salesforce
 * would accept a second record with the same key, and nothing is atomic), is writable for the
 * operation, and is not the Match On field (Create or Update on that field is already keyed by
 * it: nothing to add, and the two values would fight for the same field).
 */
export function checkDedupField(
	describe: SObjectDescribe,
	field: string,
	o: { operation: FeedOperation; matchField?: string; dedupKeySet: boolean },
): DedupFieldCheck {
	const object = describe.name;
	const f = describe.fields.find((x) => same(x.name, field));
	if (!f) {
		return { ok: false, problem: `Dedup Key Field: ${object} has no field "${field}"` };
	}
	if (!o.dedupKeySet) {
		return {
			ok: false,
			field: f.name,
			problem: `Dedup Key Field ${object}.${f.name} is set but Dedup Key is not: set Dedup Key (e.g. {{ $json.eventId }}) to the value the field must hold`,
		};
	}
	if (!f.unique) {
		return {
			ok: false,
			field: f.name,
			problem: `Dedup Key Field ${object}.${f.name} is not unique in Salesforce, so two executions writing the same key at the same moment would both create a record. Mark the field "Unique" (Setup → Object Manager → ${object} → Fields; an External ID text field with "Do not allow duplicate values"), or choose a unique field`,
		};
	}
	if (!writableFor(f, o.operation)) {
		const need =
			o.operation === 'create'
				? 'createable'
				: o.operation === 'update'
					? 'updateable'
					: 'createable and updateable';
		return {
			ok: false,
			field: f.name,
			problem: `Dedup Key Field ${object}.${f.name} cannot hold the key: it is not ${need} for this user (check its field-level security)`,
		};
	}
	if (o.matchField && o.operation !== 'create' && same(o.matchField, f.name)) {
		return {
			ok: false,
			field: f.name,
			problem: `Dedup Key Field ${object}.${f.name} is also the Match On field: matching on it already keeps one record per value. Leave Dedup Key Field empty, or match on another field`,
		};
	}
	return { ok: true, field: f.name };
}

/**
 * A mapping row that also writes the Dedup Key Field is a configuration error for the item
 * (`DUPLICATE_FIELD_MAPPING`, like two rows writing one field): the field must hold the dedup
 * key and nothing else, and the node never guesses which value wins.
 */
export function dedupFieldRowError(
	rows: ReadonlyArray<{ field: string }>,
	dedupField: string,
	itemIndex: number,
): ItemError | undefined {
	const index = rows.findIndex((r) => same(String(r.field ?? '').trim(), dedupField));
	if (index < 0) return undefined;
	const row = index + 1;
	return {
		itemIndex,
		row,
		field: dedupField,
		errorCode: ERROR_CODES.DUPLICATE_FIELD_MAPPING,
		message: `${itemRowPrefix(itemIndex, row, dedupField)}: the field ${dedupField} is the Dedup Key Field, which the node fills with the Dedup Key. Remove this row (or choose another Dedup Key Field).`,
	};
}

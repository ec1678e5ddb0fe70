/**
 * Write Mode of a mapping row: how the value an item brings meets the value Salesforce already
 * holds (pure, no I/O; the writer reads the current values, see salesforce/write/currentValues.ts).
 *
 * - `overwrite` (default): the value is written, whatever the record holds.
 * - `onlyIfEmpty`: written only where the current value is empty (null, '' or blanks); on a new
 *   record it is written.
 * - `addToMultiSelect`: the union of the current selection and the item's values (multi-select
 *   picklists, values separated by `;`): no repeats, the current values first in their order,
 *   the new ones appended in the item's order. Values compare exactly, as Salesforce stores them.
 *
 * When the merge leaves the current value unchanged (the field is not empty, or every value is
 * already selected), the field is left out of the record: Salesforce keeps what it has, and an
 * edit made since the read is not overwritten.
 */
import type { SObjectRecord, WriteMode } from '../domain';

const WRITE_MODES: readonly WriteMode[] = ['overwrite', 'onlyIfEmpty', 'addToMultiSelect'];

export function isWriteMode(value: unknown): value is WriteMode {
	return typeof value === 'string' && (WRITE_MODES as readonly string[]).includes(value);
}

/** What Salesforce answers for a field that holds nothing: null, absent, '' or blanks. */
export function isEmptyCurrent(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	return typeof value === 'string' && value.trim() === '';
}

/** The values of a multi-select picklist value (`'A;B'`), trimmed, empty ones dropped. */
export function multiSelectValues(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	return String(value)
		.split(';')
		.map((v) => v.trim())
		.filter((v) => v !== '');
}

/**
 * The union of the current selection and the added values: no repeats, the current values in
 * their order, then the added ones not yet selected, in their order.
 */
export function unionMultiSelect(current: unknown, added: unknown): string[] {
	const out: string[] = [];
	for (const v of [...multiSelectValues(current), ...multiSelectValues(added)])
		if (!out.includes(v)) out.push(v);
	return out;
}

/** A field's value in a record read with SOQL (field names compared without case). */
function currentValueOf(current: SObjectRecord, field: string): unknown {
	if (field in current) return current[field];
	const lower = field.toLowerCase();
	const key = Object.keys(current).find((k) => k.toLowerCase() === lower);
	return key === undefined ? undefined : current[key];
}

/**
 * The record to send once the write modes meet the current values. `current` undefined: a new
 * record (nothing to merge with: every value is written as is). Fields without a mode (or with
 * `overwrite`) are copied unchanged.
 */
export function mergeWithCurrent(
	record: SObjectRecord,
	modes: Readonly<Record<string, WriteMode>>,
	current: SObjectRecord | undefined,
): SObjectRecord {
	if (current === undefined) return record;
	const out: SObjectRecord = {};
	for (const [field, value] of Object.entries(record)) {
		const mode = modes[field] ?? 'overwrite';
		const now = currentValueOf(current, field);
		if (mode === 'onlyIfEmpty') {
			if (isEmptyCurrent(now)) out[field] = value;
			continue;
		}
		if (mode === 'addToMultiSelect') {
			const before = multiSelectValues(now);
			const merged = unionMultiSelect(now, value);
			if (merged.some((v) => !before.includes(v))) out[field] = merged.join(';');
			continue;
		}
		out[field] = value;
	}
	return out;
}

/** The fields of `inputs` that need the current values (a mode other than overwrite). */
export function fieldsToRead(
	inputs: ReadonlyArray<{ writeModes?: Readonly<Record<string, WriteMode>> }>,
): string[] {
	const fields: string[] = [];
	for (const input of inputs) {
		for (const [field, mode] of Object.entries(input.writeModes ?? {})) {
			if (mode === 'overwrite') continue;
			if (!fields.some((f) => f.toLowerCase() === field.toLowerCase())) fields.push(field);
		}
	}
	return fields;
}

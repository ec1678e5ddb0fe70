/**
 * Mapping rows (already resolved by n8n for one item) → one Salesforce record.
 *
 * Empty values (undefined, null, '', whitespace only, []) after the transformation:
 * - `skip`: the field is left out of the record, so Salesforce keeps what it has
 *   (on create: the field's default);
 * - `null`: the field is sent as null, so Salesforce clears it — except for a field that
 *   cannot be empty (not nillable, e.g. Contact.LastName or a checkbox), which is an error
 *   for the item rather than a silent skip.
 * Two rows writing the same field (names compared ignoring case, as Salesforce does) is a
 * configuration error reported on every item: the node never guesses which row wins.
 */
import { ERROR_CODES, type WriteMode } from '../domain';
import type { SObjectDescribe } from '../salesforce/types';
import { findField } from '../schema/fields';
import { placeParent } from './relationships';
import { TRANSFORMATIONS, isTransformationName } from './transformations';
import type { ItemError, TransformationName } from './types';
import { TransformationError, describeValue, isEmptyValue, itemRowPrefix } from './types';

export interface MappingRow {
	/** Salesforce field API name. */
	field: string;
	/** Already resolved for this item by n8n. */
	value: unknown;
	transformation: TransformationName;
	parameter?: string;
	/** How the value meets the record's current value (default overwrite; plan/writeModes.ts). */
	writeMode?: WriteMode;
}

export type EmptyValues = 'skip' | 'null';

export interface MapItemOptions {
	itemIndex: number;
	emptyValues: EmptyValues;
	describe?: SObjectDescribe;
}

export type MapItemResult =
	| {
			ok: true;
			record: Record<string, unknown>;
			/** Field name (as written in `record`) → 1-based row number, for validation messages. */
			rowByField: Record<string, number>;
	  }
	| { ok: false; error: ItemError };

/**
 * Checks the rows themselves (same for every item): a field on each row, known
 * transformations, no field mapped twice. Returns the first problem as an ItemError for
 * `itemIndex`.
 */
function checkRows(rows: MappingRow[], itemIndex: number): ItemError | undefined {
	const firstRowOf = new Map<string, number>();
	for (let i = 0; i < rows.length; i++) {
		const rowNo = i + 1;
		const field = (rows[i].field ?? '').trim();
		if (field === '') {
			return {
				itemIndex,
				row: rowNo,
				errorCode: ERROR_CODES.MISSING_FIELD_MAPPING,
				message: `${itemRowPrefix(itemIndex, rowNo)}: the row has no Salesforce field. Pick a field or remove the row.`,
			};
		}
		if (!isTransformationName(rows[i].transformation)) {
			return {
				itemIndex,
				row: rowNo,
				field,
				errorCode: ERROR_CODES.UNKNOWN_TRANSFORMATION,
				message: `${itemRowPrefix(itemIndex, rowNo, field)}: unknown transformation "${String(rows[i].transformation)}".`,
			};
		}
		const key = field.toLowerCase();
		const first = firstRowOf.get(key);
		if (first !== undefined) {
			return {
				itemIndex,
				row: rowNo,
				field,
				errorCode: ERROR_CODES.DUPLICATE_FIELD_MAPPING,
				message: `${itemRowPrefix(itemIndex, rowNo, field)}: the field ${field} is already mapped by row ${first}. Each field can be mapped by one row only; remove one of the rows.`,
			};
		}
		firstRowOf.set(key, rowNo);
	}
	return undefined;
}

export function mapItem(rows: MappingRow[], opts: MapItemOptions): MapItemResult {
	const { itemIndex, emptyValues, describe } = opts;
	const rowsError = checkRows(rows, itemIndex);
	if (rowsError) return { ok: false, error: rowsError };

	const record: Record<string, unknown> = {};
	const rowByField: Record<string, number> = {};
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		const rowNo = i + 1;
		const fieldDescribe = findField(describe, row.field.trim());
		const field = fieldDescribe?.name ?? row.field.trim();
		const def = TRANSFORMATIONS[row.transformation];
		let value: unknown;
		try {
			value = def.apply(row.value, { parameter: row.parameter, field: fieldDescribe });
		} catch (caught) {
			// Transformations only throw TransformationError; anything else is reported the same
			// way rather than failing the whole run.
			const error =
				caught instanceof TransformationError
					? caught
					: new TransformationError(row.transformation, 'a value this transformation can read', {
							detail: caught instanceof Error ? caught.message : String(caught),
						});
			const cause = error.detail;
			const message = error.parameterError
				? `${itemRowPrefix(itemIndex, rowNo, field)}: the "${def.displayName}" transformation is not set up right${cause ? ` (${cause})` : ''}. Its parameter must be ${error.expected}.`
				: `${itemRowPrefix(itemIndex, rowNo, field)}: ${describeValue(row.value)} could not be converted by "${def.displayName}"${cause ? ` (${cause})` : ''}. Expected ${error.expected}.`;
			return {
				ok: false,
				error: {
					itemIndex,
					row: rowNo,
					field,
					value: row.value,
					errorCode: error.parameterError
						? ERROR_CODES.INVALID_TRANSFORMATION_PARAMETER
						: ERROR_CODES.TRANSFORMATION_FAILED,
					message,
				},
			};
		}
		// `Contact.Skeepers_Respondent_Id__c`: a parent by its External ID (mapping/relationships.ts)
		const parent = placeParent(record, rowByField, { ...opts, field, value, rowNo });
		if (parent !== false) {
			if (parent === true) continue;
			return { ok: false, error: parent };
		}
		if (isEmptyValue(value)) {
			if (emptyValues === 'skip') continue;
			if (fieldDescribe && !fieldDescribe.nillable) {
				return {
					ok: false,
					error: {
						itemIndex,
						row: rowNo,
						field,
						value: row.value,
						errorCode: 'REQUIRED_FIELD_MISSING',
						message: `${itemRowPrefix(itemIndex, rowNo, field)}: the value is empty, and ${fieldDescribe.label} cannot be cleared (Salesforce requires a value). Map a value, use "Default When Empty", or set empty values to be skipped.`,
					},
				};
			}
			value = null;
		}
		record[field] = value;
		rowByField[field] = rowNo;
	}
	return { ok: true, record, rowByField };
}

/** Field → 1-based row number, from the rows alone (first row wins for a field). */
export function rowNumbersByField(rows: MappingRow[]): Record<string, number> {
	const out: Record<string, number> = {};
	rows.forEach((row, i) => {
		const field = (row.field ?? '').trim();
		if (field !== '' && out[field] === undefined) out[field] = i + 1;
	});
	return out;
}

/**
 * Pre-flight of the rows' Write Modes (plan/writeModes.ts), before anything is read or written:
 * a mode the field cannot take is a configuration error naming the row and the field
 * (`INVALID_WRITE_MODE`), whatever Pre-Flight Validation says, since the node could not apply it.
 *
 * - Add to Multi-Select: multi-select picklist fields only (the union is of `;`-separated values).
 * - Only If Empty: not on a checkbox, which is never empty in Salesforce (false is a value), so
 *   the row would never write.
 * Then returns the modes of the fields the record carries (fields as `record` names them), for
 * the writer; Overwrite rows are left out.
 */
import { ERROR_CODES, type WriteMode } from '../domain';
import { isWriteMode } from '../plan/writeModes';
import type { SObjectDescribe } from '../salesforce/types';
import { findField } from '../schema/fields';
import type { MappingRow } from './record';
import { itemRowPrefix, type ItemError } from './types';

const LABELS: Record<WriteMode, string> = {
	overwrite: 'Overwrite',
	onlyIfEmpty: 'Only If Empty',
	addToMultiSelect: 'Add to Multi-Select',
};

export type WriteModesResult =
	| { ok: true; modes: Record<string, WriteMode> | undefined }
	| { ok: false; error: ItemError };

export function writeModesOf(
	rows: readonly MappingRow[],
	record: Readonly<Record<string, unknown>>,
	describe: SObjectDescribe | undefined,
	itemIndex: number,
): WriteModesResult {
	const modes: Record<string, WriteMode> = {};
	for (let i = 0; i < rows.length; i++) {
		const mode = rows[i].writeMode ?? 'overwrite';
		const rowNo = i + 1;
		const described = findField(describe, rows[i].field.trim());
		const field = described?.name ?? rows[i].field.trim();
		const fail = (message: string): WriteModesResult => ({
			ok: false,
			error: {
				itemIndex,
				row: rowNo,
				field,
				errorCode: ERROR_CODES.INVALID_WRITE_MODE,
				message: `${itemRowPrefix(itemIndex, rowNo, field)}: ${message}`,
			},
		});
		if (!isWriteMode(mode))
			return fail(
				`unknown Write Mode "${String(mode)}"; expected Overwrite, Only If Empty or Add to Multi-Select.`,
			);
		if (mode === 'overwrite') continue;
		const type = described?.type;
		if (mode === 'addToMultiSelect' && type !== undefined && type !== 'multipicklist')
			return fail(
				`"${LABELS[mode]}" applies to multi-select picklist fields only, and ${field} is a ${type} field. Use Overwrite or Only If Empty.`,
			);
		if (mode === 'onlyIfEmpty' && type === 'boolean')
			return fail(
				`"${LABELS[mode]}" cannot apply to the checkbox ${field}: a checkbox is never empty in Salesforce (false is a value), so the row would never write. Use Overwrite.`,
			);
		if (field in record) modes[field] = mode;
	}
	return { ok: true, modes: Object.keys(modes).length ? modes : undefined };
}

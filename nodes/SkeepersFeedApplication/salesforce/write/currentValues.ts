/**
 * Write Modes in the writer: the records an item updates are read (their current values of the
 * fields whose row is Only If Empty or Add to Multi-Select), then each record to send is merged
 * with them (plan/writeModes.ts). Only when an item of the wave has such a row, never for Create.
 *
 * The read costs nothing when the wave already looked its match values up (the lookup's SELECT
 * carries the fields, see writer.ts); otherwise (match on Id, Create or Update by an external ID,
 * an Id learned by an earlier wave) it is one more SOQL `IN` query per wave, chunked like the
 * lookups, never one per item. A record that cannot be read fails its item (nothing is written
 * over values the node has not seen); a failed query fails the wave's items (writer.ts).
 */
import { ERROR_CODES, multipleMatchesError, ownError, type SObjectRecord } from '../../domain';
import { lookupKey, matchLookupResults } from '../../plan/soql';
import { fieldsToRead, mergeWithCurrent } from '../../plan/writeModes';
import { lookupValue, queryByField } from './lookup';
import type { Op, WriteSession } from './session';

/**
 * `ops` with their bodies merged with the current values. `known`: rows the wave's lookup
 * already read with the fields (by Id). Items whose record cannot be read are failed and left out.
 */
export async function applyWriteModes(
	s: WriteSession,
	ops: Op[],
	known: ReadonlyArray<Record<string, unknown>>,
): Promise<Op[]> {
	const pending = ops.filter((op) => op.input.writeModes && op.action !== 'create');
	if (pending.length === 0) return ops;
	const merging = new Set(pending);
	const { object } = s.o;
	// More Match Keys: every record to merge was found (or learned) by its Id, so read by Id
	const byIdOnly = !!s.o.moreMatchKeys?.length;
	const field = byIdOnly || s.o.matchKind === 'id' ? 'Id' : (s.o.matchField as string);
	const byId = new Map<string, SObjectRecord>();
	const addRows = (rows: ReadonlyArray<Record<string, unknown>>) => {
		for (const row of rows) if (typeof row.Id === 'string') byId.set(lookupKey(row.Id, 'Id'), row);
	};
	addRows(known);
	const idOf = (op: Op) => (typeof op.body.Id === 'string' ? op.body.Id : undefined);
	const toRead = pending.filter((op) => {
		const id = idOf(op);
		return id === undefined || !byId.has(lookupKey(id, 'Id'));
	});
	const matches = new Map<string, string[]>();
	if (toRead.length > 0) {
		const values = toRead.map((op) =>
			byIdOnly ? String(idOf(op)) : lookupValue(s, op.input.matchValue),
		);
		const rows = await queryByField(s, field, values, fieldsToRead(pending.map((op) => op.input)));
		addRows(rows);
		for (const [value, ids] of matchLookupResults(values, rows, { matchField: field }))
			matches.set(lookupKey(value, field), ids);
	}

	const out: Op[] = [];
	for (const op of ops) {
		if (!merging.has(op)) {
			out.push(op);
			continue;
		}
		const modes = op.input.writeModes ?? {};
		const id = idOf(op);
		let current: SObjectRecord | undefined;
		if (id !== undefined) {
			current = byId.get(lookupKey(id, 'Id'));
			if (!current) {
				s.fail(op.input, [
					ownError(
						ERROR_CODES.NOT_FOUND,
						`The current values of ${object} ${id} could not be read (no record found with ${field} = "${byIdOnly ? id : String(op.input.matchValue ?? id).trim()}"), so its Write Modes cannot apply; nothing was written for this item`,
						[field],
					),
				]);
				continue;
			}
		} else {
			// Create or Update by an external ID: no record yet means a new record
			const value = String(op.input.matchValue).trim();
			const ids = matches.get(lookupKey(String(lookupValue(s, op.input.matchValue)), field)) ?? [];
			if (ids.length > 1) {
				s.fail(op.input, [multipleMatchesError(object, field, value, ids)], { matchedIds: ids });
				continue;
			}
			current = ids.length === 1 ? byId.get(lookupKey(ids[0], 'Id')) : undefined;
		}
		out.push({ ...op, body: mergeWithCurrent(op.body, modes, current) });
	}
	return out;
}

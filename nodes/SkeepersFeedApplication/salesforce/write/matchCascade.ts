/**
 * More Match Keys in the writer: the items of a wave are matched on Match On, then on each
 * further key in order, for the items the keys before did not find (plan/matchKeys.ts): one
 * lookup (SOQL `IN`, lookup.ts) per key per wave, asked only for the items still unmatched.
 * Ids learned by earlier waves (items sharing a key, plan/keys.ts) answer without a query.
 *
 * Found → update of that record (`matchedOn` names the key's field); with Link to First Match
 * Key, a record found by a later key also gets Match On's value (a unique field held by another
 * record is then refused by Salesforce for that item, as any write). Several records on a key →
 * MULTIPLE_MATCHES, no fall-through. None → a new record holding every key value the item has
 * (Create or Update) or NOT_FOUND naming every key tried (Update).
 *
 * Find uses the same cascade, within its conditions (`findWhere`): found → the item's result
 * is the record's fields (`findFields`), nothing is written; NOT_FOUND and MULTIPLE_MATCHES as
 * for Update.
 */
import {
	multipleMatchesError,
	notFoundError,
	type SObjectRecord,
	type WriteInput,
	type WriteOutcome,
} from '../../domain';
import {
	itemsForKey,
	matchOnKey,
	type ItemKeys,
	type KeyMatch,
	type MatchKey,
} from '../../plan/matchKeys';
import { fieldsToRead } from '../../plan/writeModes';
import { lookUp, lookupValue } from './lookup';
import type { Op, WriterOptions, WriteSession } from './session';

/** How a key value is compared across items and waves: Ids by 15 characters, text without case. */
export function keyText(kind: MatchKey['kind'], value: string): string {
	const v = value.trim();
	return kind === 'id' ? v.slice(0, 15) : v.toLowerCase();
}

/** Match On followed by More Match Keys, as the writer's options give them. */
export function matchKeysOf(o: WriterOptions): MatchKey[] {
	const first = { field: o.matchField as string, kind: o.matchKind, type: o.matchFieldType };
	return [first, ...(o.moreMatchKeys ?? [])];
}

/** An item's value per key, trimmed; undefined where it has none. */
export function keyValuesOf(
	input: WriteInput,
	keys: readonly MatchKey[],
): Array<string | undefined> {
	const raw = [input.matchValue, ...(input.moreMatchValues ?? [])];
	return keys.map((_, k) => {
		const v = raw[k];
		return v === undefined || v.trim() === '' ? undefined : v.trim();
	});
}

/** The wave key of an item's key `k` (keys after Match On are prefixed so fields never collide). */
export function waveKey(keys: readonly MatchKey[], k: number, value: string): string {
	const text = keyText(keys[k].kind, value);
	return k === 0 ? text : `${k}\u0000${text}`;
}

/**
 * The operations of `inputs` (each with a value for at least one key), and the rows the lookups
 * read (Write Modes merge with them). Items that cannot be written are settled as failures.
 */
export async function resolveByKeys(
	s: WriteSession,
	inputs: readonly WriteInput[],
	base: (input: WriteInput) => SObjectRecord,
): Promise<{ ops: Op[]; rows: Array<Record<string, unknown>> }> {
	const keys = matchKeysOf(s.o);
	const { object, operation } = s.o;
	let pending: ItemKeys[] = inputs.map((input) => ({
		item: input.itemIndex,
		values: keyValuesOf(input, keys),
	}));
	const settled = new Map<number, KeyMatch>();
	const rows: Array<Record<string, unknown>> = [];
	const find = operation === 'find';
	const select = find ? (s.o.findFields ?? ['Id']) : fieldsToRead([...inputs]);
	for (let k = 0; k < keys.length && pending.length > 0; k++) {
		const { field, type } = keys[k];
		// an earlier wave wrote or found this key's record: no query
		pending = matchOnKey(
			pending,
			k,
			(value) => {
				const id = s.knownIds.get(waveKey(keys, k, value));
				return id === undefined ? [] : [id];
			},
			settled,
		);
		const ask = itemsForKey(pending, k);
		if (ask.length === 0) continue;
		const found = await lookUp(
			s,
			ask.map((p) => lookupValue(s, p.values[k], type)),
			select,
			field,
			undefined,
			find ? s.o.findWhere : undefined,
		);
		rows.push(...found.rows);
		pending = matchOnKey(pending, k, (value) => found.idsOf(lookupValue(s, value, type)), settled);
	}

	const ops: Op[] = [];
	for (const input of inputs) {
		const values = keyValuesOf(input, keys);
		const held = keys.flatMap((_, k) => (values[k] === undefined ? [] : [k]));
		const match = settled.get(input.itemIndex) ?? { kind: 'none' };
		if (match.kind === 'multiple') {
			const { field } = keys[match.key];
			s.fail(input, [multipleMatchesError(object, field, values[match.key] as string, match.ids)], {
				matchedIds: match.ids,
			});
		} else if (match.kind === 'found' && find) {
			s.matchedOn.set(input.itemIndex, keys[match.key].field);
			s.settle(foundOutcome(input.itemIndex, match.id, rows, select));
		} else if (match.kind === 'found') {
			const body: SObjectRecord = { ...base(input), Id: match.id };
			const learned = [match.key];
			if (s.o.linkFirstMatchKey && match.key > 0 && values[0] !== undefined) {
				body[keys[0].field] = values[0];
				learned.push(0);
			}
			s.keysByItem.set(
				input.itemIndex,
				learned.map((k) => waveKey(keys, k, values[k] as string)),
			);
			s.matchedOn.set(input.itemIndex, keys[match.key].field);
			ops.push({ input, action: 'update', body });
		} else if (operation === 'upsert') {
			// a new record holds every key value the item has (Match On's wins over the mapping's)
			const body = base(input);
			const written = held.filter((k) => keys[k].kind !== 'id');
			for (const k of written) {
				if (k === 0 || body[keys[k].field] === undefined) body[keys[k].field] = values[k];
			}
			s.keysByItem.set(
				input.itemIndex,
				written
					.filter((k) => body[keys[k].field] === values[k])
					.map((k) => waveKey(keys, k, values[k] as string)),
			);
			ops.push({ input, action: 'create', body });
		} else {
			const [first, ...more] = held.map((k) => ({
				field: keys[k].field,
				value: values[k] as string,
			}));
			const error = notFoundError(object, first.field, first.value, more);
			// Find: the record may exist but not meet the conditions
			if (find && s.o.findWhere) error.message += ` with ${s.o.findWhere}`;
			s.fail(input, [error]);
		}
	}
	return { ops, rows };
}

/** Find: the outcome of an item whose record `id` was found, with the `fields` of its row. */
function foundOutcome(
	itemIndex: number,
	id: string,
	rows: ReadonlyArray<Record<string, unknown>>,
	fields: readonly string[],
): WriteOutcome {
	const row = rows.find((r) => r.Id === id) ?? {};
	const found: Record<string, unknown> = {};
	for (const f of fields) found[f] = row[f] ?? null;
	return {
		itemIndex,
		success: true,
		id,
		created: false,
		action: 'find',
		errors: [],
		attempted: true,
		found,
	};
}

/**
 * Save semantics shared by REST, sObject Collections and Bulk API 2.0: create, update by Id,
 * upsert by external ID. Each returns a SaveOutcome (or fatal errors that fail the request).
 */
import { sfError, type SfError } from './errors';
import { isValidId, to18, USER_ID } from './ids';
import { orgRules, readOnlyFields, type SaveContext } from './org';
import { campaignMemberErrors } from './org/campaignMembers';
import { findField, type EmuObject } from './schema';
import type { Rec, Store } from './store';
import { checkRecord, formatDateTime, type Source } from './validation';

export interface SaveOutcome {
	id: string | null;
	success: boolean;
	errors: SfError[];
	created?: boolean;
}

export interface SaveAnswer {
	fatal?: SfError[];
	outcome: SaveOutcome;
	/** Upsert matched several records (REST answers 300). */
	multiple?: Rec[];
}

const failed = (errors: SfError[], created?: boolean): SaveOutcome =>
	created === undefined
		? { id: null, success: false, errors }
		: { id: null, success: false, errors, created };

/**
 * Unique fields are enforced by the database save, after validation and duplicate rules: a record
 * that repeats a unique value AND matches a rule answers the rule's error.
 */
const atSave = (errors: SfError[]): SfError[] =>
	errors.every((e) => e.errorCode === 'DUPLICATE_VALUE') ? errors : [];

function computeName(o: EmuObject, r: Rec): void {
	if ((o.name === 'Contact' || o.name === 'Lead') && findField(o, 'Name'))
		r.Name = [r.FirstName, r.LastName]
			.filter((x) => x !== null && x !== undefined && x !== '')
			.join(' ');
}

export function createRecord(
	store: Store,
	o: EmuObject,
	input: Rec,
	source: Source,
	ignore: string[] = [],
	ctx?: SaveContext,
): SaveAnswer {
	const checked = checkRecord(store, o, input, {
		mode: 'create',
		source,
		ignore: ['attributes', ...ignore],
		readOnly: ctx ? readOnlyFields(ctx.org, o) : [],
	});
	if (checked.fatal.length) return { fatal: checked.fatal, outcome: failed(checked.fatal) };
	const unique = atSave(checked.errors);
	if (checked.errors.length > unique.length) return { outcome: failed(checked.errors) };
	const now = formatDateTime(new Date());
	const rec: Rec = {};
	for (const f of o.fields) rec[f.name] = f.defaultValue ?? null;
	Object.assign(rec, checked.values);
	if (findField(o, 'OwnerId') && !rec.OwnerId) rec.OwnerId = ctx?.userId || USER_ID;
	const member = campaignMemberErrors(store, o, rec, undefined);
	if (member.length) return { outcome: failed(member) };
	const refused = ctx ? orgRules(store, o, rec, undefined, ctx) : [];
	if (refused.length) return { outcome: failed(refused) };
	if (unique.length) return { outcome: failed(unique) };
	rec.Id = store.newId(o);
	rec.IsDeleted = false;
	rec.CreatedDate = now;
	rec.LastModifiedDate = now;
	rec.SystemModstamp = now;
	for (const f of o.fields)
		if (f.autoNumber)
			rec[f.name] = String(store.nextSequence(`auto:${o.name}.${f.name}`)).padStart(8, '0');
	if (o.custom && findField(o, 'Name') && (rec.Name === null || rec.Name === undefined))
		rec.Name = String(rec.Id);
	computeName(o, rec);
	store.put(o.name, rec);
	ctx?.batch.add(String(rec.Id));
	return { outcome: { id: String(rec.Id), success: true, errors: [] } };
}

export function updateRecord(
	store: Store,
	o: EmuObject,
	id: unknown,
	input: Rec,
	source: Source,
	ignore: string[] = [],
	ctx?: SaveContext,
): SaveAnswer {
	if (typeof id !== 'string' || id === '')
		return {
			outcome: failed([sfError('MISSING_ARGUMENT', 'Id not specified in an update call', [])]),
		};
	if (!isValidId(id) || id.slice(0, 3) !== o.keyPrefix)
		return {
			outcome: failed([
				sfError('MALFORMED_ID', `${o.label} ID: id value of incorrect type: ${id}`, ['Id']),
			]),
		};
	const existing = store.get(o.name, id);
	if (!existing)
		return { outcome: failed([sfError('ENTITY_IS_DELETED', 'entity is deleted', [])]) };
	const checked = checkRecord(store, o, input, {
		mode: 'update',
		source,
		selfId: String(existing.Id),
		ignore: ['attributes', ...ignore],
		readOnly: ctx ? readOnlyFields(ctx.org, o) : [],
	});
	if (checked.fatal.length) return { fatal: checked.fatal, outcome: failed(checked.fatal) };
	const unique = atSave(checked.errors);
	if (checked.errors.length > unique.length) return { outcome: failed(checked.errors) };
	const now = formatDateTime(new Date());
	const rec: Rec = { ...existing, ...checked.values, LastModifiedDate: now, SystemModstamp: now };
	computeName(o, rec);
	const member = campaignMemberErrors(store, o, rec, String(existing.Id));
	if (member.length) return { outcome: failed(member) };
	const refused = ctx ? orgRules(store, o, rec, String(existing.Id), ctx) : [];
	if (refused.length) return { outcome: failed(refused) };
	if (unique.length) return { outcome: failed(unique) };
	store.put(o.name, rec);
	ctx?.batch.add(String(rec.Id));
	return { outcome: { id: to18(id), success: true, errors: [] } };
}

/** Upsert one record by `extField` = `extValue` (the value is NOT part of `input`). */
export function upsertRecord(
	store: Store,
	o: EmuObject,
	extField: string,
	extValue: unknown,
	input: Rec,
	source: Source,
	opts: { updateOnly?: boolean; ignore?: string[]; ctx?: SaveContext } = {},
): SaveAnswer {
	const ignore = opts.ignore ?? [];
	const ctx = opts.ctx;
	if (extField === 'Id') {
		const id = typeof extValue === 'string' ? extValue : '';
		if (id === '') {
			if (opts.updateOnly)
				return {
					outcome: failed([sfError('NOT_FOUND', 'The requested resource does not exist')], false),
				};
			return created(createRecord(store, o, input, source, ignore, ctx));
		}
		return updated(updateRecord(store, o, id, input, source, ignore, ctx));
	}
	const matches = store.findBy(o.name, extField, extValue);
	if (matches.length > 1)
		return {
			multiple: matches,
			outcome: failed(
				[
					sfError(
						'DUPLICATE_EXTERNAL_ID',
						`${extField}: more than one record found for external id field: [${matches.map((m) => String(m.Id)).join(', ')}]`,
						[extField],
					),
				],
				false,
			),
		};
	if (matches.length === 1)
		return updated(updateRecord(store, o, String(matches[0].Id), input, source, ignore, ctx));
	if (opts.updateOnly)
		return {
			outcome: failed([sfError('NOT_FOUND', 'The requested resource does not exist')], false),
		};
	// The external ID value is written on create even when the caller told us to ignore the body's copy of it.
	const keep = extField.toLowerCase();
	return created(
		createRecord(
			store,
			o,
			{ ...input, [extField]: extValue },
			source,
			ignore.filter((k) => k.toLowerCase() !== keep),
			ctx,
		),
	);
}

function created(a: SaveAnswer): SaveAnswer {
	return { ...a, outcome: { ...a.outcome, created: a.outcome.success } };
}

function updated(a: SaveAnswer): SaveAnswer {
	return { ...a, outcome: { ...a.outcome, created: false } };
}

/** The record as the API shows it: `attributes` first, then the chosen fields. */
export function present(o: EmuObject, r: Rec, version: string, fields?: string[]): Rec {
	const out: Rec = {
		attributes: {
			type: o.name,
			url: `/services/data/v${version}/sobjects/${o.name}/${String(r.Id)}`,
		},
	};
	const names = fields ?? o.fields.map((f) => f.name);
	for (const n of names) {
		const f = findField(o, n);
		if (f) out[f.name] = r[f.name] ?? null;
	}
	return out;
}

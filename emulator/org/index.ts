/**
 * What a configured org has that a blank one does not: duplicate rules, assignment rules,
 * validation rules and field-level security. Each part can be switched off (`EmulatorOptions.org`);
 * the save paths (REST, sObject Collections, Bulk API 2.0) call `orgRules` once per record.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SfError } from '../errors';
import { to18 } from '../ids';
import type { EmuObject } from '../schema';
import type { Rec, Store } from '../store';
import {
	applyAssignment,
	autoAssignHeader,
	setupObject as assignmentObject,
	setupRows as assignmentRows,
	type AutoAssign,
} from './assignmentRules';
import { campaignMemberStatusObject, campaignMemberStatusRows } from './campaignMembers';
import { duplicateErrors } from './duplicateRules';
import { namedObject, namedRows } from './namedRecords';
import { validationErrors } from './validationRules';

export interface OrgOptions {
	/** Standard Contact and Lead duplicate rules (action Allow, with alert). Default true. */
	duplicateRules?: boolean;
	/** Active Lead and Case assignment rules that assign to queues. Default true. */
	assignmentRules?: boolean;
	/** Custom validation rules (NPS score range, closed Case needs a Description). Default true. */
	validationRules?: boolean;
	/** Field-level security of the API users' profile (Contact.Lifetime_Value__c read-only). Default true. */
	fieldSecurity?: boolean;
}

export type OrgConfig = Required<OrgOptions>;

/** `false` is a blank org (every part off); parts left out default to on. */
export function resolveOrg(o: OrgOptions | false | undefined): OrgConfig {
	const on = o !== false;
	const given: OrgOptions = o === false || o === undefined ? {} : o;
	return {
		duplicateRules: given.duplicateRules ?? on,
		assignmentRules: given.assignmentRules ?? on,
		validationRules: given.validationRules ?? on,
		fieldSecurity: given.fieldSecurity ?? on,
	};
}

/** What one request asks of the org's automation, and the batch it belongs to. */
export interface SaveContext {
	org: OrgConfig;
	/** The API user (default owner of created Leads and Cases). */
	userId: string;
	/** `Sforce-Duplicate-Rule-Header: allowSave=true` (alert rules let the save through). */
	allowSave: boolean;
	assign: AutoAssign;
	/** Records written earlier in the same batch: duplicate rules do not compare a batch with itself. */
	batch: Set<string>;
	/** API version of the request (URLs inside a duplicateResult). */
	version: string;
}

/** `k=v; k=v` (commas tolerated), keys case-insensitive. */
function headerFields(v: string | string[] | undefined): Map<string, string> {
	const out = new Map<string, string>();
	const text = Array.isArray(v) ? v.join(';') : (v ?? '');
	for (const part of text.split(/[;,]/)) {
		const [k, val] = part.split('=');
		if (k && val !== undefined) out.set(k.trim().toLowerCase(), val.trim().toLowerCase());
	}
	return out;
}

/** The save context of a REST / Collections request (throws MALFORMED_ID for a bad Sforce-Auto-Assign). */
export function requestSaveContext(
	org: OrgConfig,
	userId: string,
	version: string,
	headers: IncomingHttpHeaders,
): SaveContext {
	const dup = headerFields(headers['sforce-duplicate-rule-header']);
	return {
		org,
		userId,
		version,
		allowSave: Number(version) >= 52 && dup.get('allowsave') === 'true',
		assign: autoAssignHeader(headers['sforce-auto-assign']),
		batch: new Set(),
	};
}

/**
 * The save context of a Bulk API 2.0 job: no header reaches its rows, so alert duplicate rules
 * always refuse, and only the job's `assignmentRuleId` assigns.
 */
export function bulkSaveContext(
	org: OrgConfig,
	userId: string,
	version: string,
	assignmentRuleId: string | undefined,
): SaveContext {
	return {
		org,
		userId,
		version,
		allowSave: false,
		assign: assignmentRuleId ? { kind: 'rule', id: to18(assignmentRuleId) } : { kind: 'none' },
		batch: new Set(),
	};
}

/**
 * Runs the org's rules on the record about to be saved (`rec` is the full record: the stored one
 * merged with the input on update), in Salesforce's order: validation rules, duplicate rules,
 * then assignment rules (which set OwnerId on `rec`). Returns the errors that stop the save.
 */
export function orgRules(
	store: Store,
	o: EmuObject,
	rec: Rec,
	selfId: string | undefined,
	ctx: SaveContext,
): SfError[] {
	if (ctx.org.validationRules) {
		const errs = validationErrors(o, rec);
		if (errs.length) return errs;
	}
	if (ctx.org.duplicateRules && !ctx.allowSave) {
		const errs = duplicateErrors(store, o, rec, selfId, ctx);
		if (errs.length) return errs;
	}
	if (ctx.org.assignmentRules) applyAssignment(o, rec, ctx.assign);
	return [];
}

export { readOnlyFields } from './fieldSecurity';
/** Setup objects SOQL knows besides the schema (queues, assignment rules, record types, users, campaigns). */
export function setupObject(name: string): EmuObject | undefined {
	return namedObject(name) ?? campaignMemberStatusObject(name) ?? assignmentObject(name);
}

/** The rows of a setup object, or undefined for a schema object. */
export function setupRows(name: string, assignmentRules: boolean): Rec[] | undefined {
	return namedRows(name) ?? campaignMemberStatusRows(name) ?? assignmentRows(name, assignmentRules);
}

/**
 * When a describe cached across executions may be used, and when it must be dropped (pure).
 * run/describeForRun.ts applies it.
 */
import type { FieldDescribe, ResponseEvent, SObjectDescribe } from '../salesforce/types';
import type { FeedOperation } from '../domain';
import { findField, matchKindOf } from './fields';
import { parseRelationshipPath, referenceFieldOf } from './relationships';

/** Default of the node's "Schema Cache (Seconds)" option. */
export const DEFAULT_SCHEMA_CACHE_SECONDS = 600;

/** Upper bound of that option (one day). */
const MAX_SCHEMA_CACHE_SECONDS = 86_400;

/** Maximum age in ms of a cached describe for an option value; 0 = one describe per execution. */
export function schemaCacheMaxAgeMs(seconds: unknown): number {
	if (seconds === undefined || seconds === null || seconds === '')
		return DEFAULT_SCHEMA_CACHE_SECONDS * 1000;
	const n = Number(seconds);
	if (!Number.isFinite(n) || n <= 0) return 0;
	return Math.min(n, MAX_SCHEMA_CACHE_SECONDS) * 1000;
}

/**
 * Salesforce error codes that can mean the org's schema changed since a describe: a field or
 * object gone or renamed (INVALID_FIELD, INVALID_TYPE), a field no longer writable
 * (INVALID_FIELD_FOR_INSERT_UPDATE), a type, a restricted picklist or a length changed
 * (INVALID_TYPE_ON_FIELD_IN_RECORD, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, STRING_TOO_LONG).
 * Pre-flight validation checks all of these against the describe before writing, so when
 * Salesforce answers one of them the describe is suspect.
 */
const SCHEMA_ERROR_CODES: ReadonlySet<string> = new Set([
	'INVALID_FIELD',
	'INVALID_FIELD_FOR_INSERT_UPDATE',
	'INVALID_TYPE',
	'INVALID_TYPE_ON_FIELD_IN_RECORD',
	'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
	'STRING_TOO_LONG',
]);

/** Bulk API 2.0 reports a missing column in the job's errorMessage, and codes in result CSVs. */
const SCHEMA_TEXT = new RegExp(
	`\\b(?:${[...SCHEMA_ERROR_CODES].join('|')})\\b|Field name not found`,
);

function bodyMentions(body: unknown, depth: number): boolean {
	if (typeof body === 'string') return SCHEMA_TEXT.test(body);
	if (depth > 4 || body === null || typeof body !== 'object') return false;
	if (Array.isArray(body)) return body.some((b) => bodyMentions(b, depth + 1));
	const o = body as Record<string, unknown>;
	for (const k of ['statusCode', 'errorCode']) {
		if (typeof o[k] === 'string' && SCHEMA_ERROR_CODES.has(o[k])) return true;
	}
	if (
		o.state === 'Failed' &&
		typeof o.errorMessage === 'string' &&
		SCHEMA_TEXT.test(o.errorMessage)
	)
		return true;
	for (const k of ['errors', 'results', 'compositeResponse', 'body']) {
		if (o[k] !== undefined && bodyMentions(o[k], depth + 1)) return true;
	}
	return false;
}

/** Whether an answer from Salesforce carries an error that can come from a schema change. */
export function mentionsSchemaError(event: ResponseEvent): boolean {
	if (event.errors?.some((e) => SCHEMA_ERROR_CODES.has(e.errorCode))) return true;
	return event.body !== undefined && bodyMentions(event.body, 0);
}

export interface MappingNeeds {
	operation: FeedOperation;
	/** Remote fields named by the mapping rows (fixed names; expressions are left out). */
	fields: string[];
	matchField?: string;
}

function writableFor(field: FieldDescribe, operation: FeedOperation): boolean {
	if (operation === 'find') return true; // Find reads: any field of the describe will do
	if (operation === 'create') return field.createable;
	if (operation === 'update') return field.updateable;
	return field.createable || field.updateable;
}

/**
 * What a describe lacks for this mapping: a named field missing or not writable for the
 * operation, or a match field that cannot match. Empty: the describe covers the mapping.
 */
export function describeGaps(describe: SObjectDescribe, needs: MappingNeeds): string[] {
	const gaps: string[] = [];
	for (const name of needs.fields) {
		if (name.toLowerCase() === 'id') continue;
		const path = parseRelationshipPath(name);
		const field = path
			? referenceFieldOf(describe, path.relationshipName)
			: findField(describe, name);
		if (!field) gaps.push(`${name}: not in the describe`);
		else if (!writableFor(field, needs.operation)) gaps.push(`${name}: not writable`);
	}
	if (needs.matchField && !matchKindOf(describe, needs.matchField))
		gaps.push(`${needs.matchField}: cannot match`);
	return gaps;
}

/** Fixed remote field names of raw mapping rows (values starting with "=" are expressions). */
export function fixedFieldNames(rawRows: unknown): string[] {
	if (!Array.isArray(rawRows)) return [];
	const names: string[] = [];
	for (const row of rawRows as Array<{ remoteField?: unknown }>) {
		const f = row?.remoteField;
		if (typeof f === 'string' && f.trim() !== '' && !f.startsWith('=')) names.push(f.trim());
	}
	return names;
}

/**
 * Reading the node's parameters for a run: the options (once, from item 0), the settings that
 * decide where an item is written (Object, Operation, Match On, Dedup Key Field: once when fixed,
 * per item when one is an expression), and the mapping rows as the writer's rows.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	ERROR_CODES,
	type AssignmentRulesMode,
	type DuplicateRulesMode,
	type FeedOperation,
	type WriteMode,
} from '../domain';
import type { EmptyValues, MappingRow } from '../mapping/record';
import { isTransformationName } from '../mapping/transformations';
import type { ItemError, TransformationName } from '../mapping/types';
import { isExpression, type RunSettings } from '../plan/groups';
import { rawFindParts, readFindSettings } from './findSettings';

export interface FeedOptions {
	allOrNone?: boolean;
	apiVersion?: string;
	assignmentRuleId?: string;
	assignmentRules?: AssignmentRulesMode;
	batchSize?: number;
	bulkMode?: 'auto' | 'always' | 'never';
	bulkMaxWaitSeconds?: number;
	bulkThreshold?: number;
	/** Campaign name (run/resolveNames.ts). */
	campaign?: string;
	/** Existing Member (run/campaignMembership.ts). */
	campaignExistingMember?: 'update' | 'leave';
	/** Member Status label (run/campaignMembership.ts); empty: the campaign's default. */
	campaignMemberStatus?: string;
	concurrency?: number;
	dedupKey?: string;
	dedupKeyField?: string;
	dryRun?: boolean;
	duplicateRules?: DuplicateRulesMode;
	emptyValues?: EmptyValues;
	includeRecord?: boolean;
	linkFirstMatchKey?: boolean;
	missingParents?: 'fail' | 'leaveEmpty';
	/** `user:<Username>` or `queue:<Queue API name>` (run/resolveNames.ts). */
	owner?: string;
	preflight?: 'stop' | 'perItem' | 'off';
	/** Record type developer name (run/resolveNames.ts). */
	recordType?: string;
	schemaCacheSeconds?: number;
}

interface RawRow {
	internalEntity?: unknown;
	remoteField?: unknown;
	transformation?: unknown;
	transformationParameter?: unknown;
	writeMode?: unknown;
}

export function readOptions(ctx: IExecuteFunctions): FeedOptions {
	return ctx.getNodeParameter('options', 0, {}) as FeedOptions;
}

/** Whether the Dedup Key option is set (even to an empty value). */
export function dedupKeySet(options: FeedOptions): boolean {
	return Object.prototype.hasOwnProperty.call(options, 'dedupKey');
}

/** The mapping rows of an item, as read from the node. */
export function toRows(raw: unknown): MappingRow[] {
	const list = Array.isArray(raw) ? (raw as RawRow[]) : [];
	return list.map((r) => ({
		field: typeof r.remoteField === 'string' ? r.remoteField : String(r.remoteField ?? ''),
		value: r.internalEntity,
		transformation: (isTransformationName(r.transformation)
			? r.transformation
			: String(r.transformation ?? 'none')) as TransformationName,
		parameter:
			r.transformationParameter === undefined || r.transformationParameter === ''
				? undefined
				: String(r.transformationParameter),
		...(r.writeMode === undefined || r.writeMode === ''
			? {}
			: { writeMode: String(r.writeMode) as WriteMode }),
	}));
}

/** An item whose parameter could not be read (an expression failed for it). */
export function paramError(itemIndex: number, error: unknown): ItemError {
	const message = error instanceof Error ? error.message : String(error);
	return {
		itemIndex,
		errorCode: ERROR_CODES.PARAMETER_ERROR,
		message: `Item ${itemIndex + 1}: a parameter could not be read (${message})`,
	};
}

/**
 * Reads Object, Operation, Match On and Dedup Key Field. When none is an expression they are
 * read once (an error then fails the node, as for any node-level parameter); otherwise per item,
 * and an item whose settings cannot be read gets `error` instead.
 */
export function readRunSettings(
	ctx: IExecuteFunctions,
	count: number,
): Array<RunSettings | { error: unknown }> {
	const readAt = (i: number): RunSettings => {
		const object = String(
			ctx.getNodeParameter('object', i, '', { extractValue: true }) ?? '',
		).trim();
		const operation = ctx.getNodeParameter('operation', i) as FeedOperation;
		const matchField =
			operation === 'create'
				? undefined
				: String(ctx.getNodeParameter('matchField', i, 'Id') ?? '').trim();
		const dedupKeyField = String(ctx.getNodeParameter('options.dedupKeyField', i, '') ?? '').trim();
		const settings: RunSettings = { object, operation, matchField, dedupKeyField };
		const more = operation === 'create' ? [] : moreMatchFields(ctx, i);
		if (operation === 'find') settings.find = readFindSettings(ctx, i);
		return more.length ? { ...settings, moreMatchFields: more } : settings;
	};
	const raw = (name: string, fallback: unknown) => {
		try {
			return ctx.getNodeParameter(name, 0, fallback, { rawExpressions: true });
		} catch {
			return '=';
		}
	};
	const perItem = [
		raw('object', ''),
		raw('operation', 'upsert'),
		raw('matchField', 'Id'),
		raw('options.dedupKeyField', ''),
		...moreMatchKeyRows(raw('moreMatchKeys.keys', [])).map((k) => k.field),
		...rawFindParts(raw),
	].some(isExpression);
	if (!perItem) return new Array<RunSettings>(count).fill(readAt(0));
	return Array.from({ length: count }, (_, i) => {
		try {
			return readAt(i);
		} catch (error) {
			return { error };
		}
	});
}

/** The rows of More Match Keys, as stored. */
function moreMatchKeyRows(raw: unknown): Array<{ field?: unknown; value?: unknown }> {
	return Array.isArray(raw) ? (raw as Array<{ field?: unknown; value?: unknown }>) : [];
}

/**
 * More Match Keys' fields of item `i`, in order (rows without a field are left out). Only the
 * fields are read here: the values are the item's (prepare.ts).
 */
function moreMatchFields(ctx: IExecuteFunctions, i: number): string[] {
	const rows = moreMatchKeyRows(
		ctx.getNodeParameter('moreMatchKeys.keys', i, [], { rawExpressions: true }),
	);
	return rows
		.map((_, k) => String(ctx.getNodeParameter(`moreMatchKeys.keys[${k}].field`, i, '') ?? ''))
		.map((f) => f.trim())
		.filter((f) => f !== '');
}

/**
 * Item `i`'s values of More Match Keys, one per field of `moreMatchFields` (rows without a field
 * are left out, as there); '' where the item has none.
 */
export function moreMatchValues(rows: unknown): string[] {
	return moreMatchKeyRows(rows)
		.filter((k) => String(k.field ?? '').trim() !== '')
		.map((k) =>
			k.value === undefined || k.value === null ? '' : String(k.value as string).trim(),
		);
}

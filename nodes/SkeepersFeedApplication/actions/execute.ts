/**
 * execute() of the Skeepers Feed Application node:
 * parameters → (dedup check) → mapping + pre-flight (pure) → writer (I/O) → one result per item.
 *
 * Object, Operation, Match On and Dedup Key Field are read once when they are fixed (one run
 * writes one object, in batches). When one of them is an expression, they are read per item and
 * the items are split into groups with the same settings (plan/groups.ts); every group is set up
 * and planned before anything is written, then the groups are written one after the other.
 * The other options are read once, from item 0. Mapping rows, match value and dedup key are
 * read per item (they are usually expressions over the item), through feedItemParameters: plain
 * references to the item are read here, every other expression is resolved by n8n.
 */
import {
	NodeOperationError,
	type NodeApiError,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	sleep,
} from 'n8n-workflow';

import { mapItem, type EmptyValues, type MappingRow } from '../mapping/record';
import { isTransformationName } from '../mapping/transformations';
import type { ItemError, TransformationName } from '../mapping/types';
import { validateRecord } from '../mapping/validate';
import { checkDedupField, dedupFieldRowError, keyDuplicate, uniqueFieldsIn } from '../plan/dedup';
import { groupBySettings, isExpression, type RunSettings } from '../plan/groups';
import { SalesforceRequestError, toNodeApiError } from '../salesforce/errors';
import { createSalesforceApi } from '../salesforce/transport';
import type { SalesforceApi, SObjectDescribe, SalesforceError } from '../salesforce/types';
import {
	notAttempted,
	Writer,
	type FeedOperation,
	type MatchKind,
	type WriteInput,
	type WriteOutcome,
	type WriteReport,
} from '../salesforce/writer';
import { describeForRun, schemaWasStale } from './describeForRun';
import { feedItemParameters } from './parameters';
import { findField, matchKindOf } from './schema';
import { buildResult, failureError, failureSummary, outputItem, type FeedResult } from './results';

export interface FeedOptions {
	allOrNone?: boolean;
	apiVersion?: string;
	batchSize?: number;
	bulkMode?: 'auto' | 'always' | 'never';
	bulkMaxWaitSeconds?: number;
	bulkThreshold?: number;
	concurrency?: number;
	dedupKey?: string;
	dedupKeyField?: string;
	dryRun?: boolean;
	emptyValues?: EmptyValues;
	includeRecord?: boolean;
	preflight?: 'stop' | 'perItem' | 'off';
	schemaCacheSeconds?: number;
}

interface RawRow {
	internalEntity?: unknown;
	remoteField?: unknown;
	transformation?: unknown;
	transformationParameter?: unknown;
}

/** Per-item state while the run is planned. */
interface ItemState {
	index: number;
	dedupKey?: string;
	skipped?: 'processed' | 'duplicateInRun';
	error?: ItemError;
	/** Every pre-flight problem of the item (error is the first). */
	allErrors?: ItemError[];
	input?: WriteInput;
	/** The group the item is written with (undefined: settings unreadable, or group not set up). */
	group?: GroupPlan;
}

/** One group of items with the same settings, set up against its object's describe. */
interface GroupPlan {
	settings: RunSettings;
	items: number[];
	/** The object's API name as Salesforce spells it. */
	object: string;
	describe: SObjectDescribe;
	matchKind?: MatchKind;
	matchFieldType?: string;
	canonicalMatchField?: string;
	dedupField?: string;
	report?: WriteReport;
}

const DEDUP_SCOPE = 'workflow' as const;
const DEDUP_OPTIONS = { mode: 'entries' as const };

/**
 * n8n's deduplication store keeps one row per workflow and context, read and written back
 * without a transaction: two executions recording their first keys at the same time both
 * insert that row (SQLite: UNIQUE constraint failed: processed_data.workflowId, …), and two
 * concurrent updates can drop each other's keys. Seen with concurrent webhook deliveries on
 * real n8n (2.41.1). So: every read-modify-write of the store by this node runs one at a time
 * in this n8n process (executions of one process share this module), and a failed call is
 * retried after a short pause (the row exists by then; covers main + workers in queue mode).
 */
let dedupQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
	const run = dedupQueue.then(fn, fn);
	dedupQueue = run.catch(() => undefined);
	return run;
}

async function dedupCall<T>(node: INode, call: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await call();
		} catch (error) {
			if (attempt >= 4) {
				throw new NodeOperationError(node, error as Error, {
					message: `n8n's deduplication store failed: ${(error as Error).message}`,
				});
			}
			await sleep(25 * attempt + Math.floor(Math.random() * 50));
		}
	}
}

function toRows(raw: unknown): MappingRow[] {
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
	}));
}

function itemErrorToSalesforce(e: ItemError): SalesforceError {
	return { errorCode: e.errorCode, message: e.message, fields: e.field ? [e.field] : [] };
}

function paramError(itemIndex: number, error: unknown): ItemError {
	const message = error instanceof Error ? error.message : String(error);
	return {
		itemIndex,
		errorCode: 'PARAMETER_ERROR',
		message: `Item ${itemIndex + 1}: a parameter could not be read (${message})`,
	};
}

/**
 * Reads Object, Operation, Match On and Dedup Key Field. When none is an expression they are
 * read once (an error then fails the node, as for any node-level parameter); otherwise per item,
 * and an item whose settings cannot be read gets `error` instead.
 */
function readRunSettings(ctx: IExecuteFunctions, count: number): Array<RunSettings | { error: unknown }> {
	const readAt = (i: number): RunSettings => {
		const object = String(ctx.getNodeParameter('object', i, '', { extractValue: true }) ?? '').trim();
		const operation = ctx.getNodeParameter('operation', i) as FeedOperation;
		const matchField = operation === 'create' ? undefined : String(ctx.getNodeParameter('matchField', i, 'Id') ?? '').trim();
		const dedupKeyField = String(ctx.getNodeParameter('options.dedupKeyField', i, '') ?? '').trim();
		return { object, operation, matchField, dedupKeyField };
	};
	const raw = (name: string, fallback: unknown) => {
		try {
			return ctx.getNodeParameter(name, 0, fallback, { rawExpressions: true });
		} catch {
			return '=';
		}
	};
	const perItem = [raw('object', ''), raw('operation', 'upsert'), raw('matchField', 'Id'), raw('options.dedupKeyField', '')].some(isExpression);
	if (!perItem) return new Array<RunSettings>(count).fill(readAt(0));
	return Array.from({ length: count }, (_, i) => {
		try {
			return readAt(i);
		} catch (error) {
			return { error };
		}
	});
}

/**
 * Checks a group's settings against its object's describe. Throws the node error that names
 * the group's first item (nothing has been written when it is thrown).
 */
async function setUpGroup(
	ctx: IExecuteFunctions,
	api: SalesforceApi,
	settings: RunSettings,
	items: number[],
	options: FeedOptions,
): Promise<GroupPlan> {
	const node = ctx.getNode();
	const itemIndex = items[0];
	const { object, operation, matchField } = settings;
	if (!object) {
		throw new NodeOperationError(node, 'Choose the Salesforce object to write to', { itemIndex });
	}
	if (!['create', 'update', 'upsert'].includes(operation)) {
		throw new NodeOperationError(node, `Unknown operation "${String(operation)}"`, { itemIndex });
	}
	if (operation !== 'create' && !matchField) {
		throw new NodeOperationError(node, 'Choose the field to match records on ("Match On")', { itemIndex });
	}

	// The object's describe: match kind, pre-flight, transformations that need the field.
	// Cached across executions (describeForRun.ts), never trusted when the mapping disagrees.
	let describe: SObjectDescribe;
	try {
		describe = await describeForRun(ctx, api, object, {
			operation,
			matchField,
			extraFields: settings.dedupKeyField ? [settings.dedupKeyField] : [],
			schemaCacheSeconds: options.schemaCacheSeconds,
		});
	} catch (error) {
		const apiError = toNodeApiError(node, error, itemIndex);
		if (error instanceof SalesforceRequestError && error.errorCode === 'NOT_FOUND') {
			// Salesforce's own message does not say what was not found
			apiError.message = `Salesforce has no object named "${object}" (${error.message}); check the API name (custom objects end in __c)`;
		}
		throw apiError;
	}

	let matchKind: MatchKind | undefined;
	let matchFieldType: string | undefined;
	if (matchField) {
		matchKind = matchKindOf(describe, matchField);
		if (!matchKind) {
			throw new NodeOperationError(
				node,
				`${object}.${matchField} cannot be used to match records: it is neither the Id, an external ID, nor a lookup (idLookup) field`,
				{ itemIndex },
			);
		}
		matchFieldType = findField(describe, matchField)?.type;
	}
	const canonicalMatchField = matchField ? (findField(describe, matchField)?.name ?? matchField) : undefined;

	// Dedup Key Field: the key is written into a unique field, so Salesforce refuses a second
	// record with it atomically, across executions and workers (plan/dedup.ts).
	let dedupField: string | undefined;
	if (settings.dedupKeyField) {
		const check = checkDedupField(describe, settings.dedupKeyField, {
			operation,
			matchField: canonicalMatchField,
			dedupKeySet: Object.prototype.hasOwnProperty.call(options, 'dedupKey'),
		});
		if (!check.ok) {
			throw new NodeOperationError(node, check.problem as string, {
				itemIndex,
				description:
					"The Dedup Key alone is checked in n8n's deduplication store, which is not atomic across queue-mode workers; the Dedup Key Field makes Salesforce's unique index guarantee one record per key. It must name a unique field of the object that the node can write.",
			});
		}
		dedupField = check.field;
	}
	return {
		settings,
		items,
		object: describe.name || object,
		describe,
		matchKind,
		matchFieldType,
		canonicalMatchField,
		dedupField,
	};
}

/** The error code a group's set-up error gives its items (Salesforce's own when it has one). */
function setUpErrorCode(error: NodeApiError | NodeOperationError): string {
	// toNodeApiError keeps Salesforce's code in the error's response (salesforce/errors.ts)
	const fromApi = (error as { errorResponse?: { errorCode?: unknown } }).errorResponse?.errorCode;
	return typeof fromApi === 'string' && fromApi ? fromApi : 'INVALID_SETTINGS';
}

export async function executeFeed(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const node = this.getNode();

	const options = this.getNodeParameter('options', 0, {}) as FeedOptions;
	const dryRun = options.dryRun === true;
	const preflight = options.preflight ?? 'stop';
	const emptyValues: EmptyValues = options.emptyValues ?? 'skip';
	const continueOnFail = this.continueOnFail();
	const settingsPerItem = readRunSettings(this, items.length);

	if (options.bulkMode === 'always' && options.allOrNone) {
		throw new NodeOperationError(
			node,
			'"All or None" cannot be used with Bulk API 2.0 set to Always: Bulk API 2.0 jobs have no rollback',
			{ itemIndex: 0, description: 'Set Bulk API 2.0 to Auto or Never, or turn All or None off.' },
		);
	}

	const states: ItemState[] = items.map((_, index) => ({ index }));
	settingsPerItem.forEach((s, i) => {
		if ('error' in s) states[i].error = paramError(i, s.error);
	});
	const groups = groupBySettings(settingsPerItem.map((s) => ('error' in s ? undefined : s)));
	// one group and every item read: the node's settings are as good as fixed, their errors fail the node
	const single = groups.length === 1 && groups[0].items.length === items.length;

	let api: SalesforceApi;
	try {
		api = createSalesforceApi(this, { apiVersion: options.apiVersion || undefined });
	} catch (error) {
		throw new NodeOperationError(node, error as Error, { itemIndex: 0 });
	}

	// ---- set up every group before anything is written
	for (const g of groups) {
		// setUpGroup throws only NodeApiError / NodeOperationError
		const setUp = await setUpGroup(this, api, g.settings, g.items, options).then(
			(plan) => ({ plan, error: undefined }),
			(error: NodeApiError | NodeOperationError) => ({ plan: undefined, error }),
		);
		if (setUp.plan) {
			for (const i of g.items) states[i].group = setUp.plan;
		} else {
			const error = setUp.error;
			if (single || !continueOnFail) throw error;
			// Continue On Fail with items split over several objects: this group's items fail, the others go on
			const message = error.message;
			for (const i of g.items) {
				states[i].error = {
					itemIndex: i,
					errorCode: setUpErrorCode(error),
					message: `Item ${i + 1}: ${message}`,
				};
			}
		}
	}

	// ---- per item: dedup key, mapping, pre-flight
	const params = feedItemParameters(this);
	const dedupOn = Object.prototype.hasOwnProperty.call(options, 'dedupKey');
	if (dedupOn) {
		const seen = new Set<string>();
		for (const s of states) {
			if (s.error) continue;
			try {
				const key = params.dedupKey(s.index);
				const text = key === undefined || key === null ? '' : String(key).trim();
				if (text === '') continue;
				if (seen.has(text)) s.skipped = 'duplicateInRun';
				else seen.add(text);
				s.dedupKey = text;
			} catch (error) {
				s.error = paramError(s.index, error);
			}
		}
		const keys = [...seen];
		if (keys.length) {
			// Check without keeping: n8n's helper records what it checks, so the new keys are
			// removed again at once and recorded only after their item was written.
			const checked = await serialized(async () => {
				const c = await dedupCall(this.getNode(), () => this.helpers.checkProcessedAndRecord(keys, DEDUP_SCOPE, DEDUP_OPTIONS));
				if (c.new.length) {
					await dedupCall(this.getNode(), () => this.helpers.removeProcessed(c.new, DEDUP_SCOPE, DEDUP_OPTIONS));
				}
				return c;
			});
			const processed = new Set(checked.processed.map(String));
			for (const s of states) {
				if (s.dedupKey !== undefined && !s.skipped && processed.has(s.dedupKey)) s.skipped = 'processed';
			}
		}
	}

	for (const s of states) {
		if (s.skipped || s.error || !s.group) continue;
		const i = s.index;
		const { describe, canonicalMatchField, dedupField } = s.group;
		const { operation } = s.group.settings;
		let rows: MappingRow[];
		let matchValue: string | undefined;
		try {
			rows = toRows(params.rows(i));
			if (operation !== 'create') {
				const raw = params.matchValue(i);
				matchValue = raw === undefined || raw === null ? '' : String(raw).trim();
			}
		} catch (error) {
			s.error = paramError(i, error);
			continue;
		}
		const mapped = mapItem(rows, { itemIndex: i, emptyValues, describe });
		if (!mapped.ok) {
			s.error = mapped.error;
			s.allErrors = [mapped.error];
			continue;
		}
		const record = mapped.record;
		if (dedupField) {
			const rowError = dedupFieldRowError(rows, dedupField, i);
			if (rowError) {
				s.error = rowError;
				s.allErrors = [rowError];
				continue;
			}
			if (s.dedupKey !== undefined) record[dedupField] = s.dedupKey;
		}
		if (canonicalMatchField && matchValue === '' && operation === 'update') {
			s.error = {
				itemIndex: i,
				field: canonicalMatchField,
				errorCode: 'MISSING_MATCH_VALUE',
				message: `Item ${i + 1}: the match value (${canonicalMatchField}) is empty, so there is no record to update`,
			};
			s.allErrors = [s.error];
			continue;
		}
		if (preflight !== 'off') {
			const toCheck: Record<string, unknown> = { ...record };
			if (canonicalMatchField && matchValue) toCheck[canonicalMatchField] = matchValue;
			const problems = validateRecord(toCheck, {
				describe,
				operation,
				matchField: canonicalMatchField,
				itemIndex: i,
				rowByField: mapped.rowByField,
			});
			if (problems.length) {
				s.error = problems[0];
				s.allErrors = problems;
				continue;
			}
		}
		s.input = { itemIndex: i, record, matchValue };
	}
	// An item failed mapping or pre-flight against a describe cached by an earlier execution:
	// nothing is written yet, so drop it and plan the run again with a new describe (once).
	if (states.some((s) => s.allErrors) && schemaWasStale(this)) return await executeFeed.call(this);

	const invalid = states.filter((s) => s.error);
	const stopBeforeWriting = invalid.length > 0 && preflight === 'stop';
	if (stopBeforeWriting && !continueOnFail && !dryRun) {
		const first = invalid[0].error as ItemError;
		throw new NodeOperationError(node, first.message, {
			itemIndex: first.itemIndex,
			description: `${invalid.length} of ${items.length} item(s) failed pre-flight validation (${first.errorCode}); nothing was written to Salesforce. Fix the mapping or the data, or set Pre-Flight Validation to "Report per Item" to write the valid items.`,
		});
	}

	// ---- write, one group after the other
	const stopOnFailure = !continueOnFail && !dryRun;
	const outcomeByItem = new Map<number, WriteOutcome>();
	const planned = [...new Set(states.map((s) => s.group).filter((g): g is GroupPlan => !!g))];
	for (const group of stopBeforeWriting ? [] : planned) {
		const inputs = group.items.map((i) => states[i].input).filter((x): x is WriteInput => !!x);
		if (!inputs.length) continue;
		if (stopOnFailure && [...outcomeByItem.values()].some((o) => !o.success && !o.duplicate)) {
			// an earlier group failed and the run stops at the first failure
			for (const input of inputs) outcomeByItem.set(input.itemIndex, notAttempted(input.itemIndex));
			continue;
		}
		const { operation } = group.settings;
		const dedupField = group.dedupField;
		const writer = new Writer(api, {
			object: group.object,
			operation,
			matchField: group.canonicalMatchField,
			matchKind: group.matchKind,
			matchFieldType: group.matchFieldType,
			batchSize: options.batchSize,
			concurrency: options.concurrency,
			bulkMode: options.bulkMode,
			bulkThreshold: options.bulkThreshold,
			bulkMaxWaitMs:
				options.bulkMaxWaitSeconds !== undefined ? options.bulkMaxWaitSeconds * 1000 : undefined,
			allOrNone: options.allOrNone,
			stopOnFailure,
			dryRun,
			keyDuplicate: dedupField
				? (errors, sent) => keyDuplicate(errors, dedupField, uniqueFieldsIn(sent, group.describe))
				: undefined,
		});
		try {
			group.report = await writer.write(inputs);
		} catch (error) {
			// What the writer cannot pin on items (a session the refresh could not renew, a bug) ends
			// the run; Salesforce's answers to lookups and writes are per-item results already.
			throw toNodeApiError(node, error, inputs[0].itemIndex);
		}
		for (const o of group.report.outcomes) outcomeByItem.set(o.itemIndex, o);
	}

	// ---- dedup: remember the keys of the items written successfully (never in a dry run)
	if (dedupOn && !dryRun) {
		// (a key Salesforce already holds is recorded too: the next delivery skips it without a call)
		const written = states
			.filter((s) => {
				const o = outcomeByItem.get(s.index);
				return s.dedupKey !== undefined && !s.skipped && (o?.success || o?.duplicate);
			})
			.map((s) => s.dedupKey as string);
		if (written.length) {
			// Record, then check again: a key that comes back as new was dropped by a concurrent
			// update of the store (and is recorded again by the same call).
			await serialized(async () => {
				let pending = [...new Set(written)];
				await dedupCall(this.getNode(), () => this.helpers.checkProcessedAndRecord(pending, DEDUP_SCOPE, DEDUP_OPTIONS));
				for (let round = 0; round < 3 && pending.length; round++) {
					const keys = pending;
					const verify = await dedupCall(this.getNode(), () => this.helpers.checkProcessedAndRecord(keys, DEDUP_SCOPE, DEDUP_OPTIONS));
					pending = verify.new.map(String);
				}
			});
		}
	}

	// ---- results: one per input item, paired
	// calls are numbered across the whole run, group after group (Dry Run's plannedCall)
	const callsBefore = new Map<GroupPlan, number>();
	let totalCalls = 0;
	for (const g of planned) {
		callsBefore.set(g, totalCalls);
		totalCalls += g.report?.calls.length ?? 0;
	}
	const results: FeedResult[] = states.map((s) => {
		const read = settingsPerItem[s.index];
		const settings = s.group?.settings ?? ('error' in read ? undefined : read);
		const common = {
			operation: settings?.operation ?? null,
			object: s.group?.object ?? settings?.object ?? '',
			dryRun,
			includeRecord: options.includeRecord === true || dryRun,
			report: s.group?.report,
			calls: s.group ? { before: callsBefore.get(s.group) ?? 0, total: totalCalls } : undefined,
		};
		if (s.skipped) {
			return buildResult({ ...common, itemIndex: s.index, skipped: s.skipped, dedupKey: s.dedupKey });
		}
		if (s.error) {
			return buildResult({
				...common,
				itemIndex: s.index,
				preflightErrors: (s.allErrors ?? [s.error]).map(itemErrorToSalesforce),
				row: s.error.row,
				dedupKey: s.dedupKey,
			});
		}
		if (stopBeforeWriting) {
			const first = invalid[0].error as ItemError;
			return buildResult({
				...common,
				itemIndex: s.index,
				preflightErrors: [
					{
						errorCode: 'NOT_WRITTEN',
						message: `Not written: item ${first.itemIndex + 1} failed pre-flight validation and Pre-Flight Validation is set to stop the run`,
						fields: [],
					},
				],
				dedupKey: s.dedupKey,
			});
		}
		return buildResult({
			...common,
			itemIndex: s.index,
			outcome: outcomeByItem.get(s.index),
			dedupKey: s.dedupKey,
		});
	});

	const firstFailure = results.find((r) => !r.json.success);
	if (firstFailure && !continueOnFail && !dryRun) {
		const bulkJobIds = planned.flatMap((g) => g.report?.bulkJobIds ?? []);
		throw failureError(node, firstFailure, failureSummary(results, bulkJobIds));
	}

	const errorOutput = node.onError === 'continueErrorOutput';
	return [results.map((r) => outputItem(node, r, errorOutput))];
}

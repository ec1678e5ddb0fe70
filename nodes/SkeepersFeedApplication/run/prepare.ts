/**
 * Preparing a run, before anything is written: the items are split into groups with the same
 * settings and every group is set up (groups.ts); then, per item, the dedup key (duplicates in
 * the run, keys n8n's store already holds), the mapping and the pre-flight validation. The
 * result is one state per item: skipped, failed (with every pre-flight problem), or ready to
 * write (`input`) with its group.
 */
import { NodeOperationError, type IExecuteFunctions, type NodeApiError } from 'n8n-workflow';

import { ERROR_CODES, missingMatchValueMessage, type WriteInput } from '../domain';
import { mapItem, type MappingRow } from '../mapping/record';
import type { ItemError } from '../mapping/types';
import { relationshipRowErrors } from '../mapping/relationships';
import { validateRecord } from '../mapping/validate';
import { writeModesOf } from '../mapping/writeModeCheck';
import { dedupFieldRowError } from '../plan/dedup';
import { groupBySettings, type RunSettings } from '../plan/groups';
import { createSalesforceApi } from '../salesforce/transport';
import type { SalesforceApi } from '../salesforce/types';
import { processedKeys } from './dedupStore';
import type { RunDescribes } from './describeForRun';
import { setUpErrorCode, setUpGroup, type GroupPlan } from './groups';
import { feedItemParameters } from './n8nInternals';
import {
	dedupKeySet,
	moreMatchValues,
	paramError,
	readRunSettings,
	toRows,
	type FeedOptions,
} from './settings';

/** Per-item state while the run is planned. */
export interface ItemState {
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

export interface RunPlan {
	api: SalesforceApi;
	/** Each item's settings, or why they could not be read. */
	settingsPerItem: Array<RunSettings | { error: unknown }>;
	states: ItemState[];
}

/** Plans the run: groups set up, items mapped and checked. Writes nothing. */
export async function prepareRun(
	ctx: IExecuteFunctions,
	options: FeedOptions,
	describes: RunDescribes,
): Promise<RunPlan> {
	const count = ctx.getInputData().length;
	const node = ctx.getNode();
	const settingsPerItem = readRunSettings(ctx, count);
	const states: ItemState[] = Array.from({ length: count }, (_, index) => ({ index }));
	settingsPerItem.forEach((s, i) => {
		if ('error' in s) states[i].error = paramError(i, s.error);
	});
	const groups = groupBySettings(settingsPerItem.map((s) => ('error' in s ? undefined : s)));
	// one group and every item read: the node's settings are as good as fixed, their errors fail the node
	const single = groups.length === 1 && groups[0].items.length === count;

	let api: SalesforceApi;
	try {
		api = createSalesforceApi(ctx, { apiVersion: options.apiVersion || undefined });
	} catch (error) {
		throw new NodeOperationError(node, error as Error, { itemIndex: 0 });
	}

	// ---- set up every group before anything is written
	for (const g of groups) {
		// setUpGroup throws only NodeApiError / NodeOperationError
		const setUp = await setUpGroup(ctx, describes, api, g.settings, g.items, options).then(
			(plan) => ({ plan, error: undefined }),
			(error: NodeApiError | NodeOperationError) => ({ plan: undefined, error }),
		);
		if (setUp.plan) {
			for (const i of g.items) states[i].group = setUp.plan;
		} else {
			const error = setUp.error;
			if (single || !ctx.continueOnFail()) throw error;
			// Continue On Fail with items split over several objects: this group's items fail, the others go on
			for (const i of g.items) {
				states[i].error = {
					itemIndex: i,
					errorCode: setUpErrorCode(error),
					message: `Item ${i + 1}: ${error.message}`,
				};
			}
		}
	}

	const params = feedItemParameters(ctx);
	if (dedupKeySet(options)) await readDedupKeys(ctx, states, params.dedupKey);
	for (const s of states) prepareItem(s, params, options);
	return { api, settingsPerItem, states };
}

/** Each item's dedup key: a key seen earlier in the run, or fed by an earlier execution, skips it. */
async function readDedupKeys(
	ctx: IExecuteFunctions,
	states: ItemState[],
	dedupKey: (i: number) => unknown,
): Promise<void> {
	const seen = new Set<string>();
	for (const s of states) {
		if (s.error) continue;
		try {
			const key = dedupKey(s.index);
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
	if (!keys.length) return;
	const processed = await processedKeys(ctx, keys);
	for (const s of states) {
		if (s.dedupKey !== undefined && !s.skipped && processed.has(s.dedupKey))
			s.skipped = 'processed';
	}
}

/** Map + pre-flight of one item: sets `input`, or `error` and `allErrors`. */
function prepareItem(
	s: ItemState,
	params: ReturnType<typeof feedItemParameters>,
	options: FeedOptions,
): void {
	if (s.skipped || s.error || !s.group) return;
	const i = s.index;
	const { describe, canonicalMatchField, dedupField } = s.group;
	const { operation } = s.group.settings;
	const fail = (problems: ItemError[]) => {
		s.error = problems[0];
		s.allErrors = problems;
	};
	let rows: MappingRow[];
	let matchValue: string | undefined;
	let moreValues: string[] = [];
	try {
		rows = operation === 'find' ? [] : toRows(params.rows(i));
		if (operation !== 'create') {
			const raw = params.matchValue(i);
			matchValue = raw === undefined || raw === null ? '' : String(raw).trim();
			if (s.group.moreMatchKeys) moreValues = moreMatchValues(params.moreMatchKeys(i));
		}
	} catch (error) {
		s.error = paramError(i, error);
		return;
	}
	const mapped = mapItem(rows, {
		itemIndex: i,
		emptyValues: options.emptyValues ?? 'skip',
		describe,
	});
	if (!mapped.ok) return fail([mapped.error]);
	const record = mapped.record;
	const modes = writeModesOf(rows, record, describe, i);
	if (!modes.ok) return fail([modes.error]);
	if (dedupField) {
		const rowError = dedupFieldRowError(rows, dedupField, i);
		if (rowError) return fail([rowError]);
		if (s.dedupKey !== undefined) record[dedupField] = s.dedupKey;
	}
	if (
		canonicalMatchField &&
		matchValue === '' &&
		(operation === 'update' || operation === 'find') &&
		moreValues.every((v) => v === '')
	) {
		const fields = [canonicalMatchField, ...(s.group.moreMatchKeys ?? []).map((k) => k.field)];
		return fail([
			{
				itemIndex: i,
				field: canonicalMatchField,
				errorCode: ERROR_CODES.MISSING_MATCH_VALUE,
				message: missingMatchValueMessage(i, fields.join(', ')),
			},
		]);
	}
	if ((options.preflight ?? 'stop') !== 'off') {
		const toCheck: Record<string, unknown> = { ...record };
		if (canonicalMatchField && matchValue) toCheck[canonicalMatchField] = matchValue;
		const problems = validateRecord(toCheck, {
			describe,
			operation,
			matchField: canonicalMatchField,
			itemIndex: i,
			rowByField: mapped.rowByField,
		});
		problems.push(
			...relationshipRowErrors(rows, {
				describe,
				parents: s.group.parents ?? new Map(),
				operation,
				itemIndex: i,
			}),
		);
		if (problems.length) return fail(problems);
	}
	s.input = { itemIndex: i, record, matchValue };
	if (s.group.moreMatchKeys) s.input.moreMatchValues = moreValues;
	if (modes.modes) s.input.writeModes = modes.modes;
}

/**
 * The object's describe for one execution of the Feed Application node, taken from the
 * process-level cache (salesforce/describe.ts `sharedDescribes`) when the node's
 * "Schema Cache (Seconds)" allows it. A cached describe never decides a result on its own:
 *
 * 1. before planning: when the describe lacks a field the mapping names (or it is not writable,
 *    or the match field cannot match), it is dropped and fetched again once;
 * 2. after planning: when an item failed mapping or pre-flight against a describe cached by an
 *    earlier execution, `schemaWasStale` drops it (every object the run plans, when items write
 *    to several) and the caller plans the run again (nothing
 *    has been written at that point) with a describe fetched now;
 * 3. while writing: when Salesforce answers with a schema error code (schemaPolicy.ts), the
 *    entry is dropped so the next execution describes again.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { describeKey, fetchDescribe, sharedDescribes } from '../salesforce/describe';
import type { CacheEntry } from '../../shared/ttlCache';
import type { SalesforceApi, SObjectDescribe } from '../salesforce/types';
import type { FeedOperation } from '../salesforce/writer';
import { describeObject } from './schema';
import { describeGaps, fixedFieldNames, mentionsSchemaError, schemaCacheMaxAgeMs } from './schemaPolicy';

export interface DescribeForRunOptions {
	operation: FeedOperation;
	matchField?: string;
	/** Other fields the run writes besides the mapping rows (the Dedup Key Field). */
	extraFields?: string[];
	/** The node's "Schema Cache (Seconds)" option (undefined: the default). */
	schemaCacheSeconds?: unknown;
}

interface RunState {
	key: string;
	entry: CacheEntry<SObjectDescribe>;
	/** Loaded by an earlier execution (or one started before this one). */
	cached: boolean;
}

/** Per execution: when it first asked for a describe, and the describe of each object it plans. */
const runs = new WeakMap<IExecuteFunctions, { startedAt: number; byKey: Map<string, RunState> }>();
/** Executions that already dropped a stale describe: they describe afresh, and only once. */
const refreshed = new WeakSet<IExecuteFunctions>();

function credentialIdOf(ctx: IExecuteFunctions): string | undefined {
	const creds = ctx.getNode().credentials as Record<string, { id?: string | null }> | undefined;
	const id = creds?.skeepersSalesforceOAuth2Api?.id;
	return typeof id === 'string' && id !== '' ? id : undefined;
}

function mappingNeeds(ctx: IExecuteFunctions, opts: DescribeForRunOptions) {
	let raw: unknown = [];
	try {
		raw = ctx.getNodeParameter('mapping.rows', 0, [], { rawExpressions: true });
	} catch {
		// unreadable rows: the planning reports them per item
	}
	return {
		operation: opts.operation,
		fields: [...fixedFieldNames(raw), ...(opts.extraFields ?? [])],
		matchField: opts.matchField,
	};
}

/** The describe this execution plans with. */
export async function describeForRun(
	ctx: IExecuteFunctions,
	api: SalesforceApi & { getInstanceUrl?: () => Promise<string> },
	object: string,
	opts: DescribeForRunOptions,
): Promise<SObjectDescribe> {
	const maxAgeMs = schemaCacheMaxAgeMs(opts.schemaCacheSeconds);
	const credentialId = credentialIdOf(ctx);
	if (maxAgeMs === 0 || !credentialId || !api.getInstanceUrl) return await describeObject(api, object);

	const key = describeKey({ credentialId, instanceUrl: await api.getInstanceUrl(), apiVersion: api.apiVersion, object });
	const load = async () => await fetchDescribe(api, object);
	const run = runs.get(ctx) ?? { startedAt: sharedDescribes.clock(), byKey: new Map<string, RunState>() };
	runs.set(ctx, run);
	const { startedAt } = run;
	const previous = run.byKey.get(key);
	// planning again after a stale describe: one loaded after this execution started (a describe
	// this execution already loaded itself, of another object of the run, is kept)
	let found = refreshed.has(ctx)
		? await sharedDescribes.reload(key, previous?.cached ? previous.entry : undefined, load, startedAt)
		: await sharedDescribes.get(key, maxAgeMs, load);
	let cached = found.hit && found.entry.loadedAt < startedAt && !refreshed.has(ctx);
	if (cached && describeGaps(found.value, mappingNeeds(ctx, opts)).length) {
		found = await sharedDescribes.reload(key, found.entry, load, startedAt);
		cached = false;
	}
	const state: RunState = { key, entry: found.entry, cached };
	run.byKey.set(key, state);
	api.observe?.((event) => {
		if (mentionsSchemaError(event)) sharedDescribes.invalidate(state.key, state.entry);
	});
	return found.value;
}

/**
 * Called after planning when some item failed mapping or pre-flight: true when the describe
 * came from an earlier execution, in which case it is dropped and the caller must plan again
 * (once: the next describeForRun of this execution fetches a new describe).
 */
export function schemaWasStale(ctx: IExecuteFunctions): boolean {
	const cached = [...(runs.get(ctx)?.byKey.values() ?? [])].filter((s) => s.cached);
	if (!cached.length || refreshed.has(ctx)) return false;
	refreshed.add(ctx);
	for (const state of cached) sharedDescribes.invalidate(state.key, state.entry);
	return true;
}

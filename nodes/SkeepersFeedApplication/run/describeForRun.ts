/**
 * The object's describe for one execution of the Feed Application node, taken from the
 * process-level cache (salesforce/describe.ts `sharedDescribes`) when the node's
 * "Schema Cache (Seconds)" allows it. A cached describe never decides a result on its own:
 *
 * 1. before planning: when the describe lacks a field the mapping names (or it is not writable,
 *    or the match field cannot match), it is dropped and fetched again once;
 * 2. after planning: when an item failed mapping or pre-flight against a describe cached by an
 *    earlier execution, `schemaWasStale` drops it (every object the run plans, when items write
 *    to several) and execute.ts plans the run again, once (nothing has been written at that
 *    point), with describes fetched now;
 * 3. while writing: when Salesforce answers with a schema error code (schema/cachePolicy.ts), the
 *    entry is dropped so the next execution describes again.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { CacheEntry } from '../../shared/ttlCache';
import type { FeedOperation } from '../domain';
import {
	describeKey,
	describeSObject,
	fetchDescribe,
	sharedDescribes,
} from '../salesforce/describe';
import type { SalesforceApi, SObjectDescribe } from '../salesforce/types';
import {
	describeGaps,
	fixedFieldNames,
	mentionsSchemaError,
	schemaCacheMaxAgeMs,
} from '../schema/cachePolicy';

export interface DescribeForRunOptions {
	operation: FeedOperation;
	matchField?: string;
	/** Other fields the run writes besides the mapping rows (the Dedup Key Field). */
	extraFields?: string[];
	/** The node's "Schema Cache (Seconds)" option (undefined: the default). */
	schemaCacheSeconds?: unknown;
	/**
	 * What a cached describe must have, when it is not the mapping's object (a parent named by
	 * External ID: its fields must still match): the gaps found; default, the mapping's needs.
	 */
	gapsOf?: (describe: SObjectDescribe) => string[];
}

interface RunState {
	key: string;
	entry: CacheEntry<SObjectDescribe>;
	/** Loaded by an earlier execution (or one started before this one). */
	cached: boolean;
}

/**
 * One execution's describes, kept across its planning passes: when it first asked for a
 * describe, the describe of each object it plans, and whether it already dropped a stale one
 * (then it describes afresh).
 */
export interface RunDescribes {
	startedAt?: number;
	byKey: Map<string, RunState>;
	refreshed: boolean;
}

export function newRunDescribes(): RunDescribes {
	return { byKey: new Map<string, RunState>(), refreshed: false };
}

/** The id of the node's Salesforce credential (undefined when n8n does not say). */
export function credentialIdOf(ctx: IExecuteFunctions): string | undefined {
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
	run: RunDescribes,
	api: SalesforceApi & { getInstanceUrl?: () => Promise<string> },
	object: string,
	opts: DescribeForRunOptions,
): Promise<SObjectDescribe> {
	const maxAgeMs = schemaCacheMaxAgeMs(opts.schemaCacheSeconds);
	const credentialId = credentialIdOf(ctx);
	if (maxAgeMs === 0 || !credentialId || !api.getInstanceUrl)
		return await describeSObject(api, object);

	const key = describeKey({
		credentialId,
		instanceUrl: await api.getInstanceUrl(),
		apiVersion: api.apiVersion,
		object,
	});
	const load = async () => await fetchDescribe(api, object);
	run.startedAt ??= sharedDescribes.clock();
	const { startedAt, refreshed } = run;
	const previous = run.byKey.get(key);
	// planning again after a stale describe: one loaded after this execution started (a describe
	// this execution already loaded itself, of another object of the run, is kept)
	let found = refreshed
		? await sharedDescribes.reload(
				key,
				previous?.cached ? previous.entry : undefined,
				load,
				startedAt,
			)
		: await sharedDescribes.get(key, maxAgeMs, load);
	let cached = found.hit && found.entry.loadedAt < startedAt && !refreshed;
	const gaps = opts.gapsOf ?? ((d: SObjectDescribe) => describeGaps(d, mappingNeeds(ctx, opts)));
	if (cached && gaps(found.value).length) {
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
 * Called after planning when some item failed mapping or pre-flight: true when a describe
 * came from an earlier execution, in which case it is dropped and the caller must plan again
 * (the next describeForRun of this run fetches a new describe).
 */
export function schemaWasStale(run: RunDescribes): boolean {
	const cached = [...run.byKey.values()].filter((s) => s.cached);
	if (!cached.length || run.refreshed) return false;
	run.refreshed = true;
	for (const state of cached) sharedDescribes.invalidate(state.key, state.entry);
	return true;
}

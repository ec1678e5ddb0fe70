/**
 * Setting up a group of items with the same settings (plan/groups.ts) against its object's
 * describe: the settings are checked, the match kind and the Dedup Key Field resolved. Nothing
 * is written; a problem is thrown as the node error that names the group's first item.
 */
import { NodeOperationError, type IExecuteFunctions, type NodeApiError } from 'n8n-workflow';

import { ERROR_CODES, FEED_OPERATIONS, type MatchKind, type WriteReport } from '../domain';
import { checkDedupField } from '../plan/dedup';
import { findFieldNames, planFind, type FindPlan } from '../plan/findQuery';
import { resolveMoreMatchKeys, type MatchKey } from '../plan/matchKeys';
import type { RunSettings } from '../plan/groups';
import { SalesforceRequestError } from '../salesforce/errors';
import { toNodeApiError } from '../salesforce/nodeError';
import type { SalesforceApi, SObjectDescribe } from '../salesforce/types';
import { findField, matchKindOf } from '../schema/fields';
import { describeForRun, type RunDescribes } from './describeForRun';
import { parentDescribes } from './parentDescribes';
import { dedupKeySet, type FeedOptions } from './settings';

/** One group of items with the same settings, set up against its object's describe. */
export interface GroupPlan {
	settings: RunSettings;
	items: number[];
	/** The object's API name as Salesforce spells it. */
	object: string;
	describe: SObjectDescribe;
	matchKind?: MatchKind;
	matchFieldType?: string;
	canonicalMatchField?: string;
	dedupField?: string;
	/** More Match Keys, as the describe names them (plan/matchKeys.ts). */
	moreMatchKeys?: MatchKey[];
	report?: WriteReport;
	/** Find: the fields to return and the conditions' SOQL (plan/findQuery.ts). */
	find?: FindPlan;
	/** Describes of the parents the mapping names by External ID (run/parentDescribes.ts). */
	parents?: Map<string, SObjectDescribe>;
}

/**
 * Checks a group's settings against its object's describe. Throws the node error that names
 * the group's first item (nothing has been written when it is thrown): only NodeApiError or
 * NodeOperationError.
 */
export async function setUpGroup(
	ctx: IExecuteFunctions,
	describes: RunDescribes,
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
	if (!FEED_OPERATIONS.includes(operation) && operation !== 'find') {
		throw new NodeOperationError(node, `Unknown operation "${String(operation)}"`, { itemIndex });
	}
	if (operation !== 'create' && !matchField) {
		throw new NodeOperationError(node, 'Choose the field to match records on ("Match On")', {
			itemIndex,
		});
	}

	// The object's describe: match kind, pre-flight, transformations that need the field.
	// Cached across executions (describeForRun.ts), never trusted when the mapping disagrees.
	let describe: SObjectDescribe;
	try {
		describe = await describeForRun(ctx, describes, api, object, {
			operation,
			matchField,
			extraFields: [
				...(settings.dedupKeyField ? [settings.dedupKeyField] : []),
				...(settings.moreMatchFields ?? []),
				...findFieldNames(settings.find),
			],
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
	const canonicalMatchField = matchField
		? (findField(describe, matchField)?.name ?? matchField)
		: undefined;

	const more = resolveMoreMatchKeys(describe, settings, options.linkFirstMatchKey === true);
	if (typeof more === 'string') throw new NodeOperationError(node, more, { itemIndex });
	const find = settings.find ? planFind(describe, settings.find, object) : undefined;
	if (typeof find === 'string') throw new NodeOperationError(node, find, { itemIndex });

	// Dedup Key Field: the key is written into a unique field, so Salesforce refuses a second
	// record with it atomically, across executions and workers (plan/dedup.ts).
	let dedupField: string | undefined;
	if (settings.dedupKeyField) {
		const check = checkDedupField(describe, settings.dedupKeyField, {
			operation,
			matchField: canonicalMatchField,
			dedupKeySet: dedupKeySet(options),
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
	let parents: Map<string, SObjectDescribe>;
	try {
		parents = await parentDescribes(ctx, describes, api, describe, itemIndex, {
			operation,
			schemaCacheSeconds: options.schemaCacheSeconds,
		});
	} catch (error) {
		throw toNodeApiError(node, error, itemIndex);
	}
	return {
		parents,
		settings,
		items,
		object: describe.name || object,
		describe,
		matchKind,
		matchFieldType,
		canonicalMatchField,
		dedupField,
		...(more.length ? { moreMatchKeys: more } : {}),
		...(find ? { find } : {}),
	};
}

/** The error code a group's set-up error gives its items (Salesforce's own when it has one). */
export function setUpErrorCode(error: NodeApiError | NodeOperationError): string {
	// toNodeApiError keeps Salesforce's code in the error's response (salesforce/nodeError.ts)
	const fromApi = (error as { errorResponse?: { errorCode?: unknown } }).errorResponse?.errorCode;
	return typeof fromApi === 'string' && fromApi ? fromApi : ERROR_CODES.INVALID_SETTINGS;
}

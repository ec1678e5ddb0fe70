/**
 * execute() of the Skeepers Feed Application node, as a pipeline:
 * settings (settings.ts) → prepare: groups, dedup keys, mapping, pre-flight (prepare.ts, pure
 * but for the describes and n8n's dedup store) → write, group after group (the writer,
 * salesforce/write/) → dedup keys recorded (dedupStore.ts) → one result per item (output.ts).
 *
 * Object, Operation, Match On and Dedup Key Field are read once when they are fixed (one run
 * writes one object, in batches). When one of them is an expression, the items are split into
 * groups with the same settings (plan/groups.ts); every group is set up and planned before
 * anything is written, then the groups are written one after the other.
 *
 * Planning runs at most twice: when an item failed mapping or pre-flight against a describe
 * cached by an earlier execution, nothing is written yet, so the run is planned again with
 * describes fetched now (describeForRun.ts).
 */
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { notAttempted, type WriteInput, type WriteOutcome } from '../domain';
import type { ItemError } from '../mapping/types';
import { keyDuplicate, uniqueFieldsIn } from '../plan/dedup';
import { activeAssignmentRules } from '../salesforce/assignment';
import { optionRangeProblem, requestsInFlight } from '../plan/optionRanges';
import { parentFieldsOf } from '../plan/parentBatches';
import { flightKey } from '../salesforce/flightMemory';
import { toNodeApiError } from '../salesforce/nodeError';
import type { SalesforceApi } from '../salesforce/types';
import { Writer } from '../salesforce/write/writer';
import { checkAssignmentRules } from './assignmentCheck';
import { recordKeys } from './dedupStore';
import { credentialIdOf, newRunDescribes, schemaWasStale } from './describeForRun';
import type { GroupPlan } from './groups';
import { failureError, failureSummary, outputItem, resultsOf } from './output';
import { autoNotice, tellWhatAutoDid } from './runNotice';
import { prepareRun, type ItemState, type RunPlan } from './prepare';
import { addWrittenToCampaign, prepareMembership, showMemberships } from './campaignMembership';
import { showPlannedMemberships } from './plannedMembership';
import { applyNamedOptions } from './resolveNames';
import { dedupKeySet, readOptions, type FeedOptions } from './settings';

/** Planning passes: the first, and one more after a stale cached describe. */
const MAX_PLANNING_PASSES = 2;

export async function executeFeed(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const node = this.getNode();
	const options = readOptions(this);
	const dryRun = options.dryRun === true;
	const continueOnFail = this.continueOnFail();

	if (options.bulkMode === 'always' && options.allOrNone) {
		throw new NodeOperationError(
			node,
			'"All or None" cannot be used with Bulk API 2.0 set to Always: Bulk API 2.0 jobs have no rollback',
			{ itemIndex: 0, description: 'Set Bulk API 2.0 to Auto or Never, or turn All or None off.' },
		);
	}

	const outOfRange = optionRangeProblem(options);
	if (outOfRange) {
		throw new NodeOperationError(node, outOfRange, {
			itemIndex: 0,
			description: 'Nothing was written to Salesforce. Fix the option (Options) and run again.',
		});
	}

	const describes = newRunDescribes();
	let plan: RunPlan;
	for (let pass = 1; ; pass++) {
		plan = await prepareRun(this, options, describes);
		const failedPlanning = plan.states.some((s) => s.allErrors);
		// the describes are dropped (and fetched again) only when another pass follows
		if (!(pass < MAX_PLANNING_PASSES && failedPlanning && schemaWasStale(describes))) break;
	}
	const { states, settingsPerItem } = plan;

	const invalid = states.filter((s) => s.error);
	// Find writes nothing: an item that failed pre-flight fails alone, the others are looked up
	const findOnly = states.every((s) => s.group?.settings.operation === 'find');
	const stopBeforeWriting =
		invalid.length > 0 && (options.preflight ?? 'stop') === 'stop' && !findOnly;
	if (stopBeforeWriting && !continueOnFail && !dryRun) {
		const first = invalid[0].error as ItemError;
		throw new NodeOperationError(node, first.message, {
			itemIndex: first.itemIndex,
			description: `${invalid.length} of ${items.length} item(s) failed pre-flight validation (${first.errorCode}); nothing was written to Salesforce. Fix the mapping or the data, or set Pre-Flight Validation to "Report per Item" to write the valid items.`,
		});
	}

	const planned = [...new Set(states.map((s) => s.group).filter((g): g is GroupPlan => !!g))];
	await checkAssignmentRules(this, plan.api, planned, options);
	const campaign = await applyNamedOptions(this, plan.api, planned, states, options);
	const membership = await prepareMembership(this, plan.api, campaign, planned, options);
	const stopOnFailure = !continueOnFail && !dryRun;
	const outcomeByItem = stopBeforeWriting
		? new Map<number, WriteOutcome>()
		: await writeGroups(this, plan.api, planned, states, options, stopOnFailure);
	const members =
		membership && !dryRun
			? await addWrittenToCampaign(plan.api, membership, planned, outcomeByItem)
			: undefined;

	// ---- dedup: remember the keys of the items written successfully (never in a dry run)
	if (dedupKeySet(options) && !dryRun) {
		// (a key Salesforce already holds is recorded too: the next delivery skips it without a call)
		const written = states
			.filter((s) => {
				const o = outcomeByItem.get(s.index);
				return s.dedupKey !== undefined && !s.skipped && (o?.success || o?.duplicate);
			})
			.map((s) => s.dedupKey as string);
		if (written.length) await recordKeys(this, written);
	}

	const notice = autoNotice(planned);
	tellWhatAutoDid(this, notice);
	const results = resultsOf({
		states,
		settingsPerItem,
		planned,
		outcomeByItem,
		options,
		stopBeforeWriting,
	});
	if (campaign) for (const r of results) r.json.campaign = campaign;
	if (membership && members)
		tellWhatAutoDid(this, showMemberships(results, members, membership.campaign));
	if (membership && dryRun)
		tellWhatAutoDid(this, showPlannedMemberships(results, membership, planned, outcomeByItem));
	const firstFailure = results.find((r) => !r.json.success);
	if (firstFailure && !continueOnFail && !dryRun) {
		const bulkJobIds = planned.flatMap((g) => g.report?.bulkJobIds ?? []);
		const summary = failureSummary(results, bulkJobIds);
		throw failureError(node, firstFailure, notice ? `${summary} ${notice}` : summary);
	}

	const errorOutput = node.onError === 'continueErrorOutput';
	return [results.map((r) => outputItem(node, r, errorOutput))];
}

/** The org Requests in Flight Auto remembers across runs (salesforce/flightMemory.ts). */
async function orgFlightKey(
	ctx: IExecuteFunctions,
	api: SalesforceApi & { getInstanceUrl?: () => Promise<string> },
): Promise<string | undefined> {
	const credentialId = credentialIdOf(ctx);
	if (!credentialId || !api.getInstanceUrl) return undefined;
	return flightKey(credentialId, await api.getInstanceUrl());
}

/** Writes the groups one after the other; returns every item's outcome. */
async function writeGroups(
	ctx: IExecuteFunctions,
	api: SalesforceApi,
	planned: GroupPlan[],
	states: ItemState[],
	options: FeedOptions,
	stopOnFailure: boolean,
): Promise<Map<number, WriteOutcome>> {
	const outcomeByItem = new Map<number, WriteOutcome>();
	const activeRule = activeAssignmentRules(api);
	const org = await orgFlightKey(ctx, api);
	for (const group of planned) {
		const inputs = group.items.map((i) => states[i].input).filter((x): x is WriteInput => !!x);
		if (!inputs.length) continue;
		if (stopOnFailure && [...outcomeByItem.values()].some((o) => !o.success && !o.duplicate)) {
			// an earlier group failed and the run stops at the first failure
			for (const input of inputs) outcomeByItem.set(input.itemIndex, notAttempted(input.itemIndex));
			continue;
		}
		const dedupField = group.dedupField;
		const writer = new Writer(api, {
			object: group.object,
			operation: group.settings.operation,
			matchField: group.canonicalMatchField,
			matchKind: group.matchKind,
			matchFieldType: group.matchFieldType,
			moreMatchKeys: group.moreMatchKeys,
			linkFirstMatchKey: options.linkFirstMatchKey,
			findFields: group.find?.fields,
			findWhere: group.find?.where,
			missingParents: options.missingParents,
			batchSize: options.batchSize,
			concurrency: requestsInFlight(options.concurrency),
			flightKey: org,
			parentFields: parentFieldsOf(group.describe),
			bulkMode: options.bulkMode,
			bulkThreshold: options.bulkThreshold,
			bulkMaxWaitMs:
				options.bulkMaxWaitSeconds !== undefined ? options.bulkMaxWaitSeconds * 1000 : undefined,
			allOrNone: options.allOrNone,
			duplicateRules: options.duplicateRules,
			assignmentRules: options.assignmentRules,
			assignmentRuleId: options.assignmentRuleId,
			activeAssignmentRule: async () => await activeRule(group.object),
			stopOnFailure,
			dryRun: options.dryRun === true,
			dedupField,
			keyDuplicate: dedupField
				? (errors, sent) => keyDuplicate(errors, dedupField, uniqueFieldsIn(sent, group.describe))
				: undefined,
		});
		try {
			group.report = await writer.write(inputs);
		} catch (error) {
			// What the writer cannot pin on items (a session the refresh could not renew, a bug) ends
			// the run; Salesforce's answers to lookups and writes are per-item results already.
			throw toNodeApiError(ctx.getNode(), error, inputs[0].itemIndex);
		}
		for (const o of group.report.outcomes) outcomeByItem.set(o.itemIndex, o);
	}
	return outcomeByItem;
}

/**
 * The output: one item per input item, paired to it, and the node's error when the run fails.
 * The JSON shape is a public contract (see docs/feed-application.md#results):
 *
 * { success, id, created, operation, object, action, errors: [{ errorCode, message, fields }],
 *   error?, row?, skipped?, dedup?: { key, skipped, reason?, field?, existingId? }, record?, dryRun?, plannedCall?,
 *   bulkJobId?, matchedIds?, matchedOn?, parentsNotFound?, outcomeUnknown?, campaign?: { id, name },
 *   campaignMember?, campaignMemberError? (campaignMembership.ts), plannedCampaignMember? (plannedMembership.ts) }
 *
 * (Just over 300 lines: one job, the result of every item and the run's error built from them.)
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import {
	ERROR_CODES,
	NODE_CHECK_CODES,
	type CallRecord,
	type FeedOperation,
	type SalesforceError,
	type WriteOutcome,
	type WriteReport,
	type ParentNotFound,
} from '../domain';
import type { ItemError } from '../mapping/types';
import type { RunSettings } from '../plan/groups';
import type { GroupPlan } from './groups';
import { withErrorOutput } from './n8nInternals';
import type { PlannedMember } from './plannedMembership';
import type { ItemState } from './prepare';
import type { FeedOptions } from './settings';

interface FeedResultJson {
	/** The Campaign option, resolved (run/resolveNames.ts). */
	campaign?: { id: string; name: string };
	success: boolean;
	id: string | null;
	created: boolean;
	/** null only when the item's own settings could not be read (an Operation expression failed for it) */
	operation: FeedOperation | null;
	object: string;
	/** What was asked of Salesforce for this item: create, update (by Id) or upsert (external ID). */
	action: string | null;
	errors: SalesforceError[];
	/** First error in one line (only on failures). */
	error?: string;
	row?: number;
	skipped?: boolean;
	/** `field`, `existingId`: skipped because Salesforce already holds the key (Dedup Key Field). */
	dedup?: {
		key: string;
		skipped: boolean;
		reason?: string;
		field?: string;
		existingId?: string | null;
	};
	record?: Record<string, unknown>;
	dryRun?: boolean;
	plannedCall?: {
		index: number;
		method: string;
		path: string;
		records: number;
		headers?: Record<string, string>;
		job?: Record<string, string>;
	};
	plannedCalls?: number;
	/** Dry Run with Campaign: the membership a real run would give the record. */
	plannedCampaignMember?: PlannedMember;
	bulkJobId?: string;
	matchedIds?: string[];
	/** Duplicate Rules → Use the Matched Record: the existing record updated instead. */
	usedMatchedRecord?: { id: string; rule?: string };
	/** More Match Keys: the field whose value found the record. */
	matchedOn?: string;
	/** Missing Parents → Leave the Lookup Empty: the parents left out of the record. */
	parentsNotFound?: ParentNotFound[];
	outcomeUnknown?: boolean;
	[key: string]: unknown;
}

export interface FeedResult {
	itemIndex: number;
	json: FeedResultJson;
	/** The failure came from Salesforce (vs. our own checks). */
	fromSalesforce: boolean;
	written: boolean;
}

interface BuildInput {
	itemIndex: number;
	operation: FeedOperation | null;
	object: string;
	dryRun: boolean;
	includeRecord: boolean;
	report?: WriteReport;
	/** When the run writes several objects: the calls of earlier groups, and of the whole run (Dry Run numbering). */
	calls?: { before: number; total: number };
	outcome?: WriteOutcome;
	skipped?: 'processed' | 'duplicateInRun';
	preflightErrors?: SalesforceError[];
	row?: number;
	dedupKey?: string;
}

function oneLine(e: SalesforceError | undefined): string | undefined {
	if (!e) return undefined;
	return `${e.errorCode}${e.fields.length ? ` (${e.fields.join(', ')})` : ''}: ${e.message}`;
}

/** Drops `attributes` (a transport detail) from a sent record. */
function cleanRecord(
	sent: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
	if (!sent) return undefined;
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(sent)) if (k !== 'attributes') out[k] = v;
	return out;
}

function buildResult(b: BuildInput): FeedResult {
	const json: FeedResultJson = {
		success: false,
		id: null,
		created: false,
		operation: b.operation,
		object: b.object,
		action: null,
		errors: [],
	};
	let fromSalesforce = false;
	let written = false;

	if (b.skipped) {
		json.success = true;
		json.skipped = true;
		json.dedup = {
			key: b.dedupKey ?? '',
			skipped: true,
			reason:
				b.skipped === 'processed'
					? 'already fed by an earlier execution of this workflow'
					: 'an earlier item of this run has the same key',
		};
	} else if (b.preflightErrors) {
		json.errors = b.preflightErrors;
		if (b.row !== undefined) json.row = b.row;
	} else if (b.outcome?.duplicate) {
		// Dedup Key Field: Salesforce's unique index refused the key, so another execution (or an
		// earlier run whose key n8n's store lost) already wrote it. Not an error.
		const o = b.outcome;
		const d = o.duplicate as NonNullable<WriteOutcome['duplicate']>;
		const key = b.dedupKey ?? '';
		json.success = true;
		json.skipped = true;
		json.id = d.existingId;
		json.action = o.action;
		json.dedup = {
			key,
			skipped: true,
			field: d.field,
			existingId: d.existingId,
			reason: `already processed: ${b.object}.${d.field} = "${key}" is already on ${d.existingId ? `record ${d.existingId}` : 'another record'} (Salesforce: ${o.errors[0]?.message ?? 'DUPLICATE_VALUE'})`,
		};
		if (o.bulkJobId) json.bulkJobId = o.bulkJobId;
		if (b.includeRecord && o.sent) json.record = cleanRecord(o.sent);
	} else if (b.outcome) {
		const o = b.outcome;
		json.success = o.success;
		json.id = o.id;
		json.created = o.created;
		json.action = o.action;
		json.errors = o.errors;
		if (o.bulkJobId) json.bulkJobId = o.bulkJobId;
		if (o.matchedIds) json.matchedIds = o.matchedIds;
		if (o.usedMatchedRecord) json.usedMatchedRecord = o.usedMatchedRecord;
		if (o.matchedOn) json.matchedOn = o.matchedOn;
		if (o.found) json.record = o.found;
		if (o.parentsNotFound) json.parentsNotFound = o.parentsNotFound;
		if (o.outcomeUnknown) json.outcomeUnknown = true;
		if (b.includeRecord && o.sent) json.record = cleanRecord(o.sent);
		written = o.success && !b.dryRun;
		fromSalesforce = !o.success && !o.errors.every((e) => NODE_CHECK_CODES.has(e.errorCode));
		if (b.dryRun && o.call !== undefined && b.report) {
			const call: CallRecord | undefined = b.report.calls[o.call];
			if (call) {
				json.plannedCall = {
					index: (b.calls?.before ?? 0) + o.call,
					method: call.method,
					path: call.path,
					records: call.records,
					...(call.headers && Object.keys(call.headers).length ? { headers: call.headers } : {}),
					...(call.job ? { job: call.job } : {}),
				};
			}
			json.plannedCalls = b.calls?.total ?? b.report.calls.length;
		}
	} else {
		json.errors = [
			{ errorCode: ERROR_CODES.NOT_ATTEMPTED, message: 'The item was not sent', fields: [] },
		];
	}
	if (b.dedupKey !== undefined && !json.dedup) json.dedup = { key: b.dedupKey, skipped: false };
	if (b.dryRun) json.dryRun = true;
	if (!json.success) json.error = oneLine(json.errors[0]);
	return { itemIndex: b.itemIndex, json, fromSalesforce, written };
}

function itemErrorToSalesforce(e: ItemError): SalesforceError {
	return { errorCode: e.errorCode, message: e.message, fields: e.field ? [e.field] : [] };
}

interface RunOutcome {
	states: ItemState[];
	settingsPerItem: Array<RunSettings | { error: unknown }>;
	/** The groups set up, in writing order. */
	planned: GroupPlan[];
	outcomeByItem: Map<number, WriteOutcome>;
	options: FeedOptions;
	/** Pre-flight found a problem and is set to stop the run: nothing was written. */
	stopBeforeWriting: boolean;
}

/** One result per input item, in input order. */
export function resultsOf(run: RunOutcome): FeedResult[] {
	const { states, settingsPerItem, planned, outcomeByItem, options, stopBeforeWriting } = run;
	const dryRun = options.dryRun === true;
	// calls are numbered across the whole run, group after group (Dry Run's plannedCall)
	const callsBefore = new Map<GroupPlan, number>();
	let totalCalls = 0;
	for (const g of planned) {
		callsBefore.set(g, totalCalls);
		totalCalls += g.report?.calls.length ?? 0;
	}
	const firstInvalid = states.find((s) => s.error)?.error;
	return states.map((s) => {
		const read = settingsPerItem[s.index];
		const settings = s.group?.settings ?? ('error' in read ? undefined : read);
		const common = {
			itemIndex: s.index,
			operation: settings?.operation ?? null,
			object: s.group?.object ?? settings?.object ?? '',
			dryRun,
			includeRecord: options.includeRecord === true || dryRun,
			report: s.group?.report,
			calls: s.group ? { before: callsBefore.get(s.group) ?? 0, total: totalCalls } : undefined,
			dedupKey: s.dedupKey,
		};
		if (s.skipped) return buildResult({ ...common, skipped: s.skipped });
		if (s.error) {
			return buildResult({
				...common,
				preflightErrors: (s.allErrors ?? [s.error]).map(itemErrorToSalesforce),
				row: s.error.row,
			});
		}
		if (stopBeforeWriting && firstInvalid) {
			return buildResult({
				...common,
				preflightErrors: [
					{
						errorCode: ERROR_CODES.NOT_WRITTEN,
						message: `Not written: item ${firstInvalid.itemIndex + 1} failed pre-flight validation and Pre-Flight Validation is set to stop the run`,
						fields: [],
					},
				],
			});
		}
		return buildResult({ ...common, outcome: outcomeByItem.get(s.index) });
	});
}

/** "n of N items were written…" — said whenever the node fails after writing. */
export function failureSummary(results: FeedResult[], bulkJobIds: readonly string[] = []): string {
	const total = results.length;
	const written = results.filter((r) => r.written).length;
	const failed = results.filter((r) => !r.json.success).length;
	const notSent = results.filter(
		(r) => r.json.errors[0]?.errorCode === ERROR_CODES.NOT_ATTEMPTED,
	).length;
	const unknown = results.filter((r) => r.json.outcomeUnknown).length;
	const parts = [
		written > 0
			? `${written} of ${total} item(s) WERE written to Salesforce before the node failed; running it again will write them again unless a Dedup Key is set (or the operation is Create or Update).`
			: `Nothing was written to Salesforce (0 of ${total} items).`,
		`${failed} item(s) failed${notSent ? `, of which ${notSent} were not sent because the run stopped at the first failure` : ''}.`,
	];
	if (unknown) {
		parts.push(
			`${unknown} item(s) have an unknown outcome (the request failed after it was sent): check Salesforce before re-running.`,
		);
	}
	if (bulkJobIds.length) parts.push(`Bulk API 2.0 job(s): ${bulkJobIds.join(', ')}.`);
	parts.push(
		'Turn on "Continue On Fail" (Settings → On Error) to get one result per item instead.',
	);
	return parts.join(' ');
}

/** "Item 3: REQUIRED_FIELD_MISSING on LastName — Required fields are missing: [LastName]" */
function failureMessage(r: FeedResult): string {
	const err0 = r.json.errors[0];
	const fields = err0?.fields?.length ? ` on ${err0.fields.join(', ')}` : '';
	// the node's own messages may already name the item ("Item 3: the match value …")
	const text = err0?.message?.replace(/^Item \d+: /, '') ?? 'the record was not written';
	return `Item ${r.itemIndex + 1}: ${err0?.errorCode ?? 'FAILED'}${fields} — ${text}`;
}

/**
 * The n8n error of a failed result: a NodeApiError carrying Salesforce's errors when the
 * failure came from Salesforce, a NodeOperationError for the node's own checks.
 */
export function failureError(
	node: INode,
	r: FeedResult,
	description?: string,
): NodeApiError | NodeOperationError {
	const message = failureMessage(r);
	if (r.fromSalesforce) {
		return new NodeApiError(node, { errors: r.json.errors } as unknown as JsonObject, {
			message,
			description,
			itemIndex: r.itemIndex,
		});
	}
	return new NodeOperationError(node, message, { itemIndex: r.itemIndex, description });
}

/**
 * One output item. With On Error → Continue (using error output), a failed result also carries
 * its n8n error, which routes it to the error output (n8nInternals.ts, withErrorOutput).
 * Successes (skipped items included) carry no error; nothing changes under the other On Error
 * settings.
 */
export function outputItem(node: INode, r: FeedResult, errorOutput: boolean): INodeExecutionData {
	const item: INodeExecutionData = {
		json: r.json as unknown as IDataObject,
		pairedItem: { item: r.itemIndex },
	};
	if (errorOutput && !r.json.success) {
		const more = r.json.errors.slice(1).map(oneLine);
		return withErrorOutput(
			item,
			failureError(node, r, more.length ? `Also: ${more.join('; ')}` : undefined),
		);
	}
	return item;
}

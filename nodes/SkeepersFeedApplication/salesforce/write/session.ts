/**
 * The state of one `Writer.write()`, shared by its steps (lookup, collections, bulk job): the
 * resolved options, the calls made, the outcome settled for each item, the Ids learned from
 * earlier waves, and whether the run must stop scheduling calls after a failure.
 */
import { sleep as n8nSleep } from 'n8n-workflow';

import type {
	CallRecord,
	FeedOperation,
	KeyDuplicate,
	MatchKind,
	ParentNotFound,
	SalesforceError,
	SObjectRecord,
	WriteInput,
	WriteOutcome,
} from '../../domain';
import type { RuleOptions } from '../assignment';
import { duplicatesDetected } from '../duplicates';
import {
	ConcurrencyTracker,
	type AutoState,
	type ConcurrencySetting,
} from '../adaptiveConcurrency';
import type { MatchKey } from '../../plan/matchKeys';
import type { ParentField } from '../../plan/parentBatches';
import type { SalesforceApi } from '../types';

export interface WriterOptions extends RuleOptions {
	object: string;
	operation: FeedOperation;
	/** Required for update / upsert. */
	matchField?: string;
	matchKind?: MatchKind;
	/** Salesforce type of the match field (decides SOQL quoting). */
	matchFieldType?: string;
	/** More Match Keys: tried in order for the items Match On did not find (plan/matchKeys.ts). */
	moreMatchKeys?: MatchKey[];
	/** Link to First Match Key: a record found by a later key gets Match On's value too. */
	linkFirstMatchKey?: boolean;
	/** Find: the fields each found record returns (Id first) and the extra conditions (plan/findQuery.ts). */
	findFields?: string[];
	findWhere?: string;
	batchSize?: number;
	/** Calls in flight: a fixed number, or 'auto' (salesforce/adaptiveConcurrency.ts). */
	concurrency?: ConcurrencySetting;
	/** Auto: the org's key in salesforce/flightMemory.ts, to resume where its last run left off (undefined: start afresh). */
	flightKey?: string;
	/** Reference fields whose records are batched by parent (plan/parentBatches.ts). */
	parentFields?: ParentField[];
	/** A parent named by External ID that does not exist: fail the item, or leave the lookup empty (write/missingParents.ts). */
	missingParents?: 'fail' | 'leaveEmpty';
	bulkMode?: 'auto' | 'always' | 'never';
	bulkThreshold?: number;
	allOrNone?: boolean;
	/** Stop scheduling new calls once a record failed (the node is about to fail anyway). */
	stopOnFailure?: boolean;
	/** Plan only: lookups (reads) run, writes do not. */
	dryRun?: boolean;
	lockRetries?: number;
	lockBackoffMs?: number;
	bulkPollMs?: number;
	bulkMaxWaitMs?: number;
	/** Rows per Bulk API 2.0 job. */
	bulkMaxRowsPerJob?: number;
	/**
	 * Dedup Key Field: tells whether a record's errors mean "its dedup key is already in
	 * Salesforce" (plan/dedup.ts). Such an outcome keeps `success: false` and gets `duplicate`;
	 * it is not a failure: the run does not stop for it, and with All or None the records
	 * rolled back because of it are sent again without it.
	 */
	keyDuplicate?: (errors: SalesforceError[], sent: SObjectRecord) => KeyDuplicate | undefined;
	/**
	 * The Dedup Key Field itself: a create refused by a duplicate rule whose matched record already
	 * holds the item's key is the same `duplicate` (write/keyDuplicates.ts).
	 */
	dedupField?: string;
	/** Active Rule on Bulk API 2.0: the object's active assignment rule (looked up once per run). */
	activeAssignmentRule?: () => Promise<string | undefined>;
	sleep?: (ms: number) => Promise<void>;
}

export type ResolvedOptions = Required<
	Pick<
		WriterOptions,
		| 'batchSize'
		| 'concurrency'
		| 'bulkMode'
		| 'allOrNone'
		| 'stopOnFailure'
		| 'dryRun'
		| 'lockRetries'
		| 'lockBackoffMs'
		| 'bulkPollMs'
		| 'bulkMaxWaitMs'
		| 'bulkMaxRowsPerJob'
	>
> &
	WriterOptions;

/** One item's write, as resolved: what to ask of Salesforce and the record to send. */
export interface Op {
	input: WriteInput;
	action: FeedOperation;
	body: SObjectRecord;
	/** Key for wave resolution (lowercased match value), if any. */
	key?: string;
}

export class WriteSession {
	readonly calls: CallRecord[] = [];
	readonly outcomes = new Map<number, WriteOutcome>();
	readonly bulkJobIds: string[] = [];
	/** key → Id learned from earlier waves (found or written). */
	readonly knownIds = new Map<string, string>();
	/** item → the match keys its record holds once written (learned into knownIds). */
	readonly keysByItem = new Map<number, string[]>();
	/** item → the field whose value found its record (More Match Keys). */
	readonly matchedOn = new Map<number, string>();
	/** item → the parents not found and left out of its record (write/missingParents.ts). */
	readonly parentsNotFound = new Map<number, ParentNotFound[]>();
	readonly sleep: (ms: number) => Promise<void>;
	/** Duplicate rules (write/duplicates.ts): Bulk rows refused as duplicates, re-sent once through Collections. */
	readonly heldFromBulk: Op[] = [];
	/** Use the Matched Record: refused creates with exactly one match, sent again as updates of it. */
	readonly heldMatched: Array<{ op: Op; id: string; rule?: string; error: SalesforceError }> = [];
	/** Items already held once (never held twice). */
	private readonly heldOnce = new Set<number>();
	/** Dedup Key Field: refused creates whose matched records may hold their key (write/keyDuplicates.ts). */
	readonly heldKeyCheck: Array<{ op: Op; outcome: WriteOutcome }> = [];
	private readonly keyChecked = new Set<number>();
	/** Items written to their matched record. */
	readonly usedMatch = new Map<number, { id: string; rule?: string }>();
	/** Requests in Flight: the limit now, and what the calls did. */
	readonly flight: ConcurrencyTracker;
	private failed = false;

	constructor(
		readonly api: SalesforceApi,
		readonly o: ResolvedOptions,
		savedFlight?: AutoState,
	) {
		this.sleep = o.sleep ?? ((ms: number) => n8nSleep(ms));
		this.flight = new ConcurrencyTracker(o.concurrency, undefined, savedFlight);
	}

	/** Records a call; returns its index. */
	note(call: CallRecord): number {
		this.calls.push(call);
		return this.calls.length - 1;
	}

	shouldStop(): boolean {
		return this.o.stopOnFailure && this.failed;
	}

	/**
	 * Whether a refused record is held for write/duplicates.ts instead of settled: a Bulk row
	 * refused by a duplicate rule (re-sent through Collections, which reports the matched Ids and
	 * carries the options' headers), or, with Use the Matched Record, a Collections record that
	 * matched exactly one record. An item is held at most once per way.
	 */
	canHold(op: Op, errors: readonly SalesforceError[], via: 'bulk' | 'collections'): boolean {
		const dup = duplicatesDetected(errors);
		if (!dup || this.o.dryRun) return false;
		const key = via === 'bulk' ? -1 - op.input.itemIndex : op.input.itemIndex;
		if (this.heldOnce.has(key)) return false;
		if (via === 'bulk') return true;
		return (
			this.o.duplicateRules === 'useMatched' &&
			op.action !== 'update' &&
			dup.matchedIds?.length === 1
		);
	}

	/** Holds `op` when canHold() says so; returns whether it did. */
	hold(op: Op, errors: readonly SalesforceError[], via: 'bulk' | 'collections'): boolean {
		if (!this.canHold(op, errors, via)) return false;
		this.heldOnce.add(via === 'bulk' ? -1 - op.input.itemIndex : op.input.itemIndex);
		if (via === 'bulk') {
			this.heldFromBulk.push(op);
		} else {
			const dup = duplicatesDetected(errors) as SalesforceError;
			const id = (dup.matchedIds as string[])[0];
			this.heldMatched.push({ op, id, rule: dup.duplicateRule, error: dup });
		}
		return true;
	}

	/**
	 * Dedup Key Field: whether a create that a duplicate rule refused, naming matched records, is
	 * held so write/keyDuplicates.ts reads their key (once per item).
	 */
	canHoldForKey(op: Op, errors: readonly SalesforceError[]): boolean {
		const field = this.o.dedupField;
		if (!field || this.o.dryRun || op.action === 'update') return false;
		if (this.keyChecked.has(op.input.itemIndex)) return false;
		const key = op.body[field];
		if (key === undefined || key === null || String(key as string).trim() === '') return false;
		return !!duplicatesDetected(errors)?.matchedIds?.length;
	}

	/** Holds `op` when canHoldForKey() says so; returns whether it did. */
	holdForKey(op: Op, outcome: WriteOutcome): boolean {
		if (!this.canHoldForKey(op, outcome.errors)) return false;
		this.keyChecked.add(op.input.itemIndex);
		this.heldKeyCheck.push({ op, outcome });
		return true;
	}

	settle(outcome: WriteOutcome): void {
		const matched = outcome.success ? this.usedMatch.get(outcome.itemIndex) : undefined;
		if (matched) outcome = { ...outcome, usedMatchedRecord: matched };
		const matchedOn = this.matchedOn.get(outcome.itemIndex);
		if (matchedOn !== undefined) outcome = { ...outcome, matchedOn };
		const parentsNotFound = this.parentsNotFound.get(outcome.itemIndex);
		if (parentsNotFound) outcome = { ...outcome, parentsNotFound };
		const dupIds = outcome.success ? undefined : duplicatesDetected(outcome.errors)?.matchedIds;
		if (dupIds?.length && !outcome.matchedIds) outcome = { ...outcome, matchedIds: dupIds };
		if (!outcome.success && outcome.sent && this.o.keyDuplicate && !outcome.duplicate) {
			const duplicate = this.o.keyDuplicate(outcome.errors, outcome.sent);
			if (duplicate) outcome = { ...outcome, duplicate };
		}
		this.outcomes.set(outcome.itemIndex, outcome);
		if (!outcome.success) {
			if (!outcome.duplicate) this.failed = true;
		} else if (outcome.id && outcome.sent) {
			for (const key of this.keysByItem.get(outcome.itemIndex) ?? [])
				this.knownIds.set(key, outcome.id);
		}
	}

	fail(input: WriteInput, errors: SalesforceError[], extra: Partial<WriteOutcome> = {}): void {
		this.settle({
			itemIndex: input.itemIndex,
			success: false,
			id: null,
			created: false,
			action: null,
			errors,
			attempted: true,
			...extra,
		});
	}

	/** Dry run: the record is reported as it would be sent by call `call`, nothing is written. */
	settleDryRun(op: Op, action: FeedOperation, call: number): void {
		this.settle({
			itemIndex: op.input.itemIndex,
			success: true,
			id: (op.body.Id as string | undefined) ?? null,
			created: false,
			action,
			errors: [],
			sent: op.body,
			attempted: false,
			call,
		});
	}
}

/** Whether a failed request might have been applied by Salesforce. */
export function mayHaveBeenApplied(status: number | undefined): boolean {
	if (status === undefined || status === 0) return true; // network failure mid-request
	if (status === 503) return false; // refused before processing
	return status >= 500;
}

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
	SalesforceError,
	SObjectRecord,
	WriteInput,
	WriteOutcome,
} from '../../domain';
import { ConcurrencyTracker, type ConcurrencySetting } from '../adaptiveConcurrency';
import type { ParentField } from '../../plan/parentBatches';
import type { SalesforceApi } from '../types';

export interface WriterOptions {
	object: string;
	operation: FeedOperation;
	/** Required for update / upsert. */
	matchField?: string;
	matchKind?: MatchKind;
	/** Salesforce type of the match field (decides SOQL quoting). */
	matchFieldType?: string;
	batchSize?: number;
	/** Calls in flight: a fixed number, or 'auto' (salesforce/adaptiveConcurrency.ts). */
	concurrency?: ConcurrencySetting;
	/** Reference fields whose records are batched by parent (plan/parentBatches.ts). */
	parentFields?: ParentField[];
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
	/** item → its match key. */
	readonly keysByItem = new Map<number, string>();
	readonly sleep: (ms: number) => Promise<void>;
	/** Requests in Flight: the limit now, and what the calls did. */
	readonly flight: ConcurrencyTracker;
	private failed = false;

	constructor(
		readonly api: SalesforceApi,
		readonly o: ResolvedOptions,
	) {
		this.sleep = o.sleep ?? ((ms: number) => n8nSleep(ms));
		this.flight = new ConcurrencyTracker(o.concurrency);
	}

	/** Records a call; returns its index. */
	note(call: CallRecord): number {
		this.calls.push(call);
		return this.calls.length - 1;
	}

	shouldStop(): boolean {
		return this.o.stopOnFailure && this.failed;
	}

	settle(outcome: WriteOutcome): void {
		if (!outcome.success && outcome.sent && this.o.keyDuplicate && !outcome.duplicate) {
			const duplicate = this.o.keyDuplicate(outcome.errors, outcome.sent);
			if (duplicate) outcome = { ...outcome, duplicate };
		}
		this.outcomes.set(outcome.itemIndex, outcome);
		if (!outcome.success) {
			if (!outcome.duplicate) this.failed = true;
		} else if (outcome.id && outcome.sent) {
			const key = this.keysByItem.get(outcome.itemIndex);
			if (key !== undefined) this.knownIds.set(key, outcome.id);
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

/**
 * The writer: turns prepared records (one per input item) into as few Salesforce API calls as
 * possible and pairs every outcome back to its input item.
 *
 * Paths
 * - collections: sObject Collections, up to `batchSize` (≤ 200) records per call, `concurrency`
 *   calls in flight. Create → `POST /composite/sobjects`; update by Id → `PATCH /composite/sobjects`;
 *   create-or-update by external ID → `PATCH /composite/sobjects/<Obj>/<Field>`.
 * - lookup: Update by an external ID, and Update / Create or Update by any other idLookup field
 *   (e.g. Email), first resolve the match values with SOQL `IN` queries (chunked, paged), then
 *   write through collections (found → update by Id; not found → create, or NOT_FOUND for
 *   Update; several matches → that item fails with the matching Ids, nothing is guessed).
 * - bulk: Bulk API 2.0 ingest jobs (create job → upload CSV → UploadComplete → poll → results),
 *   chosen when `bulkMode` is `always`, or `auto` and the records reach `bulkThreshold`.
 *
 * Duplicate keys in one run: items that share a match key are written in waves — wave n holds
 * the n-th item of every key, in input order, and waits for the previous wave. So the later item
 * updates the record the earlier one created or updated (one record per key, last write wins),
 * and two records with the same key are never in the same call (Salesforce would reject both).
 *
 * Transient failures of whole requests are retried by the transport. Here, a record that an
 * sObject Collections answer reports as `UNABLE_TO_LOCK_ROW` was not applied, so it alone is
 * re-sent (bounded attempts with backoff). A create whose outcome is unknown is never re-sent.
 *
 * Dedup Key Field (`keyDuplicate`): a record refused because its dedup key is already held by
 * another record (DUPLICATE_VALUE on the unique field) is settled as a `duplicate`, which is not
 * a failure: it never stops the run, and with allOrNone the records rolled back with it are re-sent.
 */
import { sleep as n8nSleep } from 'n8n-workflow';

import { SalesforceRequestError } from './errors';
import { runPool } from './pool';
import {
	buildLookupQueries,
	chunk,
	csvColumns,
	lookupKey as planLookupKey,
	mapBulkResults,
	matchLookupResults,
	parseBulkError as planParseBulkError,
	parseCsv,
	planKeys,
	toCsv,
	type BulkRecordResult,
} from '../plan';
import type { KeyDuplicate } from '../plan/dedup';
import type { SalesforceApi, SalesforceError, SaveResult } from './types';

export type FeedOperation = 'create' | 'update' | 'upsert';
export type MatchKind = 'id' | 'externalId' | 'idLookup';
export type WriteAction = 'create' | 'update' | 'upsert';
export type SObjectRecord = Record<string, unknown>;

export interface WriteInput {
	itemIndex: number;
	/** Field → value, without `attributes` and without the match field. */
	record: SObjectRecord;
	/** The match value (Update / Create or Update). */
	matchValue?: string;
}

export interface WriterOptions {
	object: string;
	operation: FeedOperation;
	/** Required for update / upsert. */
	matchField?: string;
	matchKind?: MatchKind;
	/** Salesforce type of the match field (decides SOQL quoting). */
	matchFieldType?: string;
	batchSize?: number;
	concurrency?: number;
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

export interface CallRecord {
	method: string;
	path: string;
	/** Records carried (writes) or values looked up (SOQL). */
	records: number;
	kind: 'lookup' | 'write' | 'bulk';
}

export interface WriteOutcome {
	itemIndex: number;
	success: boolean;
	id: string | null;
	created: boolean;
	/** What was (or would be) asked of Salesforce for this item; null when nothing was sent. */
	action: WriteAction | null;
	errors: SalesforceError[];
	/** The record as sent (with `attributes` for collections). */
	sent?: SObjectRecord;
	/** false: the item was never sent (run stopped after another failure). */
	attempted: boolean;
	/** The request failed after it may have reached Salesforce; a create may exist. */
	outcomeUnknown?: boolean;
	/** Index in `WriteReport.calls` of the call that carried (or would carry) the item. */
	call?: number;
	bulkJobId?: string;
	/** Ids that matched the item's value (several matches). */
	matchedIds?: string[];
	/** Not written because its dedup key is already in Salesforce (Dedup Key Field). */
	duplicate?: KeyDuplicate;
}

/** The outcome of an item never sent, because the run stopped after another item failed. */
export function notAttempted(itemIndex: number): WriteOutcome {
	return {
		itemIndex,
		success: false,
		id: null,
		created: false,
		action: null,
		errors: [err('NOT_ATTEMPTED', 'Not sent: the run stopped after an earlier item failed. Nothing was written for this item.')],
		attempted: false,
	};
}

export interface WriteReport {
	/** One per input, in input order. */
	outcomes: WriteOutcome[];
	path: 'collections' | 'bulk';
	/** Calls made, or planned in a dry run (lookups are always made: they only read). */
	calls: CallRecord[];
	/** True when the writer stopped scheduling calls after a failure. */
	stopped: boolean;
	bulkJobIds: string[];
}

interface Op {
	input: WriteInput;
	action: WriteAction;
	body: SObjectRecord;
	/** Key for wave resolution (lowercased match value), if any. */
	key?: string;
}

const COLLECTIONS = '/composite/sobjects';
const NUMERIC_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const LOCK = 'UNABLE_TO_LOCK_ROW';
const ROLLED_BACK = 'ALL_OR_NONE_OPERATION_ROLLED_BACK';

function err(errorCode: string, message: string, fields: string[] = []): SalesforceError {
	return { errorCode, message, fields };
}

/** Normalises anything thrown by the transport into Salesforce errors. */
export function errorsOf(error: unknown): { errors: SalesforceError[]; status?: number } {
	const e = error as { status?: unknown; errors?: unknown; message?: unknown };
	const status = typeof e?.status === 'number' ? e.status : undefined;
	if (Array.isArray(e?.errors) && e.errors.length > 0) {
		const errors = (e.errors as Array<Record<string, unknown>>).map((x) =>
			err(
				String(x.errorCode ?? x.statusCode ?? 'REQUEST_FAILED'),
				String(x.message ?? ''),
				Array.isArray(x.fields) ? (x.fields as unknown[]).map(String) : [],
			),
		);
		return { errors, status };
	}
	const message = typeof e?.message === 'string' ? e.message : String(error);
	return { errors: [err('REQUEST_FAILED', message)], status };
}

/** Whether a failed request might have been applied by Salesforce. */
function mayHaveBeenApplied(status: number | undefined): boolean {
	if (status === undefined || status === 0) return true; // network failure mid-request
	if (status === 503) return false; // refused before processing
	return status >= 500;
}

function normaliseSaveResult(raw: unknown): SaveResult {
	const r = (raw ?? {}) as Record<string, unknown>;
	const errors = Array.isArray(r.errors)
		? (r.errors as Array<Record<string, unknown>>).map((x) =>
				err(
					String(x.errorCode ?? x.statusCode ?? 'UNKNOWN_ERROR'),
					String(x.message ?? ''),
					Array.isArray(x.fields) ? (x.fields as unknown[]).map(String) : [],
				),
			)
		: [];
	return {
		id: typeof r.id === 'string' ? r.id : null,
		success: r.success === true,
		errors,
		created: typeof r.created === 'boolean' ? r.created : undefined,
	};
}

function isEmpty(value: string | undefined): boolean {
	return value === undefined || value.trim() === '';
}

export class Writer {
	private readonly o: Required<
		Pick<
			WriterOptions,
			| 'batchSize'
			| 'concurrency'
			| 'bulkMode'
			| 'bulkThreshold'
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
	private readonly sleep: (ms: number) => Promise<void>;
	private readonly calls: CallRecord[] = [];
	private readonly outcomes = new Map<number, WriteOutcome>();
	private readonly bulkJobIds: string[] = [];
	private failed = false;
	/** key → Id learned from earlier waves (found or written). */
	private readonly knownIds = new Map<string, string>();

	constructor(
		private readonly api: SalesforceApi,
		options: WriterOptions,
	) {
		this.o = {
			batchSize: 200,
			concurrency: 4,
			bulkMode: 'auto',
			bulkThreshold: 2000,
			allOrNone: false,
			stopOnFailure: false,
			dryRun: false,
			lockRetries: 3,
			lockBackoffMs: 250,
			bulkPollMs: 250,
			bulkMaxWaitMs: 600_000,
			bulkMaxRowsPerJob: 100_000,
			...stripUndefined(options),
			object: options.object,
			operation: options.operation,
		};
		this.o.batchSize = Math.min(200, Math.max(1, Math.floor(this.o.batchSize)));
		this.sleep = options.sleep ?? ((ms: number) => n8nSleep(ms));
		if (this.o.operation !== 'create' && !this.o.matchField) {
			throw new Error(`A match field is required for the ${this.o.operation} operation`);
		}
	}

	/** The path a run of `count` records takes. */
	static choosePath(count: number, options: WriterOptions): 'collections' | 'bulk' {
		const mode = options.bulkMode ?? 'auto';
		if (mode === 'always') return 'bulk';
		if (mode === 'never' || options.allOrNone) return 'collections';
		return count >= (options.bulkThreshold ?? 2000) ? 'bulk' : 'collections';
	}

	get usesLookup(): boolean {
		const { operation, matchKind } = this.o;
		if (operation === 'create' || matchKind === 'id') return false;
		if (matchKind === 'externalId') return operation === 'update';
		return true;
	}

	private keyOf(input: WriteInput): string | undefined {
		if (this.o.operation === 'create' || isEmpty(input.matchValue)) return undefined;
		const v = String(input.matchValue).trim();
		return this.o.matchKind === 'id' ? v.slice(0, 15) : v.toLowerCase();
	}

	async write(inputs: WriteInput[]): Promise<WriteReport> {
		const path = Writer.choosePath(inputs.length, this.o);
		// Items sharing a match key go in successive waves, in input order (plan/keys.ts).
		const waves = planKeys(inputs.map((i) => this.keyOf(i))).waves.map((wave) => wave.map((i) => inputs[i]));
		for (const wave of waves) {
			if (this.shouldStop()) break;
			const resolved = await this.resolve(wave).then(
				(ops) => ({ ops, error: undefined }),
				(error: unknown) => ({ ops: undefined, error }),
			);
			if (!resolved.ops) {
				// A lookup answered with Salesforce's error after its retries (a 401 that the refresh
				// could not cure, or anything else, still ends the run): nothing of this wave was sent.
				// Its items fail with that error; earlier waves keep their results.
				const error = resolved.error;
				if (!(error instanceof SalesforceRequestError) || error.status === 401) throw error;
				const errors = error.errors.length ? error.errors : [err('UNKNOWN_ERROR', error.message)];
				for (const input of wave) {
					if (this.outcomes.has(input.itemIndex)) continue;
					this.settle({ itemIndex: input.itemIndex, success: false, id: null, created: false, action: null, errors, attempted: false });
				}
				continue;
			}
			if (this.shouldStop()) break;
			if (path === 'bulk') await this.runBulk(resolved.ops);
			else await this.runCollections(resolved.ops);
		}
		const stopped = inputs.some((input) => !this.outcomes.has(input.itemIndex));
		const outcomes = inputs.map((input) => this.outcomes.get(input.itemIndex) ?? notAttempted(input.itemIndex));
		return {
			outcomes,
			path,
			calls: this.calls,
			stopped,
			bulkJobIds: this.bulkJobIds,
		};
	}

	private shouldStop(): boolean {
		return this.o.stopOnFailure && this.failed;
	}

	/** Dry run: the record is reported as it would be sent by call `call`, nothing is written. */
	private settleDryRun(
		op: { input: WriteInput; body: Record<string, unknown> },
		action: WriteOutcome['action'],
		call: number,
	): void {
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

	private settle(outcome: WriteOutcome): void {
		if (!outcome.success && outcome.sent && this.o.keyDuplicate && !outcome.duplicate) {
			const duplicate = this.o.keyDuplicate(outcome.errors, outcome.sent);
			if (duplicate) outcome = { ...outcome, duplicate };
		}
		this.outcomes.set(outcome.itemIndex, outcome);
		if (!outcome.success) {
			if (!outcome.duplicate) this.failed = true;
		} else if (outcome.id && outcome.sent) {
			const key = this.keyFromOpInput(outcome.itemIndex);
			if (key !== undefined) this.knownIds.set(key, outcome.id);
		}
	}

	private readonly keysByItem = new Map<number, string>();
	private keyFromOpInput(itemIndex: number): string | undefined {
		return this.keysByItem.get(itemIndex);
	}

	private fail(input: WriteInput, errors: SalesforceError[], extra: Partial<WriteOutcome> = {}): void {
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

	private attributes(): { type: string } {
		return { type: this.o.object };
	}

	/** Turns inputs into operations, looking match values up when needed. */
	private async resolve(inputs: WriteInput[]): Promise<Op[]> {
		const { operation, matchField, matchKind, object } = this.o;
		const ops: Op[] = [];
		const base = (input: WriteInput): SObjectRecord => {
			const record: SObjectRecord = { attributes: this.attributes() };
			for (const [k, v] of Object.entries(input.record)) {
				if (k === 'attributes' || k === 'Id') continue;
				if (k === matchField && operation !== 'create') continue;
				record[k] = v;
			}
			return record;
		};
		for (const input of inputs) {
			const key = this.keyOf(input);
			if (key !== undefined) this.keysByItem.set(input.itemIndex, key);
		}

		if (operation === 'create') {
			for (const input of inputs) ops.push({ input, action: 'create', body: base(input) });
			return ops;
		}

		const toLookUp: WriteInput[] = [];
		for (const input of inputs) {
			const value = isEmpty(input.matchValue) ? undefined : String(input.matchValue).trim();
			const key = this.keyOf(input);
			if (value === undefined) {
				if (operation === 'upsert') {
					ops.push({ input, action: 'create', body: base(input) });
				} else {
					this.fail(input, [
						err('MISSING_MATCH_VALUE', `No value to match on ${matchField}`, [matchField as string]),
					]);
				}
				continue;
			}
			const known = key !== undefined ? this.knownIds.get(key) : undefined;
			if (matchKind === 'id' || known !== undefined) {
				ops.push({
					input,
					action: 'update',
					body: { ...base(input), Id: known ?? value },
					key,
				});
			} else if (matchKind === 'externalId' && operation === 'upsert') {
				ops.push({
					input,
					action: 'upsert',
					body: { ...base(input), [matchField as string]: value },
					key,
				});
			} else {
				toLookUp.push(input);
			}
		}
		if (toLookUp.length === 0) return ops;

		// SOQL IN lookups, chunked and paged; never one query per item.
		const field = matchField as string;
		const numeric = NUMERIC_TYPES.has(this.o.matchFieldType ?? '');
		const valueOf = (input: WriteInput): string | number => {
			const text = String(input.matchValue).trim();
			return numeric && Number.isFinite(Number(text)) ? Number(text) : text;
		};
		const values = toLookUp.map(valueOf);
		const rows: Array<Record<string, unknown>> = [];
		const queries = buildLookupQueries({
			object,
			matchField: field,
			values,
			maxQueryLength: 12_000,
			measure: (q) => encodeURIComponent(q).length,
		});
		for (const q of queries) {
			let next: string | undefined;
			let first = true;
			while (first || next) {
				const req = first
					? { method: 'GET' as const, path: '/query', qs: { q }, retry: 'idempotent' as const }
					: { method: 'GET' as const, path: next as string, retry: 'idempotent' as const };
				this.calls.push({ method: 'GET', path: first ? '/query' : (next as string), records: 0, kind: 'lookup' });
				first = false;
				const res = await this.api.request<{
					records?: Array<Record<string, unknown>>;
					done?: boolean;
					nextRecordsUrl?: string;
				}>(req);
				rows.push(...(res.body?.records ?? []));
				next = res.body?.done === false ? res.body.nextRecordsUrl : undefined;
			}
		}
		const byValue = matchLookupResults(values, rows, { matchField: field });
		const matches = new Map<string, string[]>();
		for (const [value, ids] of byValue) matches.set(planLookupKey(value, field), ids);
		for (const input of toLookUp) {
			const key = this.keyOf(input);
			const ids = matches.get(planLookupKey(String(valueOf(input)), field)) ?? [];
			if (ids.length === 1) {
				ops.push({ input, action: 'update', body: { ...base(input), Id: ids[0] }, key });
			} else if (ids.length > 1) {
				this.fail(
					input,
					[
						err(
							'MULTIPLE_MATCHES',
							`${ids.length} ${object} records have ${matchField} = "${String(input.matchValue).trim()}" (${ids.join(', ')}); nothing was written for this item`,
							[matchField as string],
						),
					],
					{ matchedIds: ids },
				);
			} else if (operation === 'upsert') {
				const body = base(input);
				body[matchField as string] = String(input.matchValue).trim();
				ops.push({ input, action: 'create', body, key });
			} else {
				this.fail(input, [
					err(
						'NOT_FOUND',
						`No ${object} record has ${matchField} = "${String(input.matchValue).trim()}"`,
						[matchField as string],
					),
				]);
			}
		}
		return ops;
	}

	// ---------------------------------------------------------------- collections

	private collectionRequest(action: WriteAction): { method: 'POST' | 'PATCH'; path: string } {
		if (action === 'create') return { method: 'POST', path: COLLECTIONS };
		if (action === 'update') return { method: 'PATCH', path: COLLECTIONS };
		return {
			method: 'PATCH',
			path: `${COLLECTIONS}/${encodeURIComponent(this.o.object)}/${encodeURIComponent(this.o.matchField as string)}`,
		};
	}

	private async runCollections(ops: Op[]): Promise<void> {
		const tasks: Array<() => Promise<void>> = [];
		for (const action of ['create', 'update', 'upsert'] as WriteAction[]) {
			const group = ops.filter((op) => op.action === action);
			for (const batch of chunk(group, this.o.batchSize)) {
				tasks.push(async () => await this.sendBatch(action, batch));
			}
		}
		await runPool(tasks, this.o.concurrency, () => this.shouldStop());
	}

	private async sendBatch(action: WriteAction, batch: Op[]): Promise<void> {
		const { method, path } = this.collectionRequest(action);
		let pending = batch;
		for (let attempt = 0; ; attempt++) {
			const callIndex = this.calls.length;
			this.calls.push({ method, path, records: pending.length, kind: 'write' });
			if (this.o.dryRun) {
				for (const op of pending) this.settleDryRun(op, action, callIndex);
				return;
			}
			let results: SaveResult[];
			try {
				const res = await this.api.request<unknown[]>({
					method,
					path,
					body: { allOrNone: this.o.allOrNone, records: pending.map((op) => op.body) },
					retry: action === 'create' ? 'non-idempotent' : 'idempotent',
				});
				results = Array.isArray(res.body) ? res.body.map(normaliseSaveResult) : [];
			} catch (error) {
				const { errors, status } = errorsOf(error);
				const unknown = action !== 'update' && mayHaveBeenApplied(status);
				for (const op of pending) {
					this.fail(op.input, errors, {
						action,
						sent: op.body,
						call: callIndex,
						outcomeUnknown: unknown || undefined,
					});
				}
				return;
			}

			const retry: Op[] = [];
			// Dedup Key Field: a record whose key is already in Salesforce is settled as such.
			const dup = pending.map((op, i) =>
				results[i] && !results[i].success && this.o.keyDuplicate
					? this.o.keyDuplicate(results[i].errors, op.body)
					: undefined,
			);
			// All or None: when only locks and key duplicates failed the call, the records rolled
			// back with them are sent again (without the duplicates).
			const resendRolledBack =
				this.o.allOrNone &&
				results.some((r, i) => dup[i] || r.errors.some((e) => e.errorCode === LOCK)) &&
				results.every(
					(r, i) =>
						r.success || dup[i] || r.errors.every((e) => e.errorCode === LOCK || e.errorCode === ROLLED_BACK),
				);
			pending.forEach((op, i) => {
				const r = results[i];
				if (!r) {
					this.fail(op.input, [err('NO_RESULT', 'Salesforce returned no result for this record')], {
						action,
						sent: op.body,
						call: callIndex,
					});
					return;
				}
				const locked = !r.success && r.errors.some((e) => e.errorCode === LOCK);
				const resend = this.o.allOrNone ? resendRolledBack && !dup[i] : locked;
				if (attempt < this.o.lockRetries && !r.success && resend) {
					retry.push(op);
					return;
				}
				this.settle({
					itemIndex: op.input.itemIndex,
					success: r.success,
					id: r.id ?? ((op.body.Id as string | undefined) ?? null),
					created: r.success ? (r.created ?? action === 'create') : false,
					action,
					errors: r.errors,
					sent: op.body,
					attempted: true,
					call: callIndex,
					duplicate: dup[i],
				});
			});
			if (retry.length === 0) return;
			pending = retry;
			await this.sleep(this.o.lockBackoffMs * 2 ** attempt);
		}
	}

	// ---------------------------------------------------------------- Bulk API 2.0

	private async runBulk(ops: Op[]): Promise<void> {
		const tasks: Array<() => Promise<void>> = [];
		for (const action of ['create', 'update', 'upsert'] as WriteAction[]) {
			const group = ops.filter((op) => op.action === action);
			for (const part of chunk(group, this.o.bulkMaxRowsPerJob)) {
				if (part.length > 0) tasks.push(async () => await this.bulkJob(action, part));
			}
		}
		await runPool(tasks, this.o.concurrency, () => this.shouldStop());
	}

	private async bulkJob(action: WriteAction, ops: Op[]): Promise<void> {
		const operation = action === 'create' ? 'insert' : action;
		const rows = ops.map((op) => {
			const row: SObjectRecord = {};
			for (const [k, v] of Object.entries(op.body)) if (k !== 'attributes') row[k] = v;
			return row;
		});
		const columns = csvColumns(rows);
		const csv = toCsv(rows, columns, 'LF');
		const base = '/jobs/ingest';
		const firstCall = this.calls.length;
		const note = (method: string, path: string, records = 0) =>
			this.calls.push({ method, path, records, kind: 'bulk' });

		if (this.o.dryRun) {
			note('POST', base, 0);
			note('PUT', `${base}/<jobId>/batches`, ops.length);
			note('PATCH', `${base}/<jobId>`, 0);
			note('GET', `${base}/<jobId>`, 0);
			note('GET', `${base}/<jobId>/successfulResults/`, 0);
			for (const op of ops) this.settleDryRun(op, action, firstCall + 1);
			return;
		}

		let jobId: string | undefined;
		const failAll = (errors: SalesforceError[], unknown: boolean) => {
			for (const op of ops) {
				this.fail(op.input, errors, {
					action,
					sent: op.body,
					bulkJobId: jobId,
					call: firstCall + 1,
					outcomeUnknown: unknown || undefined,
				});
			}
		};
		let uploaded = false;
		try {
			note('POST', base);
			const job = await this.api.request<{ id: string }>({
				method: 'POST',
				path: base,
				body: {
					object: this.o.object,
					operation,
					...(action === 'upsert' ? { externalIdFieldName: this.o.matchField } : {}),
					contentType: 'CSV',
					columnDelimiter: 'COMMA',
					lineEnding: 'LF',
				},
				retry: 'non-idempotent',
			});
			jobId = job.body.id;
			this.bulkJobIds.push(jobId);
			note('PUT', `${base}/${jobId}/batches`, ops.length);
			await this.api.request({
				method: 'PUT',
				path: `${base}/${jobId}/batches`,
				text: csv,
				retry: 'idempotent',
			});
			note('PATCH', `${base}/${jobId}`);
			await this.api.request({
				method: 'PATCH',
				path: `${base}/${jobId}`,
				body: { state: 'UploadComplete' },
				retry: 'idempotent',
			});
			uploaded = true;
		} catch (error) {
			const { errors, status } = errorsOf(error);
			// Before UploadComplete nothing runs: a job that was never closed writes nothing.
			failAll(errors, uploaded && mayHaveBeenApplied(status));
			return;
		}

		// Poll until the job ends (bounded total wait).
		let info: Record<string, unknown> = {};
		const started = Date.now();
		let wait = this.o.bulkPollMs;
		for (;;) {
			try {
				note('GET', `${base}/${jobId}`);
				const res = await this.api.request<Record<string, unknown>>({
					method: 'GET',
					path: `${base}/${jobId}`,
					retry: 'idempotent',
				});
				info = res.body ?? {};
			} catch (error) {
				failAll(
					[
						...errorsOf(error).errors,
						err(
							'BULK_JOB_STATUS_UNKNOWN',
							`Could not read the state of Bulk API 2.0 job ${jobId}; it may still write these records. Check it in Salesforce (Setup → Bulk Data Load Jobs).`,
						),
					],
					true,
				);
				return;
			}
			const state = String(info.state ?? '');
			if (state === 'JobComplete' || state === 'Failed' || state === 'Aborted') break;
			if (Date.now() - started + wait > this.o.bulkMaxWaitMs) {
				failAll(
					[
						err(
							'BULK_JOB_TIMEOUT',
							`Bulk API 2.0 job ${jobId} was still ${state || 'running'} after ${Math.round(this.o.bulkMaxWaitMs / 1000)} s; it may still write these records. Check it in Salesforce (Setup → Bulk Data Load Jobs) before running again.`,
						),
					],
					true,
				);
				return;
			}
			await this.sleep(wait);
			wait = Math.min(wait * 2, 5000);
		}

		const processed = Number(info.numberRecordsProcessed ?? NaN);
		const failedCount = Number(info.numberRecordsFailed ?? NaN);
		const fetch = async (what: string): Promise<string> => {
			note('GET', `${base}/${jobId}/${what}`);
			const res = await this.api.request<string>({
				method: 'GET',
				path: `${base}/${jobId}/${what}`,
				responseType: 'text',
				retry: 'idempotent',
			});
			return typeof res.body === 'string' ? res.body : String(res.body ?? '');
		};
		let results: BulkRecordResult[];
		try {
			const known = Number.isFinite(processed) && Number.isFinite(failedCount);
			const success = !known || processed - failedCount > 0 ? await fetch('successfulResults/') : '';
			const failed = !known || failedCount > 0 ? await fetch('failedResults/') : '';
			const unprocessed =
				!known || processed < ops.length || String(info.state) !== 'JobComplete'
					? await fetch('unprocessedrecords/')
					: '';
			const csvRows = (text: string) => (text.trim() ? parseCsv(text) : []);
			results = mapBulkResults(rows, csvRows(success), csvRows(failed), csvRows(unprocessed), {
				columns,
				keyColumn: action === 'create' ? undefined : action === 'update' ? 'Id' : this.o.matchField,
			}).results;
		} catch (error) {
			failAll(
				[
					...errorsOf(error).errors,
					err(
						'BULK_RESULTS_UNAVAILABLE',
						`Bulk API 2.0 job ${jobId} ended (${String(info.state)}) but its results could not be read`,
					),
				],
				true,
			);
			return;
		}
		const jobError =
			typeof info.errorMessage === 'string' && info.errorMessage ? info.errorMessage : undefined;
		ops.forEach((op, i) => {
			const r = results[i];
			const common = { action, sent: op.body, bulkJobId: jobId, call: firstCall + 1 } as const;
			if (r.status === 'success') {
				this.settle({
					itemIndex: op.input.itemIndex,
					success: true,
					id: r.id ?? ((op.body.Id as string | undefined) ?? null),
					created: r.created ?? action === 'create',
					errors: [],
					attempted: true,
					...common,
				});
			} else if (r.status === 'failed') {
				this.fail(op.input, r.errors, common);
			} else if (r.status === 'unknown') {
				this.fail(op.input, r.errors, { ...common, outcomeUnknown: true });
			} else {
				this.fail(
					op.input,
					[
						err(
							'NOT_PROCESSED',
							`Bulk API 2.0 job ${jobId} (${String(info.state)}) did not process this record${jobError ? `: ${jobError}` : ''}`,
						),
					],
					common,
				);
			}
		});
	}
}

/** `sf__Error` text → SalesforceError (see plan/bulk.ts). */
export const parseBulkError = planParseBulkError;

function stripUndefined<T extends object>(o: T): Partial<T> {
	const out: Partial<T> = {};
	for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
	return out;
}

/** Convenience: one call does it all. */
export async function writeRecords(
	api: SalesforceApi,
	inputs: WriteInput[],
	options: WriterOptions,
): Promise<WriteReport> {
	return await new Writer(api, options).write(inputs);
}

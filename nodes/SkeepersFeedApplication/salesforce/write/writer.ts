/**
 * The writer: turns prepared records (one per input item) into as few Salesforce API calls as
 * possible and pairs every outcome back to its input item. It chooses the path and the waves,
 * resolves each item to an operation, and hands the operations to one of:
 * - collections.ts: sObject Collections (≤ 200 records per call, lock re-sends);
 * - bulkJob.ts: Bulk API 2.0 ingest jobs, chosen when `bulkMode` is `always`, or `auto` and
 *   the cost rule of plan/pathChoice.ts prefers it (or the records reach a `bulkThreshold` set).
 * Lookup (lookup.ts): Update by an external ID, and Update / Create or Update by any other
 * idLookup field, first resolve the match values with SOQL (found → update by Id; not found →
 * create, or NOT_FOUND for Update; several matches → that item fails with the matching Ids,
 * nothing is guessed).
 *
 * More Match Keys (matchCascade.ts): every item is looked up, key after key, for the items the
 * keys before did not find; without them, the paths above are unchanged. Find goes through the
 * same cascade in one wave and writes nothing.
 *
 * Duplicate keys in one run: items that share a match key are written in waves — wave n holds
 * the n-th item of every key, in input order, and waits for the previous wave. So the later item
 * updates the record the earlier one created or updated (one record per key, last write wins),
 * and two records with the same key are never in the same call (Salesforce would reject both).
 *
 * Transient failures of whole requests are retried by the transport.
 *
 * Dedup Key Field (`keyDuplicate`): a record refused because its dedup key is already held by
 * another record (DUPLICATE_VALUE on the unique field) is settled as a `duplicate`, which is not
 * a failure: it never stops the run, and with allOrNone the records rolled back with it are re-sent.
 */
import {
	ERROR_CODES,
	missingMatchValueMessage,
	multipleMatchesError,
	notAttempted,
	notFoundError,
	ownError,
	type SObjectRecord,
	type WriteInput,
	type WritePath,
	type WriteReport,
} from '../../domain';
import { COLLECTION_LIMIT } from '../../plan/chunk';
import { planKeys } from '../../plan/keys';
import { fieldsToRead } from '../../plan/writeModes';
import { choosePath, type PathChoice } from '../../plan/pathChoice';
import { AUTO_CONCURRENCY } from '../adaptiveConcurrency';
import { SalesforceRequestError } from '../errors';
import { keepFlight, recallFlight } from '../flightMemory';
import type { SalesforceApi } from '../types';
import { runBulk } from './bulkJob';
import { runCollections } from './collections';
import { applyWriteModes } from './currentValues';
import { resendHeld } from './duplicates';
import { lookUp, lookupValue } from './lookup';
import { linkParents } from './missingParents';
import { keyText, keyValuesOf, matchKeysOf, resolveByKeys, waveKey } from './matchCascade';
import { WriteSession, type Op, type ResolvedOptions, type WriterOptions } from './session';

export type { WriterOptions } from './session';

function isEmpty(value: string | undefined): boolean {
	return value === undefined || value.trim() === '';
}

function stripUndefined<T extends object>(o: T): Partial<T> {
	const out: Partial<T> = {};
	for (const [k, v] of Object.entries(o))
		if (v !== undefined) (out as Record<string, unknown>)[k] = v;
	return out;
}

export class Writer {
	private readonly o: ResolvedOptions;

	constructor(
		private readonly api: SalesforceApi,
		options: WriterOptions,
	) {
		this.o = {
			batchSize: COLLECTION_LIMIT,
			concurrency: 'auto',
			bulkMode: 'auto',
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
		this.o.batchSize = Math.min(COLLECTION_LIMIT, Math.max(1, Math.floor(this.o.batchSize)));
		if (this.o.operation !== 'create' && !this.o.matchField) {
			throw new Error(`A match field is required for the ${this.o.operation} operation`);
		}
	}

	/** The path a run of `count` records takes, and why (plan/pathChoice.ts). */
	static choosePath(count: number, options: WriterOptions): PathChoice {
		const concurrency = options.concurrency ?? 'auto';
		return choosePath({
			records: count,
			bulkMode: options.bulkMode,
			allOrNone: options.allOrNone,
			bulkThreshold: options.bulkThreshold,
			batchSize: options.batchSize ?? COLLECTION_LIMIT,
			concurrency: concurrency === 'auto' ? AUTO_CONCURRENCY.cap : concurrency,
		});
	}

	private keyOf(input: WriteInput): string | undefined {
		if (this.o.operation === 'create' || isEmpty(input.matchValue)) return undefined;
		return keyText(this.o.matchKind, String(input.matchValue));
	}

	/** Every match key of an item (Match On, then More Match Keys), for the waves. */
	private allKeysOf(input: WriteInput): Array<string | undefined> {
		if (this.o.operation === 'create' || !this.o.moreMatchKeys?.length) return [this.keyOf(input)];
		const keys = matchKeysOf(this.o);
		return keyValuesOf(input, keys).map((v, k) => (v === undefined ? v : waveKey(keys, k, v)));
	}

	async write(inputs: WriteInput[]): Promise<WriteReport> {
		const choice = Writer.choosePath(inputs.length, this.o);
		const path: WritePath = choice.path;
		const remembers = this.o.concurrency === 'auto' && path === 'collections' && !this.o.dryRun;
		const s = new WriteSession(
			this.api,
			this.o,
			remembers ? await recallFlight(this.o.flightKey) : undefined,
		);
		// Items sharing a match key go in successive waves, in input order (plan/keys.ts).
		// (Find only reads: its items need no waves, one lookup per key for them all)
		const waves =
			this.o.operation === 'find'
				? [inputs]
				: planKeys(inputs.map((i) => this.allKeysOf(i))).waves.map((wave) =>
						wave.map((i) => inputs[i]),
					);
		for (const wave of waves) {
			if (s.shouldStop()) break;
			const resolved = await this.resolve(s, wave)
				.then(async (ops) => {
					if (this.o.missingParents === 'leaveEmpty') await linkParents(s, ops);
					return ops;
				})
				.then(
					(ops) => ({ ops, error: undefined }),
					(error: unknown) => ({ ops: undefined, error }),
				);
			if (!resolved.ops) {
				// A lookup answered with Salesforce's error after its retries (a 401 that the refresh
				// could not cure, or anything else, still ends the run): nothing of this wave was sent.
				// Its items fail with that error; earlier waves keep their results.
				const error = resolved.error;
				if (!(error instanceof SalesforceRequestError) || error.status === 401) throw error;
				const errors = error.errors.length
					? error.errors
					: [ownError(ERROR_CODES.UNKNOWN_ERROR, error.message)];
				for (const input of wave) {
					if (s.outcomes.has(input.itemIndex)) continue;
					s.fail(input, errors, { attempted: false });
				}
				continue;
			}
			if (s.shouldStop()) break;
			if (path === 'bulk') await runBulk(s, resolved.ops);
			else await runCollections(s, resolved.ops);
			await resendHeld(s);
		}
		if (remembers && s.flight.peakInFlight > 0) keepFlight(this.o.flightKey, s.flight.snapshot());
		const stopped = inputs.some((input) => !s.outcomes.has(input.itemIndex));
		const outcomes = inputs.map(
			(input) => s.outcomes.get(input.itemIndex) ?? notAttempted(input.itemIndex),
		);
		return {
			outcomes,
			path,
			calls: s.calls,
			stopped,
			bulkJobIds: s.bulkJobIds,
			pathReason: choice.reason,
			flight: {
				setting: s.flight.setting,
				peakInFlight: s.flight.peakInFlight,
				pushbacks: s.flight.pushbacks,
				startedAt: s.flight.startedAt,
				resumed: s.flight.resumed,
			},
		};
	}

	/** Turns inputs into operations, looking match values up when needed. */
	private async resolve(s: WriteSession, inputs: WriteInput[]): Promise<Op[]> {
		const { operation, matchKind, object } = this.o;
		const matchField = this.o.matchField as string;
		const ops: Op[] = [];
		const base = (input: WriteInput): SObjectRecord => {
			const record: SObjectRecord = { attributes: { type: object } };
			for (const [k, v] of Object.entries(input.record)) {
				if (k === 'attributes' || k === 'Id') continue;
				if (k === matchField && operation !== 'create') continue;
				record[k] = v;
			}
			return record;
		};
		const more = this.o.moreMatchKeys?.length ? matchKeysOf(this.o) : undefined;
		for (const input of inputs) {
			const key = this.keyOf(input);
			if (key !== undefined && !more) s.keysByItem.set(input.itemIndex, [key]);
		}

		if (operation === 'find') return (await resolveByKeys(s, inputs, base)).ops;
		if (operation === 'create') {
			// Write Modes: a new record has no current value, every value is written as is
			for (const input of inputs) ops.push({ input, action: 'create', body: base(input) });
			return ops;
		}

		const toLookUp: WriteInput[] = [];
		for (const input of inputs) {
			const value = isEmpty(input.matchValue) ? undefined : String(input.matchValue).trim();
			const key = this.keyOf(input);
			if (more && keyValuesOf(input, more).some((v) => v !== undefined)) {
				toLookUp.push(input);
				continue;
			}
			if (value === undefined) {
				if (operation === 'upsert') {
					ops.push({ input, action: 'create', body: base(input) });
				} else {
					s.fail(input, [
						ownError(
							ERROR_CODES.MISSING_MATCH_VALUE,
							missingMatchValueMessage(
								input.itemIndex,
								(more ?? [{ field: matchField }]).map((k) => k.field).join(', '),
							),
							(more ?? [{ field: matchField }]).map((k) => k.field),
						),
					]);
				}
				continue;
			}
			const known = key !== undefined ? s.knownIds.get(key) : undefined;
			if (matchKind === 'id' || known !== undefined) {
				ops.push({ input, action: 'update', body: { ...base(input), Id: known ?? value }, key });
			} else if (matchKind === 'externalId' && operation === 'upsert') {
				ops.push({ input, action: 'upsert', body: { ...base(input), [matchField]: value }, key });
			} else {
				toLookUp.push(input);
			}
		}
		// Write Modes read the current values, with the lookup when there is one (currentValues.ts)
		if (toLookUp.length === 0) return await applyWriteModes(s, ops, []);
		if (more) {
			const byKeys = await resolveByKeys(s, toLookUp, base);
			return await applyWriteModes(s, [...ops, ...byKeys.ops], byKeys.rows);
		}

		const { idsOf, rows } = await lookUp(
			s,
			toLookUp.map((input) => lookupValue(s, input.matchValue)),
			fieldsToRead(inputs),
		);
		for (const input of toLookUp) {
			const key = this.keyOf(input);
			const value = String(input.matchValue).trim();
			const ids = idsOf(lookupValue(s, input.matchValue));
			if (ids.length === 1) {
				ops.push({ input, action: 'update', body: { ...base(input), Id: ids[0] }, key });
			} else if (ids.length > 1) {
				s.fail(input, [multipleMatchesError(object, matchField, value, ids)], { matchedIds: ids });
			} else if (operation === 'upsert') {
				const body = base(input);
				body[matchField] = value;
				ops.push({ input, action: 'create', body, key });
			} else {
				s.fail(input, [notFoundError(object, matchField, value)]);
			}
		}
		return await applyWriteModes(s, ops, rows);
	}
}

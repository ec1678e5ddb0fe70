/**
 * The sObject Collections path: up to `batchSize` (≤ 200) records per call, Requests in Flight
 * calls at a time (a fixed number, or Auto: salesforce/adaptiveConcurrency.ts, told each call's
 * latency or pushback). When the records name parents (reference fields), the records of one
 * parent go in one batch, or in one chain of batches sent one after the other
 * (plan/parentBatches.ts), so concurrent calls do not contend for a parent's lock. Create → `POST /composite/sobjects`; update by Id → `PATCH /composite/sobjects`;
 * create-or-update by external ID → `PATCH /composite/sobjects/<Obj>/<Field>`.
 *
 * A record that the answer reports as `UNABLE_TO_LOCK_ROW` was not applied, so it alone is
 * re-sent (bounded attempts with backoff); with All or None, the records rolled back with locks
 * and key duplicates are re-sent. A create whose outcome is unknown is never re-sent.
 */
import { chunk } from '../../plan/chunk';
import { parentBatches, parentKeysOf } from '../../plan/parentBatches';
import { ERROR_CODES, FEED_OPERATIONS, ownError, type FeedOperation } from '../../domain';
import { isPushback } from '../adaptiveConcurrency';
import { errorsOf, saveResultOf } from '../errors';
import { runPool } from '../pool';
import type { SaveResult } from '../types';
import { mayHaveBeenApplied, type Op, type WriteSession } from './session';

const COLLECTIONS = '/composite/sobjects';
const LOCK = 'UNABLE_TO_LOCK_ROW';
const ROLLED_BACK = 'ALL_OR_NONE_OPERATION_ROLLED_BACK';

function collectionRequest(
	s: WriteSession,
	action: FeedOperation,
): { method: 'POST' | 'PATCH'; path: string } {
	if (action === 'create') return { method: 'POST', path: COLLECTIONS };
	if (action === 'update') return { method: 'PATCH', path: COLLECTIONS };
	return {
		method: 'PATCH',
		path: `${COLLECTIONS}/${encodeURIComponent(s.o.object)}/${encodeURIComponent(s.o.matchField as string)}`,
	};
}

/** Writes `ops` through sObject Collections, one action after the other, in batches. */
export async function runCollections(s: WriteSession, ops: Op[]): Promise<void> {
	const tasks: Array<() => Promise<void>> = [];
	const parents = s.o.parentFields ?? [];
	for (const action of FEED_OPERATIONS) {
		const group = ops.filter((op) => op.action === action);
		const chains = parents.length
			? parentBatches(group, (op) => parentKeysOf(op.body, parents), s.o.batchSize)
			: chunk(group, s.o.batchSize).map((batch) => [batch]);
		for (const chain of chains) {
			tasks.push(async () => {
				for (const batch of chain) {
					if (s.shouldStop()) return;
					await sendBatch(s, action, batch);
				}
			});
		}
	}
	await runPool(
		tasks,
		() => s.flight.limit(),
		() => s.shouldStop(),
	);
}

async function sendBatch(s: WriteSession, action: FeedOperation, batch: Op[]): Promise<void> {
	const { method, path } = collectionRequest(s, action);
	let pending = batch;
	for (let attempt = 0; ; attempt++) {
		const callIndex = s.note({ method, path, records: pending.length, kind: 'write' });
		if (s.o.dryRun) {
			for (const op of pending) s.settleDryRun(op, action, callIndex);
			return;
		}
		let results: SaveResult[];
		const started = Date.now();
		let pushedBack = false;
		try {
			const res = await s.flight.track(
				async () =>
					await s.api.request<unknown[]>({
						method,
						path,
						body: { allOrNone: s.o.allOrNone, records: pending.map((op) => op.body) },
						retry: action === 'create' ? 'non-idempotent' : 'idempotent',
						onPushback: () => {
							pushedBack = true;
							s.flight.report({ kind: 'pushback' });
						},
					}),
			);
			results = Array.isArray(res.body) ? res.body.map(saveResultOf) : [];
			const locked = results.some((r) => r.errors.some((e) => e.errorCode === LOCK));
			// an answer after retried pushbacks includes their waits: it says nothing of latency
			if (locked) s.flight.report({ kind: 'pushback' });
			else if (!pushedBack) s.flight.report({ kind: 'ok', ms: Date.now() - started });
		} catch (error) {
			const { errors, status } = errorsOf(error);
			if (isPushback(status, errors[0]?.errorCode)) s.flight.report({ kind: 'pushback' });
			const unknown = action !== 'update' && mayHaveBeenApplied(status);
			for (const op of pending) {
				s.fail(op.input, errors, {
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
			results[i] && !results[i].success && s.o.keyDuplicate
				? s.o.keyDuplicate(results[i].errors, op.body)
				: undefined,
		);
		// All or None: when only locks and key duplicates failed the call, the records rolled
		// back with them are sent again (without the duplicates).
		const resendRolledBack =
			s.o.allOrNone &&
			results.some((r, i) => dup[i] || r.errors.some((e) => e.errorCode === LOCK)) &&
			results.every(
				(r, i) =>
					r.success ||
					dup[i] ||
					r.errors.every((e) => e.errorCode === LOCK || e.errorCode === ROLLED_BACK),
			);
		pending.forEach((op, i) => {
			const r = results[i];
			if (!r) {
				s.fail(
					op.input,
					[ownError(ERROR_CODES.NO_RESULT, 'Salesforce returned no result for this record')],
					{
						action,
						sent: op.body,
						call: callIndex,
					},
				);
				return;
			}
			const locked = !r.success && r.errors.some((e) => e.errorCode === LOCK);
			const resend = s.o.allOrNone ? resendRolledBack && !dup[i] : locked;
			if (attempt < s.o.lockRetries && !r.success && resend) {
				retry.push(op);
				return;
			}
			s.settle({
				itemIndex: op.input.itemIndex,
				success: r.success,
				id: r.id ?? (op.body.Id as string | undefined) ?? null,
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
		await s.sleep(s.o.lockBackoffMs * 2 ** attempt);
	}
}

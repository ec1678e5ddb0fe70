/**
 * The latency and limits model in the request pipeline: admits a request (or refuses it past the
 * concurrency ceiling), plans its parent-record locks, and holds its answer on a timer until the
 * modelled server time has passed since the request arrived, so what a client measures is
 * Salesforce's time, not the emulator's CPU: the emulator serves requests one after the other on
 * one thread, where Salesforce serves them side by side, so the time a request spent queued
 * behind others' work, and on its own, is taken out of the wait, not added to it.
 */
import { httpError, type HttpError } from '../errors';
import { rng } from '../faults';
import type { EmuReply, EmuRequest } from '../http-types';
import type { Store } from '../store';
import { realClock, type Clock } from './clock';
import { LockTable } from './locks';
import { resolveModel, type ModelSetting, type ResolvedModel } from './options';
import { writeShape } from './parents';
import { bulkPlan, requestMs, withJitter } from './timing';

export interface ModelCounters {
	/** Requests in flight now (admitted, answer not sent yet). */
	inFlight: number;
	/** Most requests in flight at once since the last reset. */
	peakConcurrency: number;
	/** Requests refused by the ceiling (403 REQUEST_LIMIT_EXCEEDED). */
	refused: number;
	/** Records (or single-record calls) failed UNABLE_TO_LOCK_ROW by lock contention. */
	lockFailures: number;
	/** Requests that waited for a parent lock and then went through. */
	lockWaits: number;
	/** Sum of the modelled server times of the answered requests, ms. */
	modelledMs: number;
}

const LOCK_MESSAGE = 'unable to obtain exclusive access to this record or 1 records';

/** One admitted request; `prepare` fills in what the model decided for its records. */
export class Visit {
	private nextRecord = 0;
	/** Indexes of the records that fail UNABLE_TO_LOCK_ROW. */
	failed = new Set<number>();
	/** A single-record call whose parent lock timed out: the whole call fails. */
	lockedOut = false;
	/** Modelled time known before running (writes), ms. */
	plannedMs?: number;
	constructor(readonly id: number) {}

	/** Whether the next Collections record fails UNABLE_TO_LOCK_ROW (called once per record, in order). */
	nextRecordLocked(): boolean {
		return this.failed.has(this.nextRecord++);
	}
}

export class LatencyModel {
	private m: ResolvedModel;
	private random: () => number;
	private seq = 0;
	private inFlight = new Map<number, number>();
	private timers = new Map<number, { cancel: () => void; done: () => void }>();
	private readonly locks = new LockTable();
	readonly counts: Omit<ModelCounters, 'inFlight'> = {
		peakConcurrency: 0,
		refused: 0,
		lockFailures: 0,
		lockWaits: 0,
		modelledMs: 0,
	};

	constructor(setting?: ModelSetting) {
		this.m = resolveModel(setting, realClock);
		this.random = rng(this.m.seed);
	}

	/** Replaces the settings (in-flight requests keep their timers). */
	set(setting: ModelSetting | undefined): void {
		this.m = resolveModel(setting, realClock);
		this.random = rng(this.m.seed);
		this.locks.clear();
	}

	get settings(): Omit<ResolvedModel, 'clock'> {
		const { clock: _clock, ...rest } = this.m;
		return rest;
	}

	get clock(): Clock {
		return this.m.clock;
	}

	counters(): ModelCounters {
		return { inFlight: this.inFlight.size, ...this.counts };
	}

	resetCounts(): void {
		Object.assign(this.counts, {
			peakConcurrency: this.inFlight.size,
			refused: 0,
			lockFailures: 0,
			lockWaits: 0,
			modelledMs: 0,
		});
	}

	/**
	 * Admits a request to /services/data, or the error it answers when the ceiling is reached;
	 * `arrivedAt` (the model's clock) is when it reached the server, now by default.
	 */
	admit(arrivedAt?: number): Visit | HttpError {
		const now = this.m.clock.now();
		if (this.m.maxConcurrent !== undefined) {
			let running = 0;
			for (const start of this.inFlight.values())
				if (now - start >= this.m.longRunningMs) running++;
			if (running >= this.m.maxConcurrent) {
				this.counts.refused++;
				return httpError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.');
			}
		}
		const id = ++this.seq;
		this.inFlight.set(id, Math.min(now, arrivedAt ?? now));
		this.counts.peakConcurrency = Math.max(this.counts.peakConcurrency, this.inFlight.size);
		return new Visit(id);
	}

	/**
	 * Right before an admitted request runs (it passed authentication and the other checks):
	 * a write's time and, with locks on, which of its records fail and how long it waits.
	 */
	prepare(visit: Visit, store: Store, req: EmuRequest, seg: string[]): void {
		const shape = writeShape(store, req, seg);
		if (!shape) return;
		const work = this.duration({ records: shape.records });
		visit.plannedMs = work;
		if (this.m.lockWaitMs === undefined) return;
		const now = this.m.clock.now();
		const plan = this.locks.plan(visit.id, now, shape.parents, this.m.lockWaitMs);
		this.counts.lockFailures += plan.failed.size;
		visit.failed = plan.failed;
		visit.lockedOut = shape.single && plan.failed.size > 0;
		if (visit.lockedOut) return;
		if (plan.waitMs > 0) this.counts.lockWaits++;
		visit.plannedMs = plan.waitMs + work;
		this.locks.acquire(
			visit.id,
			shape.parents.flatMap((p, i) => (plan.failed.has(i) ? [] : p)),
			now + visit.plannedMs,
		);
	}

	/** The answer of a single-record write whose parent lock timed out. */
	lockedReply(): HttpError {
		return httpError(400, 'UNABLE_TO_LOCK_ROW', LOCK_MESSAGE);
	}

	/**
	 * Holds the answer until the visit's modelled time has passed since it arrived, then releases
	 * its slot and locks.
	 */
	async finish(visit: Visit, kind: string, reply: EmuReply): Promise<void> {
		const rows =
			kind === 'query' || kind === 'query.more'
				? ((reply.json as { records?: unknown[] } | undefined)?.records?.length ?? 0)
				: 0;
		const ms = visit.plannedMs ?? this.duration({ rows });
		const arrived = this.inFlight.get(visit.id) ?? this.m.clock.now();
		const wait = Math.max(0, arrived + ms - this.m.clock.now());
		if (wait > 0)
			await new Promise<void>((resolve) => {
				const cancel = this.m.clock.after(wait, () => {
					this.timers.delete(visit.id);
					resolve();
				});
				this.timers.set(visit.id, { cancel, done: resolve });
			});
		this.counts.modelledMs += ms;
		this.inFlight.delete(visit.id);
		this.locks.release(visit.id);
	}

	private duration(work: { records?: number; rows?: number }): number {
		return withJitter(requestMs(this.m, work), this.m.jitter, this.random);
	}

	/** Modelled processing time of a Bulk API 2.0 job of `records` records (0 when timing is off). */
	bulkJobMs(records: number): number {
		if (!this.m.baseMs && !this.m.perRecordMs) return 0;
		return bulkPlan(this.m, records).totalMs;
	}

	/** Releases every held answer now (the emulator is stopping). */
	stop(): void {
		for (const t of this.timers.values()) {
			t.cancel();
			t.done();
		}
		this.timers.clear();
	}
}

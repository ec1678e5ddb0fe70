/**
 * Requests in Flight: Auto. A pure controller (state in, decision out, no clock, no I/O) that
 * says how many sObject Collections calls may be in flight, from what the latest calls looked
 * like, and the small tracker the writer keeps around it.
 *
 * - Starts at `start` (2).
 * - Grows after half a round of calls at the current width answered without pushback while the
 *   median latency of the latest calls is at most `latencyFactor` (1.5) × the best latency seen
 *   (or within `noiseMs`, 50 ms, of it: such gaps are the network's jitter, not Salesforce's
 *   load): Salesforce is not slowing down, parallel calls still pay. Until the first pushback it
 *   doubles (2 → 4 → 8 → the cap: a run of 50 calls is not spent ramping up, as TCP's slow start);
 *   after one, it grows by one (additive increase, multiplicative decrease).
 * - Halves (rounded down, never below 1) on every pushback: HTTP 503 / SERVER_UNAVAILABLE,
 *   HTTP 429, REQUEST_LIMIT_EXCEEDED (concurrent request limits), UNABLE_TO_LOCK_ROW.
 * - Never above `cap` (25): Salesforce refuses new API requests with REQUEST_LIMIT_EXCEEDED
 *   while the org has 25 requests of 20 s or longer in flight (production and sandbox orgs).
 * - Never above `longCallCap` (10) while the latest calls' median takes `longCallMs` (5 s) or
 *   more: such calls are long-running Apex transactions (triggers, flows), and an org runs at
 *   most 10 of those at once ("ConcurrentPerOrgLongTxn Limit exceeded", shared by every
 *   integration of the org). A width above 10 reached while calls were fast comes back down to
 *   10 as soon as they turn long. Calls under 5 s count against neither limit, so a fast org
 *   gets up to 25.
 * - Resumes where the org's last run left it (`resumeAutoState`, kept by salesforce/flightMemory.ts):
 *   the same width, and the same phase (doubling until a first pushback, then one at a time), so
 *   a workflow that writes to the same org run after run does not climb from 2 every time. The
 *   caps apply to the resumed width as to any other.
 */
import { MAX_REQUESTS_IN_FLIGHT } from '../plan/optionRanges';

export interface AutoConfig {
	start: number;
	cap: number;
	/** The cap while the latest calls' median takes `longCallMs` or more. */
	longCallCap: number;
	longCallMs: number;
	/** Grow only while the latest calls' median is at most this × the best latency seen. */
	latencyFactor: number;
	/** How many of the latest latencies the median is taken over. */
	window: number;
	/** A median within this many ms of the best latency also holds (jitter on fast answers). */
	noiseMs: number;
	/** Calls answered before one more, as a fraction of the width (0.5: half a round). */
	growAfter: number;
}

export const AUTO_CONCURRENCY: AutoConfig = {
	start: 2,
	cap: MAX_REQUESTS_IN_FLIGHT,
	longCallCap: 10,
	longCallMs: 5000,
	latencyFactor: 1.5,
	window: 5,
	noiseMs: 50,
	growAfter: 0.5,
};

export interface AutoState {
	/** Calls allowed in flight now. */
	limit: number;
	/** Best (lowest) latency seen, in ms. */
	best?: number;
	/** Latest latencies, oldest first (at most `window`). */
	recent: number[];
	/** Calls answered without pushback since the limit last changed. */
	sinceChange: number;
	/** Highest limit reached. */
	peak: number;
	/** No pushback yet: growth doubles the limit instead of adding one. */
	slowStart: boolean;
}

/** What one call told the controller. */
export type CallSignal = { kind: 'ok'; ms: number } | { kind: 'pushback' };

export function initialAutoState(config: AutoConfig = AUTO_CONCURRENCY): AutoState {
	const limit = clamp(config.start, config.cap);
	return { limit, recent: [], sinceChange: 0, peak: limit, slowStart: true };
}

function clamp(n: number, cap: number): number {
	return Math.min(Math.max(1, Math.floor(n) || 1), Math.max(1, Math.floor(cap)));
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The state a run starts from when an earlier run on the same org left `saved`: its width
 * (within the caps: at most 10 when its latest calls took 5 s or more) and its phase. Latencies
 * are not carried over: another object may answer at another pace, so "latency holds" is judged
 * on this run's own calls.
 */
export function resumeAutoState(
	saved: AutoState | undefined,
	config: AutoConfig = AUTO_CONCURRENCY,
): AutoState {
	if (!saved) return initialAutoState(config);
	const long = saved.recent.length > 0 && median(saved.recent) >= config.longCallMs;
	const limit = clamp(saved.limit, long ? Math.min(config.longCallCap, config.cap) : config.cap);
	return { limit, recent: [], sinceChange: 0, peak: limit, slowStart: saved.slowStart };
}

/** The next state after one call's answer. */
export function nextAutoState(
	state: AutoState,
	signal: CallSignal,
	config: AutoConfig = AUTO_CONCURRENCY,
): AutoState {
	if (signal.kind === 'pushback') {
		const limit = clamp(state.limit / 2, config.cap);
		return { ...state, limit, recent: [], sinceChange: 0, slowStart: false };
	}
	const ms = Number.isFinite(signal.ms) && signal.ms >= 0 ? signal.ms : 0;
	const best = state.best === undefined ? ms : Math.min(state.best, ms);
	const recent = [...state.recent, ms].slice(-Math.max(1, config.window));
	const sinceChange = state.sinceChange + 1;
	const typical = median(recent);
	const holds = typical <= Math.max(config.latencyFactor * best, best + config.noiseMs);
	const cap = typical >= config.longCallMs ? Math.min(config.longCallCap, config.cap) : config.cap;
	if (state.limit > cap) {
		// the calls turned long-running: down to the long-call cap at once
		return { ...state, limit: clamp(cap, cap), best, recent, sinceChange: 0 };
	}
	// half a round at the current width, and latency holds → twice as many (slow start) or one more
	const round = Math.max(1, Math.ceil(state.limit * config.growAfter));
	if (holds && sinceChange >= round && state.limit < cap) {
		const limit = clamp(state.slowStart ? state.limit * 2 : state.limit + 1, cap);
		return {
			limit,
			best,
			recent,
			sinceChange: 0,
			peak: Math.max(state.peak, limit),
			slowStart: state.slowStart,
		};
	}
	return { ...state, best, recent, sinceChange };
}

/** Whether an answer is Salesforce pushing back on load (see the file comment). */
export function isPushback(status: number | undefined, errorCode: string | undefined): boolean {
	return (
		status === 503 ||
		status === 429 ||
		errorCode === 'SERVER_UNAVAILABLE' ||
		errorCode === 'REQUEST_LIMIT_EXCEEDED' ||
		errorCode === 'UNABLE_TO_LOCK_ROW'
	);
}

/** How many calls may be in flight: a fixed number, or Auto. */
export type ConcurrencySetting = number | 'auto';

/**
 * The writer's side of Requests in Flight: the current limit, the calls' signals, and what
 * happened (peak calls actually in flight), for the run's notice.
 */
export class ConcurrencyTracker {
	private state: AutoState | undefined;
	private inFlight = 0;
	/** Most calls that were in flight at the same time. */
	peakInFlight = 0;
	pushbacks = 0;

	/** Auto: the width the run started at. */
	readonly startedAt: number | undefined;

	/** Auto: whether it started where an earlier run on the org left it. */
	readonly resumed: boolean;

	constructor(
		readonly setting: ConcurrencySetting,
		private readonly config: AutoConfig = AUTO_CONCURRENCY,
		saved?: AutoState,
	) {
		if (setting === 'auto') this.state = resumeAutoState(saved, config);
		this.startedAt = this.state?.limit;
		this.resumed = setting === 'auto' && saved !== undefined;
	}

	/** Auto's state now, to resume from in the org's next run (undefined: a fixed number). */
	snapshot(): AutoState | undefined {
		return this.state && { ...this.state, recent: [...this.state.recent] };
	}

	limit(): number {
		return this.state ? this.state.limit : Math.max(1, Math.floor(Number(this.setting)) || 1);
	}

	/** Runs one call, counting it in flight. */
	async track<T>(call: () => Promise<T>): Promise<T> {
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		try {
			return await call();
		} finally {
			this.inFlight--;
		}
	}

	report(signal: CallSignal): void {
		if (signal.kind === 'pushback') this.pushbacks++;
		if (this.state) this.state = nextAutoState(this.state, signal, this.config);
	}
}

import fc from 'fast-check';

import {
	AUTO_CONCURRENCY,
	ConcurrencyTracker,
	initialAutoState,
	isPushback,
	nextAutoState,
	resumeAutoState,
	type AutoState,
	type CallSignal,
} from '../../../nodes/SkeepersFeedApplication/salesforce/adaptiveConcurrency';

const ok = (ms: number): CallSignal => ({ kind: 'ok', ms });
const pushback: CallSignal = { kind: 'pushback' };
const run = (signals: CallSignal[], from: AutoState = initialAutoState()): AutoState[] => {
	const states: AutoState[] = [];
	let state = from;
	for (const signal of signals) {
		state = nextAutoState(state, signal);
		states.push(state);
	}
	return states;
};

const signalArb: fc.Arbitrary<CallSignal> = fc.oneof(
	fc.record({ kind: fc.constant('ok' as const), ms: fc.double({ min: 0, max: 1e6, noNaN: true }) }),
	fc.constant(pushback),
);

describe('Requests in Flight: Auto (controller)', () => {
	it('starts at 2, with a cap of 25, and 10 while calls take 5 s or more', () => {
		expect(initialAutoState().limit).toBe(2);
		expect(AUTO_CONCURRENCY.cap).toBe(25);
		expect(AUTO_CONCURRENCY.longCallCap).toBe(10);
		expect(AUTO_CONCURRENCY.longCallMs).toBe(5000);
	});

	it('doubles after half a round at the current width while latency holds, up to the cap (slow start)', () => {
		const limits = run(Array.from({ length: 200 }, () => ok(1000))).map((s) => s.limit);
		// 1 call at width 2 → 4; 2 calls at width 4 → 8; 4 calls at width 8 → 16; 8 at 16 → 25 (the cap)
		expect(limits.slice(0, 16)).toEqual([4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 25, 25]);
		expect(limits.at(-1)).toBe(25);
	});

	it('after a pushback, grows by one per half round (additive increase)', () => {
		const states = run([pushback, ...Array.from({ length: 200 }, () => ok(1000))]);
		const limits = states.map((s) => s.limit);
		// 2 → 1 on the pushback; then 1 call at width 1 → 2; 1 at width 2 → 3; 2 at width 3 → 4 …
		expect(limits.slice(0, 7)).toEqual([1, 2, 3, 3, 4, 4, 5]);
		expect(limits.at(-1)).toBe(25);
		for (let i = 2; i < limits.length; i++)
			expect(limits[i] - limits[i - 1]).toBeLessThanOrEqual(1);
	});

	it('stops growing when the latest calls are slower than 1.5 × the best seen', () => {
		// best 1000 ms, then every call takes 2000 ms: the median passes 1500 after three of them
		const states = run([ok(1000), ok(2000), ok(2000), ok(2000), ...Array(50).fill(ok(2000))]);
		const held = states.at(-1) as AutoState;
		// 2 → 4 after the first call; the median of 1000, 2000 is 1500 (holds) but the next
		// growth needs two calls at width 4, by then the median is 2000 ms: held at 4
		expect(states.map((s) => s.limit).slice(0, 6)).toEqual([4, 4, 4, 4, 4, 4]);
		expect(held.limit).toBe(4);
		expect(held.best).toBe(1000);
	});

	it('halves on a pushback, never below 1', () => {
		const at25 = run(Array.from({ length: 200 }, () => ok(500))).at(-1) as AutoState;
		expect(at25.limit).toBe(25);
		expect(run([pushback], at25).map((s) => s.limit)).toEqual([12]);
		expect(
			run([pushback, pushback, pushback, pushback, pushback, pushback], at25).map((s) => s.limit),
		).toEqual([12, 6, 3, 1, 1, 1]);
	});

	it('property: under any latencies and pushbacks, 1 ≤ limit ≤ cap', () => {
		fc.assert(
			fc.property(fc.array(signalArb, { maxLength: 300 }), (signals) => {
				for (const state of run(signals)) {
					expect(state.limit).toBeGreaterThanOrEqual(1);
					expect(state.limit).toBeLessThanOrEqual(AUTO_CONCURRENCY.cap);
					expect(Number.isInteger(state.limit)).toBe(true);
					expect(state.peak).toBeLessThanOrEqual(AUTO_CONCURRENCY.cap);
				}
			}),
		);
	});

	it('property: every pushback halves the limit (floor, at least 1)', () => {
		fc.assert(
			fc.property(fc.array(signalArb, { maxLength: 200 }), (signals) => {
				let state = initialAutoState();
				for (const signal of [...signals, pushback]) {
					const next = nextAutoState(state, signal);
					if (signal.kind === 'pushback') {
						expect(next.limit).toBe(Math.max(1, Math.floor(state.limit / 2)));
					}
					state = next;
				}
			}),
		);
	});

	it('property: from any state, calls at a steady latency grow the limit to the cap', () => {
		fc.assert(
			fc.property(
				fc.array(signalArb, { maxLength: 100 }),
				fc.double({ min: 1, max: 1e5, noNaN: true }),
				(signals, ms) => {
					const state = run(signals).at(-1) ?? initialAutoState();
					// steady calls at the best latency seen (or a first one): latency holds
					const steady = Math.min(ms, state.best ?? ms);
					const after = run(Array(200).fill(ok(steady)), state);
					for (let i = 1; i < after.length; i++) {
						expect(after[i].limit).toBeGreaterThanOrEqual(after[i - 1].limit);
					}
					expect((after.at(-1) as AutoState).limit).toBe(
						steady >= AUTO_CONCURRENCY.longCallMs
							? AUTO_CONCURRENCY.longCallCap
							: AUTO_CONCURRENCY.cap,
					);
				},
			),
		);
	});

	it('calls that turn long-running (5 s or more) bring the limit down to 10 at once; fast again, it grows back to 25', () => {
		const fast = run(Array.from({ length: 200 }, () => ok(4000))).at(-1) as AutoState;
		expect(fast.limit).toBe(25);
		// the median of the latest 5 calls passes 5 s on the third slow one
		const slow = run(
			Array.from({ length: 50 }, () => ok(6000)),
			fast,
		).map((s) => s.limit);
		expect(slow.slice(0, 3)).toEqual([25, 25, 10]);
		expect(Math.max(...slow.slice(2))).toBe(10);
		const back = run(
			Array.from({ length: 200 }, () => ok(4000)),
			run(
				Array.from({ length: 50 }, () => ok(6000)),
				fast,
			).at(-1),
		).map((s) => s.limit);
		expect(back.at(-1)).toBe(25);
	});

	it('tells pushback answers from others', () => {
		expect(isPushback(503, undefined)).toBe(true);
		expect(isPushback(429, undefined)).toBe(true);
		expect(isPushback(400, 'UNABLE_TO_LOCK_ROW')).toBe(true);
		expect(isPushback(403, 'REQUEST_LIMIT_EXCEEDED')).toBe(true);
		expect(isPushback(400, 'REQUIRED_FIELD_MISSING')).toBe(false);
		expect(isPushback(500, undefined)).toBe(false);
	});
});

describe('resuming where the org’s last run left off', () => {
	const after = (signals: CallSignal[]) => run(signals).at(-1) as AutoState;

	it('nothing remembered: starts at 2, doubling', () => {
		expect(resumeAutoState(undefined)).toEqual(initialAutoState());
	});

	it('a run that reached the cap: the next starts there, in the same phase', () => {
		const saved = after(Array.from({ length: 60 }, () => ok(1000)));
		expect(saved.limit).toBe(25);
		const resumed = resumeAutoState(saved);
		expect(resumed).toMatchObject({ limit: 25, slowStart: true, sinceChange: 0, recent: [] });
		expect(resumed.best).toBeUndefined();
	});

	it('a run that met pushback: the next starts at the halved width, growing one at a time', () => {
		const saved = after([...Array.from({ length: 60 }, () => ok(1000)), pushback]);
		expect(resumeAutoState(saved)).toMatchObject({ limit: 12, slowStart: false });
		// one more per half round from there, not doubling
		expect(
			run(
				Array.from({ length: 6 }, () => ok(1000)),
				resumeAutoState(saved),
			).at(-1)?.limit,
		).toBe(13);
	});

	it('a run whose latest calls took 5 s or more: the next starts at 10 at most', () => {
		const saved: AutoState = { ...initialAutoState(), limit: 25, recent: [6000, 7000, 8000] };
		expect(resumeAutoState(saved).limit).toBe(10);
		const fast: AutoState = { ...saved, recent: [900, 1000, 1100] };
		expect(resumeAutoState(fast).limit).toBe(25);
	});

	it('property: whatever was kept, the resumed width is within 1 and the cap', () => {
		const stateArb = fc.record({
			limit: fc.double({ noNaN: false }),
			recent: fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 5 }),
			sinceChange: fc.nat(),
			peak: fc.nat(),
			slowStart: fc.boolean(),
		});
		fc.assert(
			fc.property(stateArb, (saved) => {
				const { limit } = resumeAutoState(saved);
				const long =
					saved.recent.length > 0 &&
					[...saved.recent].sort((a, b) => a - b)[saved.recent.length >> 1] >= 5000;
				return limit >= 1 && limit <= (long ? 10 : 25) && Number.isInteger(limit);
			}),
		);
	});
});

describe('ConcurrencyTracker', () => {
	it('Auto starts where a saved state says, and says so; a snapshot is a copy', () => {
		const saved = { ...initialAutoState(), limit: 16 };
		const t = new ConcurrencyTracker('auto', undefined, saved);
		expect([t.limit(), t.startedAt, t.resumed]).toEqual([16, 16, true]);
		t.report(ok(10));
		const snap = t.snapshot() as AutoState;
		snap.recent.push(99);
		expect(t.snapshot()?.recent).toEqual([10]);
		const fresh = new ConcurrencyTracker('auto');
		expect([fresh.limit(), fresh.startedAt, fresh.resumed]).toEqual([2, 2, false]);
		expect(new ConcurrencyTracker(4, undefined, saved).snapshot()).toBeUndefined();
	});

	it('a fixed setting keeps its limit whatever the calls do', () => {
		const t = new ConcurrencyTracker(4);
		t.report(pushback);
		for (let i = 0; i < 50; i++) t.report(ok(10));
		expect(t.limit()).toBe(4);
		expect(t.pushbacks).toBe(1);
	});

	it('counts the calls in flight at the same time', async () => {
		const t = new ConcurrencyTracker('auto');
		const gates: Array<() => void> = [];
		const call = () => t.track(() => new Promise<void>((resolve) => gates.push(resolve)));
		const running = [call(), call(), call()];
		expect(t.peakInFlight).toBe(3);
		gates.forEach((open) => open());
		await Promise.all(running);
		await t.track(async () => {});
		expect(t.peakInFlight).toBe(3);
	});
});

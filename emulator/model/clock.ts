/**
 * Where the latency model reads the time and sets its timers. The real clock by default; tests
 * pass a ManualClock so a held response is released only when the test advances time.
 */
export interface Clock {
	now(): number;
	/** Calls `fn` after `ms`; returns a cancel function. */
	after(ms: number, fn: () => void): () => void;
}

export const realClock: Clock = {
	now: () => Date.now(),
	after: (ms, fn) => {
		const t = setTimeout(fn, ms);
		return () => clearTimeout(t);
	},
};

/** A clock that moves only when told to: `advance(ms)` fires the timers that fall due, in order. */
export class ManualClock implements Clock {
	private t = 0;
	private seq = 0;
	private timers: Array<{ due: number; seq: number; fn: () => void }> = [];

	now(): number {
		return this.t;
	}

	after(ms: number, fn: () => void): () => void {
		const timer = { due: this.t + Math.max(0, ms), seq: this.seq++, fn };
		this.timers.push(timer);
		return () => {
			this.timers = this.timers.filter((x) => x !== timer);
		};
	}

	/** Timers not fired yet. */
	get pending(): number {
		return this.timers.length;
	}

	advance(ms: number): void {
		const end = this.t + ms;
		for (;;) {
			const next = this.timers
				.filter((x) => x.due <= end)
				.sort((a, b) => a.due - b.due || a.seq - b.seq)[0];
			if (!next) break;
			this.timers = this.timers.filter((x) => x !== next);
			this.t = next.due;
			next.fn();
		}
		this.t = end;
	}
}

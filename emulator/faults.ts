/**
 * Injected faults, reproducible from a seed.
 *
 * Grammar (comma-separated, any order, all optional):
 *   503=<fraction>            answer 503 SERVER_UNAVAILABLE before anything is read or written
 *   lock=<fraction>           each sObject Collections record fails UNABLE_TO_LOCK_ROW (not written)
 *   delay=<fraction>:<ms>     delay that fraction of requests by <ms> milliseconds
 *   seed=<integer>            seed of the pseudo-random generator (default 1)
 * e.g. `503=0.05,lock=0.05,delay=0.02:2000,seed=42`; `none` or '' disables all.
 * Faults apply to REST API calls under /services/data (not OAuth, not /__emulator).
 */

export interface FaultSpec {
	unavailable?: number;
	lock?: number;
	delay?: { fraction: number; ms: number };
	seed?: number;
}

export function parseFaults(spec: string): FaultSpec {
	const out: FaultSpec = {};
	const s = spec.trim();
	if (s === '' || s === 'none') return out;
	for (const part of s.split(',')) {
		const [key, value = ''] = part.split('=').map((x) => x.trim());
		const fraction = (v: string): number => {
			const n = Number(v);
			if (!(v !== '' && n >= 0 && n <= 1))
				throw new Error(`Invalid fault spec "${part}": expected a fraction between 0 and 1`);
			return n;
		};
		switch (key) {
			case '503':
			case 'unavailable':
				out.unavailable = fraction(value);
				break;
			case 'lock':
				out.lock = fraction(value);
				break;
			case 'delay': {
				const [f, ms] = value.split(':');
				const n = Number(ms);
				if (!Number.isFinite(n) || n < 0)
					throw new Error(`Invalid fault spec "${part}": expected delay=<fraction>:<ms>`);
				out.delay = { fraction: fraction(f), ms: n };
				break;
			}
			case 'seed':
				if (!/^\d+$/.test(value))
					throw new Error(`Invalid fault spec "${part}": seed must be an integer`);
				out.seed = Number(value);
				break;
			default:
				throw new Error(
					`Invalid fault spec "${part}": unknown fault "${key}" (use 503, lock, delay, seed)`,
				);
		}
	}
	return out;
}

/** mulberry32: small, fast, deterministic (also the latency model's jitter). */
export function rng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class Faults {
	private spec: FaultSpec = {};
	private random: () => number = rng(1);
	readonly injected = { unavailable: 0, lock: 0, delay: 0 };

	constructor(spec?: FaultSpec | string, seed?: number) {
		this.set(spec ?? {}, seed);
	}

	set(spec: FaultSpec | string, seed?: number): void {
		this.spec = typeof spec === 'string' ? parseFaults(spec) : { ...spec };
		this.random = rng(this.spec.seed ?? seed ?? 1);
	}

	get current(): FaultSpec {
		return { ...this.spec };
	}

	/** Milliseconds to delay this request by (0 most of the time). */
	rollDelay(): number {
		const d = this.spec.delay;
		if (!d || !d.fraction) return 0;
		if (this.random() < d.fraction) {
			this.injected.delay++;
			return d.ms;
		}
		return 0;
	}

	rollUnavailable(): boolean {
		if (!this.spec.unavailable) return false;
		const hit = this.random() < this.spec.unavailable;
		if (hit) this.injected.unavailable++;
		return hit;
	}

	rollLock(): boolean {
		if (!this.spec.lock) return false;
		const hit = this.random() < this.spec.lock;
		if (hit) this.injected.lock++;
		return hit;
	}

	resetCounts(): void {
		this.injected.unavailable = 0;
		this.injected.lock = 0;
		this.injected.delay = 0;
	}
}

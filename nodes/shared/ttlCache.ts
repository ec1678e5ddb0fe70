/**
 * A small process-level cache of loaded values (a Salesforce describe, a webhook credential's
 * verification material): the policy only, no I/O of its own. The caller supplies the loader
 * and, in tests, the clock.
 *
 * - Age: an entry's age counts from the moment its load *started* (conservative: the value
 *   cannot be older than that). Each caller passes its own maximum age; an older entry is a miss.
 * - One load at a time per key: callers that ask while a load is in flight share it.
 * - A failed load is forgotten, so the next caller tries again.
 * - Bounded: at most `maxEntries` keys; the least recently used one is dropped first.
 * - `invalidate(key, entry)` drops the entry only if it is still the one the caller used, so an
 *   invalidation based on an old value never throws away a newer one loaded meanwhile.
 */

export interface CacheEntry<V> {
	readonly promise: Promise<V>;
	/** Clock value when the load started. */
	readonly loadedAt: number;
}

export interface Lookup<V> {
	value: V;
	entry: CacheEntry<V>;
	/** true: the entry existed before this call (loaded by an earlier call, possibly still in flight). */
	hit: boolean;
}

export interface TtlCacheOptions {
	/** Most keys kept (least recently used dropped first). */
	maxEntries: number;
	/** Milliseconds clock. Default Date.now. */
	now?: () => number;
}

export class TtlCache<V> {
	private readonly entries = new Map<string, CacheEntry<V>>();

	private readonly maxEntries: number;

	private readonly now: () => number;

	constructor(options: TtlCacheOptions) {
		this.maxEntries = Math.max(1, Math.floor(options.maxEntries));
		this.now = options.now ?? (() => Date.now());
	}

	/** The cache's clock (milliseconds). */
	clock(): number {
		return this.now();
	}

	get size(): number {
		return this.entries.size;
	}

	/** The entry for `key` if it is at most `maxAgeMs` old (and marks it recently used). */
	peek(key: string, maxAgeMs: number): CacheEntry<V> | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (this.now() - entry.loadedAt > maxAgeMs) return undefined;
		// recently used: move to the end of the Map's order
		this.entries.delete(key);
		this.entries.set(key, entry);
		return entry;
	}

	/** The cached value when fresh enough, else one shared load. */
	async get(key: string, maxAgeMs: number, load: () => Promise<V>): Promise<Lookup<V>> {
		const existing = this.peek(key, maxAgeMs);
		if (existing) return { value: await existing.promise, entry: existing, hit: true };
		const entry = this.start(key, load);
		return { value: await entry.promise, entry, hit: false };
	}

	/**
	 * Loads again unless another caller already replaced `stale` with an entry whose load started
	 * at or after `notBefore` (default: when `stale`'s load started); then shares that entry.
	 * Used when a cached value turned out to be outdated.
	 */
	async reload(
		key: string,
		stale: CacheEntry<V> | undefined,
		load: () => Promise<V>,
		notBefore = stale?.loadedAt ?? Number.NEGATIVE_INFINITY,
	): Promise<Lookup<V>> {
		const current = this.entries.get(key);
		if (current && current !== stale && current.loadedAt >= notBefore) {
			return { value: await current.promise, entry: current, hit: true };
		}
		const entry = this.start(key, load);
		return { value: await entry.promise, entry, hit: false };
	}

	/** Stores an already known value (e.g. one loaded outside the cache). */
	set(key: string, value: V, loadedAt = this.now()): CacheEntry<V> {
		const entry: CacheEntry<V> = { promise: Promise.resolve(value), loadedAt };
		this.put(key, entry);
		return entry;
	}

	/** Drops `key`; with `entry`, only if that entry is still the cached one. */
	invalidate(key: string, entry?: CacheEntry<V>): boolean {
		const current = this.entries.get(key);
		if (!current || (entry && current !== entry)) return false;
		this.entries.delete(key);
		return true;
	}

	clear(): void {
		this.entries.clear();
	}

	private start(key: string, load: () => Promise<V>): CacheEntry<V> {
		const loadedAt = this.now();
		let promise: Promise<V>;
		try {
			promise = Promise.resolve(load());
		} catch (error) {
			promise = Promise.reject(error);
		}
		const entry: CacheEntry<V> = { promise, loadedAt };
		this.put(key, entry);
		promise.catch(() => {
			this.invalidate(key, entry);
		});
		return entry;
	}

	private put(key: string, entry: CacheEntry<V>): void {
		this.entries.delete(key);
		this.entries.set(key, entry);
		while (this.entries.size > this.maxEntries) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
		}
	}
}

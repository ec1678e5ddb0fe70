// The webhook credential's verification material, kept per n8n process for a short time so a
// delivery does not pay n8n's credential read (on n8n 2.x it builds an expression sandbox each
// time). Security rules, also written in the README's trigger section:
//
// - Key: workflow id + trigger node id + credential id. A workflow never uses material another
//   workflow read, and a node switched to another credential reads that one.
// - A delivery that verifies with the cached material is accepted; one that fails is checked
//   again with material read from n8n just now (a rotated secret or changed settings work at
//   once, and the first such delivery replaces the cached material for everyone).
// - Material is reused for at most VERIFY_CACHE_TTL_MS after it was read: a revoked secret stops
//   being accepted within that time (sooner if a delivery with the new secret arrived).
// - Failures are never cached; a failed read is forgotten. The material stays in this process's
//   memory only, and nothing here logs or returns it.
import { TtlCache, type CacheEntry } from '../shared/ttlCache';
import type { VerifyConfig } from './signature';

/** How long verification material read from n8n may be reused. */
export const VERIFY_CACHE_TTL_MS = 60_000;

/** Most trigger nodes whose material is kept (least recently used dropped first). */
const VERIFY_CACHE_MAX_ENTRIES = 200;

/** The trigger's material per node, shared by this process's deliveries. */
export const verifyMaterial = new TtlCache<VerifyConfig>({ maxEntries: VERIFY_CACHE_MAX_ENTRIES });

export type Check = { ok: true } | { ok: false; status: number; error: string };

export interface VerifyWithCacheInput<M> {
	cache: TtlCache<M>;
	/** undefined: no caching (read every time). */
	key: string | undefined;
	ttlMs: number;
	/** Reads the material from n8n (may throw). */
	read: () => Promise<M>;
	/** Verifies the delivery with some material. */
	check: (material: M) => Check;
}

export interface VerifyWithCacheResult<M> {
	material: M;
	check: Check;
	/** How many times the material was read from n8n for this delivery (0, 1 or 2). */
	reads: number;
}

/** Verifies with cached material when there is some, else reads; a failure re-reads once. */
export async function verifyWithCache<M>(
	input: VerifyWithCacheInput<M>,
): Promise<VerifyWithCacheResult<M>> {
	const { cache, key, ttlMs, check } = input;
	let reads = 0;
	const read = async () => {
		reads++;
		return await input.read();
	};
	if (key === undefined) {
		const material = await read();
		return { material, check: check(material), reads };
	}
	const arrivedAt = cache.clock();
	const cached: CacheEntry<M> | undefined = cache.peek(key, ttlMs);
	if (cached) {
		let material: M | undefined;
		try {
			material = await cached.promise;
		} catch {
			material = undefined; // a read in flight failed: read again below
		}
		if (material !== undefined) {
			const first = check(material);
			if (first.ok) return { material, check: first, reads };
		}
		// material read after this delivery arrived (shared with concurrent deliveries that failed too)
		const again = await cache.reload(key, cached, read, arrivedAt);
		return { material: again.value, check: check(again.value), reads };
	}
	const got = await cache.get(key, ttlMs, read);
	return { material: got.value, check: check(got.value), reads };
}

/** Cache key of one trigger node's credential; undefined when a part is unknown. */
export function verifyCacheKey(
	workflowId: unknown,
	nodeId: unknown,
	credentialId: unknown,
): string | undefined {
	const parts = [workflowId, nodeId, credentialId];
	if (!parts.every((p) => typeof p === 'string' && p !== '')) return undefined;
	return JSON.stringify(parts);
}

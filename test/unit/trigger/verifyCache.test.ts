import { TtlCache } from '../../../nodes/shared/ttlCache';
import {
	verifyCacheKey,
	verifyWithCache,
	type Check,
} from '../../../nodes/SkeepersTrigger/verifyCache';

const TTL = 60_000;

/** A credential store whose secret can be rotated, counting reads, and a fake clock. */
function setup(secret = 'old-secret') {
	let t = 10_000;
	const store = { secret, reads: 0 };
	const cache = new TtlCache<{ secret: string }>({ maxEntries: 10, now: () => t });
	const read = async () => {
		store.reads++;
		return { secret: store.secret };
	};
	const deliver = (signedWith: string, opts: { noKey?: boolean } = {}) =>
		verifyWithCache({
			cache,
			key: opts.noKey ? undefined : 'k',
			ttlMs: TTL,
			read,
			check: (m): Check =>
				m.secret === signedWith ? { ok: true } : { ok: false, status: 401, error: 'unauthorized' },
		});
	return { store, cache, deliver, advance: (ms: number) => (t += ms) };
}

describe('verification material cache', () => {
	it('reads the credential once, then verifies from memory within the TTL', async () => {
		const s = setup();
		const results = [
			await s.deliver('old-secret'),
			await s.deliver('old-secret'),
			await s.deliver('old-secret'),
		];
		expect(results.map((r) => r.check.ok)).toEqual([true, true, true]);
		expect(s.store.reads).toBe(1);
	});

	it('reads again after the TTL', async () => {
		const s = setup();
		await s.deliver('old-secret');
		s.advance(TTL + 1);
		await s.deliver('old-secret');
		expect(s.store.reads).toBe(2);
	});

	it('a rotated secret is accepted at once; the old one is rejected from then on', async () => {
		const s = setup();
		await s.deliver('old-secret');
		s.store.secret = 'new-secret';
		const fresh = await s.deliver('new-secret');
		expect(fresh.check.ok).toBe(true);
		expect(fresh.reads).toBe(1);
		expect((await s.deliver('old-secret')).check.ok).toBe(false);
	});

	it('a revoked secret is accepted at most until the TTL ends', async () => {
		const s = setup();
		await s.deliver('old-secret');
		s.store.secret = 'new-secret'; // revoked, and no delivery with the new one arrived yet
		s.advance(TTL);
		expect((await s.deliver('old-secret')).check.ok).toBe(true);
		s.advance(1);
		expect((await s.deliver('old-secret')).check.ok).toBe(false);
	});

	it('a bad signature is checked against a new read and rejected; failures are not cached', async () => {
		const s = setup();
		await s.deliver('old-secret');
		const bad = await s.deliver('forged');
		expect([bad.check.ok, bad.reads]).toEqual([false, 1]);
		const bad2 = await s.deliver('forged');
		expect([bad2.check.ok, bad2.reads]).toEqual([false, 1]);
		expect((await s.deliver('old-secret')).reads).toBe(0);
	});

	it('concurrent failing deliveries share one new read', async () => {
		const s = setup();
		await s.deliver('old-secret');
		s.store.secret = 'new-secret';
		const all = await Promise.all([
			s.deliver('new-secret'),
			s.deliver('new-secret'),
			s.deliver('new-secret'),
		]);
		expect(all.every((r) => r.check.ok)).toBe(true);
		expect(s.store.reads).toBe(2);
	});

	it('a failed credential read is thrown and forgotten', async () => {
		const s = setup();
		const cache = new TtlCache<{ secret: string }>({ maxEntries: 10 });
		const failing = verifyWithCache({
			cache,
			key: 'k',
			ttlMs: TTL,
			read: async () => Promise.reject(new Error('db down')),
			check: () => ({ ok: true }),
		});
		await expect(failing).rejects.toThrow('db down');
		expect(cache.size).toBe(0);
		expect(s.store.reads).toBe(0);
	});

	it('without a key (no workflow, node or credential id) it reads every time', async () => {
		const s = setup();
		await s.deliver('old-secret', { noKey: true });
		await s.deliver('old-secret', { noKey: true });
		expect(s.store.reads).toBe(2);
		expect(verifyCacheKey('wf', 'node', undefined)).toBeUndefined();
		expect(verifyCacheKey('wf', 'node', 'cred')).not.toBe(verifyCacheKey('wf2', 'node', 'cred'));
	});
});

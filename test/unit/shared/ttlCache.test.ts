import { TtlCache } from '../../../nodes/shared/ttlCache';

function clock(start = 1_000) {
	let t = start;
	return { now: () => t, advance: (ms: number) => (t += ms) };
}

function loader(values: string[]) {
	let calls = 0;
	const load = async () => values[Math.min(calls++, values.length - 1)];
	return { load, calls: () => calls };
}

describe('TtlCache', () => {
	it('loads once and serves the value while it is younger than the maximum age', async () => {
		const c = clock();
		const cache = new TtlCache<string>({ maxEntries: 10, now: c.now });
		const l = loader(['a', 'b']);
		const first = await cache.get('k', 1000, l.load);
		c.advance(1000);
		const second = await cache.get('k', 1000, l.load);
		expect([first.value, first.hit, second.value, second.hit]).toEqual(['a', false, 'a', true]);
		expect(l.calls()).toBe(1);
	});

	it('loads again once the entry is older than the caller’s maximum age', async () => {
		const c = clock();
		const cache = new TtlCache<string>({ maxEntries: 10, now: c.now });
		const l = loader(['a', 'b']);
		await cache.get('k', 1000, l.load);
		c.advance(1001);
		const again = await cache.get('k', 1000, l.load);
		expect([again.value, again.hit, l.calls()]).toEqual(['b', false, 2]);
		// a caller allowing an older entry is served the new one too
		expect((await cache.get('k', 60_000, l.load)).value).toBe('b');
	});

	it('counts the age from the start of the load', async () => {
		const c = clock();
		const cache = new TtlCache<string>({ maxEntries: 10, now: c.now });
		let release!: (v: string) => void;
		const pending = cache.get('k', 1000, () => new Promise<string>((r) => (release = r)));
		c.advance(800);
		release('slow');
		await pending;
		c.advance(201);
		expect(cache.peek('k', 1000)).toBeUndefined();
	});

	it('shares one in-flight load between concurrent callers', async () => {
		const cache = new TtlCache<string>({ maxEntries: 10, now: clock().now });
		let calls = 0;
		let release!: (v: string) => void;
		const load = () => {
			calls++;
			return new Promise<string>((r) => (release = r));
		};
		const a = cache.get('k', 1000, load);
		const b = cache.get('k', 1000, load);
		release('v');
		const [ra, rb] = await Promise.all([a, b]);
		expect([ra.value, rb.value, ra.hit, rb.hit, calls]).toEqual(['v', 'v', false, true, 1]);
	});

	it('forgets a failed load so the next caller tries again', async () => {
		const cache = new TtlCache<string>({ maxEntries: 10, now: clock().now });
		await expect(
			cache.get('k', 1000, async () => Promise.reject(new Error('boom'))),
		).rejects.toThrow('boom');
		expect(cache.size).toBe(0);
		expect((await cache.get('k', 1000, async () => 'ok')).value).toBe('ok');
	});

	it('keeps at most maxEntries keys, dropping the least recently used', async () => {
		const cache = new TtlCache<string>({ maxEntries: 2, now: clock().now });
		await cache.get('a', 1000, async () => 'A');
		await cache.get('b', 1000, async () => 'B');
		await cache.get('a', 1000, async () => 'A2'); // a used again: b is now the oldest
		await cache.get('c', 1000, async () => 'C');
		expect(cache.size).toBe(2);
		expect(cache.peek('b', 1000)).toBeUndefined();
		expect(await cache.peek('a', 1000)?.promise).toBe('A');
		expect(await cache.peek('c', 1000)?.promise).toBe('C');
	});

	it('invalidates only the entry the caller used', async () => {
		const c = clock();
		const cache = new TtlCache<string>({ maxEntries: 10, now: c.now });
		const old = (await cache.get('k', 1000, async () => 'old')).entry;
		c.advance(1);
		const fresh = await cache.reload('k', old, async () => 'new');
		expect(cache.invalidate('k', old)).toBe(false);
		expect(await cache.peek('k', 1000)?.promise).toBe('new');
		expect(cache.invalidate('k', fresh.entry)).toBe(true);
		expect(cache.size).toBe(0);
	});

	it('reload shares a newer entry another caller already loaded, else loads', async () => {
		const c = clock();
		const cache = new TtlCache<string>({ maxEntries: 10, now: c.now });
		const l = loader(['v1', 'v2', 'v3']);
		const stale = (await cache.get('k', 1000, l.load)).entry;
		c.advance(5);
		const first = await cache.reload('k', stale, l.load);
		const second = await cache.reload('k', stale, l.load);
		expect([first.value, first.hit, second.value, second.hit, l.calls()]).toEqual([
			'v2',
			false,
			'v2',
			true,
			2,
		]);
		const third = await cache.reload('k', first.entry, l.load);
		expect([third.value, l.calls()]).toEqual(['v3', 3]);
	});
});

/**
 * Feed Application node × emulator: Requests in Flight Auto resumes where the org's last run
 * left off (salesforce/flightMemory.ts), per credential, and only from real Collections runs.
 */
import {
	flightKey,
	recallFlight,
} from '../../nodes/SkeepersFeedApplication/salesforce/flightMemory';
import { FeedEnv, lastNameRow, people } from './feed.helpers';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const create = (
	n: number,
	credentialId: string | undefined,
	options: Record<string, unknown> = {},
) =>
	env.run({
		items: people(n),
		operation: 'create',
		rows: [lastNameRow],
		options: { bulkMode: 'never', ...options },
		credentialId,
	});
const notice = () => env.hints[0]?.message ?? '';
const peakOf = (message: string) => Number(/at most (\d+) call\(s\) in flight/.exec(message)?.[1]);
const remembered = async (credentialId: string) =>
	await recallFlight(flightKey(credentialId, env.emu.url));

it('the org’s next run starts where the last one left off; another credential starts at 2', async () => {
	// 10 calls of 200 answered in about 300 ms: Auto starts at 2 and doubles while the latency
	// holds (2 → 4 → 8 → 16 on a quiet machine; a busy one may slow some answers and stop it at 4 or 8)
	env.emu.setModel({ baseMs: 300 });
	expect((await create(2000, 'cred-A')).every((o) => o.json.success)).toBe(true);
	const first = notice();
	expect(first).not.toMatch(/started at/);
	const left = (await remembered('cred-A'))?.limit ?? 0;
	expect(left).toBeGreaterThanOrEqual(4);

	env.emu.clearRecords();
	env.emu.resetCounters();
	expect((await create(2000, 'cred-A')).every((o) => o.json.success)).toBe(true);
	expect(notice()).toMatch(new RegExp(`started at ${left}, where this org's last run left off`));
	// its first `left` calls (of 10) go out at once; the first run's first wave was 2
	expect(peakOf(notice())).toBeGreaterThanOrEqual(Math.min(left, 10));
	expect(env.emu.records('Contact')).toHaveLength(2000);

	env.emu.clearRecords();
	env.emu.resetCounters();
	await create(2000, 'cred-B');
	expect(notice()).not.toMatch(/started at/);
	expect(peakOf(notice())).toBeLessThan(10);
	env.emu.setModel('off');
});

it('pushback is remembered: the next run starts at the width the last one ended in, growing one at a time (no slow start)', async () => {
	// a 4th request in flight is refused with REQUEST_LIMIT_EXCEEDED (retried by the node)
	env.emu.setModel({ baseMs: 20, perRecordMs: 0.1, maxConcurrent: 3 });
	try {
		await create(3000, 'cred-A', { batchSize: 50 });
		expect(env.emu.counters().model?.refused).toBeGreaterThan(0);
		const left = await remembered('cred-A');
		// past the first pushback Auto grows one at a time, so where it ends depends on when the
		// last refusal came: the phase is what is certain
		expect(left?.slowStart).toBe(false);

		env.emu.clearRecords();
		const out = await create(3000, 'cred-A', { batchSize: 50 });
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(notice()).toMatch(
			new RegExp(`started at ${left?.limit}, where this org's last run left off`),
		);
		expect(env.emu.records('Contact')).toHaveLength(3000);
	} finally {
		env.emu.setModel('off');
	}
});

it('a fixed number, a Dry Run or a Bulk API 2.0 run leave nothing to remember', async () => {
	await create(600, 'cred-A', { concurrency: 4 });
	await create(600, 'cred-A', { dryRun: true });
	await create(600, 'cred-A', { bulkMode: 'always' });
	expect(await remembered('cred-A')).toBeUndefined();
	await create(600, 'cred-A');
	expect(await remembered('cred-A')).toBeDefined();
});

/**
 * The latency and limits model, driven through jsforce: answers held for the modelled server
 * time, the per-org concurrency ceiling, parent-record lock contention and Bulk API 2.0 job
 * timing. A ManualClock makes every hold end only when the test advances time: no timing
 * thresholds, nothing depends on how fast this machine is.
 */
import type { Connection } from 'jsforce';
import { bulkPlan, ManualClock, type Emulator, type ModelOptions } from '../../emulator';
import { toCsv } from '../../emulator/csv';
import { LatencyModel, Visit } from '../../emulator/model/latency';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { api, connect, emulator, rejection, startCli } from './helpers';

// A hang guard only (the machine is shared): nothing here measures time.
jest.setTimeout(60_000);

/** Waits (polling the emulator's own counters) until `n` requests are held in flight. */
async function inFlight(emu: Emulator, n: number): Promise<void> {
	for (let i = 0; i < 4000; i++) {
		if (emu.counters().model.inFlight === n) return;
		await new Promise((r) => setTimeout(r, 5));
	}
	throw new Error(`expected ${n} requests in flight, have ${emu.counters().model.inFlight}`);
}

/** jsforce's Query runs only once awaited: start it now. */
const query = (conn: Connection, soql: string) => Promise.resolve(conn.query(soql));

type Result = {
	success: boolean;
	id?: string;
	errors: Array<{ errorCode?: string; statusCode?: string }>;
};
const codes = (rs: Result[]): string[] =>
	rs.map((r) => (r.success ? 'ok' : String(r.errors[0]?.errorCode ?? r.errors[0]?.statusCode)));

describe('latency model: answers held for base + per-record time', () => {
	let emu: Emulator;
	let conn: Connection;
	const clock = new ManualClock();
	beforeAll(async () => {
		emu = await emulator({ model: { baseMs: 150, perRecordMs: 5, perRowMs: 1, clock } });
		conn = connect(emu);
	});
	afterAll(() => emu.stop());
	beforeEach(() => emu.resetCounters());

	test('a 200-record Collections create is answered only after 150 + 200 × 5 ms of model time', async () => {
		const records = Array.from({ length: 200 }, (_, i) => ({ LastName: `Held ${i}` }));
		let answered = false;
		const p = conn
			.sobject('Contact')
			.create(records, { allOrNone: false })
			.then((r) => {
				answered = true;
				return r as Result[];
			});
		await inFlight(emu, 1);
		// Every record is already written: the time is a hold, not emulator work.
		expect(
			emu.records('Contact').filter((r) => String(r.LastName).startsWith('Held ')),
		).toHaveLength(200);
		clock.advance(1149);
		expect(emu.counters().model.inFlight).toBe(1);
		expect(answered).toBe(false);
		clock.advance(1);
		const res = await p;
		expect(codes(res).every((c) => c === 'ok')).toBe(true);
		expect(emu.counters().model).toMatchObject({
			inFlight: 0,
			modelledMs: 1150,
			peakConcurrency: 1,
		});
	});

	test('a query costs base + per row returned', async () => {
		const p = query(conn, "SELECT Id FROM Contact WHERE LastName LIKE 'Held 1%'");
		await inFlight(emu, 1);
		clock.advance(10_000);
		const res = await p;
		// Held 1, Held 10..19, Held 100..199 = 111 rows
		expect(res.totalSize).toBe(111);
		expect(emu.counters().model.modelledMs).toBe(150 + 111);
	});
});

describe('latency model: the hold runs from the request’s arrival', () => {
	// The emulator serves requests one after the other on one thread; Salesforce serves them side
	// by side. The time a request waited behind others' work, or took itself, is part of its
	// modelled time, not added to it.
	/**
	 * A 150 ms query that arrived at 0 and that the emulator got to `spentMs` later: the model time
	 * after that at which its answer is released (stepping the clock 1 ms at a time).
	 */
	const heldAfterServing = async (spentMs: number): Promise<number> => {
		const clock = new ManualClock();
		const model = new LatencyModel({ baseMs: 150, clock });
		const visit = model.admit(0);
		if (!(visit instanceof Visit)) throw new Error('refused');
		clock.advance(spentMs);
		let answered = false;
		void model
			.finish(visit, 'query', { status: 200, json: { records: [] } })
			.then(() => (answered = true));
		for (let waited = 0; waited <= 1000; waited++) {
			await new Promise((r) => setImmediate(r));
			if (answered) {
				expect(model.counters()).toMatchObject({ inFlight: 0, modelledMs: 150 });
				return waited;
			}
			clock.advance(1);
		}
		throw new Error('never answered');
	};

	test('a request that arrived 100 ms before the emulator got to it is answered 150 ms after it arrived', async () => {
		expect(await heldAfterServing(100)).toBe(50);
	});

	test('a request the emulator took longer than its modelled time over is answered at once', async () => {
		expect(await heldAfterServing(400)).toBe(0);
	});

	test('a request admitted as it arrives is held its whole modelled time', async () => {
		expect(await heldAfterServing(0)).toBe(150);
	});
});

describe('latency model: seeded jitter', () => {
	test('same seed, same times; each time within ±jitter of the base', async () => {
		const run = async (): Promise<number[]> => {
			const clock = new ManualClock();
			const emu = await emulator({ model: { baseMs: 1000, jitter: 0.2, seed: 7, clock } });
			const token = emu.issueToken().access_token;
			const times: number[] = [];
			try {
				for (let i = 0; i < 5; i++) {
					const before = emu.counters().model.modelledMs;
					const p = api(emu, token, 'GET', '/limits');
					await inFlight(emu, 1);
					clock.advance(2000);
					await p;
					times.push(emu.counters().model.modelledMs - before);
				}
			} finally {
				await emu.stop();
			}
			return times;
		};
		const a = await run();
		expect(await run()).toEqual(a);
		for (const t of a) {
			expect(t).toBeGreaterThanOrEqual(800);
			expect(t).toBeLessThanOrEqual(1200);
		}
		expect(new Set(a).size).toBeGreaterThan(1);
	});
});

describe('concurrency ceiling per org', () => {
	let emu: Emulator;
	let conn: Connection;
	let token: string;
	const clock = new ManualClock();
	beforeAll(async () => {
		emu = await emulator({ model: { baseMs: 1000, maxConcurrent: 2, clock } });
		conn = connect(emu);
		token = emu.issueToken().access_token;
	});
	afterAll(() => emu.stop());

	test('the 3rd concurrent request answers 403 REQUEST_LIMIT_EXCEEDED; a slot freed admits the next', async () => {
		const held = [query(conn, 'SELECT Id FROM Account'), query(conn, 'SELECT Id FROM Contact')];
		await inFlight(emu, 2);
		const raw = await api(emu, token, 'GET', '/query?q=SELECT+Id+FROM+Lead');
		expect(raw.status).toBe(403);
		expect(raw.json).toEqual([
			{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
		]);
		const viaJsforce = await rejection(conn.sobject('Contact').create({ LastName: 'Refused' }));
		expect(viaJsforce.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
		expect(emu.records('Contact').some((r) => r.LastName === 'Refused')).toBe(false);
		expect(emu.counters().model).toMatchObject({ refused: 2, peakConcurrency: 2, inFlight: 2 });
		clock.advance(1000);
		await Promise.all(held);
		const next = conn.sobject('Contact').create({ LastName: 'Admitted' });
		await inFlight(emu, 1);
		clock.advance(1000);
		expect((await next).success).toBe(true);
		expect(emu.counters().model.refused).toBe(2);
	});

	test('with longRunningMs (Salesforce: 20 s) only requests running that long count', async () => {
		emu.setModel({ baseMs: 30_000, maxConcurrent: 1, longRunningMs: 20_000, clock });
		emu.resetCounters();
		const first = query(conn, 'SELECT Id FROM Account');
		await inFlight(emu, 1);
		const second = query(conn, 'SELECT Id FROM Account'); // the first is not long-running yet
		await inFlight(emu, 2);
		clock.advance(20_000);
		const refused = await api(emu, token, 'GET', '/limits');
		expect(refused.status).toBe(403);
		clock.advance(10_000);
		await Promise.all([first, second]);
		expect(emu.counters().model).toMatchObject({ refused: 1, peakConcurrency: 2 });
	});
});

describe('parent-record lock contention', () => {
	let emu: Emulator;
	let conn: Connection;
	const clock = new ManualClock();
	const accounts: string[] = [];
	let contactId = '';
	const lockModel = (lockWaitMs: number): ModelOptions => ({ baseMs: 1000, lockWaitMs, clock });
	const lockWaitMs0 = lockModel(0);
	beforeAll(async () => {
		emu = await emulator();
		conn = connect(emu);
		for (const name of ['A1', 'A2', 'A3']) {
			const r = await conn.sobject('Account').create({ Name: name });
			accounts.push(r.id!);
		}
		contactId = (await conn.sobject('Contact').create({ LastName: 'Parent' })).id!;
	});
	afterAll(() => emu.stop());
	beforeEach(() => {
		emu.setModel(lockWaitMs0);
		emu.resetCounters();
	});

	/** Sends `a`, waits until the emulator holds it, sends `b`, then releases both. */
	async function concurrently<T>(
		a: () => Promise<T>,
		b: () => Promise<T>,
		ms = 10_000,
	): Promise<[T, T]> {
		const pa = a();
		await inFlight(emu, 1);
		const pb = b();
		await inFlight(emu, 2);
		clock.advance(ms);
		return [await pa, await pb];
	}

	const contacts = (parents: Array<string | undefined>, tag: string) => () =>
		conn.sobject('Contact').create(
			parents.map((AccountId, i) => ({
				LastName: `${tag} ${i}`,
				...(AccountId ? { AccountId } : {}),
			})),
			{ allOrNone: false },
		) as Promise<Result[]>;

	test('concurrent Collections on the same Account: the later call fails UNABLE_TO_LOCK_ROW for those records only', async () => {
		const [A1, A2, A3] = accounts;
		const [first, second] = await concurrently(
			contacts([A1, A1, A2], 'first'),
			contacts([A1, undefined, A3, A2], 'second'),
		);
		expect(codes(first)).toEqual(['ok', 'ok', 'ok']);
		expect(codes(second)).toEqual(['UNABLE_TO_LOCK_ROW', 'ok', 'ok', 'UNABLE_TO_LOCK_ROW']);
		const stored = emu.records('Contact').map((r) => r.LastName);
		expect(stored).not.toContain('second 0');
		expect(stored).toContain('second 1');
		expect(emu.counters().model.lockFailures).toBe(2);
		expect(emu.counters().faults.lock).toBe(0);
	});

	test('a parent named by its external ID is locked like one named by its Id', async () => {
		const [A1] = accounts;
		emu.setModel('off');
		await conn.sobject('Account').update({ Id: A1, Skeepers_Account_Id__c: 'ext-A1' });
		emu.setModel(lockWaitMs0);
		const byExternalId = () =>
			conn
				.sobject('Contact')
				.create([{ LastName: 'by ext', Account: { Skeepers_Account_Id__c: 'ext-A1' } }], {
					allOrNone: false,
				}) as Promise<Result[]>;
		const [first, second] = await concurrently(contacts([A1], 'by id'), byExternalId);
		expect(codes(first)).toEqual(['ok']);
		expect(codes(second)).toEqual(['UNABLE_TO_LOCK_ROW']);
		expect(emu.counters().model.lockFailures).toBe(1);
	});

	test('different parents, or the same parent one call after the other: no lock failure', async () => {
		const [A1, A2] = accounts;
		const [a, b] = await concurrently(
			contacts([A1], 'diff a'),
			contacts([A2, undefined], 'diff b'),
		);
		expect(codes([...a, ...b])).toEqual(['ok', 'ok', 'ok']);
		const p = contacts([A1, A1], 'seq a')();
		await inFlight(emu, 1);
		clock.advance(1000);
		expect(codes(await p)).toEqual(['ok', 'ok']);
		const q = contacts([A1], 'seq b')();
		await inFlight(emu, 1);
		clock.advance(1000);
		expect(codes(await q)).toEqual(['ok']);
		expect(emu.counters().model.lockFailures).toBe(0);
	});

	test('within the lock wait, the later call waits for the lock and succeeds (held for wait + its own time)', async () => {
		emu.setModel(lockModel(10_000));
		const [A1] = accounts;
		const pa = contacts([A1], 'wait a')();
		await inFlight(emu, 1);
		const pb = contacts([A1], 'wait b')();
		await inFlight(emu, 2);
		clock.advance(1000);
		expect(codes(await pa)).toEqual(['ok']);
		expect(emu.counters().model.inFlight).toBe(1); // b waited 1000 ms for A1, then runs 1000 ms
		clock.advance(1000);
		expect(codes(await pb)).toEqual(['ok']);
		expect(emu.counters().model).toMatchObject({ lockWaits: 1, lockFailures: 0, modelledMs: 3000 });
	});

	test('a single-record REST create under a locked parent fails as a whole: 400 UNABLE_TO_LOCK_ROW', async () => {
		const [A1] = accounts;
		const [held, err] = await concurrently<unknown>(contacts([A1], 'single a'), () =>
			rejection(conn.sobject('Contact').create({ LastName: 'single b', AccountId: A1 })),
		);
		expect(codes(held as Result[])).toEqual(['ok']);
		expect((err as { errorCode?: string }).errorCode).toBe('UNABLE_TO_LOCK_ROW');
		expect(emu.records('Contact').some((r) => r.LastName === 'single b')).toBe(false);
	});

	test('Skeepers_Feedback__c upserts under the same Contact__c, and a Case under a held Contact, contend', async () => {
		const feedback = (events: string[]) => () =>
			conn.sobject('Skeepers_Feedback__c').upsert(
				events.map((e) => ({ Event_Id__c: e, Contact__c: contactId })),
				'Event_Id__c',
				{ allOrNone: false },
			) as Promise<Result[]>;
		const [a, b] = await concurrently(feedback(['ev-1', 'ev-2']), feedback(['ev-3']));
		expect(codes(a)).toEqual(['ok', 'ok']);
		expect(codes(b)).toEqual(['UNABLE_TO_LOCK_ROW']);
		const [f, c] = await concurrently(
			feedback(['ev-4']),
			() =>
				conn.sobject('Case').create([{ Subject: 'held', ContactId: contactId }], {
					allOrNone: false,
				}) as Promise<Result[]>,
		);
		expect(codes(f)).toEqual(['ok']);
		expect(codes(c)).toEqual(['UNABLE_TO_LOCK_ROW']);
	});

	test('a write refused before it runs (401) holds no lock', async () => {
		const [A1] = accounts;
		const [refused, after] = await concurrently<unknown>(
			() =>
				api(emu, 'not-a-token', 'POST', '/composite/sobjects', {
					records: [{ attributes: { type: 'Contact' }, LastName: 'no auth', AccountId: A1 }],
				}),
			contacts([A1], 'after 401'),
		);
		expect((refused as { status: number }).status).toBe(401);
		expect(codes(after as Result[])).toEqual(['ok']);
		expect(emu.counters().model.lockFailures).toBe(0);
	});

	test("an update by Id locks the stored record's parent", async () => {
		const [A1] = accounts;
		const existing = emu.records('Contact').find((r) => r.AccountId === A1)!;
		const [, upd] = await concurrently<Result[]>(
			contacts([A1], 'upd a'),
			() =>
				conn.sobject('Contact').update([{ Id: String(existing.Id), Title: 'x' }], {
					allOrNone: false,
				}) as Promise<Result[]>,
		);
		expect(codes(upd)).toEqual(['UNABLE_TO_LOCK_ROW']);
	});
});

describe('Bulk API 2.0 job timing', () => {
	test('a job completes with every record after the modelled time of its batches', async () => {
		const model = {
			baseMs: 20,
			perRecordMs: 1,
			bulkBatchSize: 10,
			bulkChunkSize: 5,
			bulkParallelism: 2,
		};
		const emu = await emulator({ model });
		try {
			const conn = connect(emu);
			const csv = toCsv([['LastName'], ...Array.from({ length: 35 }, (_, i) => [`Bulk ${i}`])]);
			const res = await conn.bulk2.loadAndWaitForResults({
				object: 'Contact',
				operation: 'insert',
				input: csv,
				pollInterval: 20,
				pollTimeout: 20_000,
			});
			expect(res.successfulResults).toHaveLength(35);
			expect(emu.records('Contact')).toHaveLength(35);
			// batches 10,10,10,5; a batch = chunks × base + records × per-record: 50, 50, 50, 25 ms;
			// two at a time: 50+50 on one worker, 50+25 on the other → 100 ms.
			const plan = bulkPlan({ ...model, perRowMs: 0 }, 35);
			expect(plan).toEqual({ batches: [10, 10, 10, 5], batchMs: [50, 50, 50, 25], totalMs: 100 });
			const jobs = (
				await conn.request<{ records: Array<{ totalProcessingTime: number }> }>(
					'/services/data/v66.0/jobs/ingest',
				)
			).records;
			expect(jobs.map((j) => j.totalProcessingTime)).toEqual([100]);
		} finally {
			await emu.stop();
		}
	});

	test('the job stays InProgress until the model clock passes its modelled time', async () => {
		const clock = new ManualClock();
		const emu = await emulator({ model: { perRecordMs: 100, clock } });
		try {
			const token = emu.issueToken().access_token;
			const job = (
				await api(emu, token, 'POST', '/jobs/ingest', { object: 'Contact', operation: 'insert' })
			).json as { id: string };
			await api(emu, token, 'PUT', `/jobs/ingest/${job.id}/batches`, 'LastName\nX\nY\n');
			await api(emu, token, 'PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
			const status = async () =>
				(await api(emu, token, 'GET', `/jobs/ingest/${job.id}`)).json as {
					state: string;
					numberRecordsProcessed: number;
					totalProcessingTime: number;
				};
			// the records are processed on the job's ticks; then only the model's timer is left
			for (let i = 0; i < 4000 && clock.pending === 0; i++)
				await new Promise((r) => setTimeout(r, 5));
			expect(clock.pending).toBe(1);
			expect((await status()).state).toBe('InProgress');
			clock.advance(199); // 2 records × 100 ms, one chunk, no base
			expect((await status()).state).toBe('InProgress');
			clock.advance(1);
			expect(await status()).toMatchObject({
				state: 'JobComplete',
				numberRecordsProcessed: 2,
				totalProcessingTime: 200,
			});
		} finally {
			await emu.stop();
		}
	});
});

describe('CLI flags', () => {
	test('--model salesforce with overrides; the counters subcommand shows the model counters', async () => {
		const cli = await startCli(['--port', '0', '--model', 'salesforce', '--max-concurrent', '3']);
		try {
			const settings = (await (await fetch(`${cli.url}/__emulator/model`)).json()) as Record<
				string,
				unknown
			>;
			expect(settings).toMatchObject({
				baseMs: 150,
				perRecordMs: 5,
				maxConcurrent: 3,
				lockWaitMs: 10_000,
				bulkBatchSize: 10_000,
			});
			const { stdout } = await promisify(execFile)(
				process.execPath,
				[require.resolve('tsx/cli'), 'emulator/cli.ts', 'counters', '--url', cli.url],
				{ cwd: join(__dirname, '../..') },
			);
			expect(JSON.parse(stdout)).toMatchObject({
				model: { inFlight: 0, refused: 0, lockFailures: 0, peakConcurrency: 0 },
			});
		} finally {
			cli.stop();
		}
	}, 30000);

	test('an unknown option or model is refused', async () => {
		const run = (args: string[]) =>
			promisify(execFile)(
				process.execPath,
				[require.resolve('tsx/cli'), 'emulator/cli.ts', ...args],
				{
					cwd: join(__dirname, '../..'),
				},
			).then(
				() => '',
				(e: { stderr: string }) => e.stderr,
			);
		expect(await run(['--lock-wait', '5'])).toMatch(/Unknown option '--lock-wait'/);
		expect(await run(['--model', 'fast'])).toMatch(/--model expects salesforce or off/);
	}, 30000);
});

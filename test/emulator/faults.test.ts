import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFaults } from '../../emulator';
import { api, connect, emulator, rejection, startCli } from './helpers';

describe('fault injection', () => {
	test('grammar: 503=0.05,lock=0.05,delay=0.02:2000,seed=42; bad specs are refused', () => {
		expect(parseFaults('503=0.05,lock=0.05,delay=0.02:2000,seed=42')).toEqual({
			unavailable: 0.05,
			lock: 0.05,
			delay: { fraction: 0.02, ms: 2000 },
			seed: 42,
		});
		expect(parseFaults('none')).toEqual({});
		expect(() => parseFaults('503=2')).toThrow(/fraction/);
		expect(() => parseFaults('boom=0.1')).toThrow(/unknown fault/);
	});

	test('503 SERVER_UNAVAILABLE happens before anything is written, and is counted', async () => {
		const emu = await emulator({ faults: '503=1' });
		try {
			const conn = connect(emu);
			const err = await rejection(conn.sobject('Contact').create({ LastName: 'never' }));
			expect(err.errorCode).toBe('SERVER_UNAVAILABLE');
			expect(emu.records('Contact')).toHaveLength(0);
			expect(emu.counters().faults.unavailable).toBe(1);
			emu.setFaults('none');
			expect((await conn.sobject('Contact').create({ LastName: 'now' })).success).toBe(true);
		} finally {
			await emu.stop();
		}
	});

	test('lock faults fail single collection records (not written) and are reproducible from the seed', async () => {
		const run = async (): Promise<boolean[]> => {
			const emu = await emulator({ faults: 'lock=0.3,seed=7' });
			try {
				const conn = connect(emu);
				const res = await conn
					.sobject('Contact')
					.create(Array.from({ length: 50 }, (_, i) => ({ LastName: `L${i}` })));
				const failed = res.filter((r) => !r.success);
				expect(failed.length).toBeGreaterThan(5);
				expect(failed.length).toBeLessThan(30);
				expect(failed[0].errors[0]).toMatchObject({ statusCode: 'UNABLE_TO_LOCK_ROW' });
				expect(emu.records('Contact')).toHaveLength(50 - failed.length);
				expect(emu.counters().faults.lock).toBe(failed.length);
				return res.map((r) => r.success);
			} finally {
				await emu.stop();
			}
		};
		expect(await run()).toEqual(await run());
	});

	test('latency and delayed requests', async () => {
		const emu = await emulator({ latencyMs: 60 });
		try {
			const t = emu.issueToken().access_token;
			let start = Date.now();
			await api(emu, t, 'GET', '/limits');
			expect(Date.now() - start).toBeGreaterThanOrEqual(55);
			emu.setLatency(0);
			emu.setFaults('delay=1:120');
			start = Date.now();
			await api(emu, t, 'GET', '/limits');
			expect(Date.now() - start).toBeGreaterThanOrEqual(110);
			expect(emu.counters().faults.delay).toBe(1);
		} finally {
			await emu.stop();
		}
	});

	test('observability endpoints: counters, records, faults, reset', async () => {
		const emu = await emulator();
		try {
			const conn = connect(emu);
			await conn.sobject('Lead').create({ LastName: 'Obs', Company: 'Co' });
			const counters = (await (await fetch(`${emu.url}/__emulator/counters`)).json()) as {
				total: number;
				byKind: Record<string, number>;
			};
			expect(counters.byKind['sobject.create']).toBe(1);
			const dump = JSON.stringify(counters);
			expect(dump).not.toContain(conn.accessToken!);
			const recs = (await (await fetch(`${emu.url}/__emulator/records/Lead`)).json()) as Array<
				Record<string, unknown>
			>;
			expect(recs).toEqual([
				expect.objectContaining({ LastName: 'Obs', Company: 'Co', Status: 'Open - Not Contacted' }),
			]);
			const f = await fetch(`${emu.url}/__emulator/faults`, {
				method: 'POST',
				body: '503=0.5,seed=3',
			});
			expect(await f.json()).toEqual({ unavailable: 0.5, seed: 3 });
			await fetch(`${emu.url}/__emulator/reset-counters`, { method: 'POST' });
			expect(emu.counters().total).toBe(0);
		} finally {
			await emu.stop();
		}
	});
});

describe('persistence', () => {
	test('records and tokens survive a restart with dataFile', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sf-emu-')), 'state.json');
		const first = await emulator({ dataFile: file });
		const conn = connect(first);
		const { id } = await conn.sobject('Contact').create({ LastName: 'Persisted' });
		const token = conn.accessToken!;
		await first.stop();
		expect(JSON.parse(readFileSync(file, 'utf8')).store.records.Contact).toHaveLength(1);
		const second = await emulator({ dataFile: file });
		try {
			expect(second.records('Contact').map((r) => r.Id)).toEqual([id]);
			const r = await api(second, token, 'GET', `/sobjects/Contact/${id!}`);
			expect(r.status).toBe(200);
			const { id: id2 } = (
				await api(second, token, 'POST', '/sobjects/Contact', { LastName: 'Next' })
			).json as { id: string };
			expect(id2).not.toBe(id);
		} finally {
			await second.stop();
		}
	});
});

describe('CLI', () => {
	test('npm run emulator prints the ready line and serves requests', async () => {
		const cli = await startCli(['--port', '0', '--faults', 'seed=1']);
		try {
			expect(cli.line).toMatch(/^Salesforce emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
			const res = await fetch(`${cli.url}/services/data`);
			expect(res.status).toBe(200);
		} finally {
			cli.stop();
		}
	}, 20000);
});

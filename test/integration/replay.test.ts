import { createHmac } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { formatDelivery, main, parseArgs } from '../../replay/cli';
import { loadPayloads, percentile, replay } from '../../replay/replay';
import { startTrigger, type Harness } from './trigger-harness';

const SECRET = 'replay-secret-9c2e51d0aa';
const PAYLOADS = path.join(__dirname, '../../examples/payloads');
const SAMPLE_FILES = 9;
const SAMPLE_EVENTS = 12;

interface Seen {
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

/** A tiny server: `answer` decides the status from what arrived; tracks requests in flight. */
async function tinyServer(answer: (seen: Seen) => number, delayMs = 0) {
	const seen: Seen[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const server = http.createServer((req, res) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const s = { url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
			seen.push(s);
			setTimeout(() => {
				inFlight--;
				res.statusCode = answer(s);
				res.end('{}');
			}, delayMs);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/x/skeepers`,
		seen,
		maxInFlight: () => maxInFlight,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const capture = () => {
	const out: string[] = [];
	const err: string[] = [];
	return {
		out,
		err,
		io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: {} },
	};
};

let harness: Harness | undefined;
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

describe('replay against the Skeepers Trigger', () => {
	it('every sample is accepted with an HMAC signature; the trigger sees every event', async () => {
		harness = await startTrigger({ credentials: { secret: SECRET, mode: 'hmac' } });
		const summary = await replay({
			url: harness.url,
			paths: [PAYLOADS],
			secret: SECRET,
			concurrency: 3,
		});
		expect(summary).toMatchObject({
			sent: SAMPLE_FILES,
			status2xx: SAMPLE_FILES,
			status4xx: 0,
			status5xx: 0,
			other: 0,
			allAccepted: true,
		});
		expect(summary.p95Ms).toBeGreaterThanOrEqual(summary.p50Ms);
		const events = harness.calls.flatMap((c) => c.result?.workflowData?.[0] ?? []);
		expect(events).toHaveLength(SAMPLE_EVENTS);
		expect(harness.calls.every((c) => c.nodeAnswered)).toBe(true);
	});

	it('the CLI prints a line per delivery and a summary, exits 0; with --timestamp too', async () => {
		harness = await startTrigger({
			credentials: { secret: SECRET, mode: 'hmac', useTimestamp: true },
		});
		const { out, io } = capture();
		const code = await main(
			[
				'--url',
				harness.url,
				'--secret',
				SECRET,
				'--timestamp',
				path.join(PAYLOADS, 'promoter.json'),
				path.join(PAYLOADS, 'form-encoded.form'),
			],
			io,
		);
		expect(code).toBe(0);
		expect(out).toHaveLength(3);
		expect(out[0]).toMatch(/^200 +\d+ ms {2}.*(promoter\.json|form-encoded\.form)$/);
		expect(out[2]).toMatch(/^sent 2, 2xx 2, 4xx 0, 5xx 0, p50 \d+ ms, p95 \d+ ms$/);
	});

	it('a wrong secret: every delivery 401, exit code 1, the secret never printed', async () => {
		harness = await startTrigger({ credentials: { secret: SECRET, mode: 'hmac' } });
		const { out, err, io } = capture();
		const code = await main(
			['--url', harness.url, '--secret', 'wrong-secret-123456', PAYLOADS],
			io,
		);
		expect(code).toBe(1);
		expect(out.filter((l) => l.startsWith('401 '))).toHaveLength(SAMPLE_FILES);
		expect(out[out.length - 1]).toMatch(
			new RegExp(`^sent ${SAMPLE_FILES}, 2xx 0, 4xx ${SAMPLE_FILES}, 5xx 0,`),
		);
		expect(out.join('\n')).toContain('signature does not match');
		expect([...out, ...err].join('\n')).not.toContain('wrong-secret-123456');
		expect(harness.calls.some((c) => c.result?.workflowData)).toBe(false);
	});

	it('token modes use the credential defaults (X-Skeepers-Token, ?token=)', async () => {
		harness = await startTrigger({ credentials: { secret: SECRET, mode: 'tokenHeader' } });
		const viaHeader = await replay({
			url: harness.url,
			paths: [path.join(PAYLOADS, 'passive.json')],
			mode: 'token-header',
			secret: SECRET,
		});
		expect(viaHeader.allAccepted).toBe(true);
		await harness.close();
		harness = await startTrigger({ credentials: { secret: SECRET, mode: 'tokenQuery' } });
		const viaQuery = await replay({
			url: harness.url,
			paths: [path.join(PAYLOADS, 'passive.json')],
			mode: 'token-query',
			secret: SECRET,
		});
		expect(viaQuery.allAccepted).toBe(true);
	});
});

describe('replay against a tiny server', () => {
	it('sends exact bytes, content types and a verifiable signature', async () => {
		const server = await tinyServer(() => 204);
		try {
			await replay({
				url: server.url,
				paths: [PAYLOADS],
				secret: SECRET,
				timestamp: true,
				now: () => 1_741_944_000_000,
			});
			expect(server.seen).toHaveLength(SAMPLE_FILES);
			for (const s of server.seen) {
				expect(s.headers['x-skeepers-timestamp']).toBe('1741944000');
				const expected = createHmac('sha256', SECRET)
					.update(Buffer.concat([Buffer.from('1741944000.'), s.body]))
					.digest('hex');
				expect(s.headers['x-skeepers-signature']).toBe(`sha256=${expected}`);
			}
			const form = server.seen.find((s) => s.body.toString().startsWith('event='));
			expect(form?.headers['content-type']).toBe(
				'application/x-www-form-urlencoded; charset=utf-8',
			);
			const onDisk = await fs.readFile(path.join(PAYLOADS, 'non-ascii-names.json'));
			expect(
				server.seen.some(
					(s) =>
						s.body.equals(onDisk) &&
						s.headers['content-type'] === 'application/json; charset=utf-8',
				),
			).toBe(true);
		} finally {
			await server.close();
		}
	});

	it('bounds concurrency and repeats', async () => {
		const server = await tinyServer(() => 200, 40);
		try {
			const summary = await replay({
				url: server.url,
				paths: [PAYLOADS],
				concurrency: 2,
				repeat: 3,
			});
			expect(summary.sent).toBe(SAMPLE_FILES * 3);
			expect(server.maxInFlight()).toBe(2);
			expect(new Set(summary.deliveries.map((d) => d.round))).toEqual(new Set([1, 2, 3]));
		} finally {
			await server.close();
		}
	});

	it('counts 2xx / 4xx / 5xx and exits 1 when one is not accepted', async () => {
		const server = await tinyServer((s) => {
			const text = s.body.toString('utf8');
			if (text.includes('R-1002')) return 404;
			if (text.includes('R-1003')) return 503;
			return 200;
		});
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'replay-'));
		try {
			for (const f of ['promoter.json', 'passive.json', 'detractor-with-comment.json']) {
				await fs.copyFile(path.join(PAYLOADS, f), path.join(dir, f));
			}
			await fs.writeFile(path.join(dir, 'notes.md'), 'ignored in folders');
			const { out, io } = capture();
			const code = await main(['--url', server.url, dir], io);
			expect(code).toBe(1);
			expect(out[out.length - 1]).toMatch(/^sent 3, 2xx 1, 4xx 1, 5xx 1, p50 \d+ ms, p95 \d+ ms$/);
			expect(server.seen.every((s) => s.headers['x-skeepers-signature'] === undefined)).toBe(true);
		} finally {
			await server.close();
			await fs.rm(dir, { recursive: true, force: true });
		}
	});

	it('a delivery with no answer counts as not accepted (status 0)', async () => {
		const server = await tinyServer(() => 200);
		const url = server.url;
		await server.close();
		const summary = await replay({
			url,
			paths: [path.join(PAYLOADS, 'promoter.json')],
			timeoutMs: 2000,
		});
		expect(summary).toMatchObject({ sent: 1, status2xx: 0, other: 1, allAccepted: false });
		expect(formatDelivery(summary.deliveries[0])).toMatch(/^ERR .*promoter\.json {2}\(/);
	});
});

describe('replay helpers', () => {
	it('usage errors exit 2 and name the problem', async () => {
		const { err, io } = capture();
		expect(await main(['--url', 'http://x', '--mode', 'hmac', PAYLOADS], io)).toBe(2);
		expect(err[0]).toBe('replay: --mode hmac needs --secret (or SKEEPERS_WEBHOOK_SECRET)');
		expect(await main([PAYLOADS], capture().io)).toBe(2);
		expect(await main(['--url', 'http://x', '--concurrency', '0', PAYLOADS], capture().io)).toBe(2);
		const unknown = capture();
		expect(await main(['--url', 'http://x', '--bogus', PAYLOADS], unknown.io)).toBe(2);
		expect(unknown.err[0]).toBe("replay: unknown option '--bogus'");
		const badMode = capture();
		expect(await main(['--url', 'http://x', '--mode', 'md5', PAYLOADS], badMode.io)).toBe(2);
		expect(badMode.err[0]).toBe('replay: --mode must be hmac, token-header, token-query or none');
	});

	it('parseArgs reads the secret from SKEEPERS_WEBHOOK_SECRET', () => {
		const options = parseArgs(['--url', 'http://h/w', 'a.json'], {
			SKEEPERS_WEBHOOK_SECRET: 'from-env',
		});
		expect(options).toMatchObject({ url: 'http://h/w', paths: ['a.json'], secret: 'from-env' });
	});

	it('loadPayloads maps extensions to content types and refuses unknown ones', async () => {
		const payloads = await loadPayloads([PAYLOADS]);
		expect(payloads).toHaveLength(SAMPLE_FILES);
		expect(payloads.find((p) => p.file.endsWith('.form'))?.contentType).toBe(
			'application/x-www-form-urlencoded; charset=utf-8',
		);
		await expect(loadPayloads([path.join(PAYLOADS, 'README.md')])).rejects.toThrow(
			'unknown extension',
		);
	});

	it('percentile is nearest-rank', () => {
		expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
		expect(
			percentile(
				Array.from({ length: 20 }, (_, i) => i + 1),
				95,
			),
		).toBe(19);
		expect(percentile([], 95)).toBe(0);
	});
});

/**
 * Reliability and abuse, nothing lost — on a real n8n, both majors (2.41.1 and 1.123.81;
 * SKEEPERS_E2E_MAJORS=2 or 1 limits them), with this package installed from its tarball and the Salesforce emulator behind an imported credential (bench/reliability-lib.ts,
 * shared with `npm run soak`, which runs the same scenarios at full size).
 *
 * - faults: 503s (5 %), UNABLE_TO_LOCK_ROW (5 % of records), 2 s delays (2 %), sessions expiring
 *   every 200 calls with refresh-token rotation → every item one result, every record once,
 *   no duplicate create, and n8n keeps the rotated refresh token;
 * - the daily API allocation running out mid-run, with and without Continue On Fail;
 * - hostile webhooks against the Skeepers Trigger (HMAC + timestamp): statuses, no execution for
 *   a refused delivery, n8n healthy after each, a redelivery with the dedup option writes once;
 * - SOQL look-alikes on Email (quotes, backslashes, %, _, newline, unicode);
 * - no secret in any answer, error, execution record or n8n log line.
 *
 * Sizes: SKEEPERS_REL_UPSERTS (2000), SKEEPERS_REL_CREATES (500), SKEEPERS_REL_BATCH (10).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { packPackage } from '../../runtime/n8n';
import {
	runFaults,
	runHostileWebhooks,
	runInjection,
	runLimit,
	runSecretsScan,
	scanForSecrets,
	startReliabilityStack,
	type RelContext,
} from '../../bench/reliability-lib';
import { e2eMajors } from './majors';

const UPSERTS = Number(process.env.SKEEPERS_REL_UPSERTS ?? 2000);
const CREATES = Number(process.env.SKEEPERS_REL_CREATES ?? 500);
const BATCH = Number(process.env.SKEEPERS_REL_BATCH ?? 10);

const majors = e2eMajors();

let packDir: string;
let tarball: string;

beforeAll(async () => {
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-e2e-rel-pack-'));
	tarball = await packPackage({ outDir: packDir });
}, 10 * 60_000);

afterAll(() => {
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
});

describe.each(majors)('n8n %i.x', (major) => {
	let ctx: RelContext | undefined;
	const c = () => {
		if (!ctx) throw new Error('the reliability stack did not start');
		return ctx;
	};
	const print = (title: string, value: unknown) =>
		process.stdout.write(
			`\n[reliability n8n ${major}.x] ${title}: ${typeof value === 'string' ? value : JSON.stringify(value, null, 1)}\n`,
		);

	beforeAll(async () => {
		ctx = await startReliabilityStack({ packageTarball: tarball, major });
	}, 10 * 60_000);

	afterAll(async () => {
		await ctx?.stack.stop();
		ctx = undefined;
	}, 60_000);

	test(
		`faults: ${UPSERTS} upserts by external ID + ${CREATES} creates → one result per item, every record exactly once, rotated refresh token kept`,
		async () => {
			const r = await runFaults(c(), { upserts: UPSERTS, creates: CREATES, batchSize: BATCH });
			print('faults', {
				items: r.items,
				results: r.results,
				recordsExpected: r.recordsExpected,
				recordsFound: r.recordsFound,
				duplicates: r.duplicates,
				faultsInjected: r.faultsInjected,
				faults: r.faults,
				retries: r.retries,
				refreshes: r.refreshes,
				tokenEndpointCalls: r.byKind['oauth.token'] ?? 0,
				refreshTokenRotations: r.refreshTokenRotations,
				seconds: r.seconds,
			});
			expect(r.failedResults).toEqual([]);
			expect(r.results).toBe(r.items);
			expect(r.resultsPerItemOk).toBe(true);
			expect(r.missing).toBe(0);
			expect(r.duplicates).toBe(0);
			expect(r.recordsFound).toBe(r.recordsExpected);
			// the faults did happen, and were survived
			expect(r.faults.unavailable).toBeGreaterThan(0);
			expect(r.faults.lock).toBeGreaterThan(0);
			expect(r.retries).toBeGreaterThan(0);
			// sessions expired and were refreshed with rotation; n8n stored the newest refresh token
			expect(r.refreshes).toBeGreaterThanOrEqual(1);
			expect(r.refreshTokenRotations).toBe(r.refreshes);
			expect(r.storedRefreshTokenIsCurrent).toBe(true);
		},
		8 * 60_000,
	);

	test(
		'limits: the daily API allocation runs out mid-run → written items keep their results, the others fail with REQUEST_LIMIT_EXCEEDED; without Continue On Fail the error says how many were written',
		async () => {
			const r = await runLimit(c(), { items: 1000, allowedWriteCalls: 2 });
			print('limit', r);
			// Continue On Fail: 2 calls × 200 written, each with its record's id; 600 error items
			expect(r.continueOnFail.results).toBe(1000);
			expect(r.continueOnFail.success).toBe(400);
			expect(r.continueOnFail.recordsWritten).toBe(400);
			expect(r.continueOnFail.successIdsMatch).toBe(true);
			expect(r.continueOnFail.limitErrors).toBe(600);
			expect(r.continueOnFail.otherErrors).toEqual([]);
			// stop: the webhook answers n8n's 500; the execution's error names the item and the code,
			// and its description how many items were written
			expect(r.stop.status).toBe(500);
			expect(r.stop.message).toMatch(/^Item \d+: REQUEST_LIMIT_EXCEEDED/);
			expect(r.stop.recordsWritten).toBe(400);
			expect(r.stop.statesWritten).toBe(true);
			expect(r.stop.description).toContain('400 of 1000 item(s) WERE written');
		},
		5 * 60_000,
	);

	test(
		'hostile webhooks: each gets the right status, refused ones start no execution, n8n stays healthy; a redelivery with the dedup option writes once',
		async () => {
			const { cases, dedupCases } = await runHostileWebhooks(c());
			print(
				'webhook cases',
				cases
					.map(
						(x) =>
							`${x.ok ? 'ok  ' : 'FAIL'} ${x.status} (expected ${x.expected.join('/')}) executions ${x.executionsStarted}${x.executionStatus ? ` (${x.executionStatus})` : ''} — ${x.case}`,
					)
					.join('\n'),
			);
			expect(
				cases
					.filter((x) => !x.ok)
					.map((x) => ({
						case: x.case,
						status: x.status,
						executions: x.executionsStarted,
						healthy: x.healthy,
						response: x.response,
					})),
			).toEqual([]);
			expect(cases.every((x) => x.healthy)).toBe(true);
			const byCase = Object.fromEntries(cases.map((x) => [x.case, x]));
			for (const name of [
				'missing signature',
				'wrong signature (other secret)',
				'tampered body (signature of another body)',
				'stale timestamp (1 h old, correctly signed)',
				'future timestamp (+1 h, correctly signed)',
			]) {
				expect([name, byCase[name].status, byCase[name].executionsStarted]).toEqual([name, 401, 0]);
			}
			expect(dedupCases).toBe(1);
		},
		6 * 60_000,
	);

	test(
		'injection: match values with quotes, backslashes, %, _, newlines and unicode find exactly their record (SOQL on Email)',
		async () => {
			const r = await runInjection(c());
			print(
				'injection',
				r.items
					.map((i) => `${JSON.stringify(i.value)} → ${i.success ? i.id : i.errorCode}`)
					.join('\n'),
			);
			expect(r.wrongMatches).toEqual([]);
			expect(r.lookAlikesTouched).toEqual([]);
			expect(r.ok).toBe(true);
		},
		3 * 60_000,
	);

	test('the secret scanner finds a planted secret', () => {
		const secrets = [{ name: 'planted', value: 'planted-secret-0123456789' }];
		expect(scanForSecrets([{ where: 'a', text: 'nothing here' }], secrets)).toEqual([]);
		expect(
			scanForSecrets([{ where: 'b', text: '{"x":"..planted-secret-0123456789.."}' }], secrets),
		).toEqual([{ secret: 'planted', where: 'b' }]);
		expect(
			scanForSecrets([{ where: 'c', text: 'q=planted-secret-0123456789' }], secrets),
		).toHaveLength(1);
	});

	test(
		'secrets: no consumer secret, access or refresh token, or webhook secret in any answer, error, execution record or n8n log',
		async () => {
			const r = await runSecretsScan(c());
			print('secrets', {
				secretsChecked: r.secretsChecked,
				textsScanned: r.textsScanned,
				bytesScanned: r.bytesScanned,
				executionsScanned: r.executionsScanned,
				hits: r.hits.length,
				selfCheck: r.selfCheck,
			});
			// the scan is able to find them: a planted token, and the stored (decrypted) credential does hold one
			expect(r.selfCheck).toEqual({ plantedFound: true, storedCredentialHasToken: true });
			expect(r.secretsChecked).toBeGreaterThanOrEqual(5);
			expect(r.executionsScanned).toBeGreaterThanOrEqual(5);
			expect(r.hits).toEqual([]);
		},
		5 * 60_000,
	);
});

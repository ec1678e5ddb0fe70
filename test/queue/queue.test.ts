/**
 * n8n 2.41.1 in queue mode (PostgreSQL + Redis, main + webhook process + 2 workers), this
 * package installed in every process's user folder, the demo workflow
 * Skeepers Trigger (HMAC) → IF (NPS ≤ 6) → Feed Application upsert Contact (external ID)
 * → Feed Application create Case (Dedup Key = event id, Dedup Key Field = Case.Skeepers_Event_Id__c),
 * fed by the emulator (which enforces unique fields with DUPLICATE_VALUE, like Salesforce).
 *
 * Needs PostgreSQL and Redis binaries: `bash runtime/queue-deps.sh`. Run: `npm run test:queue`.
 * Findings: docs/scaling.md.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { startEmulator, type Emulator } from '../../emulator';
import { replay } from '../../replay/replay';
import { n8nId, packPackage } from '../../runtime/n8n';
import { startQueueStack, type QueueStack } from '../../runtime/queue';

const SECRET = 'queue-mode-webhook-secret-0123456789';
const WEBHOOK_PATH_ID = randomUUID();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const workflowId = n8nId();
/** the same workflow with the Dedup Key alone (n8n's store, no Dedup Key Field): measured, not asserted */
const keyOnlyWorkflowId = n8nId();
const KEY_ONLY_PATH_ID = randomUUID();
/** the same workflow, but the Case is written with Create or Update on its unique external ID */
const upsertWorkflowId = n8nId();
const UPSERT_PATH_ID = randomUUID();
const sfCredId = n8nId();
const hookCredId = n8nId();

/**
 * examples/workflows/detractor-to-case.json (Skeepers Trigger → IF NPS ≤ 6 → Upsert Contact on
 * Skeepers_Respondent_Id__c → Create Case with Dedup Key = event id and Dedup Key Field =
 * Case.Skeepers_Event_Id__c; the event id is also in the Case's Description, "Skeepers event:
 * <id>"), with our credential ids and webhook path.
 * `keyOnly`: the Dedup Key without the Dedup Key Field (n8n's store only).
 * `caseByExternalId`: the Case written by Create or Update on Case.Skeepers_Event_Id__c instead.
 */
function workflow(o: { caseByExternalId?: boolean; keyOnly?: boolean } = {}) {
	const wf = JSON.parse(
		fs.readFileSync(
			path.join(__dirname, '../../examples/workflows/detractor-to-case.json'),
			'utf8',
		),
	) as {
		nodes: Array<{
			name: string;
			type: string;
			webhookId?: string;
			parameters: Record<string, unknown>;
			credentials?: Record<string, { id: string; name: string }>;
		}>;
		[k: string]: unknown;
	};
	for (const n of wf.nodes) {
		if (n.credentials?.skeepersWebhookApi)
			n.credentials.skeepersWebhookApi = { id: hookCredId, name: 'Skeepers webhook' };
		if (n.credentials?.skeepersSalesforceOAuth2Api)
			n.credentials.skeepersSalesforceOAuth2Api = { id: sfCredId, name: 'Salesforce (emulator)' };
		if (n.type === 'n8n-nodes-skeepers.skeepersTrigger')
			n.webhookId = o.caseByExternalId
				? UPSERT_PATH_ID
				: o.keyOnly
					? KEY_ONLY_PATH_ID
					: WEBHOOK_PATH_ID;
		const options = n.parameters.options as Record<string, unknown> | undefined;
		if (n.name === 'Create Case' && options?.dedupKeyField !== 'Skeepers_Event_Id__c')
			throw new Error('the example no longer sets Dedup Key Field = Skeepers_Event_Id__c');
		if ((o.keyOnly || o.caseByExternalId) && n.name === 'Create Case')
			delete options?.dedupKeyField;
		if (o.caseByExternalId && n.name === 'Create Case') {
			n.parameters.operation = 'upsert';
			n.parameters.matchField = 'Skeepers_Event_Id__c';
			n.parameters.matchValue = "={{ $('Skeepers Trigger').item.json.eventId }}";
		}
	}
	return {
		...wf,
		id: o.caseByExternalId ? upsertWorkflowId : o.keyOnly ? keyOnlyWorkflowId : workflowId,
		name: `${String(wf.name)}${o.caseByExternalId ? ' (Case upsert on Skeepers_Event_Id__c)' : o.keyOnly ? ' (Dedup Key only)' : ''}`,
		active: undefined,
	};
}

/** the event id a Case was created for (the example writes "Skeepers event: <id>" in Description) */
const caseEvent = (c: Record<string, unknown>) =>
	/Skeepers event: (\S+)/.exec(String(c.Description ?? ''))?.[1] ?? '';

interface Delivery {
	eventId: string;
	respondentId: string;
	score: number;
}

/** Unique respondents and events; scores cycle so ~64% are detractors (0-6). */
function makeDeliveries(
	prefix: string,
	n: number,
	dir: string,
	opts: { allDetractors?: boolean } = {},
): Delivery[] {
	fs.mkdirSync(dir, { recursive: true });
	const out: Delivery[] = [];
	for (let i = 0; i < n; i++) {
		const d: Delivery = {
			eventId: `evt_${prefix}_${String(i).padStart(4, '0')}`,
			respondentId: `R-${prefix}-${String(i).padStart(4, '0')}`,
			score: opts.allDetractors ? i % 7 : i % 11,
		};
		out.push(d);
		const body = {
			event: 'response.completed',
			id: d.eventId,
			created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
			campaign: { id: 'CMP-NPS-2026', name: 'NPS queue mode' },
			respondent: {
				id: d.respondentId,
				email: `${d.respondentId.toLowerCase()}@example.test`,
				first_name: 'Queue',
				last_name: `Respondent ${prefix} ${i}`,
			},
			answers: [
				{
					question_id: 'Q1',
					question: 'Quelle est la probabilité que vous nous recommandiez ?',
					type: 'nps',
					value: d.score,
				},
			],
		};
		fs.writeFileSync(path.join(dir, `${d.eventId}.json`), JSON.stringify(body));
	}
	return out;
}

const isDetractor = (d: Delivery) => d.score <= 6;

/** Bull's lease on a job, and how often a worker looks for jobs whose lease lapsed. */
const LOCK_MS = 15_000;
const STALLED_CHECK_MS = 5_000;

describe('n8n 2.41.1 queue mode: main + webhook process + 2 workers (PostgreSQL, Redis)', () => {
	let emu: Emulator;
	let stack: QueueStack | undefined;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-queue-test-'));
	const log: string[] = [];
	const report: Record<string, unknown> = {};
	const t0 = Date.now();

	/** every execution of the workflow with id > after, all pages */
	// Ground truth from n8n's PostgreSQL: paging /rest/executions with a cursor while executions
	// change status repeated or skipped rows at page boundaries (301 and 299 for 300 in CI runs).
	async function executionsAfter(
		after: number,
		wf = workflowId,
	): Promise<Array<{ id: string; status: string; mode: string }>> {
		if (!/^[A-Za-z0-9]+$/.test(wf)) throw new Error(`unexpected workflow id ${wf}`);
		const rows = await stack!.postgres.query(
			`SELECT id, status, mode FROM execution_entity WHERE "workflowId" = '${wf}' AND id > ${Math.floor(after)} ORDER BY id`,
		);
		return rows.map(([id, status, mode]) => ({ id, status, mode }));
	}

	async function maxExecutionId(wf = workflowId): Promise<number> {
		if (!/^[A-Za-z0-9]+$/.test(wf)) throw new Error(`unexpected workflow id ${wf}`);
		const rows = await stack!.postgres.query(
			`SELECT COALESCE(MAX(id), 0) FROM execution_entity WHERE "workflowId" = '${wf}'`,
		);
		return Number(rows[0]?.[0] ?? 0);
	}

	const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);
	async function waitForFinal(after: number, expected: number, timeoutMs: number, wf = workflowId) {
		const deadline = Date.now() + timeoutMs;
		let last: Array<{ id: string; status: string; mode: string }> = [];
		while (Date.now() < deadline) {
			last = await executionsAfter(after, wf);
			if (last.length >= expected && last.every((e) => FINAL.has(e.status))) return last;
			await sleep(1000);
		}
		const byStatus = countBy(last.map((e) => e.status));
		throw new Error(
			`timed out: ${last.length}/${expected} executions, statuses ${JSON.stringify(byStatus)}`,
		);
	}

	/** Prints every execution when the count differs from the deliveries sent. */
	function reportCount(
		label: string,
		execs: Array<{ id: string; status: string; mode: string }>,
		n: number,
	) {
		if (execs.length === n) return;
		const byWorker = stack!.executionsByWorker();
		const enqueued = stack!.webhooks
			.flatMap((w) => w.lines())
			.filter((l) => /Enqueued execution \d+/.test(l)).length;
		console.log(
			`${label}: ${execs.length} executions for ${n} deliveries (webhook processes logged ${enqueued} enqueued in total)`,
			JSON.stringify(
				execs.map((e) => ({
					id: e.id,
					status: e.status,
					mode: e.mode,
					retryOf: (e as { retryOf?: unknown }).retryOf ?? null,
					workers: byWorker.get(e.id) ?? [],
				})),
			),
		);
	}

	/**
	 * Why an execution did not succeed: its error, else its status, with what n8n's processes
	 * logged about it (queue recovery names the executions it marks crashed).
	 */
	async function whyNotSuccess(id: string): Promise<string> {
		const d = await stack!.main.rest.execution(id);
		const said = log.filter((l) => new RegExp(`\\b${id}\\b`).test(l)).slice(-5);
		return [String(d.data?.resultData?.error?.message ?? d.status), ...said].join('\n');
	}

	function perWorker(ids: string[]): Record<string, number> {
		const byId = stack!.executionsByWorker();
		const counts: Record<string, number> = {};
		for (const w of stack!.workers) counts[w.name] = 0;
		for (const id of ids)
			for (const w of byId.get(id) ?? ['(no worker)']) counts[w] = (counts[w] ?? 0) + 1;
		return counts;
	}

	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
		const tgz = await packPackage({ outDir: tmp });
		const t = Date.now();
		stack = await startQueueStack({
			packageTarball: tgz,
			workers: 2,
			workerConcurrency: 5,
			webhookProcesses: 1,
			credentials: [
				{
					id: hookCredId,
					name: 'Skeepers webhook',
					type: 'skeepersWebhookApi',
					data: {
						secret: SECRET,
						mode: 'hmac',
						signatureHeader: 'X-Skeepers-Signature',
						signatureEncoding: 'hex',
						signaturePrefix: 'sha256=',
						useTimestamp: false,
					},
				},
				{
					id: sfCredId,
					name: 'Salesforce (emulator)',
					type: 'skeepersSalesforceOAuth2Api',
					data: {
						environment: 'production',
						grantType: 'pkce',
						clientId: 'skeepers-demo-client',
						clientSecret: 'skeepers-demo-secret',
						customUrls: true,
						customAuthUrl: `${emu.url}/services/oauth2/authorize`,
						customAccessTokenUrl: `${emu.url}/services/oauth2/token`,
						oauthTokenData: emu.issueToken(),
					},
				},
			],
			workflows: [workflow(), workflow({ keyOnly: true }), workflow({ caseByExternalId: true })],
			env: {
				// a crashed worker's job: Bull's lock lapses after 15 s and the stalled check (every
				// 5 s) fails it (n8n runs Bull with maxStalledCount 0: never re-run); main's queue
				// recovery then marks its execution crashed. Recovery keeps n8n's default interval
				// (180 min): it runs when main starts, and the kill test restarts main for it.
				QUEUE_WORKER_LOCK_DURATION: String(LOCK_MS),
				QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
				QUEUE_WORKER_STALLED_INTERVAL: String(STALLED_CHECK_MS),
			},
			log: (l) => log.push(l),
		});
		report.startupMs = Date.now() - t;
	});

	afterAll(async () => {
		try {
			if (stack) {
				report.workerStartups = stack.workers.map((w) => w.startupMs);
				await stack.stop();
			}
		} finally {
			await emu?.stop();
			report.totalMs = Date.now() - t0;
			// figures for docs/scaling.md
			console.log(`queue-mode figures:\n${JSON.stringify(report, null, 2)}`);
			if (process.env.SKEEPERS_QUEUE_LOG)
				fs.writeFileSync(process.env.SKEEPERS_QUEUE_LOG, log.join('\n'));
			fs.rmSync(tmp, { recursive: true, force: true });
		}
	});

	test('the webhook process takes every delivery; executions spread over both workers; records exact', async () => {
		const n = 300;
		const ds = makeDeliveries('load', n, path.join(tmp, 'load'));
		const before = await maxExecutionId();
		const t = Date.now();
		const r = await replay({
			url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`),
			paths: [path.join(tmp, 'load')],
			mode: 'hmac',
			secret: SECRET,
			concurrency: 8,
		});
		const replayMs = Date.now() - t;
		expect(r.sent).toBe(n);
		expect(r.status2xx).toBe(n);

		const execs = await waitForFinal(before, n, 240_000);
		const doneMs = Date.now() - t;
		reportCount('load run', execs, n);
		expect(execs).toHaveLength(n);
		// An execution may fail before any node runs when the machine is starved: n8n 2.41 checks
		// resource-locator regexes (the Feed Application's Object "By Name" mode) in a vm with a
		// 250 ms wall-clock timeout (n8n-workflow safe-regex.ts) → "Regular expression execution
		// timed out" in checkReadyForExecution. Seen 1 in 300 on 2 busy cores. Visible (status
		// error), never silent; any other failure fails this test.
		const failed = execs.filter((e) => e.status !== 'success');
		const failures: string[] = [];
		for (const e of failed) failures.push(await whyNotSuccess(e.id));
		for (const m of failures) expect(m).toMatch(/^Regular expression execution timed out/);
		const workers = perWorker(execs.map((e) => e.id));
		for (const w of stack!.workers) expect(workers[w.name]).toBeGreaterThan(0);
		expect(workers['(no worker)']).toBeUndefined();
		// the webhook process enqueued them, main did not see a single delivery
		const enqueuedByWebhook = stack!.webhooks[0]
			.lines()
			.filter((l) => /Enqueued execution \d+/.test(l)).length;

		const detractors = ds.filter(isDetractor);
		const contacts = emu
			.records('Contact')
			.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-load-'));
		const cases = emu.records('Case').filter((c) => caseEvent(c).startsWith('evt_load_'));
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(dupes(cases.map(caseEvent))).toEqual([]);
		const expectedRespondents = new Set(detractors.map((d) => d.respondentId));
		const expectedEvents = new Set(detractors.map((d) => d.eventId));
		for (const c of contacts)
			expect(expectedRespondents.has(String(c.Skeepers_Respondent_Id__c))).toBe(true);
		for (const c of cases) expect(expectedEvents.has(caseEvent(c))).toBe(true);
		// every detractor delivery has its Contact and Case, except at most one per failed execution
		expect(detractors.length - contacts.length).toBeLessThanOrEqual(failed.length);
		expect(detractors.length - cases.length).toBeLessThanOrEqual(failed.length);
		if (!failed.length) expect(cases).toHaveLength(detractors.length);
		const contactIdByRespondent = new Map(contacts.map((c) => [c.Skeepers_Respondent_Id__c, c.Id]));
		for (const c of cases)
			expect(c.ContactId).toBe(
				contactIdByRespondent.get(`R-load-${caseEvent(c).slice('evt_load_'.length)}`),
			);

		report.load = {
			deliveries: n,
			accepted2xx: r.status2xx,
			replayP50Ms: r.p50Ms,
			replayP95Ms: r.p95Ms,
			replayMs,
			allExecutionsFinishedMs: doneMs,
			executions: execs.length,
			statuses: countBy(execs.map((e) => e.status)),
			failures,
			executionsPerWorker: workers,
			enqueuedByWebhookProcess: enqueuedByWebhook,
			detractors: detractors.length,
			contacts: contacts.length,
			cases: cases.length,
		};
	});

	/** Sends every event of `dir` at the same moment to the webhook process and to main. */
	async function raceDeliveries(pathId: string, dir: string, n: number) {
		// main serves production webhooks in queue mode too (N8N_DISABLE_PRODUCTION_MAIN_PROCESS
		// defaults to false), so a load balancer may hand the two copies to different processes
		const [a, b] = await Promise.all([
			replay({
				url: stack!.webhookUrl(`${pathId}/skeepers`),
				paths: [dir],
				mode: 'hmac',
				secret: SECRET,
				concurrency: 8,
			}),
			replay({
				url: stack!.webhookUrl(`${pathId}/skeepers`, 'main'),
				paths: [dir],
				mode: 'hmac',
				secret: SECRET,
				concurrency: 8,
			}),
		]);
		expect(a.sent).toBe(n);
		expect(b.sent).toBe(n);
		return { a, b, accepted2xx: a.status2xx + b.status2xx };
	}

	test('the same delivery sent at the same moment to the webhook process and to main, Dedup Key + Dedup Key Field: exactly one Case per event', async () => {
		const n = 40;
		const dir = path.join(tmp, 'race');
		const ds = makeDeliveries('race', n, dir, { allDetractors: true });
		const before = await maxExecutionId();
		const { a, b, accepted2xx } = await raceDeliveries(WEBHOOK_PATH_ID, dir, n);
		expect(a.status2xx).toBe(n);
		expect(b.status2xx).toBe(n);
		const execs = await waitForFinal(before, 2 * n, 180_000);
		reportCount('race (key + field)', execs, 2 * n);
		const statuses = countBy(execs.map((e) => e.status));

		// what each execution's Create Case answered: created, skipped by Salesforce's unique index
		// (DUPLICATE_VALUE on the field), or skipped by n8n's store (the other delivery had finished)
		const outcomes: Record<string, number> = {
			created: 0,
			skippedBySalesforce: 0,
			skippedByN8nStore: 0,
			other: 0,
		};
		const errors: string[] = [];
		for (const e of execs) {
			const d = await stack!.main.rest.execution(e.id);
			if (e.status !== 'success')
				errors.push(String(d.data?.resultData?.error?.message ?? e.status));
			const out = (d.data?.resultData?.runData?.['Create Case']?.[0]?.data?.main?.[0] ??
				[]) as Array<{ json: Record<string, any> }>;
			for (const { json: r } of out) {
				if (r.success && r.created) outcomes.created++;
				else if (r.skipped && r.dedup?.field === 'Skeepers_Event_Id__c')
					outcomes.skippedBySalesforce++;
				else if (r.skipped) outcomes.skippedByN8nStore++;
				else outcomes.other++;
			}
		}

		const contacts = emu
			.records('Contact')
			.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-race-'));
		const cases = emu.records('Case').filter((c) => caseEvent(c).startsWith('evt_race_'));
		const dupCases = dupes(cases.map(caseEvent));
		report.race = {
			events: n,
			deliveriesEach: 2,
			accepted2xx,
			executions: execs.length,
			statuses,
			executionsPerWorker: perWorker(execs.map((e) => e.id)),
			createCase: outcomes,
			contacts: contacts.length,
			cases: cases.length,
			eventsWithDuplicateCases: dupCases.length,
		};
		console.log(
			`queue race, Dedup Key + Dedup Key Field: ${cases.length} Cases for ${n} events (${dupCases.length} duplicates); Create Case ${JSON.stringify(outcomes)}`,
		);
		expect(errors).toEqual([]);
		expect(execs).toHaveLength(2 * n);
		expect(statuses).toEqual({ success: 2 * n });
		expect(dupCases).toEqual([]);
		expect(cases).toHaveLength(n);
		expect(new Set(cases.map(caseEvent))).toEqual(new Set(ds.map((d) => d.eventId)));
		expect(cases.map((c) => c.Skeepers_Event_Id__c).sort()).toEqual(
			ds.map((d) => d.eventId).sort(),
		);
		// every execution reached Create Case with its event: one created it, the other skipped it
		expect(outcomes.created).toBe(n);
		expect(outcomes.skippedBySalesforce + outcomes.skippedByN8nStore).toBe(n);
		expect(outcomes.other).toBe(0);
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(contacts).toHaveLength(n);
	});

	// Measured, not asserted: with the Dedup Key alone, n8n's deduplication store (one JSON row per
	// workflow, read-modify-write without a lock) cannot stop two workers handling the same key at
	// once (4-8 of 40 events got 2 Cases in earlier runs). Asserted: nothing lost, never more than
	// one Case per delivery. See docs/scaling.md.
	test('the same race with the Dedup Key alone (n8n store only): nothing lost, at most one Case per delivery; duplicates measured', async () => {
		const n = 40;
		const dir = path.join(tmp, 'race-key-only');
		const ds = makeDeliveries('rko', n, dir, { allDetractors: true });
		const before = await maxExecutionId(keyOnlyWorkflowId);
		const { a, b } = await raceDeliveries(KEY_ONLY_PATH_ID, dir, n);
		expect(a.status2xx).toBe(n);
		expect(b.status2xx).toBe(n);
		const execs = await waitForFinal(before, 2 * n, 180_000, keyOnlyWorkflowId);
		const contacts = emu
			.records('Contact')
			.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-rko-'));
		const cases = emu.records('Case').filter((c) => caseEvent(c).startsWith('evt_rko_'));
		const dupCases = dupes(cases.map(caseEvent));
		report.raceKeyOnly = {
			events: n,
			deliveriesEach: 2,
			executions: execs.length,
			statuses: countBy(execs.map((e) => e.status)),
			executionsPerWorker: perWorker(execs.map((e) => e.id)),
			contacts: contacts.length,
			cases: cases.length,
			eventsWithDuplicateCases: dupCases.length,
		};
		console.log(
			`queue race, Dedup Key only: ${dupCases.length} of ${n} events got two Cases (n8n's store is not atomic across workers)`,
		);
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(contacts).toHaveLength(n);
		expect(new Set(cases.map(caseEvent))).toEqual(new Set(ds.map((d) => d.eventId)));
		const perEvent = countBy(cases.map(caseEvent));
		expect(Math.max(...Object.values(perEvent))).toBeLessThanOrEqual(2);
	});

	test('the same race with the Case written by Create or Update on its unique external ID: one Case per event', async () => {
		// Salesforce (here the emulator) enforces the external ID's uniqueness atomically: the second
		// execution of an event updates the Case the first one created
		const n = 40;
		const dir = path.join(tmp, 'race-upsert');
		const ds = makeDeliveries('rup', n, dir, { allDetractors: true });
		const before = await maxExecutionId(upsertWorkflowId);
		const { a, b } = await raceDeliveries(UPSERT_PATH_ID, dir, n);
		expect(a.status2xx).toBe(n);
		expect(b.status2xx).toBe(n);
		const execs = await waitForFinal(before, 2 * n, 180_000, upsertWorkflowId);
		const cases = emu
			.records('Case')
			.filter((c) => String(c.Skeepers_Event_Id__c ?? '').startsWith('evt_rup_'));
		const contacts = emu
			.records('Contact')
			.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-rup-'));
		report.raceExternalId = {
			events: n,
			deliveriesEach: 2,
			executions: execs.length,
			statuses: countBy(execs.map((e) => e.status)),
			contacts: contacts.length,
			cases: cases.length,
			eventsWithDuplicateCases: dupes(cases.map((c) => String(c.Skeepers_Event_Id__c))).length,
		};
		expect(dupes(cases.map((c) => String(c.Skeepers_Event_Id__c)))).toEqual([]);
		expect(new Set(cases.map((c) => c.Skeepers_Event_Id__c))).toEqual(
			new Set(ds.map((d) => d.eventId)),
		);
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(contacts).toHaveLength(n);
	});

	test('a worker killed (SIGKILL) mid-run and restarted: no duplicates, no execution silently lost', async () => {
		const n = 100;
		const dir = path.join(tmp, 'kill');
		const ds = makeDeliveries('kill', n, dir, { allDetractors: true });
		const before = await maxExecutionId();
		const victim = stack!.workers[0];
		const startedBefore = new Set(victim.startedExecutions());
		// slow Salesforce down a little so the kill lands while executions are in flight
		emu.setLatency(150);
		const sending = replay({
			url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`),
			paths: [dir],
			mode: 'hmac',
			secret: SECRET,
			concurrency: 4,
		});
		// kill when ~30% of the deliveries have finished executing
		const deadline = Date.now() + 120_000;
		for (;;) {
			const done = (await executionsAfter(before)).filter((e) => FINAL.has(e.status)).length;
			if (done >= n * 0.3) break;
			if (Date.now() > deadline) throw new Error(`only ${done} executions finished in 120 s`);
			await sleep(250);
		}
		await victim.kill('SIGKILL');
		const killedAt = Date.now();
		// what the worker had started and not finished when it died (its log, read after the kill)
		const inFlight = victim
			.startedExecutions()
			.filter((id) => !startedBefore.has(id) && !victim.finishedExecutions().includes(id));
		const r = await sending;
		emu.setLatency(0);
		await victim.start();
		const restartMs = victim.startupMs[victim.startupMs.length - 1];
		expect(r.status2xx).toBe(n);

		// Main's queue recovery marks the dead worker's executions crashed. It runs once, when
		// main starts, at a moment when nothing else is in flight: recovery reads the stored
		// in-progress ids before the queue's jobs, so an execution created or finished between the
		// two reads is marked crashed although it runs fine (this suite once saw 1 of 300 executions
		// 'crashed' that way when recovery ran every 15 s during the load test).
		const othersDeadline = Date.now() + 180_000;
		for (;;) {
			const others = (await executionsAfter(before)).filter(
				(e) => !FINAL.has(e.status) && !inFlight.includes(e.id),
			);
			if (!others.length) break;
			if (Date.now() > othersDeadline)
				throw new Error(
					`executions still unfinished that the killed worker had not started: ${others.map((e) => `${e.id} ${e.status}`).join(', ')}`,
				);
			await sleep(1000);
		}
		// Bull fails a dead worker's job once its lease lapsed and a live worker's stalled check ran
		const lapse = killedAt + LOCK_MS + 2 * STALLED_CHECK_MS - Date.now();
		if (lapse > 0) await sleep(lapse);
		await stack!.main.restart();

		// every execution ends in a final state: success, or crashed/error once Bull failed the
		// stalled job and main's queue recovery marked it (nothing stays "running" or "new")
		const execs = await waitForFinal(before, n, 240_000);
		const recoveredMs = Date.now() - killedAt;
		const statuses = countBy(execs.map((e) => e.status));
		reportCount('worker-kill run', execs, n);
		expect(execs).toHaveLength(n);
		for (const e of execs) expect(FINAL.has(e.status)).toBe(true);

		const contacts = emu
			.records('Contact')
			.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-kill-'));
		const cases = emu.records('Case').filter((c) => caseEvent(c).startsWith('evt_kill_'));
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(dupes(cases.map(caseEvent))).toEqual([]);

		const notSuccess = execs.filter((e) => e.status !== 'success');
		const caseEvents = new Set(cases.map(caseEvent));
		const contactIds = new Set(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)));
		const missingCase = ds.filter((d) => !caseEvents.has(d.eventId));
		const missingContact = ds.filter((d) => !contactIds.has(d.respondentId));
		// every delivery without its records is accounted for by a non-successful execution
		expect(missingCase.length).toBeLessThanOrEqual(notSuccess.length);
		// no execution ran twice (n8n does not re-run a crashed job)
		const byId = stack!.executionsByWorker();
		const ranTwice = execs.filter((e) => (byId.get(e.id) ?? []).length > 1);

		// redelivering the events of the crashed executions completes the records without
		// duplicates (Contact upsert on the external ID, Case Dedup Key + Dedup Key Field)
		const redeliverDir = path.join(tmp, 'kill-redeliver');
		fs.mkdirSync(redeliverDir);
		for (const d of missingCase)
			fs.copyFileSync(
				path.join(dir, `${d.eventId}.json`),
				path.join(redeliverDir, `${d.eventId}.json`),
			);
		let afterRedelivery: Record<string, number> | undefined;
		if (missingCase.length) {
			const before2 = await maxExecutionId();
			const r2 = await replay({
				url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`),
				paths: [redeliverDir],
				mode: 'hmac',
				secret: SECRET,
				concurrency: 4,
			});
			expect(r2.status2xx).toBe(missingCase.length);
			const redelivered = await waitForFinal(before2, missingCase.length, 120_000);
			// a redelivery that fails says why; the only failure allowed is the one n8n shows on starved
			// cores before any node runs (see the first test): visible, never silent
			const redeliveryFailures: string[] = [];
			for (const e of redelivered.filter((x) => x.status !== 'success'))
				redeliveryFailures.push(await whyNotSuccess(e.id));
			for (const m of redeliveryFailures)
				expect(m).toMatch(/^Regular expression execution timed out/);
			const cases2 = emu.records('Case').filter((c) => caseEvent(c).startsWith('evt_kill_'));
			const contacts2 = emu
				.records('Contact')
				.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-kill-'));
			expect(dupes(cases2.map(caseEvent))).toEqual([]);
			expect(dupes(contacts2.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
			// every event still without its records is accounted for by a failed (visible) redelivery
			const caseEvents2 = new Set(cases2.map(caseEvent));
			const stillMissing = ds.filter((d) => !caseEvents2.has(d.eventId)).map((d) => d.eventId);
			expect(stillMissing.length).toBeLessThanOrEqual(redeliveryFailures.length);
			expect(n - contacts2.length).toBeLessThanOrEqual(redeliveryFailures.length);
			afterRedelivery = { contacts: contacts2.length, cases: cases2.length };
		}

		report.kill = {
			deliveries: n,
			killedWorker: victim.name,
			inFlightOnKilledWorker: inFlight.length,
			statuses,
			executionsPerWorker: perWorker(execs.map((e) => e.id)),
			ranTwice: ranTwice.length,
			contacts: contacts.length,
			cases: cases.length,
			deliveriesMissingCase: missingCase.length,
			deliveriesMissingContact: missingContact.length,
			recoveredMs,
			workerRestartMs: restartMs,
			afterRedeliveryOfMissing: afterRedelivery,
		};
		expect(ranTwice).toEqual([]);
	});
});

function countBy(xs: string[]): Record<string, number> {
	const m: Record<string, number> = {};
	for (const x of xs) m[x] = (m[x] ?? 0) + 1;
	return m;
}

function dupes(xs: string[]): string[] {
	const seen = new Set<string>();
	const d = new Set<string>();
	for (const x of xs) (seen.has(x) ? d : seen).add(x);
	return [...d];
}

/**
 * n8n 2.41.1 in queue mode (PostgreSQL + Redis, main + webhook process + 2 workers), this
 * package installed in every process's user folder, the demo workflow
 * Skeepers Trigger (HMAC) → IF (NPS ≤ 6) → Feed Application upsert Contact (external ID)
 * → Feed Application create Case (dedup key = eventId), fed by the emulator.
 *
 * Needs PostgreSQL and Redis binaries: `bash runtime/queue-deps.sh`. Run: `npm run test:queue`.
 * Findings: README.md, "Scaling".
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
const sfCredId = n8nId();
const hookCredId = n8nId();

function workflow() {
	const trigger = 'Skeepers Trigger';
	const sf = { skeepersSalesforceOAuth2Api: { id: sfCredId, name: 'Salesforce (emulator)' } };
	return {
		id: workflowId,
		name: 'queue: detractor → Contact + Case',
		nodes: [
			{
				id: randomUUID(),
				name: trigger,
				type: 'n8n-nodes-skeepers.skeepersTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_PATH_ID,
				parameters: { authentication: 'skeepersWebhookApi', filters: {}, options: {} },
				credentials: { skeepersWebhookApi: { id: hookCredId, name: 'Skeepers webhook' } },
			},
			{
				id: randomUUID(),
				name: 'Detractor?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				position: [220, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
						conditions: [
							{ id: randomUUID(), leftValue: '={{ $json.nps.score }}', rightValue: 6, operator: { type: 'number', operation: 'lte' } },
						],
						combinator: 'and',
					},
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Upsert Contact',
				type: 'n8n-nodes-skeepers.skeepersFeedApplication',
				typeVersion: 1,
				position: [440, 0],
				credentials: sf,
				parameters: {
					object: { __rl: true, mode: 'name', value: 'Contact' },
					operation: 'upsert',
					matchField: 'Skeepers_Respondent_Id__c',
					matchValue: '={{ $json.respondent.id }}',
					mapping: {
						rows: [
							{ internalEntity: '={{ $json.respondent.lastName }}', remoteField: 'LastName' },
							{ internalEntity: '={{ $json.respondent.firstName }}', remoteField: 'FirstName' },
							{ internalEntity: '={{ $json.respondent.email }}', remoteField: 'Email' },
							{ internalEntity: '={{ $json.nps.score }}', remoteField: 'NPS_Score__c' },
						],
					},
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Create Case',
				type: 'n8n-nodes-skeepers.skeepersFeedApplication',
				typeVersion: 1,
				position: [660, 0],
				credentials: sf,
				parameters: {
					object: { __rl: true, mode: 'name', value: 'Case' },
					operation: 'create',
					mapping: {
						rows: [
							{ internalEntity: `=Detractor {{ $('${trigger}').item.json.respondent.id }}`, remoteField: 'Subject' },
							// the event id goes in a plain text field on purpose: a unique external ID
							// (Case.Skeepers_Event_Id__c) would let Salesforce refuse a second Case and
							// hide what the node's own dedup does under concurrency
							{ internalEntity: `={{ $('${trigger}').item.json.eventId }}`, remoteField: 'Description' },
							{ internalEntity: '={{ $json.id }}', remoteField: 'ContactId' },
							{ internalEntity: 'Skeepers Survey', remoteField: 'Origin' },
						],
					},
					options: { dedupKey: `={{ $('${trigger}').item.json.eventId }}` },
				},
			},
		],
		connections: {
			[trigger]: { main: [[{ node: 'Detractor?', type: 'main', index: 0 }]] },
			'Detractor?': { main: [[{ node: 'Upsert Contact', type: 'main', index: 0 }], []] },
			'Upsert Contact': { main: [[{ node: 'Create Case', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

interface Delivery {
	eventId: string;
	respondentId: string;
	score: number;
}

/** Unique respondents and events; scores cycle so ~64% are detractors (0-6). */
function makeDeliveries(prefix: string, n: number, dir: string, opts: { allDetractors?: boolean } = {}): Delivery[] {
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
			answers: [{ question_id: 'Q1', question: 'Quelle est la probabilité que vous nous recommandiez ?', type: 'nps', value: d.score }],
		};
		fs.writeFileSync(path.join(dir, `${d.eventId}.json`), JSON.stringify(body));
	}
	return out;
}

const isDetractor = (d: Delivery) => d.score <= 6;

describe('n8n 2.41.1 queue mode: main + webhook process + 2 workers (PostgreSQL, Redis)', () => {
	let emu: Emulator;
	let stack: QueueStack | undefined;
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-queue-test-'));
	const log: string[] = [];
	const report: Record<string, unknown> = {};
	const t0 = Date.now();

	/** every execution of the workflow with id > after, all pages */
	async function executionsAfter(after: number): Promise<Array<{ id: string; status: string; mode: string }>> {
		const out: Array<{ id: string; status: string; mode: string }> = [];
		let cursor: string | undefined;
		for (;;) {
			const q: Record<string, string> = { filter: JSON.stringify({ workflowId }), limit: '100' };
			if (cursor) q.cursor = cursor;
			// rest.get unwraps n8n's `{ data }` envelope
			const r = await stack!.main.rest.get<{ results: Array<{ id: string; status: string; mode: string }>; nextCursor?: string }>('/executions', q);
			const page = r.results;
			let older = false;
			for (const e of page) {
				if (Number(e.id) > after) out.push(e);
				else older = true;
			}
			if (older || !r.nextCursor || !page.length) break;
			cursor = r.nextCursor;
		}
		return out;
	}

	async function maxExecutionId(): Promise<number> {
		// the list is not strictly sorted by id (running ones first): take the max of a page
		const page = await stack!.main.rest.executions({ workflowId }, 100);
		return page.reduce((m, e) => Math.max(m, Number(e.id)), 0);
	}

	const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);
	async function waitForFinal(after: number, expected: number, timeoutMs: number) {
		const deadline = Date.now() + timeoutMs;
		let last: Array<{ id: string; status: string; mode: string }> = [];
		while (Date.now() < deadline) {
			last = await executionsAfter(after);
			if (last.length >= expected && last.every((e) => FINAL.has(e.status))) return last;
			await sleep(1000);
		}
		const byStatus = countBy(last.map((e) => e.status));
		throw new Error(`timed out: ${last.length}/${expected} executions, statuses ${JSON.stringify(byStatus)}`);
	}

	function perWorker(ids: string[]): Record<string, number> {
		const byId = stack!.executionsByWorker();
		const counts: Record<string, number> = {};
		for (const w of stack!.workers) counts[w.name] = 0;
		for (const id of ids) for (const w of byId.get(id) ?? ['(no worker)']) counts[w] = (counts[w] ?? 0) + 1;
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
					data: { secret: SECRET, mode: 'hmac', signatureHeader: 'X-Skeepers-Signature', signatureEncoding: 'hex', signaturePrefix: 'sha256=', useTimestamp: false },
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
			workflows: [workflow()],
			env: {
				// a crashed worker's job: Bull's lock lapses after 15 s, the stalled check (every 5 s)
				// fails it (n8n runs Bull with maxStalledCount 0: never re-run), and main's queue
				// recovery (every 0.25 min here; default 180 min) marks its execution crashed
				QUEUE_WORKER_LOCK_DURATION: '15000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
				N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.25',
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
			// figures for README "Scaling"
			// eslint-disable-next-line no-console
			console.log(`queue-mode figures:\n${JSON.stringify(report, null, 2)}`);
			if (process.env.SKEEPERS_QUEUE_LOG) fs.writeFileSync(process.env.SKEEPERS_QUEUE_LOG, log.join('\n'));
			fs.rmSync(tmp, { recursive: true, force: true });
		}
	});

	test('the webhook process takes every delivery; executions spread over both workers; records exact', async () => {
		const n = 300;
		const ds = makeDeliveries('load', n, path.join(tmp, 'load'));
		const before = await maxExecutionId();
		const t = Date.now();
		const r = await replay({ url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`), paths: [path.join(tmp, 'load')], mode: 'hmac', secret: SECRET, concurrency: 8 });
		const replayMs = Date.now() - t;
		expect(r.sent).toBe(n);
		expect(r.status2xx).toBe(n);

		const execs = await waitForFinal(before, n, 240_000);
		const doneMs = Date.now() - t;
		expect(execs).toHaveLength(n);
		expect(countBy(execs.map((e) => e.status))).toEqual({ success: n });
		const workers = perWorker(execs.map((e) => e.id));
		for (const w of stack!.workers) expect(workers[w.name]).toBeGreaterThan(0);
		expect(workers['(no worker)']).toBeUndefined();
		// the webhook process enqueued them, main did not see a single delivery
		const enqueuedByWebhook = stack!.webhooks[0].lines().filter((l) => /Enqueued execution \d+/.test(l)).length;

		const detractors = ds.filter(isDetractor);
		const contacts = emu.records('Contact').filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-load-'));
		const cases = emu.records('Case').filter((c) => String(c.Description ?? '').startsWith('evt_load_'));
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(dupes(cases.map((c) => String(c.Description)))).toEqual([]);
		expect(new Set(contacts.map((c) => c.Skeepers_Respondent_Id__c))).toEqual(new Set(detractors.map((d) => d.respondentId)));
		expect(new Set(cases.map((c) => c.Description))).toEqual(new Set(detractors.map((d) => d.eventId)));
		const contactIdByRespondent = new Map(contacts.map((c) => [c.Skeepers_Respondent_Id__c, c.Id]));
		for (const c of cases) expect(c.ContactId).toBe(contactIdByRespondent.get(`R-load-${String(c.Description).slice('evt_load_'.length)}`));

		report.load = {
			deliveries: n,
			accepted2xx: r.status2xx,
			replayP50Ms: r.p50Ms,
			replayP95Ms: r.p95Ms,
			replayMs,
			allExecutionsFinishedMs: doneMs,
			executions: execs.length,
			executionsPerWorker: workers,
			enqueuedByWebhookProcess: enqueuedByWebhook,
			detractors: detractors.length,
			contacts: contacts.length,
			cases: cases.length,
		};
	});

	test('the same delivery sent at the same moment to the webhook process and to main: one Case per event', async () => {
		// main serves production webhooks in queue mode too (N8N_DISABLE_PRODUCTION_MAIN_PROCESS
		// defaults to false), so a load balancer may hand the two copies to different processes
		const n = 40;
		const dir = path.join(tmp, 'race');
		const ds = makeDeliveries('race', n, dir, { allDetractors: true });
		const before = await maxExecutionId();
		const [a, b] = await Promise.all([
			replay({ url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`), paths: [dir], mode: 'hmac', secret: SECRET, concurrency: 8 }),
			replay({ url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`, 'main'), paths: [dir], mode: 'hmac', secret: SECRET, concurrency: 8 }),
		]);
		expect(a.status2xx).toBe(n);
		expect(b.status2xx).toBe(n);
		const execs = await waitForFinal(before, 2 * n, 180_000);
		const statuses = countBy(execs.map((e) => e.status));

		const contacts = emu.records('Contact').filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-race-'));
		const cases = emu.records('Case').filter((c) => String(c.Description ?? '').startsWith('evt_race_'));
		const dupCases = dupes(cases.map((c) => String(c.Description)));
		report.race = {
			events: n,
			deliveriesEach: 2,
			executions: execs.length,
			statuses,
			executionsPerWorker: perWorker(execs.map((e) => e.id)),
			contacts: contacts.length,
			cases: cases.length,
			eventsWithDuplicateCases: dupCases.length,
		};
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(contacts).toHaveLength(n);
		expect(new Set(cases.map((c) => c.Description))).toEqual(new Set(ds.map((d) => d.eventId)));
		expect(dupCases).toEqual([]);
		expect(cases).toHaveLength(n);
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
		const sending = replay({ url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`), paths: [dir], mode: 'hmac', secret: SECRET, concurrency: 4 });
		// kill when ~30% of the deliveries have finished executing
		const deadline = Date.now() + 120_000;
		for (;;) {
			const done = (await executionsAfter(before)).filter((e) => FINAL.has(e.status)).length;
			if (done >= n * 0.3) break;
			if (Date.now() > deadline) throw new Error(`only ${done} executions finished in 120 s`);
			await sleep(250);
		}
		const inFlight = victim.startedExecutions().filter((id) => !startedBefore.has(id) && !victim.finishedExecutions().includes(id));
		await victim.kill('SIGKILL');
		const killedAt = Date.now();
		const r = await sending;
		emu.setLatency(0);
		await victim.start();
		const restartMs = victim.startupMs[victim.startupMs.length - 1];
		expect(r.status2xx).toBe(n);

		// every execution ends in a final state: success, or crashed/error once Bull failed the
		// stalled job and main's queue recovery marked it (nothing stays "running" or "new")
		const execs = await waitForFinal(before, n, 240_000);
		const recoveredMs = Date.now() - killedAt;
		const statuses = countBy(execs.map((e) => e.status));
		expect(execs).toHaveLength(n);
		for (const e of execs) expect(FINAL.has(e.status)).toBe(true);

		const contacts = emu.records('Contact').filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-kill-'));
		const cases = emu.records('Case').filter((c) => String(c.Description ?? '').startsWith('evt_kill_'));
		expect(dupes(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
		expect(dupes(cases.map((c) => String(c.Description)))).toEqual([]);

		const notSuccess = execs.filter((e) => e.status !== 'success');
		const caseEvents = new Set(cases.map((c) => String(c.Description)));
		const contactIds = new Set(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)));
		const missingCase = ds.filter((d) => !caseEvents.has(d.eventId));
		const missingContact = ds.filter((d) => !contactIds.has(d.respondentId));
		// every delivery without its records is accounted for by a non-successful execution
		expect(missingCase.length).toBeLessThanOrEqual(notSuccess.length);
		// no execution ran twice (n8n does not re-run a crashed job)
		const byId = stack!.executionsByWorker();
		const ranTwice = execs.filter((e) => (byId.get(e.id) ?? []).length > 1);

		// redelivering the events of the crashed executions completes the records without
		// duplicates (Contact upsert on the external ID, Case dedup key)
		const redeliverDir = path.join(tmp, 'kill-redeliver');
		fs.mkdirSync(redeliverDir);
		for (const d of missingCase) fs.copyFileSync(path.join(dir, `${d.eventId}.json`), path.join(redeliverDir, `${d.eventId}.json`));
		let afterRedelivery: Record<string, number> | undefined;
		if (missingCase.length) {
			const before2 = await maxExecutionId();
			const r2 = await replay({ url: stack!.webhookUrl(`${WEBHOOK_PATH_ID}/skeepers`), paths: [redeliverDir], mode: 'hmac', secret: SECRET, concurrency: 4 });
			expect(r2.status2xx).toBe(missingCase.length);
			await waitForFinal(before2, missingCase.length, 120_000);
			const cases2 = emu.records('Case').filter((c) => String(c.Description ?? '').startsWith('evt_kill_'));
			const contacts2 = emu.records('Contact').filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith('R-kill-'));
			expect(dupes(cases2.map((c) => String(c.Description)))).toEqual([]);
			expect(dupes(contacts2.map((c) => String(c.Skeepers_Respondent_Id__c)))).toEqual([]);
			expect(cases2).toHaveLength(n);
			expect(contacts2).toHaveLength(n);
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

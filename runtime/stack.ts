/**
 * The whole local stack in one call: the Salesforce emulator + a real, pinned n8n (runtime/n8n.ts)
 * with this package installed from its tarball, the two credentials of the package wired to the
 * emulator, and (optionally) the example workflows imported and activated.
 *
 *   const stack = await startStack({ major: 2, oauth: 'flow', workflows: 'examples', seed: 'examples' });
 *   await replay({ url: stack.workflows[0].triggerUrl, paths: [...], mode: 'hmac', secret: stack.webhookSecret });
 *   await stack.executions.waitFor(9);
 *   stack.emu.records('Contact');
 *   await stack.stop();
 *
 * Used by `npm run demo` (runtime/demo.ts), the e2e tests (test/e2e/), the browser tests, the
 * benchmarks and the queue-mode work. Dev kit only: never imported by nodes/ or credentials/.
 *
 * Credentials:
 * - Salesforce (`skeepersSalesforceOAuth2Api`), pointing at the emulator through the credential's
 *   Custom OAuth URLs. `oauth: 'flow'` (default) creates it over n8n's REST API and runs the real
 *   authorization-code + PKCE flow through n8n's own endpoints (`/rest/oauth2-credential/auth` →
 *   emulator consent page, approved by a form POST like a click on "Allow" →
 *   `/rest/oauth2-credential/callback` where n8n exchanges the code with its code_verifier and the
 *   consumer secret and stores the token response, `instance_url` included). `oauth: 'import'`
 *   imports it by CLI before the first start with `oauthTokenData` minted by `emu.issueToken()`.
 * - Webhook (`skeepersWebhookApi`), HMAC-SHA256 with `webhookSecret`, created over REST
 *   (imported by CLI in 'import' mode).
 *
 * Workflows are created and activated over REST (`POST /rest/workflows`, then
 * `POST /rest/workflows/:id/activate { versionId }`, same on 2.41.1 and 1.123.81), so their
 * production webhooks exist at once, without a restart. Credential references are filled in by
 * type, and every Skeepers Trigger gets a fresh `webhookId`, so the same example can be imported
 * several times.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startEmulator, type Emulator, type EmulatorOptions } from '../emulator';
import { SALESFORCE_CREDENTIAL_TYPE } from '../nodes/SkeepersFeedApplication/salesforce/transport';
import { DEFAULT_VERSION, DEMO_CLIENT } from '../emulator';
import {
	n8nId,
	packPackage,
	REPO_ROOT,
	startN8n,
	type ExecutionDetail,
	type ExecutionSummary,
	type N8nInstance,
	type StartOptions,
} from './n8n';

const PACKAGE_NAME = 'n8n-nodes-skeepers';
export const TRIGGER_TYPE = `${PACKAGE_NAME}.skeepersTrigger`;
export const FEED_TYPE = `${PACKAGE_NAME}.skeepersFeedApplication`;
export const WEBHOOK_CREDENTIAL_TYPE = 'skeepersWebhookApi';
/** The path every Skeepers Trigger listens on (after its webhookId). */
const TRIGGER_PATH = 'skeepers';
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples', 'workflows');
export const PAYLOADS_DIR = path.join(REPO_ROOT, 'examples', 'payloads');
const SEED_DIR = path.join(REPO_ROOT, 'examples', 'seed');
const DEFAULT_WEBHOOK_SECRET = 'skeepers-demo-webhook-secret-0123456789abcdef';

const FINISHED = ['success', 'error', 'crashed', 'canceled'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StackOptions {
	/** n8n major: 2 (2.41.1, default) or 1 (1.123.81) */
	major?: 2 | 1;
	/** options of the emulator (port is always 0) */
	emulator?: EmulatorOptions;
	/** how the Salesforce credential gets its token (default 'flow') */
	oauth?: 'flow' | 'import';
	/** HMAC secret of the webhook credential (default DEFAULT_WEBHOOK_SECRET) */
	webhookSecret?: string;
	/** 'examples' = examples/workflows/*.json; or workflow objects; default: none */
	workflows?: 'examples' | object[];
	/**
	 * Records that exist in the org before anything runs (the CRM's own data), created in the
	 * emulator through its REST API before n8n starts, then the emulator's counters are reset.
	 * 'examples' = examples/seed/*.json (what the enrich-by-e-mail example matches); default: none.
	 */
	seed?: 'examples' | SeedRecords;
	/** a tarball from packPackage() to reuse (tests pack once per file); default: build + pack now */
	packageTarball?: string;
	/** with no packageTarball: run `npm run build` before packing (default true) */
	build?: boolean;
	/** extra options for startN8n (env, startTimeoutMs, installMode…) */
	n8n?: Partial<StartOptions>;
	/** names of the two credentials */
	credentialNames?: { salesforce?: string; webhook?: string };
	/** receives n8n's log lines and the stack's own ([stack] …) */
	log?: (line: string) => void;
}

export interface StackWorkflow {
	id: string;
	name: string;
	versionId?: string;
	/** production URL of each Skeepers Trigger of the workflow (`<n8n>/webhook/<webhookId>/skeepers`) */
	triggerUrls: string[];
	/** the first of them */
	triggerUrl: string;
	/** the file it came from, for the examples */
	file?: string;
}

interface OAuthFlowReport {
	authUrl: string;
	/** code_challenge_method sent to the provider (S256 for the PKCE grant) */
	codeChallengeMethod: string | null;
	hasCodeChallenge: boolean;
	callbackStatus: number;
}

interface StackExecutions {
	/** Finished and running executions (newest first), optionally of some workflows; pages through all. */
	list(filter?: { workflowIds?: string[]; status?: string[] }): Promise<ExecutionSummary[]>;
	/** Number of finished executions (optionally of some workflows). */
	countFinished(workflowIds?: string[]): Promise<number>;
	/**
	 * Waits until at least `n` executions (of `workflowIds`, excluding ids in `exclude`) are
	 * finished and none is still running; returns their summaries (newest first).
	 */
	waitFor(
		n: number,
		opts?: { workflowIds?: string[]; exclude?: string[]; timeoutMs?: number; settleMs?: number },
	): Promise<ExecutionSummary[]>;
	/** One execution with its run data (un-flatted). */
	get(id: string): Promise<ExecutionDetail>;
	/** Output items (json) of a node in an execution (first run, output 0 unless given). */
	nodeOutput(exec: ExecutionDetail, nodeName: string, output?: number): Array<Record<string, any>>;
}

export interface Stack {
	major: 2 | 1;
	emu: Emulator;
	n8n: N8nInstance;
	credentials: { salesforce: { id: string; name: string }; webhook: { id: string; name: string } };
	webhookSecret: string;
	/** the workflows imported at start */
	workflows: StackWorkflow[];
	/** what the OAuth flow did ('flow' mode) */
	oauthFlow?: OAuthFlowReport;
	tarball: string;
	/** Creates and activates workflows over REST (credentials filled in by type, fresh webhook ids). */
	importWorkflows(
		workflows: object[],
		opts?: { activate?: boolean; files?: string[] },
	): Promise<StackWorkflow[]>;
	/** `<n8n>/webhook/<path>` */
	webhookUrl(pathname: string): string;
	executions: StackExecutions;
	/** The stored Salesforce credential, decrypted (CLI `export:credentials --decrypted`). */
	salesforceCredentialData(): Promise<Record<string, any>>;
	/** Runs the OAuth flow again on the Salesforce credential (fresh tokens). */
	runOAuthFlow(): Promise<OAuthFlowReport>;
	stop(): Promise<void>;
}

/** Records per object: `{ Contact: [{ LastName, Email, … }] }`. */
export type SeedRecords = Record<string, Array<Record<string, unknown>>>;

/** Reads examples/seed/*.json (sorted) into one set; keys starting with `_` are comments. */
export function loadExampleSeed(dir = SEED_DIR): SeedRecords {
	const out: SeedRecords = {};
	for (const f of fs
		.readdirSync(dir)
		.filter((x) => x.endsWith('.json'))
		.sort()) {
		const data = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
		for (const [object, records] of Object.entries(data)) {
			if (object.startsWith('_')) continue;
			if (!Array.isArray(records)) throw new Error(`${f}: ${object} must be a list of records`);
			(out[object] ??= []).push(...(records as Array<Record<string, unknown>>));
		}
	}
	return out;
}

/**
 * Creates seed records in the emulator the way an admin's data load would: sObject Collections
 * (allOrNone) with a token minted for the occasion; fails on any refused record.
 */
export async function seedEmulator(emu: Emulator, seed: SeedRecords): Promise<void> {
	const token = emu.issueToken({ integrationUser: true }).access_token;
	for (const [object, records] of Object.entries(seed)) {
		for (let i = 0; i < records.length; i += 200) {
			const res = await fetch(`${emu.url}/services/data/v${DEFAULT_VERSION}/composite/sobjects`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					allOrNone: true,
					records: records.slice(i, i + 200).map((r) => ({ attributes: { type: object }, ...r })),
				}),
			});
			const body = (await res.json()) as Array<{ success: boolean; errors: unknown[] }>;
			if (res.status !== 200 || !Array.isArray(body) || body.some((r) => !r.success)) {
				throw new Error(
					`seeding ${object} failed (${res.status}): ${JSON.stringify(body).slice(0, 500)}`,
				);
			}
		}
	}
}

/** Reads examples/workflows/*.json (sorted). */
export function loadExampleWorkflows(
	dir = EXAMPLES_DIR,
): Array<{ file: string; workflow: Record<string, any> }> {
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({
			file: path.join(dir, f),
			workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')),
		}));
}

/**
 * Copies a workflow for import: fills every node's credential of our two types with the given
 * ones, gives each Skeepers Trigger a fresh webhookId, drops ids n8n assigns itself.
 */
function prepareWorkflow(
	wf: Record<string, any>,
	creds: { salesforce: { id: string; name: string }; webhook: { id: string; name: string } },
): Record<string, any> {
	const copy = JSON.parse(JSON.stringify(wf)) as Record<string, any>;
	for (const node of copy.nodes ?? []) {
		if (node.credentials) {
			if (node.credentials[SALESFORCE_CREDENTIAL_TYPE])
				node.credentials[SALESFORCE_CREDENTIAL_TYPE] = { ...creds.salesforce };
			if (node.credentials[WEBHOOK_CREDENTIAL_TYPE])
				node.credentials[WEBHOOK_CREDENTIAL_TYPE] = { ...creds.webhook };
		}
		if (node.type === TRIGGER_TYPE || node.webhookId) node.webhookId = randomUUID();
	}
	delete copy.id;
	delete copy.versionId;
	delete copy.active;
	delete copy.meta;
	delete copy.pinData;
	delete copy.tags;
	delete copy.shared;
	copy.settings = { executionOrder: 'v1', ...(copy.settings ?? {}) };
	return copy;
}

function salesforceCredentialData(emu: Emulator): Record<string, unknown> {
	return {
		environment: 'production',
		grantType: 'pkce',
		clientId: DEMO_CLIENT.clientId,
		clientSecret: DEMO_CLIENT.clientSecret,
		oauthScope: 'full refresh_token offline_access',
		customUrls: true,
		customAuthUrl: `${emu.url}/services/oauth2/authorize`,
		customAccessTokenUrl: `${emu.url}/services/oauth2/token`,
	};
}

export function webhookCredentialData(secret: string): Record<string, unknown> {
	return {
		secret,
		mode: 'hmac',
		signatureHeader: 'X-Skeepers-Signature',
		signatureEncoding: 'hex',
		signaturePrefix: 'sha256=',
		useTimestamp: false,
	};
}

/**
 * The emulator's consent page, approved like a click on "Allow": GET the authorize URL (the
 * page), then POST its form (every query parameter + approve=Allow) → 302 to n8n's callback.
 */
async function approveOnEmulator(authUrl: string): Promise<string> {
	const page = await fetch(authUrl, { redirect: 'manual' });
	const html = await page.text();
	if (page.status === 302 || page.status === 303)
		return new URL(page.headers.get('location')!, authUrl).toString();
	if (page.status !== 200 || !html.includes('approve'))
		throw new Error(`the emulator's authorize page answered ${page.status}: ${html.slice(0, 300)}`);
	const u = new URL(authUrl);
	const form = new URLSearchParams(u.searchParams);
	form.set('approve', 'Allow');
	const res = await fetch(u.origin + u.pathname, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: form.toString(),
	});
	const location = res.headers.get('location');
	if (res.status !== 302 || !location)
		throw new Error(
			`approving on the emulator answered ${res.status}: ${(await res.text()).slice(0, 300)}`,
		);
	const cb = new URL(location, authUrl);
	if (cb.searchParams.get('error'))
		throw new Error(
			`the emulator refused: ${cb.searchParams.get('error')} ${cb.searchParams.get('error_description') ?? ''}`,
		);
	return cb.toString();
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
	const major = opts.major ?? 2;
	const oauth = opts.oauth ?? 'flow';
	const log = opts.log ?? (() => undefined);
	const say = (m: string) => log(`[stack] ${m}`);
	const webhookSecret = opts.webhookSecret ?? DEFAULT_WEBHOOK_SECRET;
	const names = {
		salesforce: opts.credentialNames?.salesforce ?? 'Salesforce (emulator)',
		webhook: opts.credentialNames?.webhook ?? 'Skeepers webhook secret',
	};

	const emu = await startEmulator({ ...(opts.emulator ?? {}), port: 0 });
	say(`Salesforce emulator on ${emu.url}`);
	let n8n: N8nInstance | undefined;
	try {
		if (opts.seed) {
			const seed = opts.seed === 'examples' ? loadExampleSeed() : opts.seed;
			await seedEmulator(emu, seed);
			emu.resetCounters();
			say(
				`Salesforce emulator seeded: ${Object.entries(seed)
					.map(([o, r]) => `${r.length} ${o}`)
					.join(', ')}`,
			);
		}
		const tarball = opts.packageTarball ?? (await packPackage({ build: opts.build !== false }));
		say(`package ${path.basename(tarball)}`);

		const credentials = {
			salesforce: { id: n8nId(), name: names.salesforce },
			webhook: { id: n8nId(), name: names.webhook },
		};
		const importAtStart =
			oauth === 'import'
				? [
						{
							...credentials.salesforce,
							type: SALESFORCE_CREDENTIAL_TYPE,
							data: { ...salesforceCredentialData(emu), oauthTokenData: emu.issueToken() },
						},
						{
							...credentials.webhook,
							type: WEBHOOK_CREDENTIAL_TYPE,
							data: webhookCredentialData(webhookSecret),
						},
					]
				: [];
		n8n = await startN8n({
			...(opts.n8n ?? {}),
			major,
			packageTarball: tarball,
			credentials: importAtStart,
			log,
		});
		const inst = n8n;
		say(`n8n ${inst.version} on ${inst.url}`);

		const createCredential = async (
			name: string,
			type: string,
			data: Record<string, unknown>,
		): Promise<string> => {
			const c = await inst.rest.post<{ id: string }>('/credentials', { name, type, data });
			return String(c.id);
		};

		const runOAuthFlow = async (): Promise<OAuthFlowReport> => {
			const flow = await inst.rest.runOAuth2Flow(credentials.salesforce.id, {
				consent: approveOnEmulator,
			});
			const auth = new URL(flow.authUrl);
			const report: OAuthFlowReport = {
				authUrl: flow.authUrl,
				codeChallengeMethod: auth.searchParams.get('code_challenge_method'),
				hasCodeChallenge: !!auth.searchParams.get('code_challenge'),
				callbackStatus: flow.status,
			};
			if (flow.status !== 200 || /error/i.test(flow.text.replace(/oauth-callback/g, ''))) {
				throw new Error(
					`n8n's OAuth callback failed (${flow.status}): ${flow.text
						.replace(/<[^>]+>/g, ' ')
						.replace(/\s+/g, ' ')
						.slice(0, 400)}`,
				);
			}
			const test = await inst.rest.testCredential(credentials.salesforce.id);
			if (test.status !== 'OK')
				throw new Error(
					`the Salesforce credential test failed after the OAuth flow: ${test.message}`,
				);
			say(`OAuth flow done (PKCE ${report.codeChallengeMethod ?? 'none'}); credential test OK`);
			return report;
		};

		let oauthFlow: OAuthFlowReport | undefined;
		if (oauth === 'flow') {
			credentials.salesforce.id = await createCredential(
				credentials.salesforce.name,
				SALESFORCE_CREDENTIAL_TYPE,
				salesforceCredentialData(emu),
			);
			credentials.webhook.id = await createCredential(
				credentials.webhook.name,
				WEBHOOK_CREDENTIAL_TYPE,
				webhookCredentialData(webhookSecret),
			);
			oauthFlow = await runOAuthFlow();
		}

		const importWorkflows: Stack['importWorkflows'] = async (wfs, o = {}) => {
			const out: StackWorkflow[] = [];
			for (let i = 0; i < wfs.length; i++) {
				const body = prepareWorkflow(wfs[i] as Record<string, any>, credentials);
				const created = await inst.rest.createWorkflow(body);
				let versionId = created.versionId;
				if (o.activate !== false) {
					const act = await inst.rest.post<{ versionId?: string; active?: boolean }>(
						`/workflows/${created.id}/activate`,
						{ versionId },
					);
					versionId = act.versionId ?? versionId;
				}
				const triggerUrls = (
					body.nodes as Array<{ type: string; webhookId?: string; disabled?: boolean }>
				)
					.filter((n) => n.type === TRIGGER_TYPE && !n.disabled)
					.map((n) => inst.webhookUrl(`${n.webhookId}/${TRIGGER_PATH}`));
				if (o.activate !== false) for (const u of triggerUrls) await waitForWebhook(u);
				out.push({
					id: String(created.id),
					name: created.name,
					versionId,
					triggerUrls,
					triggerUrl: triggerUrls[0],
					file: o.files?.[i],
				});
				say(`workflow "${created.name}" (${created.id})${o.activate !== false ? ' active' : ''}`);
			}
			return out;
		};

		let workflows: StackWorkflow[] = [];
		if (opts.workflows === 'examples') {
			const ex = loadExampleWorkflows();
			workflows = await importWorkflows(
				ex.map((e) => e.workflow),
				{ files: ex.map((e) => e.file) },
			);
		} else if (opts.workflows?.length) {
			workflows = await importWorkflows(opts.workflows);
		}

		const executions = makeExecutions(inst);

		const stack: Stack = {
			major,
			emu,
			n8n: inst,
			credentials,
			webhookSecret,
			workflows,
			oauthFlow,
			tarball,
			importWorkflows,
			webhookUrl: (p) => inst.webhookUrl(p),
			executions,
			salesforceCredentialData: async () => {
				const file = path.join(inst.userFolder, `export-${n8nId()}.json`);
				try {
					const r = await inst.cli([
						'export:credentials',
						`--id=${credentials.salesforce.id}`,
						'--decrypted',
						`--output=${file}`,
					]);
					if (r.code !== 0) throw new Error(`export:credentials failed: ${r.stderr || r.stdout}`);
					const list = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{
						data: Record<string, any>;
					}>;
					return list[0].data;
				} finally {
					fs.rmSync(file, { force: true });
				}
			},
			runOAuthFlow: async () => (stack.oauthFlow = await runOAuthFlow()),
			stop: async () => {
				try {
					await inst.stop();
				} finally {
					await emu.stop();
				}
			},
		};
		return stack;
	} catch (e) {
		try {
			if (n8n) await n8n.stop({ keepUserFolder: !!process.env.SKEEPERS_KEEP_N8N_FOLDER });
		} finally {
			await emu.stop();
		}
		throw e;
	}
}

/**
 * Waits until n8n serves a production webhook. 2.41 publishes an activated workflow through an
 * outbox (`workflows.useWorkflowPublicationService`, on by default), so the webhook appears a
 * moment after `POST /rest/workflows/:id/activate` answers. Probe: a CORS preflight (OPTIONS
 * with an Origin) lists the path's registered methods in Access-Control-Allow-Methods
 * (webhook-request-handler setupCorsHeaders); it starts nothing.
 */
export async function waitForWebhook(url: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		let status = 0;
		let methods = '';
		try {
			const res = await fetch(url, {
				method: 'OPTIONS',
				headers: { origin: new URL(url).origin, 'access-control-request-method': 'POST' },
				signal: AbortSignal.timeout(5000),
			});
			status = res.status;
			methods = res.headers.get('access-control-allow-methods') ?? '';
			await res.arrayBuffer();
		} catch {
			/* not answering */
		}
		if (/\bPOST\b/.test(methods)) return;
		if (Date.now() > deadline)
			throw new Error(
				`the webhook ${url} was not registered within ${timeoutMs} ms (last: ${status} ${methods})`,
			);
		await sleep(200);
	}
}

function makeExecutions(inst: N8nInstance): StackExecutions {
	const page = async (filter: Record<string, unknown>, cursor?: string) => {
		const query: Record<string, string> = { filter: JSON.stringify(filter), limit: '100' };
		if (cursor) {
			if (inst.major === 2) query.cursor = cursor;
			else query.lastId = cursor;
		}
		return inst.rest.get<{
			results: ExecutionSummary[];
			count: number;
			nextCursor?: string | null;
		}>('/executions', query);
	};
	const listOne = async (filter: Record<string, unknown>): Promise<ExecutionSummary[]> => {
		const all: ExecutionSummary[] = [];
		let cursor: string | undefined;
		for (let guard = 0; guard < 1000; guard++) {
			const p = await page(filter, cursor);
			all.push(...p.results);
			if (p.results.length < 100) break;
			cursor =
				inst.major === 2 ? (p.nextCursor ?? undefined) : String(p.results[p.results.length - 1].id);
			if (!cursor) break;
		}
		return all;
	};
	const list: StackExecutions['list'] = async (f = {}) => {
		const base: Record<string, unknown> = f.status ? { status: f.status } : {};
		if (!f.workflowIds?.length) return listOne(base);
		const parts = await Promise.all(
			f.workflowIds.map((id) => listOne({ ...base, workflowId: id })),
		);
		return parts.flat().sort((a, b) => Number(b.id) - Number(a.id));
	};
	const countFinished: StackExecutions['countFinished'] = async (workflowIds) =>
		(await list({ workflowIds, status: FINISHED })).length;
	return {
		list,
		countFinished,
		waitFor: async (n, o = {}) => {
			const timeoutMs = o.timeoutMs ?? 120_000;
			const deadline = Date.now() + timeoutMs;
			const exclude = new Set(o.exclude ?? []);
			let last: ExecutionSummary[] = [];
			for (;;) {
				const all = (await list({ workflowIds: o.workflowIds })).filter(
					(e) => !exclude.has(String(e.id)),
				);
				last = all;
				const done = all.filter((e) => FINISHED.includes(e.status));
				const running = all.filter((e) => !FINISHED.includes(e.status));
				if (done.length >= n && running.length === 0) {
					if (o.settleMs) {
						await sleep(o.settleMs);
						const again = (await list({ workflowIds: o.workflowIds })).filter(
							(e) => !exclude.has(String(e.id)),
						);
						if (again.length !== all.length) continue;
					}
					return done;
				}
				if (Date.now() > deadline) {
					throw new Error(
						`waited ${timeoutMs} ms for ${n} finished executions; have ${done.length} finished, ${running.length} running (${JSON.stringify(last.slice(0, 20).map((e) => [e.id, e.status]))})`,
					);
				}
				await sleep(300);
			}
		},
		get: (id) => inst.rest.execution(id),
		nodeOutput: (exec, nodeName, output = 0) => {
			const run = exec.data?.resultData?.runData?.[nodeName]?.[0];
			const items = run?.data?.main?.[output] ?? [];
			return items.map((i: { json: Record<string, any> }) => i.json);
		},
	};
}

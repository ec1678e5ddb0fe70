/**
 * Reliability and abuse scenarios against a REAL n8n (runtime/stack.ts) with this package
 * installed from its tarball and the Salesforce emulator behind the credential. Shared by the
 * bounded suite (test/e2e/reliability.test.ts, small N) and the soak (bench/soak.ts, full N).
 *
 * - faults: N upserts by external ID + M creates through the Feed Application under 503s,
 *   UNABLE_TO_LOCK_ROW, delays, sessions expiring every 200 calls and refresh-token rotation;
 * - limits: the daily API allocation running out mid-run (with and without Continue On Fail);
 * - hostile webhooks against the Skeepers Trigger (HMAC + timestamp credential);
 * - SOQL injection look-alikes on an idLookup (non external ID) field;
 * - a scan of everything the run produced for secrets.
 *
 * Dev kit only: never imported by nodes/.
 */
import { createHmac, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import { DEMO_CLIENT, type Counters } from '../emulator';
import { ensureN8n } from '../runtime/n8n';
import { SALESFORCE_CREDENTIAL_TYPE } from '../nodes/SkeepersFeedApplication/salesforce/transport';
import {
	FEED_TYPE,
	startStack,
	TRIGGER_TYPE,
	WEBHOOK_CREDENTIAL_TYPE,
	type Stack,
} from '../runtime/stack';
import { caseRecords, makeItems } from './data';
import {
	caseCreateParameters,
	contactUpsertParameters,
	feedApplicationNode,
	feedParameters,
	triggerNode,
	writerWorkflow,
} from './workflows';

const FAULTS = '503=0.05,lock=0.05,delay=0.02:2000,seed=42';
const TOKEN_TTL_CALLS = 200;
const SALESFORCE_WEBHOOK_SECRET = 'rel-webhook-secret-plain-0123456789abcdef';
const HMAC_TS_SECRET = 'rel-webhook-secret-hmac-ts-fedcba9876543210';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// HTTP without fetch's 300 s headers timeout and with full control of bytes and headers

interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
	ms: number;
}

function rawPost(
	url: string,
	body: Buffer | string,
	headers: Record<string, string | number>,
	timeoutMs = 20 * 60_000,
): Promise<RawResponse> {
	const started = Date.now();
	const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		const req = http.request(
			{
				host: u.hostname,
				port: u.port,
				path: u.pathname + u.search,
				method: 'POST',
				headers: { 'content-length': buf.length, ...headers },
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						text: Buffer.concat(chunks).toString('utf8'),
						ms: Date.now() - started,
					}),
				);
				res.on('error', reject);
			},
		);
		req.setTimeout(timeoutMs, () =>
			req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)),
		);
		req.on('error', reject);
		req.end(buf);
	});
}

// ---------------------------------------------------------------------------------------------
// the stack

export interface RelContext {
	stack: Stack;
	/** n8n's log lines and the stack's */
	log: string[];
	/** every text the suite saw: webhook answers, error messages (scanned for secrets) */
	seen: string[];
	hmacCredential: { id: string; name: string };
}

export async function startReliabilityStack(
	opts: { packageTarball?: string; log?: (l: string) => void; major?: 2 | 1 } = {},
): Promise<RelContext> {
	const major = opts.major ?? 2;
	await ensureN8n(major);
	const log: string[] = [];
	const stack = await startStack({
		major,
		oauth: 'import',
		webhookSecret: SALESFORCE_WEBHOOK_SECRET,
		packageTarball: opts.packageTarball,
		emulator: { tokenTtlCalls: TOKEN_TTL_CALLS, rotateRefreshTokens: true, seed: 42 },
		n8n: { env: { N8N_PAYLOAD_SIZE_MAX: '16' } },
		log: (l) => {
			log.push(l);
			opts.log?.(l);
		},
	});
	const c = await stack.n8n.rest.post<{ id: string; name: string }>('/credentials', {
		name: 'Skeepers webhook (HMAC + timestamp)',
		type: WEBHOOK_CREDENTIAL_TYPE,
		data: {
			secret: HMAC_TS_SECRET,
			mode: 'hmac',
			signatureHeader: 'X-Skeepers-Signature',
			signatureEncoding: 'hex',
			signaturePrefix: 'sha256=',
			useTimestamp: true,
			timestampHeader: 'X-Skeepers-Timestamp',
			toleranceSeconds: 300,
		},
	});
	return { stack, log, seen: [], hmacCredential: { id: String(c.id), name: c.name } };
}

/**
 * Creates and activates a workflow over REST as is (credential references are kept), then waits
 * until its POST webhooks answer: right after `/activate` (2.41.1) a production webhook can still
 * be unknown for a moment ("is not registered"). A GET tells without running anything: n8n then
 * answers "…not registered for GET requests. Did you mean to make a POST request?".
 */
async function createWorkflow(
	ctx: RelContext,
	wf: Record<string, unknown>,
): Promise<{ id: string }> {
	const rest = ctx.stack.n8n.rest;
	const created = await rest.createWorkflow({ settings: { executionOrder: 'v1' }, ...wf });
	await rest.post(`/workflows/${created.id}/activate`, { versionId: created.versionId });
	const paths = (
		wf.nodes as Array<{ type: string; webhookId?: string; parameters?: { path?: string } }>
	).map((n) =>
		n.type === TRIGGER_TYPE
			? `${n.webhookId}/skeepers`
			: n.type === 'n8n-nodes-base.webhook'
				? n.parameters?.path
				: undefined,
	);
	for (const p of paths.filter((x): x is string => !!x)) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const r = await fetch(ctx.stack.webhookUrl(p));
			const text = await r.text();
			if (/Did you mean to make a POST request/i.test(text) || r.status !== 404) break;
			if (Date.now() > deadline)
				throw new Error(
					`the webhook ${p} of workflow ${created.id} was not registered within 30 s: ${text.slice(0, 200)}`,
				);
			await sleep(250);
		}
	}
	return { id: String(created.id) };
}

// ---------------------------------------------------------------------------------------------
// The bench's writer workflow (bench/workflows.ts): Webhook (lastNode, allEntries) → Split Out
// (body.items) → Skeepers Feed Application; items are BenchItems (bench/data.ts)

function feedWorkflow(
	ctx: RelContext,
	name: string,
	path: string,
	feedParameters: Record<string, unknown>,
	opts: { continueOnFail?: boolean } = {},
): Record<string, unknown> {
	const sf = ctx.stack.credentials.salesforce;
	const feed = feedApplicationNode(
		feedParameters,
		{ id: sf.id, name: sf.name },
		opts.continueOnFail ? { onError: 'continueRegularOutput' } : {},
	);
	return writerWorkflow(name, path, feed, { responseData: 'allEntries' });
}

/** Contact upsert by Skeepers_Respondent_Id__c, through collections (the bench's mapping). */
const upsertContacts = (extra: Record<string, unknown> = {}) =>
	contactUpsertParameters({ bulkMode: 'never', ...extra });

/** Case create, through collections (the bench's mapping). */
const createCases = (extra: Record<string, unknown> = {}) =>
	caseCreateParameters({ bulkMode: 'never', ...extra });

async function postFeed(ctx: RelContext, path: string, body: unknown): Promise<RawResponse> {
	const res = await rawPost(ctx.stack.webhookUrl(path), JSON.stringify(body), {
		'content-type': 'application/json',
	});
	ctx.seen.push(res.text);
	return res;
}

/** The error n8n stored for the workflow's newest failed execution (what a 500 "Error in workflow" hides). */
async function executionError(ctx: RelContext, workflowId: string): Promise<string> {
	try {
		const [failed] = await ctx.stack.n8n.rest.executions(
			{ workflowId, status: ['error', 'crashed'] },
			1,
		);
		if (!failed) return '(no failed execution recorded)';
		const detail = await ctx.stack.n8n.rest.execution(String(failed.id));
		const error = detail.data?.resultData?.error as
			| { message?: string; description?: string; node?: { name?: string } }
			| undefined;
		return `execution ${failed.id}: ${error?.node?.name ?? '?'}: ${error?.message ?? failed.status}${error?.description ? ` (${error.description})` : ''}`;
	} catch (e) {
		return `(could not read the execution: ${(e as Error).message})`;
	}
}

async function parseItemsOf(
	ctx: RelContext,
	workflowId: string,
	res: RawResponse,
): Promise<Array<Record<string, any>>> {
	if (res.status !== 200)
		throw new Error(
			`the workflow answered ${res.status}: ${res.text.slice(0, 300)}; ${await executionError(ctx, workflowId)}`,
		);
	return parseItems(res);
}

function parseItems(res: RawResponse): Array<Record<string, any>> {
	if (res.status !== 200)
		throw new Error(`the workflow answered ${res.status}: ${res.text.slice(0, 500)}`);
	const out = JSON.parse(res.text) as unknown;
	return Array.isArray(out) ? (out as Array<Record<string, any>>) : [out as Record<string, any>];
}

// ---------------------------------------------------------------------------------------------
// faults

export interface FaultsReport {
	upserts: number;
	creates: number;
	batchSize: number;
	items: number;
	results: number;
	resultsPerItemOk: boolean;
	failedResults: Array<{ i: number; error: string }>;
	recordsExpected: number;
	recordsFound: number;
	missing: number;
	duplicates: number;
	faultsInjected: number;
	faults: Counters['faults'];
	retries: number;
	apiCalls: number;
	minimalCalls: number;
	refreshes: number;
	refreshTokenRotations: number;
	storedRefreshTokenIsCurrent: boolean;
	seconds: { upserts: number; creates: number };
	byKind: Record<string, number>;
}

function diffCounters(a: Counters, b: Counters) {
	const byKind: Record<string, number> = {};
	for (const k of new Set([...Object.keys(a.byKind), ...Object.keys(b.byKind)])) {
		const d = (b.byKind[k] ?? 0) - (a.byKind[k] ?? 0);
		if (d) byKind[k] = d;
	}
	return {
		total: b.total - a.total,
		byKind,
		faults: {
			unavailable: b.faults.unavailable - a.faults.unavailable,
			lock: b.faults.lock - a.faults.lock,
			delay: b.faults.delay - a.faults.delay,
		},
		refreshes: b.refreshes - a.refreshes,
	};
}

/**
 * `upserts` Contacts by external ID then `creates` Cases, each in one execution, with the
 * faults on. Checks every item against the answer and the emulator.
 */
export async function runFaults(
	ctx: RelContext,
	o: {
		upserts: number;
		creates: number;
		batchSize?: number;
		prefix?: string;
		say?: (m: string) => void;
	},
): Promise<FaultsReport> {
	const { stack } = ctx;
	const say = o.say ?? (() => undefined);
	const prefix = o.prefix ?? `REL${Date.now().toString(36).toUpperCase()}`;
	const path = `rel-faults-${randomUUID().slice(0, 8)}`;
	// a smaller batch than the default 200 makes more calls, so sessions expire (every
	// TOKEN_TTL_CALLS calls) and refresh tokens rotate several times during the run
	const batchSize = o.batchSize ?? 200;
	const upsertWf = await createWorkflow(
		ctx,
		feedWorkflow(
			ctx,
			`Reliability: faults upsert (${prefix})`,
			`${path}-u`,
			upsertContacts({ batchSize }),
		),
	);
	const createWf = await createWorkflow(
		ctx,
		feedWorkflow(
			ctx,
			`Reliability: faults create (${prefix})`,
			`${path}-c`,
			createCases({ batchSize }),
		),
	);
	const upsertSent = makeItems(o.upserts, prefix);
	const createSent = makeItems(o.creates, prefix);
	const rid = (i: number) => upsertSent[i].respondentId;
	const subjects = caseRecords(createSent).map((c) => String(c.Subject));
	const refreshTokensBefore = stack.emu.issuedTokens().refresh.length;
	stack.emu.setFaults(FAULTS);
	const before = stack.emu.counters();
	let upsertItems: Array<Record<string, any>> = [];
	let createItems: Array<Record<string, any>> = [];
	const t0 = Date.now();
	try {
		upsertItems = await parseItemsOf(
			ctx,
			upsertWf.id,
			await postFeed(ctx, `${path}-u`, { items: upsertSent }),
		);
		say(`upserts: ${upsertItems.length} results in ${Date.now() - t0} ms`);
	} finally {
		stack.emu.setFaults('none');
	}
	const t1 = Date.now();
	stack.emu.setFaults(FAULTS);
	try {
		createItems = await parseItemsOf(
			ctx,
			createWf.id,
			await postFeed(ctx, `${path}-c`, { items: createSent }),
		);
		say(`creates: ${createItems.length} results in ${Date.now() - t1} ms`);
	} finally {
		stack.emu.setFaults('none');
	}
	const t2 = Date.now();
	const d = diffCounters(before, stack.emu.counters());

	const failedResults: FaultsReport['failedResults'] = [];
	for (const [list] of [[upsertItems], [createItems]] as const) {
		list.forEach((r, i) => {
			if (r.success !== true)
				failedResults.push({ i, error: String(r.error ?? JSON.stringify(r.errors)) });
		});
	}
	// the emulator: each respondent id exactly once, each case subject exactly once
	const contacts = stack.emu
		.records('Contact')
		.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith(`${prefix}-`));
	const cases = stack.emu
		.records('Case')
		.filter((c) => String(c.Subject ?? '').includes(` from ${prefix}-`));
	const count = (values: string[]) => {
		const m = new Map<string, number>();
		for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
		return m;
	};
	const byRid = count(contacts.map((c) => String(c.Skeepers_Respondent_Id__c)));
	const bySubject = count(cases.map((c) => String(c.Subject)));
	let missing = 0;
	let duplicates = 0;
	for (let i = 0; i < o.upserts; i++) {
		const n = byRid.get(rid(i)) ?? 0;
		if (n === 0) missing++;
		if (n > 1) duplicates += n - 1;
	}
	for (let i = 0; i < o.creates; i++) {
		const n = bySubject.get(subjects[i]) ?? 0;
		if (n === 0) missing++;
		if (n > 1) duplicates += n - 1;
	}
	// ids in the answers are the records' ids, item by item
	const contactId = new Map(
		contacts.map((c) => [String(c.Skeepers_Respondent_Id__c), String(c.Id)]),
	);
	const caseId = new Map(cases.map((c) => [String(c.Subject), String(c.Id)]));
	const resultsPerItemOk =
		upsertItems.length === o.upserts &&
		createItems.length === o.creates &&
		upsertItems.every((r, i) => r.success !== true || r.id === contactId.get(rid(i))) &&
		createItems.every((r, i) => r.success !== true || r.id === caseId.get(subjects[i]));

	// n8n must have kept the rotated refresh token: the stored one is the newest the emulator issued
	const issued = stack.emu.issuedTokens().refresh;
	const stored = (await stack.salesforceCredentialData()).oauthTokenData?.refresh_token as
		| string
		| undefined;
	const minimalCalls = Math.ceil(o.upserts / batchSize) + Math.ceil(o.creates / batchSize);
	const writes = (d.byKind['collections.upsert'] ?? 0) + (d.byKind['collections.create'] ?? 0);
	return {
		upserts: o.upserts,
		creates: o.creates,
		batchSize,
		items: o.upserts + o.creates,
		results: upsertItems.length + createItems.length,
		resultsPerItemOk,
		failedResults: failedResults.slice(0, 20),
		recordsExpected: o.upserts + o.creates,
		recordsFound: byRid.size + bySubject.size,
		missing,
		duplicates,
		faultsInjected: d.faults.unavailable + d.faults.lock + d.faults.delay,
		faults: d.faults,
		// write calls beyond the fault-free minimum: 503s and 401s replayed, lock re-sends
		retries: writes - minimalCalls,
		apiCalls: d.total,
		minimalCalls,
		refreshes: d.refreshes,
		refreshTokenRotations: issued.length - refreshTokensBefore,
		storedRefreshTokenIsCurrent: !!stored && stored === issued[issued.length - 1],
		seconds: {
			upserts: Math.round((t1 - t0) / 100) / 10,
			creates: Math.round((t2 - t1) / 100) / 10,
		},
		byKind: d.byKind,
	};
}

// ---------------------------------------------------------------------------------------------
// limits: the daily allocation runs out mid-run

export interface LimitReport {
	items: number;
	allowedWriteCalls: number;
	continueOnFail: {
		results: number;
		success: number;
		limitErrors: number;
		otherErrors: string[];
		recordsWritten: number;
		successIdsMatch: boolean;
	};
	stop: {
		status: number;
		message: string;
		description: string;
		recordsWritten: number;
		statesWritten: boolean;
	};
}

export async function runLimit(
	ctx: RelContext,
	o: { items: number; allowedWriteCalls: number },
): Promise<LimitReport> {
	const { stack } = ctx;
	const tag = randomUUID().slice(0, 6).toUpperCase();
	const pCof = `LIMC${tag}`;
	const pStop = `LIMS${tag}`;
	const path = `rel-limit-${tag.toLowerCase()}`;
	// one describe per execution (no schema cache), so the limit below counts it exactly
	const options = { concurrency: 1, schemaCacheSeconds: 0 };
	await createWorkflow(
		ctx,
		feedWorkflow(
			ctx,
			`Reliability: limit (continue on fail)`,
			`${path}-c`,
			upsertContacts(options),
			{ continueOnFail: true },
		),
	);
	const stopWf = await createWorkflow(
		ctx,
		feedWorkflow(ctx, `Reliability: limit (stop)`, `${path}-s`, upsertContacts(options)),
	);
	stack.emu.setFaults('none');
	const setLimit = () => {
		const used = stack.emu.counters().apiUsage.used;
		// the describe + `allowedWriteCalls` collection calls, then REQUEST_LIMIT_EXCEEDED
		stack.emu.setDailyApiLimit(used + 1 + o.allowedWriteCalls);
	};
	const recordsOf = (prefix: string) =>
		stack.emu
			.records('Contact')
			.filter((c) => String(c.Skeepers_Respondent_Id__c ?? '').startsWith(`${prefix}-`));
	try {
		setLimit();
		const sent = makeItems(o.items, pCof);
		const items = parseItems(await postFeed(ctx, `${path}-c`, { items: sent }));
		const written = recordsOf(pCof);
		const ids = new Map(written.map((c) => [String(c.Skeepers_Respondent_Id__c), String(c.Id)]));
		const limitErrors = items.filter(
			(r) => r.success === false && r.errors?.[0]?.errorCode === 'REQUEST_LIMIT_EXCEEDED',
		).length;
		const otherErrors = items
			.filter((r) => r.success === false && r.errors?.[0]?.errorCode !== 'REQUEST_LIMIT_EXCEEDED')
			.map((r) => String(r.error));
		const cof = {
			results: items.length,
			success: items.filter((r) => r.success === true).length,
			limitErrors,
			otherErrors: otherErrors.slice(0, 5),
			recordsWritten: written.length,
			successIdsMatch: items.every((r, i) =>
				r.success === true
					? ids.get(sent[i].respondentId) === r.id
					: !ids.has(sent[i].respondentId),
			),
		};

		setLimit();
		const before = (await stack.executions.list({ workflowIds: [stopWf.id] })).map((e) =>
			String(e.id),
		);
		const res = await postFeed(ctx, `${path}-s`, { items: makeItems(o.items, pStop) });
		const [e] = await stack.executions.waitFor(1, {
			workflowIds: [stopWf.id],
			exclude: before,
			timeoutMs: 120_000,
		});
		const detail = await stack.executions.get(String(e.id));
		const err = detail.data?.resultData?.error ?? {};
		const message = String(err.message ?? '');
		const description = String(err.description ?? '');
		ctx.seen.push(message, description);
		const writtenStop = recordsOf(pStop).length;
		return {
			items: o.items,
			allowedWriteCalls: o.allowedWriteCalls,
			continueOnFail: cof,
			stop: {
				status: res.status,
				message,
				description,
				recordsWritten: writtenStop,
				statesWritten: description.includes(`${writtenStop} of ${o.items} item(s) WERE written`),
			},
		};
	} finally {
		stack.emu.setDailyApiLimit(100_000_000);
	}
}

// ---------------------------------------------------------------------------------------------
// hostile webhooks

export interface WebhookCase {
	case: string;
	status: number;
	expected: number[];
	executionsStarted: number;
	expectedExecutions: number;
	/** status of the execution an accepted delivery started (must be success) */
	executionStatus?: string;
	healthy: boolean;
	ms: number;
	response: string;
	ok: boolean;
	note?: string;
}

function sign(secret: string, ts: string | undefined, body: Buffer): string {
	const h = createHmac('sha256', secret);
	if (ts !== undefined) h.update(`${ts}.`);
	h.update(body);
	return `sha256=${h.digest('hex')}`;
}

/** The trigger workflow: Skeepers Trigger (HMAC + timestamp) → Feed Application (create Case, dedup on eventId). */
function hostileWorkflow(ctx: RelContext): Record<string, unknown> {
	const sf = ctx.stack.credentials.salesforce;
	return {
		name: 'Reliability: hostile webhooks',
		nodes: [
			triggerNode(ctx.hmacCredential),
			{
				id: randomUUID(),
				name: 'Create Case',
				type: FEED_TYPE,
				typeVersion: 1,
				position: [260, 0],
				parameters: feedParameters(
					'Case',
					'create',
					[
						['={{ $json.eventId }}', 'Subject', 'truncate'],
						['Web', 'Origin'],
					],
					{ dedupKey: '={{ $json.eventId }}', preflight: 'perItem' },
				),
				credentials: { [SALESFORCE_CREDENTIAL_TYPE]: { id: sf.id, name: sf.name } },
			},
		],
		connections: {
			'Skeepers Trigger': { main: [[{ node: 'Create Case', type: 'main', index: 0 }]] },
		},
	};
}

export async function runHostileWebhooks(
	ctx: RelContext,
	o: { say?: (m: string) => void } = {},
): Promise<{ cases: WebhookCase[]; dedupCases: number }> {
	const { stack } = ctx;
	const say = o.say ?? (() => undefined);
	stack.emu.setFaults('none');
	const wf = hostileWorkflow(ctx);
	const webhookId = (wf.nodes as Array<{ webhookId?: string; type: string }>).find(
		(n) => n.type === TRIGGER_TYPE,
	)!.webhookId!;
	const { id: workflowId } = await createWorkflow(ctx, wf);
	const url = stack.webhookUrl(`${webhookId}/skeepers`);
	const run = randomUUID().slice(0, 8);
	const event = (name: string, extra: Record<string, unknown> = {}) => ({
		eventId: `evt-rel-${run}-${name}`,
		event: 'response.completed',
		campaign: { id: 'C-REL', name: 'Reliability' },
		respondent: { id: `R-${name}`, email: 'rel@example.fr' },
		nps: 2,
		...extra,
	});
	const now = () => String(Math.floor(Date.now() / 1000));
	const json = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');
	const signed = (
		body: Buffer,
		opt: {
			ts?: string;
			secret?: string;
			contentType?: string | null;
			headers?: Record<string, string>;
		} = {},
	) => {
		const ts = opt.ts ?? now();
		const h: Record<string, string> = {
			'x-skeepers-timestamp': ts,
			'x-skeepers-signature': sign(opt.secret ?? HMAC_TS_SECRET, ts, body),
			...(opt.headers ?? {}),
		};
		if (opt.contentType !== null) h['content-type'] = opt.contentType ?? 'application/json';
		return h;
	};

	// nested 10,000 levels, a 10 MB event (over the trigger's 1 MiB per event), a 10 MB batch of
	// 10 events under it, 17 MB (over n8n's 16 MB), 100,000 elements, non-UTF-8
	const deep = Buffer.from(
		`{"eventId":"evt-rel-${run}-deep","nest":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
	);
	const bigComment = 'x'.repeat(10 * 1024 * 1024);
	const big = json(event('10mb', { comment: bigComment }));
	const bigBatch = json(
		Array.from({ length: 10 }, (_, i) => event(`10mb-${i}`, { comment: 'x'.repeat(1_000_000) })),
	);
	const tooBig = json(event('17mb', { comment: 'y'.repeat(17 * 1024 * 1024) }));
	const hundredK = json(
		event('100k', { answers: Array.from({ length: 100_000 }, (_, i) => i % 11) }),
	);
	const arrayOf100k = Buffer.from(
		`[${Array.from({ length: 100_000 }, (_, i) => String(i)).join(',')}]`,
	);
	const latin1 = Buffer.concat([
		Buffer.from(`{"eventId":"evt-rel-${run}-latin1","comment":"caf`),
		Buffer.from([0xe9, 0xff, 0xfe]),
		Buffer.from('"}'),
	]);
	const dup = json(event('dup'));
	const good = json(event('good'));
	const tampered = json(event('good', { nps: 10 }));

	type Spec = {
		case: string;
		body: Buffer;
		headers: Record<string, string>;
		expected: number[];
		executions: number;
		note?: string;
	};
	const specs: Spec[] = [
		{
			case: 'valid signed delivery',
			body: good,
			headers: signed(good),
			expected: [200],
			executions: 1,
		},
		{
			case: 'missing signature',
			body: good,
			headers: { 'content-type': 'application/json', 'x-skeepers-timestamp': now() },
			expected: [401],
			executions: 0,
		},
		{
			case: 'wrong signature (other secret)',
			body: good,
			headers: signed(good, { secret: 'not-the-secret-0123456789abcdef' }),
			expected: [401],
			executions: 0,
		},
		{
			case: 'tampered body (signature of another body)',
			body: tampered,
			headers: { ...signed(good) },
			expected: [401],
			executions: 0,
		},
		{
			case: 'missing timestamp',
			body: good,
			headers: {
				'content-type': 'application/json',
				'x-skeepers-signature': sign(HMAC_TS_SECRET, undefined, good),
			},
			expected: [401],
			executions: 0,
		},
		{
			case: 'stale timestamp (1 h old, correctly signed)',
			body: good,
			headers: signed(good, { ts: String(Math.floor(Date.now() / 1000) - 3600) }),
			expected: [401],
			executions: 0,
		},
		{
			case: 'future timestamp (+1 h, correctly signed)',
			body: good,
			headers: signed(good, { ts: String(Math.floor(Date.now() / 1000) + 3600) }),
			expected: [401],
			executions: 0,
		},
		{
			case: 'malformed JSON as application/json',
			body: Buffer.from('{"eventId": "x", '),
			headers: signed(Buffer.from('{"eventId": "x", ')),
			expected: [422],
			executions: 0,
			note: "n8n's own body parser answers 422 before the trigger runs",
		},
		{
			case: 'malformed JSON as text/plain (sniffed by the trigger)',
			body: Buffer.from('{"eventId": "x", '),
			headers: signed(Buffer.from('{"eventId": "x", '), { contentType: 'text/plain' }),
			expected: [400],
			executions: 0,
		},
		{
			case: 'wrong content type (application/xml)',
			body: Buffer.from('<event id="1"/>'),
			headers: signed(Buffer.from('<event id="1"/>'), { contentType: 'application/xml' }),
			expected: [415],
			executions: 0,
		},
		{
			case: 'empty body',
			body: Buffer.alloc(0),
			headers: signed(Buffer.alloc(0)),
			expected: [400],
			executions: 0,
		},
		{
			case: 'unsigned empty body',
			body: Buffer.alloc(0),
			headers: { 'content-type': 'application/json' },
			expected: [401],
			executions: 0,
		},
		{
			case: '10 MB body: a batch of 10 events of about 1 MB each (under n8n 16 MB limit), signed',
			body: bigBatch,
			headers: signed(bigBatch),
			expected: [200],
			executions: 1,
		},
		{
			case: '10 MB body: one event of 10 MB, signed',
			body: big,
			headers: signed(big),
			expected: [400],
			executions: 0,
			note: "over the trigger's event size limit (1 MiB as JSON); it was accepted (200) before the limit",
		},
		{
			case: '17 MB body (over N8N_PAYLOAD_SIZE_MAX=16)',
			body: tooBig,
			headers: signed(tooBig),
			expected: [500],
			executions: 0,
			note: "n8n 2.41.1 reads webhook bodies itself (raw-body, limit N8N_PAYLOAD_SIZE_MAX MB) before the trigger runs; raw-body's 413 is not an n8n ResponseError, so webhook-helpers answers 500 'There was a problem executing the workflow'. No execution starts.",
		},
		{
			case: 'deeply nested JSON (10,000 levels), signed',
			body: deep,
			headers: signed(deep),
			expected: [400],
			executions: 0,
			note: "over the trigger's nesting limit (64 levels)",
		},
		{
			case: 'event with a 100,000-element array, signed',
			body: hundredK,
			headers: signed(hundredK),
			expected: [200],
			executions: 1,
		},
		{
			case: 'body that is a 100,000-element array of numbers, signed',
			body: arrayOf100k,
			headers: signed(arrayOf100k),
			expected: [400],
			executions: 0,
			note: "over the trigger's limit of 1,000 events per delivery (counted before the JSON is parsed)",
		},
		{
			case: 'non-UTF-8 bytes declared utf-8, signed',
			body: latin1,
			headers: signed(latin1, { contentType: 'application/json; charset=utf-8' }),
			expected: [200, 400],
			executions: -1,
		},
		{
			case: 'unknown charset (application/json; charset=klingon), signed',
			body: latin1,
			headers: signed(latin1, { contentType: 'application/json; charset=klingon' }),
			expected: [422],
			executions: 0,
			note: "n8n decodes application/json (and text/plain, form) bodies itself and answers 422 'Unknown encoding' before the trigger runs; the trigger's own 415 for an unknown charset is never reached on n8n 2.41.1",
		},
		{
			case: 'duplicate delivery 1/2 (dedup on eventId)',
			body: dup,
			headers: signed(dup),
			expected: [200],
			executions: 1,
		},
		{
			case: 'duplicate delivery 2/2 (same event, re-signed)',
			body: dup,
			headers: signed(dup),
			expected: [200],
			executions: 1,
		},
	];

	const health = async () => {
		try {
			const r = await fetch(`${stack.n8n.url}/healthz`);
			return r.status === 200 && ((await r.json()) as { status?: string }).status === 'ok';
		} catch {
			return false;
		}
	};
	const countExecs = async () =>
		(await stack.executions.list({ workflowIds: [workflowId] })).length;
	const cases: WebhookCase[] = [];
	for (const s of specs) {
		const before = await countExecs();
		let res: RawResponse;
		try {
			res = await rawPost(url, s.body, s.headers, 120_000);
		} catch (e) {
			res = { status: 0, headers: {}, text: String((e as Error).message), ms: 0 };
		}
		ctx.seen.push(res.text.slice(0, 100_000));
		// accepted deliveries: wait for their execution; refused ones: give n8n a moment to (not) start one
		if (res.status >= 200 && res.status < 300) {
			try {
				await stack.executions.waitFor(before + 1, {
					workflowIds: [workflowId],
					timeoutMs: 120_000,
				});
			} catch {
				/* counted below */
			}
		} else {
			await sleep(1000);
		}
		const list = await stack.executions.list({ workflowIds: [workflowId] });
		const started = list.length - before;
		const executionStatus = started > 0 ? String(list[0].status) : undefined;
		const healthy = await health();
		const expectedExecutions =
			s.executions === -1 ? (res.status >= 200 && res.status < 300 ? 1 : 0) : s.executions;
		const c: WebhookCase = {
			case: s.case,
			status: res.status,
			expected: s.expected,
			executionsStarted: started,
			expectedExecutions,
			healthy,
			ms: res.ms,
			response: res.text.slice(0, 300),
			executionStatus,
			ok:
				s.expected.includes(res.status) &&
				started === expectedExecutions &&
				healthy &&
				(started === 0 || executionStatus === 'success'),
			...(s.note ? { note: s.note } : {}),
		};
		say(
			`${c.ok ? 'ok  ' : 'FAIL'} ${c.status} ${c.case} (executions ${started}${executionStatus ? ` ${executionStatus}` : ''}) ${c.response.slice(0, 120)}`,
		);
		cases.push(c);
	}
	const execs = await stack.executions.waitFor(1, {
		workflowIds: [workflowId],
		timeoutMs: 120_000,
	});
	for (const e of execs.filter((x) => x.status !== 'success')) {
		const d = await stack.executions.get(String(e.id));
		say(`execution ${e.id} ${e.status}: ${d.data?.resultData?.error?.message}`);
	}
	const dedupCases = stack.emu
		.records('Case')
		.filter((c) => c.Subject === `evt-rel-${run}-dup`).length;
	return { cases, dedupCases };
}

// ---------------------------------------------------------------------------------------------
// injection: SOQL look-alikes on Email (idLookup, not an external ID)

export interface InjectionReport {
	items: Array<{
		value: string;
		expected: string | null;
		success: boolean;
		id: string | null;
		errorCode?: string;
	}>;
	wrongMatches: string[];
	lookAlikesTouched: string[];
	ok: boolean;
}

export async function runInjection(ctx: RelContext): Promise<InjectionReport> {
	const { stack } = ctx;
	stack.emu.setFaults('none');
	const tag = randomUUID().slice(0, 6);
	const d = (local: string) => `${local}@inj-${tag}.fr`;
	// seeds: targets, and look-alikes a broken escape (or LIKE, or accent folding) would match
	const seeds: Array<{ email: string; role: 'target' | 'lookalike' }> = [
		{ email: d("o'brien"), role: 'target' },
		{ email: d("o\\'brien"), role: 'target' },
		{ email: d('obrien'), role: 'lookalike' },
		{ email: d('a_b'), role: 'target' },
		{ email: d('axb'), role: 'lookalike' },
		{ email: d('50%'), role: 'target' },
		{ email: d('50abc'), role: 'lookalike' },
		{ email: d('back\\slash'), role: 'target' },
		{ email: d('backslash'), role: 'lookalike' },
		{ email: d('back\\\\slash'), role: 'lookalike' },
		{ email: d('élodie.ñ'), role: 'target' },
		{ email: d('elodie.n'), role: 'lookalike' },
		{ email: d('q"uote'), role: 'target' },
		{ email: d('linebreak'), role: 'lookalike' },
	];
	const token = stack.emu.issueToken();
	const base = `${stack.emu.url}/services/data/v66.0`;
	const idByEmail = new Map<string, string>();
	for (const s of seeds) {
		const r = await fetch(`${base}/sobjects/Contact`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${token.access_token}`,
				'content-type': 'application/json',
			},
			body: JSON.stringify({ LastName: 'Seed', Email: s.email, Description: 'seed' }),
		});
		const j = (await r.json()) as { id?: string };
		if (r.status !== 201 || !j.id)
			throw new Error(`seeding ${s.email} answered ${r.status}: ${JSON.stringify(j)}`);
		idByEmail.set(s.email, j.id);
	}
	// values sent as match values; expected = the email of the one record it must update (null: none)
	const values: Array<{ value: string; expected: string | null }> = [
		{ value: d("o'brien"), expected: d("o'brien") },
		{ value: d("o\\'brien"), expected: d("o\\'brien") },
		{ value: d('a_b'), expected: d('a_b') },
		{ value: d('50%'), expected: d('50%') },
		{ value: d('back\\slash'), expected: d('back\\slash') },
		{ value: d('élodie.ñ'), expected: d('élodie.ñ') },
		{ value: d('q"uote'), expected: d('q"uote') },
		{ value: d('line\nbreak'), expected: null },
		{ value: d('%'), expected: null },
		{ value: d('_____'), expected: null },
		{ value: `x' OR Email != 'y`, expected: null },
		{ value: `x\\' OR Email LIKE '%`, expected: null },
	];
	const path = `rel-inj-${tag}`;
	await createWorkflow(
		ctx,
		feedWorkflow(
			ctx,
			'Reliability: injection',
			path,
			// pre-flight off: the node's own e-mail check would refuse most of these values before
			// any lookup; here the SOQL lookup itself is under test
			feedParameters(
				'Contact',
				'update',
				[['={{ $json.marker }}', 'Description']],
				{ bulkMode: 'never', preflight: 'off' },
				{ field: 'Email', value: '={{ $json.value }}' },
			),
			{ continueOnFail: true },
		),
	);
	const out = parseItems(
		await postFeed(ctx, path, {
			items: values.map((v, i) => ({ value: v.value, marker: `inj-${i}` })),
		}),
	);
	const records = new Map(stack.emu.records('Contact').map((c) => [String(c.Id), c]));
	const wrongMatches: string[] = [];
	const items = values.map((v, i) => {
		const r = out[i] ?? {};
		const expectedId = v.expected ? idByEmail.get(v.expected)! : null;
		const good = v.expected
			? r.success === true && r.id === expectedId
			: r.success === false && r.errors?.[0]?.errorCode === 'NOT_FOUND';
		if (!good)
			wrongMatches.push(
				`${JSON.stringify(v.value)} → ${JSON.stringify({ success: r.success, id: r.id, error: r.error })}`,
			);
		return {
			value: v.value,
			expected: v.expected,
			success: r.success === true,
			id: (r.id as string) ?? null,
			errorCode: r.errors?.[0]?.errorCode,
		};
	});
	const lookAlikesTouched = seeds
		.filter(
			(s) => s.role === 'lookalike' && records.get(idByEmail.get(s.email)!)?.Description !== 'seed',
		)
		.map((s) => `${s.email}: ${String(records.get(idByEmail.get(s.email)!)?.Description)}`);
	// and each target got its own item's marker
	values.forEach((v, i) => {
		if (!v.expected) return;
		const rec = records.get(idByEmail.get(v.expected)!);
		if (rec?.Description !== `inj-${i}`)
			wrongMatches.push(
				`${v.expected} has Description ${String(rec?.Description)} (expected inj-${i})`,
			);
	});
	return {
		items,
		wrongMatches,
		lookAlikesTouched,
		ok: out.length === values.length && !wrongMatches.length && !lookAlikesTouched.length,
	};
}

// ---------------------------------------------------------------------------------------------
// secrets

export interface SecretHit {
	secret: string;
	where: string;
}

/** Finds any of `secrets` (also URL- and JSON-escaped forms) in the texts. Names secrets by a short prefix only. */
export function scanForSecrets(
	texts: Array<{ where: string; text: string }>,
	secrets: Array<{ name: string; value: string }>,
): SecretHit[] {
	const needles: Array<{ name: string; needle: string }> = [];
	for (const s of secrets) {
		if (!s.value || s.value.length < 8) continue;
		for (const form of new Set([
			s.value,
			encodeURIComponent(s.value),
			JSON.stringify(s.value).slice(1, -1),
		]))
			needles.push({ name: s.name, needle: form });
	}
	const hits: SecretHit[] = [];
	for (const t of texts) {
		for (const n of needles)
			if (t.text.includes(n.needle)) hits.push({ secret: n.name, where: t.where });
	}
	return hits;
}

export interface SecretsReport {
	secretsChecked: number;
	textsScanned: number;
	bytesScanned: number;
	executionsScanned: number;
	hits: SecretHit[];
	selfCheck: { plantedFound: boolean; storedCredentialHasToken: boolean };
}

export async function runSecretsScan(ctx: RelContext): Promise<SecretsReport> {
	const { stack } = ctx;
	const issued = stack.emu.issuedTokens();
	const secrets = [
		{ name: 'consumer secret', value: DEMO_CLIENT.clientSecret! },
		{ name: 'webhook secret (plain)', value: SALESFORCE_WEBHOOK_SECRET },
		{ name: 'webhook secret (hmac+ts)', value: HMAC_TS_SECRET },
		...issued.access.map((v, i) => ({ name: `access token #${i + 1}`, value: v })),
		...issued.refresh.map((v, i) => ({ name: `refresh token #${i + 1}`, value: v })),
	];
	const texts: Array<{ where: string; text: string }> = ctx.seen.map((t, i) => ({
		where: `answer/error #${i + 1}`,
		text: t,
	}));
	// every execution with its data, over REST
	const execs = await stack.executions.list();
	for (const e of execs) {
		// the raw answer (run data in flatted form): an un-flatted execution can be too deep to
		// stringify again (the 10,000-level webhook case)
		const res = await stack.n8n.rest.fetch(`/rest/executions/${e.id}`);
		texts.push({ where: `execution ${e.id}`, text: await res.text() });
	}
	texts.push({
		where: "n8n's log file",
		text: fs.existsSync(stack.n8n.logFile)
			? fs.readFileSync(stack.n8n.logFile, 'utf8')
			: ctx.log.join('\n'),
	});
	texts.push({ where: "n8n's log lines", text: ctx.log.join('\n') });
	// self-checks: a planted value is found; the stored (decrypted) credential does hold the current token
	const planted =
		scanForSecrets([{ where: 'planted', text: `{"note":"x${issued.access[0]}y"}` }], secrets)
			.length > 0;
	const stored = JSON.stringify(await stack.salesforceCredentialData());
	const storedHasToken = scanForSecrets([{ where: 'credential', text: stored }], secrets).some(
		(h) => /access token|refresh token/.test(h.secret),
	);
	return {
		secretsChecked: secrets.length,
		textsScanned: texts.length,
		bytesScanned: texts.reduce((n, t) => n + t.text.length, 0),
		executionsScanned: execs.length,
		hits: scanForSecrets(texts, secrets),
		selfCheck: { plantedFound: planted, storedCredentialHasToken: storedHasToken },
	};
}

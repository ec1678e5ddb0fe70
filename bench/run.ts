/**
 * `npm run bench [-- --records N --latency-ms L --json <file>]`
 *
 * One run, one emulator, one real n8n (2.x) with this package installed from its tarball:
 * 1. writes: N Contacts upserted by external ID and N Cases created, through the Skeepers Feed
 *    Application (collections and Bulk API 2.0), n8n's built-in Salesforce node, and jsforce;
 * 2. webhook intake: K deliveries through the Skeepers Trigger (HMAC) and n8n's Webhook node;
 * 3. node overhead without network: 10,000 items × 10 mapping rows, Dry Run, latency 0.
 * Prints a markdown table and writes JSON (default bench/results/latest.json).
 *
 * See docs/performance.md. Dev kit only, never published.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Connection } from 'jsforce';

import { DEMO_CLIENT, startEmulator, type Emulator } from '../emulator';
import { replay } from '../replay/replay';
import {
	ensureN8n,
	n8nId,
	packPackage,
	REPO_ROOT,
	startN8n,
	type N8nInstance,
} from '../runtime/n8n';
import { caseRecords, contactRecords, makeItems, type BenchItem } from './data';
import { timePureFunctions, type PureTimings } from './overhead';
import { renderMarkdown } from './report';
import {
	builtinNode,
	feedNode,
	genericWebhookWorkflow,
	overheadNode,
	triggerWorkflow,
	webhookIdOf,
	writerWorkflow,
	WRITER_NODE,
	type Operation,
} from './workflows';

export type WritePath = 'skeepers-collections' | 'skeepers-bulk' | 'n8n-builtin' | 'jsforce';
export type IntakePath =
	| 'skeepers-trigger'
	| 'n8n-webhook'
	| 'skeepers-trigger-no-auth'
	| 'n8n-webhook-header-auth'
	| 'skeepers-trigger-v1';

export interface WriteResult {
	path: WritePath;
	operation: Operation;
	records: number;
	apiCalls: number;
	seconds: number;
	recordsWritten: number;
	/** extras */
	apiCallsByKind: Record<string, number>;
	recordsPerSecond: number;
	/** the writer node's own time (run data `executionTime`); null for jsforce */
	nodeSeconds: number | null;
	/** records/s of this path ÷ records/s of n8n-builtin for the same operation */
	vsBuiltin: number | null;
	/** n8n-builtin runs on a sample: N of the other paths */
	sampleOf?: number;
	/** output items with success: true (n8n paths) */
	successItems?: number;
	/**
	 * API calls of the same run in a cold n8n process (no describe cached yet): apiCalls + the
	 * describe calls the first warm-up execution of this object made. The measured run itself
	 * follows a warm-up, so its describe is cached (Schema Cache, default 600 s).
	 */
	apiCallsCold?: number;
	error?: string;
}

export interface IntakeResult {
	path: IntakePath;
	deliveries: number;
	accepted: number;
	p50Ms: number;
	p95Ms: number;
	/** extras */
	p99Ms: number;
	executionsCompleted: number;
	/** from the first delivery to the last finished execution */
	seconds: number;
	deliveriesPerSecond: number;
	/** p50 of this path ÷ p50 of n8n-webhook */
	p50VsWebhook: number | null;
	p95VsWebhook: number | null;
	p99VsWebhook: number | null;
	/** deliveries/s of this path ÷ that of n8n-webhook (both count until every execution finished) */
	throughputVsWebhook: number | null;
}

export interface OverheadResult {
	items: number;
	itemsPerSecond: number;
	/** extras */
	rows: number;
	seconds: number;
	nodeSeconds: number | null;
	/** same items through Webhook → Split Out → No Operation: n8n's own cost */
	baselineSeconds: number | null;
	apiCalls: number;
	pure: PureTimings;
}

export interface BenchResult {
	machine: string;
	latencyMs: number;
	writes: WriteResult[];
	intake: IntakeResult[];
	overhead: OverheadResult | null;
	/** extras */
	/** the same intake with the authentication swapped: Skeepers Trigger without auth, Webhook with header auth */
	intakeDiagnostics: IntakeResult[];
	machineInfo: {
		nproc: number;
		cpuModel: string;
		loadAvgStart: number[];
		loadAvgEnd: number[];
		benchNode: string;
		n8nNode: string;
		n8nVersion: string;
		expressionEngine: string;
	};
	startedAt: string;
	totalSeconds: number;
	notes: string[];
	/** phases that failed (the others ran) */
	errors: string[];
}

export interface BenchOptions {
	records: number;
	latencyMs: number;
	json: string;
	deliveries: number;
	/** deliveries of the diagnostic intake paths (0 = none) */
	diagDeliveries: number;
	concurrency: number;
	/** records for the built-in node (one call per item): a sample, by default min(records, 1000) */
	builtinRecords: number;
	overheadItems: number;
	build: boolean;
	major: 2 | 1;
	/** N8N_EXPRESSION_ENGINE for n8n ('vm' is 2.41's default: isolated-vm, pool of 1 isolate) */
	expressionEngine?: string;
	/** a folder: n8n runs with --cpu-prof, profiles land there at stop */
	cpuProf?: string;
	/** extra environment for n8n (--n8n-env NAME=VALUE, repeatable), e.g. N8N_EXPRESSION_ENGINE_POOL_SIZE=4 */
	n8nEnv: Record<string, string>;
	skip: Set<'writes' | 'intake' | 'overhead' | 'builtin' | 'jsforce' | 'bulk'>;
	tarball?: string;
	quiet: boolean;
}

export const DEFAULTS: BenchOptions = {
	records: 5000,
	latencyMs: 20,
	json: path.join(REPO_ROOT, 'bench', 'results', 'latest.json'),
	deliveries: 1000,
	diagDeliveries: 200,
	concurrency: 20,
	builtinRecords: 1000,
	overheadItems: 10_000,
	build: true,
	major: 2,
	n8nEnv: {},
	skip: new Set(),
	quiet: false,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

export function parseArgs(argv: string[]): BenchOptions {
	const o: BenchOptions = { ...DEFAULTS, n8nEnv: {}, skip: new Set() };
	let builtinGiven = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		const int = () => {
			const v = Number(next());
			if (!Number.isInteger(v) || v < 0) throw new Error(`${a} needs a whole number`);
			return v;
		};
		switch (a) {
			case '--records':
				o.records = int();
				break;
			case '--latency-ms':
				o.latencyMs = int();
				break;
			case '--json':
				o.json = path.resolve(next());
				break;
			case '--deliveries':
				o.deliveries = int();
				break;
			case '--diag-deliveries':
				o.diagDeliveries = int();
				break;
			case '--concurrency':
				o.concurrency = int();
				break;
			case '--builtin-records':
				o.builtinRecords = int();
				builtinGiven = true;
				break;
			case '--overhead-items':
				o.overheadItems = int();
				break;
			case '--no-build':
				o.build = false;
				break;
			case '--major':
				o.major = int() === 1 ? 1 : 2;
				break;
			case '--cpu-prof':
				o.cpuProf = path.resolve(next());
				break;
			case '--expression-engine':
				o.expressionEngine = next();
				break;
			case '--tarball':
				o.tarball = path.resolve(next());
				break;
			case '--n8n-env': {
				const kv = next();
				const eq = kv.indexOf('=');
				if (eq <= 0) throw new Error(`--n8n-env needs NAME=VALUE, got "${kv}"`);
				o.n8nEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
				break;
			}
			case '--skip':
				for (const s of next().split(',')) o.skip.add(s.trim() as never);
				break;
			case '--quiet':
				o.quiet = true;
				break;
			case '-h':
			case '--help':
				process.stdout.write(
					[
						'npm run bench -- [options]',
						'  --records N           records per write path (default 5000)',
						'  --latency-ms L        emulator latency per request (default 20)',
						'  --builtin-records M   records through the built-in Salesforce node (default min(N, 1000); 0 = N)',
						'  --deliveries K        webhook deliveries per intake path (default 1000)',
						'  --concurrency C       deliveries in flight (default 20)',
						'  --diag-deliveries D   deliveries of the diagnostic intake paths (default 200; 0 = none)',
						'  --overhead-items I    items of the no-network overhead run (default 10000)',
						'  --json FILE           JSON output (default bench/results/latest.json)',
						'  --no-build            pack dist/ as it is   --tarball F   use a packed tarball',
						'  --cpu-prof DIR        run n8n with --cpu-prof (profiles written at stop)',
						'  --n8n-env NAME=VALUE  extra environment for n8n (repeatable)',
						"  --expression-engine E N8N_EXPRESSION_ENGINE for n8n: vm (2.41's default) | legacy",
						'  --skip LIST           writes,intake,overhead,builtin,jsforce,bulk',
						'',
					].join('\n'),
				);
				process.exit(0);
			// eslint-disable-next-line no-fallthrough
			default:
				throw new Error(`unknown option ${a} (see --help)`);
		}
	}
	if (!builtinGiven) o.builtinRecords = Math.min(o.records, DEFAULTS.builtinRecords);
	else if (o.builtinRecords === 0) o.builtinRecords = o.records;
	o.builtinRecords = Math.min(o.builtinRecords, o.records);
	return o;
}

function cpuModel(): string {
	try {
		const m = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
		if (m) return m[1].trim();
	} catch {
		/* not linux */
	}
	return os.cpus()[0]?.model ?? 'unknown';
}

/** Number of executions of a workflow (any status) as n8n's REST API counts them. */
async function executionCount(
	n8n: N8nInstance,
	workflowId: string,
	status?: string[],
): Promise<number> {
	const filter: Record<string, unknown> = { workflowId };
	if (status) filter.status = status;
	const body = await n8n.rest.get<{ count: number; results: unknown[] }>('/executions', {
		filter: JSON.stringify(filter),
		limit: '1',
	});
	return body.count;
}

/**
 * n8n 2.x answers 503 "Database is not ready!" while its database health check lags (seen at load
 * 20 on 2 cores): ask again, once a second, until the deadline.
 */
async function notWhileDbBusy<T>(ask: () => Promise<T>, deadline: number): Promise<T> {
	for (;;) {
		try {
			return await ask();
		} catch (e) {
			if (!/→ 503/.test(String(e)) || Date.now() > deadline) throw e;
			await sleep(1000);
		}
	}
}

async function waitForExecutions(
	n8n: N8nInstance,
	workflowId: string,
	n: number,
	timeoutMs: number,
): Promise<number> {
	const deadline = Date.now() + timeoutMs;
	let done = 0;
	for (;;) {
		done = await notWhileDbBusy(
			() => executionCount(n8n, workflowId, ['success', 'error', 'crashed', 'canceled']),
			deadline,
		);
		if (done >= n) return done;
		if (Date.now() > deadline) return done;
		await sleep(250);
	}
}

export async function runBench(
	o: BenchOptions,
	say: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Promise<BenchResult> {
	const t0 = Date.now();
	const notes: string[] = [];
	const rt = await ensureN8n(o.major);
	const machineInfo = {
		nproc: os.availableParallelism?.() ?? os.cpus().length,
		cpuModel: cpuModel(),
		loadAvgStart: os.loadavg().map((x) => round(x)),
		loadAvgEnd: [] as number[],
		benchNode: process.version,
		n8nNode: `v${rt.nodeVersion.replace(/^v/, '')}`,
		n8nVersion: rt.version,
		expressionEngine: o.expressionEngine ?? 'vm (default)',
	};
	say(
		`[bench] ${machineInfo.cpuModel} × ${machineInfo.nproc}, load ${machineInfo.loadAvgStart.join(' ')}; n8n ${rt.version} on Node ${machineInfo.n8nNode}`,
	);

	const emu = await startEmulator({ port: 0, latencyMs: o.latencyMs });
	let n8n: N8nInstance | undefined;
	try {
		const tarball = o.tarball ?? (await packPackage({ build: o.build }));
		const token = emu.issueToken();
		const sfCred = { id: n8nId(), name: 'Salesforce (emulator)' };
		const hookCred = { id: n8nId(), name: 'Skeepers webhook secret' };
		const builtinCred = { id: n8nId(), name: 'Salesforce built-in (emulator)' };
		const headerCred = { id: n8nId(), name: 'Bench header auth' };
		const webhookSecret = 'bench-webhook-secret-0123456789abcdef';
		const credentials = [
			{
				...sfCred,
				type: 'skeepersSalesforceOAuth2Api',
				data: {
					environment: 'production',
					grantType: 'pkce',
					clientId: DEMO_CLIENT.clientId,
					clientSecret: DEMO_CLIENT.clientSecret,
					customUrls: true,
					customAuthUrl: `${emu.url}/services/oauth2/authorize`,
					customAccessTokenUrl: `${emu.url}/services/oauth2/token`,
					oauthTokenData: token,
				},
			},
			{
				...hookCred,
				type: 'skeepersWebhookApi',
				data: {
					secret: webhookSecret,
					mode: 'hmac',
					signatureHeader: 'X-Skeepers-Signature',
					signatureEncoding: 'hex',
					signaturePrefix: 'sha256=',
					useTimestamp: false,
				},
			},
			{ ...headerCred, type: 'httpHeaderAuth', data: { name: HEADER_NAME, value: HEADER_TOKEN } },
			{
				// n8n's own credential: Production/Sandbox only. The node calls
				// `oauthTokenData.instance_url` + /services/data/v59.0/… (GenericFunctions.salesforceApiRequest),
				// so an imported token with the emulator's instance_url points every call at the emulator.
				// Its token URL is a hidden field fixed to login/test.salesforce.com, and n8n 2.41 drops a
				// stored value for hidden OAuth fields (OAUTH_PINNED_FIELDS in
				// CredentialsHelper.applyDefaultsAndOverwrites), so a refresh could not reach the emulator;
				// the emulator's tokens do not expire in the bench, so no refresh happens.
				...builtinCred,
				type: 'salesforceOAuth2Api',
				data: {
					environment: 'production',
					clientId: DEMO_CLIENT.clientId,
					clientSecret: DEMO_CLIENT.clientSecret,
					oauthTokenData: token,
				},
			},
		];
		const env: Record<string, string> = { ...o.n8nEnv };
		for (const [k, v] of Object.entries(o.n8nEnv)) notes.push(`n8n ran with ${k}=${v}`);
		if (o.expressionEngine) {
			env.N8N_EXPRESSION_ENGINE = o.expressionEngine;
			notes.push(
				`n8n ran with N8N_EXPRESSION_ENGINE=${o.expressionEngine} (2.41.1's default is vm)`,
			);
		}
		if (o.cpuProf) {
			fs.mkdirSync(o.cpuProf, { recursive: true });
			env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${o.cpuProf}`;
			notes.push(
				`n8n ran with --cpu-prof (profiles in ${o.cpuProf}); timings include the profiler's cost`,
			);
		}
		n8n = await startN8n({
			major: o.major,
			packageTarball: tarball,
			credentials,
			env,
			log: o.quiet ? undefined : undefined,
		});
		const inst = n8n;
		say(
			`[bench] n8n ${inst.version} on ${inst.url}, emulator on ${emu.url} (latency ${o.latencyMs} ms)`,
		);

		// workflows over REST: created + activated at once, production webhooks live without a restart
		const createWorkflow = async (wf: Record<string, unknown>): Promise<string> => {
			const created = await inst.rest.createWorkflow(wf);
			const act = await inst.rest.post<{ active?: boolean; activeVersionId?: string | null }>(
				`/workflows/${created.id}/activate`,
				{ versionId: created.versionId },
			);
			if (process.env.BENCH_DEBUG)
				say(
					`[bench] workflow ${created.id} "${String(wf.name)}" activate → ${JSON.stringify(act).slice(0, 300)}`,
				);
			return String(created.id);
		};

		const items = makeItems(o.records);
		const result: BenchResult = {
			machine: `${machineInfo.cpuModel}, ${machineInfo.nproc} cores, Node ${machineInfo.n8nNode} (n8n ${machineInfo.n8nVersion}), bench on Node ${process.version}`,
			latencyMs: o.latencyMs,
			writes: [],
			intake: [],
			intakeDiagnostics: [],
			overhead: null,
			machineInfo,
			startedAt: new Date(t0).toISOString(),
			totalSeconds: 0,
			notes,
			errors: [],
		};

		// a failing phase is reported (notes, errors) and the others still run
		const phase = async (name: string, fn: () => Promise<void>) => {
			try {
				await fn();
			} catch (e) {
				const msg = e instanceof Error ? e.message : String(e);
				result.errors.push(`${name}: ${msg}`);
				say(`[bench] ${name} failed: ${msg}`);
			}
		};
		if (!o.skip.has('writes')) {
			await phase('writes', async () => {
				result.writes = await benchWrites(
					o,
					inst,
					emu,
					createWorkflow,
					items,
					{ sfCred, builtinCred },
					token,
					say,
					notes,
				);
			});
		}
		if (!o.skip.has('intake') && o.deliveries > 0) {
			await phase('intake', async () => {
				const r = await benchIntake(
					o,
					inst,
					createWorkflow,
					{ hookCred, headerCred },
					webhookSecret,
					say,
				);
				result.intake = r.main;
				result.intakeDiagnostics = r.diagnostics;
			});
		}
		if (!o.skip.has('overhead') && o.overheadItems > 0) {
			emu.setLatency(0);
			await phase('overhead', async () => {
				result.overhead = await benchOverhead(o, inst, emu, createWorkflow, sfCred, token, say);
			});
			emu.setLatency(o.latencyMs);
		}
		machineInfo.loadAvgEnd = os.loadavg().map((x) => round(x));
		result.totalSeconds = round((Date.now() - t0) / 1000, 1);
		return result;
	} finally {
		if (n8n) await n8n.stop();
		await emu.stop();
	}
}

// ------------------------------------------------------------------------------------------------
// 1. writes

interface RunOutcome {
	status: number;
	seconds: number;
	nodeSeconds: number | null;
	successItems: number;
	outputItems: number;
	error?: string;
}

/** POSTs the items to a webhook → split out → writer workflow and reads the execution back. */
async function runThroughWorkflow(
	inst: N8nInstance,
	workflowId: string,
	webhookPath: string,
	items: unknown[],
	seen: Set<string>,
): Promise<RunOutcome> {
	const body = JSON.stringify({ items });
	// a workflow activated a moment ago can answer 404 on a busy machine: nothing ran, so retry
	const deadline = Date.now() + 60_000;
	let res: Response;
	let text: string;
	let t: number;
	for (;;) {
		t = performance.now();
		res = await fetch(inst.webhookUrl(webhookPath), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
			signal: AbortSignal.timeout(30 * 60_000),
		});
		text = await res.text();
		if (res.status !== 404 || Date.now() > deadline) break;
		await sleep(500);
	}
	const seconds = (performance.now() - t) / 1000;
	if (res.status === 404)
		return {
			status: 404,
			seconds,
			nodeSeconds: null,
			successItems: 0,
			outputItems: 0,
			error: `HTTP 404 ${text.slice(0, 200)}`,
		};
	const exec = await inst.rest.waitForExecution(workflowId, {
		timeoutMs: 120_000,
		exclude: [...seen],
	});
	seen.add(String(exec.id));
	const run = exec.data?.resultData?.runData?.[WRITER_NODE]?.[0];
	const out: Array<{ json: Record<string, unknown> }> = run?.data?.main?.[0] ?? [];
	const errorMsg: string | undefined =
		exec.data?.resultData?.error?.message ??
		run?.error?.message ??
		(res.status !== 200 ? `HTTP ${res.status} ${text.slice(0, 200)}` : undefined);
	return {
		status: res.status,
		seconds,
		nodeSeconds: typeof run?.executionTime === 'number' ? run.executionTime / 1000 : null,
		successItems: out.filter(
			(i) => i.json?.success === true || (i.json?.id && i.json?.success !== false),
		).length,
		outputItems: out.length,
		error: errorMsg,
	};
}

function countWritten(emu: Emulator, operation: Operation, items: BenchItem[]): number {
	if (operation === 'upsert') {
		const want = new Set(items.map((i) => i.respondentId));
		const seen = new Set<string>();
		for (const r of emu.records('Contact')) {
			const k = r.Skeepers_Respondent_Id__c as string | undefined;
			if (k && want.has(k)) seen.add(k);
		}
		return seen.size;
	}
	const want = new Set(items.map((i) => `NPS ${i.nps} from ${i.respondentId}`));
	return emu.records('Case').filter((r) => want.has(r.Subject as string)).length;
}

async function benchWrites(
	o: BenchOptions,
	inst: N8nInstance,
	emu: Emulator,
	createWorkflow: (wf: Record<string, unknown>) => Promise<string>,
	items: BenchItem[],
	creds: { sfCred: { id: string; name: string }; builtinCred: { id: string; name: string } },
	token: { access_token: string; instance_url: string },
	say: (l: string) => void,
	notes: string[],
): Promise<WriteResult[]> {
	type N8nPath = {
		path: WritePath;
		operation: Operation;
		workflowId: string;
		webhookPath: string;
		seen: Set<string>;
	};
	const n8nPaths: N8nPath[] = [];
	for (const operation of ['upsert', 'create'] as const) {
		const defs: Array<[WritePath, Record<string, unknown>]> = [
			['skeepers-collections', feedNode(operation, 'never', creds.sfCred)],
		];
		if (!o.skip.has('bulk'))
			defs.push(['skeepers-bulk', feedNode(operation, 'always', creds.sfCred)]);
		if (!o.skip.has('builtin'))
			defs.push(['n8n-builtin', builtinNode(operation, creds.builtinCred)]);
		for (const [p, node] of defs) {
			const webhookPath = `bench-${p}-${operation}`;
			const workflowId = await createWorkflow(
				writerWorkflow(`bench ${p} ${operation}`, webhookPath, node),
			);
			n8nPaths.push({ path: p, operation, workflowId, webhookPath, seen: new Set() });
		}
	}

	// warm-up: the first run of a node type loads its code (n8n loads node types lazily), the first
	// HTTP calls open connections; 3 items per workflow, then the records are cleared
	// (which also caches the object's describe in n8n: the measured runs are warm, and the describe
	// calls of the first warm-up per operation give the cold figure)
	const warm = makeItems(3, 'warmup');
	const coldDescribes = new Map<Operation, number>();
	for (const p of n8nPaths) {
		emu.resetCounters();
		const w = await runThroughWorkflow(inst, p.workflowId, p.webhookPath, warm, p.seen);
		if (w.error) throw new Error(`warm-up of ${p.path} ${p.operation} failed: ${w.error}`);
		const d = emu.counters().byKind['describe.sobject'] ?? 0;
		if (p.path.startsWith('skeepers-'))
			coldDescribes.set(p.operation, Math.max(coldDescribes.get(p.operation) ?? 0, d));
	}
	const jsConn = new Connection({
		instanceUrl: token.instance_url,
		accessToken: token.access_token,
	});
	if (!o.skip.has('jsforce'))
		await jsConn
			.sobject('Contact')
			.upsert(contactRecords(warm), 'Skeepers_Respondent_Id__c', { allowRecursive: true });

	const results: WriteResult[] = [];
	for (const operation of ['upsert', 'create'] as const) {
		for (const p of n8nPaths.filter((x) => x.operation === operation)) {
			const sample = p.path === 'n8n-builtin' ? items.slice(0, o.builtinRecords) : items;
			emu.clearRecords();
			emu.resetCounters();
			say(`[bench] ${operation} × ${sample.length} through ${p.path}…`);
			const r = await runThroughWorkflow(inst, p.workflowId, p.webhookPath, sample, p.seen);
			const c = emu.counters();
			const written = countWritten(emu, operation, sample);
			results.push({
				path: p.path,
				operation,
				records: sample.length,
				apiCalls: c.total,
				seconds: round(r.seconds, 3),
				recordsWritten: written,
				apiCallsByKind: c.byKind,
				recordsPerSecond: round(sample.length / r.seconds, 1),
				nodeSeconds: r.nodeSeconds === null ? null : round(r.nodeSeconds, 3),
				vsBuiltin: null,
				successItems: r.successItems,
				...(p.path.startsWith('skeepers-')
					? {
							apiCallsCold:
								c.total + (coldDescribes.get(operation) ?? 0) - (c.byKind['describe.sobject'] ?? 0),
						}
					: {}),
				...(sample.length !== items.length ? { sampleOf: items.length } : {}),
				...(r.error ? { error: r.error } : {}),
			});
			say(
				`[bench]   ${round(r.seconds, 2)} s wall, node ${r.nodeSeconds?.toFixed(2)} s, ${c.total} calls, ${written}/${sample.length} written${r.error ? `, ERROR ${r.error}` : ''}`,
			);
		}
		if (!o.skip.has('jsforce')) {
			emu.clearRecords();
			emu.resetCounters();
			say(`[bench] ${operation} × ${items.length} through jsforce…`);
			const t = performance.now();
			let error: string | undefined;
			try {
				const rets =
					operation === 'upsert'
						? await jsConn
								.sobject('Contact')
								.upsert(contactRecords(items), 'Skeepers_Respondent_Id__c', {
									allowRecursive: true,
								})
						: await jsConn.sobject('Case').create(caseRecords(items), { allowRecursive: true });
				const failed = (Array.isArray(rets) ? rets : [rets]).filter((x) => !x.success).length;
				if (failed) error = `${failed} records failed`;
			} catch (e) {
				error = e instanceof Error ? e.message : String(e);
			}
			const seconds = (performance.now() - t) / 1000;
			const c = emu.counters();
			const written = countWritten(emu, operation, items);
			results.push({
				path: 'jsforce',
				operation,
				records: items.length,
				apiCalls: c.total,
				seconds: round(seconds, 3),
				recordsWritten: written,
				apiCallsByKind: c.byKind,
				recordsPerSecond: round(items.length / seconds, 1),
				nodeSeconds: null,
				vsBuiltin: null,
				...(error ? { error } : {}),
			});
			say(
				`[bench]   ${round(seconds, 2)} s, ${c.total} calls, ${written}/${items.length} written${error ? `, ERROR ${error}` : ''}`,
			);
		}
	}
	emu.clearRecords();
	for (const r of results) {
		const b = results.find((x) => x.path === 'n8n-builtin' && x.operation === r.operation);
		r.vsBuiltin =
			b && b.recordsPerSecond > 0 ? round(r.recordsPerSecond / b.recordsPerSecond, 1) : null;
	}
	if (o.builtinRecords < o.records && !o.skip.has('builtin')) {
		notes.push(
			`n8n's built-in Salesforce node ran on a sample of ${o.builtinRecords} of the ${o.records} records (one API call per record: the full run would take about ${Math.round(o.records / o.builtinRecords)}× as long); ratios compare records/s. Use --builtin-records 0 for the full N.`,
		);
	}
	return results;
}

// ------------------------------------------------------------------------------------------------
// 2. webhook intake

async function benchIntake(
	o: BenchOptions,
	inst: N8nInstance,
	createWorkflow: (wf: Record<string, unknown>) => Promise<string>,
	creds: { hookCred: { id: string; name: string }; headerCred: { id: string; name: string } },
	secret: string,
	say: (l: string) => void,
): Promise<{ main: IntakeResult[]; diagnostics: IntakeResult[] }> {
	const trig = triggerWorkflow('bench intake: Skeepers Trigger', creds.hookCred);
	const trigNone = triggerWorkflow('bench intake: Skeepers Trigger (no auth)', null);
	const trigV1 = triggerWorkflow(
		'bench intake: Skeepers Trigger (typeVersion 1)',
		creds.hookCred,
		1,
	);
	const hook = genericWebhookWorkflow('bench intake: Webhook', 'bench-intake-webhook');
	const hookAuth = genericWebhookWorkflow(
		'bench intake: Webhook (header auth)',
		'bench-intake-webhook-auth',
		creds.headerCred,
	);
	type P = {
		path: string;
		main: boolean;
		workflowId: string;
		url: string;
		mode: 'hmac' | 'none' | 'token-header';
		k: number;
	};
	const diagK = Math.min(o.deliveries, o.diagDeliveries);
	const paths: P[] = [
		{
			path: 'skeepers-trigger',
			main: true,
			workflowId: await createWorkflow(trig),
			url: inst.webhookUrl(`${webhookIdOf(trig)}/skeepers`),
			mode: 'hmac',
			k: o.deliveries,
		},
		{
			path: 'n8n-webhook',
			main: true,
			workflowId: await createWorkflow(hook),
			url: inst.webhookUrl('bench-intake-webhook'),
			mode: 'none',
			k: o.deliveries,
		},
	];
	if (diagK > 0) {
		paths.push(
			{
				path: 'skeepers-trigger-no-auth',
				main: false,
				workflowId: await createWorkflow(trigNone),
				url: inst.webhookUrl(`${webhookIdOf(trigNone)}/skeepers`),
				mode: 'none',
				k: diagK,
			},
			{
				path: 'n8n-webhook-header-auth',
				main: false,
				workflowId: await createWorkflow(hookAuth),
				url: inst.webhookUrl('bench-intake-webhook-auth'),
				mode: 'token-header',
				k: diagK,
			},
			{
				path: 'skeepers-trigger-v1',
				main: false,
				workflowId: await createWorkflow(trigV1),
				url: inst.webhookUrl(`${webhookIdOf(trigV1)}/skeepers`),
				mode: 'hmac',
				k: diagK,
			},
		);
	}
	const payload = path.join(REPO_ROOT, 'examples', 'payloads', 'promoter.json');
	const send = (p: P, repeat: number, concurrency = o.concurrency) =>
		replay({
			url: p.url,
			paths: [payload],
			mode: p.mode,
			secret: p.mode === 'hmac' ? secret : p.mode === 'token-header' ? HEADER_TOKEN : undefined,
			headerName: HEADER_NAME,
			concurrency,
			repeat,
		});

	// warm-up (not counted): first a single delivery until the webhook answers (a freshly activated
	// workflow can answer 404 for a moment on a busy machine), then 20
	const before = new Map<string, number>();
	for (const p of paths) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const w = await send(p, 1, 1);
			if (w.allAccepted) break;
			if (Date.now() > deadline)
				throw new Error(
					`intake warm-up of ${p.path}: ${w.deliveries[0]?.status} ${w.deliveries[0]?.response}`,
				);
			await sleep(500);
		}
		const w = await send(p, 20);
		if (!w.allAccepted)
			throw new Error(
				`intake warm-up of ${p.path}: ${w.status2xx}/${w.sent} accepted (${w.deliveries.find((d) => !d.accepted)?.response})`,
			);
		before.set(p.path, await waitForExecutions(inst, p.workflowId, 1 + w.status2xx, 60_000));
	}

	// A B C D D C B A halves, so drift (other load, a growing database) hits every path alike
	const order: Array<[P, number]> = [
		...paths.map((p): [P, number] => [p, Math.ceil(p.k / 2)]),
		...[...paths].reverse().map((p): [P, number] => [p, p.k - Math.ceil(p.k / 2)]),
	];
	const latencies = new Map<string, number[]>();
	const accepted = new Map<string, number>();
	const busy = new Map<string, number>();
	for (const [p, n] of order) {
		if (n === 0) continue;
		say(`[bench] intake: ${n} deliveries to ${p.path} (concurrency ${o.concurrency})…`);
		const t = performance.now();
		const s = await send(p, n);
		const refused = s.deliveries.filter((d) => !d.accepted);
		if (refused.length > 0)
			say(
				`[bench]   ${refused.length} not accepted, e.g. ${refused[0].status} ${String(refused[0].response).slice(0, 200)}`,
			);
		// wait for every execution to finish before the next batch, so batches do not overlap
		const want = (before.get(p.path) ?? 0) + (accepted.get(p.path) ?? 0) + s.status2xx;
		await waitForExecutions(inst, p.workflowId, want, 180_000);
		busy.set(p.path, (busy.get(p.path) ?? 0) + (performance.now() - t) / 1000);
		latencies.set(p.path, [...(latencies.get(p.path) ?? []), ...s.deliveries.map((d) => d.ms)]);
		accepted.set(p.path, (accepted.get(p.path) ?? 0) + s.status2xx);
	}
	const pct = (values: number[], q: number) => {
		const v = [...values].sort((a, b) => a - b);
		return v.length ? v[Math.min(v.length - 1, Math.ceil((q / 100) * v.length) - 1)] : 0;
	};
	const results: Array<IntakeResult & { main: boolean }> = [];
	for (const p of paths) {
		const lat = latencies.get(p.path) ?? [];
		const completed =
			(await notWhileDbBusy(
				() => executionCount(inst, p.workflowId, ['success']),
				Date.now() + 60_000,
			)) - (before.get(p.path) ?? 0);
		const seconds = busy.get(p.path) ?? 0;
		results.push({
			main: p.main,
			path: p.path as IntakePath,
			deliveries: lat.length,
			accepted: accepted.get(p.path) ?? 0,
			p50Ms: round(pct(lat, 50), 1),
			p95Ms: round(pct(lat, 95), 1),
			p99Ms: round(pct(lat, 99), 1),
			executionsCompleted: completed,
			seconds: round(seconds, 2),
			deliveriesPerSecond: round(lat.length / seconds, 1),
			p50VsWebhook: null,
			p95VsWebhook: null,
			p99VsWebhook: null,
			throughputVsWebhook: null,
		});
	}
	const w = results.find((r) => r.path === 'n8n-webhook')!;
	for (const r of results) {
		r.p50VsWebhook = w.p50Ms > 0 ? round(r.p50Ms / w.p50Ms, 2) : null;
		r.p95VsWebhook = w.p95Ms > 0 ? round(r.p95Ms / w.p95Ms, 2) : null;
		r.p99VsWebhook = w.p99Ms > 0 ? round(r.p99Ms / w.p99Ms, 2) : null;
		r.throughputVsWebhook =
			w.deliveriesPerSecond > 0 ? round(r.deliveriesPerSecond / w.deliveriesPerSecond, 2) : null;
	}
	const strip = ({ main: _m, ...r }: IntakeResult & { main: boolean }): IntakeResult => r;
	return {
		main: results.filter((r) => r.main).map(strip),
		diagnostics: results.filter((r) => !r.main).map(strip),
	};
}

const HEADER_NAME = 'X-Bench-Token';
const HEADER_TOKEN = 'bench-header-token-0123456789';

// ------------------------------------------------------------------------------------------------
// 3. node overhead, no network

async function benchOverhead(
	o: BenchOptions,
	inst: N8nInstance,
	emu: Emulator,
	createWorkflow: (wf: Record<string, unknown>) => Promise<string>,
	sfCred: { id: string; name: string },
	token: { access_token: string; instance_url: string },
	say: (l: string) => void,
): Promise<OverheadResult> {
	const items = makeItems(o.overheadItems, 'overhead');
	const dry = { id: '', path: 'bench-overhead-dryrun', seen: new Set<string>() };
	const base = { id: '', path: 'bench-overhead-baseline', seen: new Set<string>() };
	dry.id = await createWorkflow(
		writerWorkflow('bench overhead: dry run', dry.path, overheadNode(sfCred, true)),
	);
	base.id = await createWorkflow(
		writerWorkflow('bench overhead: baseline', base.path, {
			id: n8nId(),
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			parameters: {},
		}),
	);
	for (const w of [dry, base]) {
		const r = await runThroughWorkflow(inst, w.id, w.path, items.slice(0, 20), w.seen);
		if (r.error) throw new Error(`overhead warm-up failed: ${r.error}`);
	}
	say(`[bench] overhead: ${items.length} items × 10 rows, Dry Run, latency 0…`);
	const b = await runThroughWorkflow(inst, base.id, base.path, items, base.seen);
	emu.resetCounters();
	const r = await runThroughWorkflow(inst, dry.id, dry.path, items, dry.seen);
	if (r.error) throw new Error(`overhead run failed: ${r.error}`);
	const apiCalls = emu.counters().total;
	say(
		`[bench]   ${round(r.seconds, 2)} s wall (node ${r.nodeSeconds?.toFixed(2)} s); baseline without the node ${round(b.seconds, 2)} s`,
	);
	const pure = await timePureFunctions(items, token);
	return {
		items: items.length,
		itemsPerSecond: round(items.length / r.seconds, 0),
		rows: 10,
		seconds: round(r.seconds, 3),
		nodeSeconds: r.nodeSeconds === null ? null : round(r.nodeSeconds, 3),
		baselineSeconds: round(b.seconds, 3),
		apiCalls,
		pure,
	};
}

// ------------------------------------------------------------------------------------------------

async function main() {
	const o = parseArgs(process.argv.slice(2));
	const result = await runBench(o);
	fs.mkdirSync(path.dirname(o.json), { recursive: true });
	fs.writeFileSync(o.json, JSON.stringify(result, null, 2) + '\n');
	process.stdout.write(renderMarkdown(result) + '\n');
	process.stdout.write(`\nJSON: ${path.relative(process.cwd(), o.json)}\n`);
	if (result.errors.length) {
		process.stderr.write(
			`[bench] ${result.errors.length} phase(s) failed:\n${result.errors.map((e) => `  ${e}`).join('\n')}\n`,
		);
		process.exitCode = 1;
	}
}

if (require.main === module) {
	main().then(
		() => process.exit(process.exitCode ?? 0),
		(e) => {
			process.stderr.write(
				`[bench] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
			);
			process.exit(1);
		},
	);
}

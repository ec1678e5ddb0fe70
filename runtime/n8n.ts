/**
 * Launcher for a real, pinned n8n (2.41.1 on Node 24, or 1.123.81 on Node 22) with this
 * package installed the way users install it (a tarball unpacked under
 * `<userFolder>/.n8n/nodes/node_modules/`, exactly as Settings → Community Nodes does).
 *
 * Dev kit only: never imported by nodes/ or credentials/. See runtime/README.md.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';

import { ensureInstall, type Major, type RuntimeInstall } from './install';
import { fetchIdempotentOnce } from './fetchIdempotentOnce';
import {
	installExitHooks,
	killGroup,
	onInterrupt,
	onLines,
	startWatchdog,
	track,
	untrack,
} from './processGroups';

export type { Major } from './install';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const ENCRYPTION_KEY = 'skeepers-e2e-encryption-key-0123456789';
const OWNER = {
	email: 'owner@skeepers.test',
	firstName: 'Ops',
	lastName: 'Owner',
	// meets n8n's rules (8+ chars, a digit, an upper-case letter) for 1.x's /rest/owner/setup
	password: 'Skeepers-E2e-2026',
};
/** Sent on every REST call; n8n binds the auth cookie to it (auth.service validateBrowserId). */
const BROWSER_ID = 'skeepers-runtime-launcher';
/** n8n-workflow's CREDENTIAL_BLANKING_VALUE (same in 1.x and 2.x). */
const BLANKING_VALUE = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';

export interface EnsuredN8n {
	bin: string;
	nodeBin: string;
	version: string;
	nodeVersion: string;
	major: Major;
	dir: string;
}

/** Installs n8n <major> once (runtime/.install/<major>) and says where it is. */
export async function ensureN8n(major: Major, log?: (line: string) => void): Promise<EnsuredN8n> {
	const r: RuntimeInstall = await ensureInstall(major, { log });
	return {
		bin: r.bin,
		nodeBin: r.nodeBin,
		version: r.version,
		nodeVersion: r.nodeVersion,
		major,
		dir: r.dir,
	};
}

// ---------------------------------------------------------------------------------------------
// small helpers

/** A TCP port that is free on 127.0.0.1 right now. */
function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

/** A free port not already in `taken` (which it joins): several servers started before any listens. */
export async function freshPort(taken: Set<number>): Promise<number> {
	for (;;) {
		const p = await freePort();
		if (!taken.has(p)) {
			taken.add(p);
			return p;
		}
	}
}

function isPortFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** n8n-style id: 16 alphanumerics. */
export function n8nId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

interface ExecResult {
	stdout: string;
	stderr: string;
	code: number | null;
}

function execFileCollect(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<ExecResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		track(child.pid);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
		child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
		const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), opts.timeoutMs ?? 180_000);
		child.on('error', (e) => {
			clearTimeout(timer);
			untrack(child.pid);
			reject(e);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			untrack(child.pid);
			resolve({ stdout, stderr, code });
		});
	});
}

// ---------------------------------------------------------------------------------------------
// process groups: runtime/processGroups.ts owns them; n8n instances add their folder cleanup.

const liveInstances = new Set<N8nInstance>();
onInterrupt(() => {
	for (const inst of liveInstances) fs.rmSync(inst.userFolder, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// package: build + pack this repository, install a tarball like Community Nodes does

/**
 * `npm run build` + `npm pack` of this repository into a temp folder; returns the .tgz path.
 * Pass `{ build: false }` when dist/ is already fresh, `{ cwd }` to pack another package.
 */
export async function packPackage(
	options: { build?: boolean; cwd?: string; outDir?: string } = {},
): Promise<string> {
	const cwd = options.cwd ?? REPO_ROOT;
	const outDir = options.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-pack-'));
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	if (options.build !== false) {
		const b = await execFileCollect(npm, ['run', 'build'], { cwd, timeoutMs: 300_000 });
		if (b.code !== 0)
			throw new Error(`npm run build failed (${b.code}):\n${tail(b.stdout + b.stderr, 40)}`);
	}
	const p = await execFileCollect(npm, ['pack', '--json', '--pack-destination', outDir], {
		cwd,
		timeoutMs: 120_000,
	});
	if (p.code !== 0)
		throw new Error(`npm pack failed (${p.code}):\n${tail(p.stdout + p.stderr, 40)}`);
	const json = p.stdout.slice(p.stdout.indexOf('['));
	const [{ filename }] = JSON.parse(json) as Array<{ filename: string }>;
	return path.join(outDir, filename.replace(/^@/, '').replace(/\//, '-'));
}

export type InstallMode =
	/** what Settings → Community Nodes does in 2.41 (community-packages.service.js downloadPackage) */
	| 'community'
	/** what a user does by hand per the README: `npm install <pkg>` in ~/.n8n/nodes */
	| 'npm';

/**
 * Installs a packed tarball into `<n8nFolder>/nodes` (n8nFolder = `<N8N_USER_FOLDER>/.n8n`).
 *
 * 'community' mirrors n8n 2.41's CommunityPackagesService.downloadPackage: unpack the tarball
 * into nodes/node_modules/<name>, drop devDependencies/peerDependencies/optionalDependencies
 * from its package.json, `npm install --bin-links=false --install-strategy=shallow
 * --ignore-scripts=true --package-lock=false` inside it, and record `<name>: <version>` in
 * nodes/package.json. n8n-workflow is then resolved from n8n's own copy (n8n sets NODE_PATH to
 * its module paths), never from a second copy.
 */
export async function installPackageTarball(
	n8nFolder: string,
	tarball: string,
	mode: InstallMode = 'community',
	nodeBin?: string,
): Promise<{ name: string; version: string; dir: string }> {
	const nodesDir = path.join(n8nFolder, 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const pkgJsonPath = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJsonPath)) {
		fs.writeFileSync(
			pkgJsonPath,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	}
	const env: NodeJS.ProcessEnv = {
		...process.env,
		npm_config_audit: 'false',
		npm_config_fund: 'false',
	};
	if (nodeBin) env.PATH = [path.dirname(nodeBin), process.env.PATH].join(path.delimiter);
	const npm = 'npm';
	if (mode === 'npm') {
		const r = await execFileCollect(
			npm,
			['install', '--no-audit', '--no-fund', path.resolve(tarball)],
			{ cwd: nodesDir, env },
		);
		if (r.code !== 0)
			throw new Error(`npm install ${tarball} failed:\n${tail(r.stdout + r.stderr, 30)}`);
		const deps = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')).dependencies as Record<
			string,
			string
		>;
		const name = Object.keys(deps).find((n) => /(^|\/)n8n-nodes-/.test(n)) ?? Object.keys(deps)[0];
		const dir = path.join(nodesDir, 'node_modules', name);
		const version = (
			JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }
		).version;
		return { name, version, dir };
	}
	const staging = fs.mkdtempSync(path.join(nodesDir, '.unpack-'));
	try {
		const x = await execFileCollect(
			'tar',
			['-xzf', path.resolve(tarball), '-C', staging, '--strip-components=1'],
			{},
		);
		if (x.code !== 0) throw new Error(`tar failed: ${x.stderr}`);
		const raw = JSON.parse(fs.readFileSync(path.join(staging, 'package.json'), 'utf8')) as Record<
			string,
			unknown
		> & {
			name: string;
			version: string;
		};
		const { devDependencies: _d, peerDependencies: _p, optionalDependencies: _o, ...pkg } = raw;
		const dir = path.join(nodesDir, 'node_modules', raw.name);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(dir), { recursive: true });
		fs.renameSync(staging, dir);
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
		const r = await execFileCollect(
			npm,
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: dir, env },
		);
		if (r.code !== 0)
			throw new Error(`npm install in ${dir} failed:\n${tail(r.stdout + r.stderr, 30)}`);
		const nodesPkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8')) as {
			dependencies: Record<string, string>;
		};
		nodesPkg.dependencies = { ...nodesPkg.dependencies, [raw.name]: raw.version };
		fs.writeFileSync(pkgJsonPath, JSON.stringify(nodesPkg, null, 2));
		return { name: raw.name, version: raw.version, dir };
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// REST client (the editor's internal API, cookie auth)

interface RestResponse<T = unknown> {
	status: number;
	headers: Headers;
	/** parsed JSON body (n8n wraps most answers in `{ data }`), or the text */
	body: T;
}

class RestError extends Error {
	constructor(
		message: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(message);
	}
}

interface N8nRest {
	/** Logs in (POST /rest/login) if not yet, then calls `<url>/rest<path>`; throws on >= 400 unless `allowError`. */
	request<T = any>(
		method: string,
		restPath: string,
		body?: unknown,
		opts?: { allowError?: boolean; query?: Record<string, string> },
	): Promise<RestResponse<T>>;
	get<T = any>(restPath: string, query?: Record<string, string>): Promise<T>;
	post<T = any>(restPath: string, body?: unknown): Promise<T>;
	patch<T = any>(restPath: string, body?: unknown): Promise<T>;
	delete<T = any>(restPath: string): Promise<T>;
	/** Raw fetch to any path of the instance with the login cookie (e.g. `/types/nodes.json`). */
	fetch(pathname: string, init?: RequestInit): Promise<Response>;
	login(): Promise<void>;
	/** the Cookie header this client sends (n8n-auth + OAuth binding), for scripts and browsers */
	cookie(): Promise<string>;
	/** All node type descriptions the editor sees (`GET /types/nodes.json`). */
	nodeTypes(): Promise<
		Array<{ name: string; displayName: string; version: number | number[]; [k: string]: unknown }>
	>;
	/** All credential type descriptions (`GET /types/credentials.json`). */
	credentialTypes(): Promise<Array<{ name: string; displayName: string; [k: string]: unknown }>>;
	credentials(): Promise<Array<{ id: string; name: string; type: string; [k: string]: unknown }>>;
	/** `GET /rest/credentials/:id?includeData=true` (secrets come back redacted). */
	credential(
		id: string,
	): Promise<{ id: string; name: string; type: string; data?: Record<string, unknown> }>;
	/** `POST /rest/credentials/test` with the stored credential → `{ status: 'OK' | 'Error', message }`. */
	testCredential(id: string): Promise<{ status: string; message: string }>;
	workflows(): Promise<Array<{ id: string; name: string; active: boolean; [k: string]: unknown }>>;
	/** `POST /rest/workflows`, inactive; on 1.x with `active: false` (a NOT NULL column there; 2.x derives it from activation). */
	createWorkflow<T = { id: string; name: string; versionId?: string }>(
		workflow: Record<string, unknown>,
	): Promise<T>;
	/** `GET /rest/executions?filter=...&limit=` → the list (newest first, without data). */
	executions(
		filter?: { workflowId?: string; status?: string[] },
		limit?: number,
	): Promise<ExecutionSummary[]>;
	/** `GET /rest/executions/:id` with `data` un-flatted into an IRunExecutionData object. */
	execution(id: string): Promise<ExecutionDetail>;
	/** Polls until an execution of the workflow (other than `exclude`) is finished. */
	waitForExecution(
		workflowId: string,
		opts?: { timeoutMs?: number; exclude?: string[] },
	): Promise<ExecutionDetail>;
	/** `POST /rest/api-keys` → a raw key for the public API (`X-N8N-API-KEY` on `/api/v1/*`). */
	createApiKey(scopes?: string[]): Promise<string>;
	/** Public API `GET /api/v1/executions?includeData=true&workflowId=` (data as a plain object). */
	publicExecutions(
		query?: Record<string, string>,
	): Promise<{ data: ExecutionDetail[]; nextCursor: string | null }>;
	/** `GET /rest/oauth2-credential/auth?id=` → the provider's authorization URL (with state, PKCE challenge). */
	oauth2AuthUrl(credentialId: string): Promise<string>;
	/**
	 * Runs the whole authorization-code flow through n8n's own endpoints: asks n8n for the
	 * provider URL, GETs it without following redirects (a provider that auto-consents, such as
	 * the emulator, answers 302 to n8n's callback with `code` and `state`), then GETs that
	 * callback with the login cookie. Returns the callback page's status and text.
	 */
	runOAuth2Flow(
		credentialId: string,
		opts?: { consent?: (authUrl: string) => Promise<string> },
	): Promise<{ authUrl: string; callbackUrl: string; status: number; text: string }>;
}

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished?: boolean;
	startedAt: string;
	stoppedAt?: string;
	[k: string]: unknown;
}

export interface ExecutionDetail extends ExecutionSummary {
	/** IRunExecutionData: `resultData.runData[nodeName][run].data.main[output][item].json`, `resultData.error`, `resultData.lastNodeExecuted` */
	data: any;
	workflowData?: any;
}

function createRest(
	baseUrl: () => string,
	owner: { email: string; password: string },
	flattedFrom: string,
	major: Major,
): N8nRest {
	// a tiny cookie jar: n8n-auth (login) and the OAuth browser-binding cookie set by
	// /rest/oauth2-credential/auth, which 2.x checks again at /callback
	const jar = new Map<string, string>();
	const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
	const keep = (res: Response) => {
		for (const c of res.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const i = pair.indexOf('=');
			const name = pair.slice(0, i).trim();
			const value = pair.slice(i + 1).trim();
			if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
			else jar.set(name, value);
		}
	};
	let cookie = '';
	const requireFromN8n = createRequire(path.join(flattedFrom, 'package.json'));
	const unflat = (s: string): unknown =>
		(requireFromN8n('flatted') as { parse: (s: string) => unknown }).parse(s);

	const rawFetch = async (pathname: string, init: RequestInit = {}) => {
		const headers = new Headers(init.headers);
		headers.set('browser-id', BROWSER_ID);
		if (jar.size) headers.set('cookie', cookieHeader());
		const res = await fetchIdempotentOnce(baseUrl() + pathname, {
			...init,
			headers,
			redirect: 'manual',
		});
		keep(res);
		return res;
	};

	const login = async () => {
		const res = await rawFetch('/rest/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				emailOrLdapLoginId: owner.email,
				email: owner.email,
				password: owner.password,
			}),
		});
		const text = await res.text();
		if (res.status !== 200)
			throw new RestError(`login failed: ${res.status} ${text}`, res.status, text);
		if (!jar.has('n8n-auth')) throw new Error('login answered 200 without an n8n-auth cookie');
		cookie = `n8n-auth=${jar.get('n8n-auth')}`;
	};

	const request: N8nRest['request'] = async (method, restPath, body, opts = {}) => {
		if (!cookie) await login();
		const qs = opts.query ? '?' + new URLSearchParams(opts.query).toString() : '';
		const doIt = () =>
			rawFetch(`/rest${restPath}${qs}`, {
				method,
				headers: body === undefined ? {} : { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		let res = await doIt();
		if (res.status === 401) {
			await login();
			res = await doIt();
		}
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			/* not JSON */
		}
		if (res.status >= 400 && !opts.allowError) {
			throw new RestError(
				`${method} /rest${restPath} → ${res.status}: ${text.slice(0, 500)}`,
				res.status,
				parsed,
			);
		}
		return { status: res.status, headers: res.headers, body: parsed as any };
	};
	const data = async <T>(
		method: string,
		p: string,
		body?: unknown,
		query?: Record<string, string>,
	): Promise<T> => {
		const r = await request<{ data: T }>(method, p, body, { query });
		return r.body && typeof r.body === 'object' && 'data' in r.body
			? r.body.data
			: (r.body as unknown as T);
	};

	const execution = async (id: string): Promise<ExecutionDetail> => {
		const e = await data<ExecutionDetail & { data: string | object }>('GET', `/executions/${id}`);
		if (typeof e.data === 'string') e.data = unflat(e.data);
		return e;
	};
	const executions: N8nRest['executions'] = async (filter = {}, limit = 50) => {
		const d = await data<{ results: ExecutionSummary[] } | ExecutionSummary[]>(
			'GET',
			'/executions',
			undefined,
			{
				filter: JSON.stringify(filter),
				limit: String(limit),
			},
		);
		return Array.isArray(d) ? d : d.results;
	};
	const typesJson = async (name: string): Promise<any> => {
		if (!cookie) await login();
		const res = await rawFetch(`/types/${name}.json`);
		if (res.status !== 200)
			throw new RestError(`/types/${name}.json → ${res.status}`, res.status, await res.text());
		return res.json();
	};

	let apiKey: string | undefined;
	const rest: N8nRest = {
		request,
		get: (p, q) => data('GET', p, undefined, q),
		post: (p, b) => data('POST', p, b ?? {}),
		patch: (p, b) => data('PATCH', p, b ?? {}),
		delete: (p) => data('DELETE', p),
		fetch: async (p, init) => {
			if (!cookie) await login();
			return rawFetch(p, init);
		},
		login,
		cookie: async () => {
			if (!cookie) await login();
			return cookieHeader();
		},
		nodeTypes: () => typesJson('nodes'),
		credentialTypes: () => typesJson('credentials'),
		credentials: () => data('GET', '/credentials'),
		credential: (id) => data('GET', `/credentials/${id}`, undefined, { includeData: 'true' }),
		testCredential: async (id) => {
			const c = await data<{
				id: string;
				name: string;
				type: string;
				data: Record<string, unknown>;
			}>('GET', `/credentials/${id}`, undefined, { includeData: 'true' });
			// GET answers secrets as the blanking sentinel and `oauthTokenData: true`; the server
			// puts sentinel values back from the stored credential (CredentialsService.unredact), so
			// turn `true` into the sentinel too, or the stored token would not reach the test.
			const d = { ...(c.data ?? {}) };
			if (d.oauthTokenData === true) d.oauthTokenData = BLANKING_VALUE;
			return data('POST', '/credentials/test', {
				credentials: { id: c.id, name: c.name, type: c.type, data: d },
			});
		},
		workflows: () => data('GET', '/workflows'),
		createWorkflow: (workflow) =>
			data('POST', '/workflows', major === 1 ? { ...workflow, active: false } : workflow),
		executions,
		execution,
		waitForExecution: async (workflowId, opts = {}) => {
			const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
			const exclude = new Set(opts.exclude ?? []);
			for (;;) {
				const list = await executions({ workflowId }, 20);
				const done = list.find(
					(e) => !exclude.has(String(e.id)) && !['running', 'new', 'waiting'].includes(e.status),
				);
				if (done) return execution(String(done.id));
				if (Date.now() > deadline)
					throw new Error(
						`no finished execution of workflow ${workflowId} within ${opts.timeoutMs ?? 30_000} ms (seen: ${JSON.stringify(list.map((e) => [e.id, e.status]))})`,
					);
				await sleep(250);
			}
		},
		createApiKey: async (
			scopes = [
				'workflow:read',
				'workflow:list',
				'execution:read',
				'execution:list',
				'credential:create',
			],
		) => {
			const k = await data<{ rawApiKey?: string; apiKey?: string }>('POST', '/api-keys', {
				label: `launcher-${Date.now()}`,
				expiresAt: null,
				scopes,
			});
			const raw = k.rawApiKey ?? k.apiKey;
			if (!raw) throw new Error('POST /rest/api-keys answered without a key');
			return raw;
		},
		publicExecutions: async (query = {}) => {
			apiKey ??= await rest.createApiKey();
			const qs = new URLSearchParams({ includeData: 'true', ...query }).toString();
			const res = await fetch(`${baseUrl()}/api/v1/executions?${qs}`, {
				headers: { 'X-N8N-API-KEY': apiKey },
			});
			if (res.status !== 200)
				throw new RestError(`/api/v1/executions → ${res.status}`, res.status, await res.text());
			return (await res.json()) as { data: ExecutionDetail[]; nextCursor: string | null };
		},
		oauth2AuthUrl: (credentialId) =>
			data<string>('GET', '/oauth2-credential/auth', undefined, { id: credentialId }),
		runOAuth2Flow: async (credentialId, opts = {}) => {
			const authUrl = await rest.oauth2AuthUrl(credentialId);
			let callbackUrl: string;
			if (opts.consent) {
				callbackUrl = await opts.consent(authUrl);
			} else {
				const res = await fetch(authUrl, { redirect: 'manual' });
				const location = res.headers.get('location');
				if (res.status < 300 || res.status >= 400 || !location) {
					throw new Error(
						`the provider did not redirect (status ${res.status}); pass opts.consent to drive its consent page`,
					);
				}
				callbackUrl = new URL(location, authUrl).toString();
			}
			const u = new URL(callbackUrl);
			const res = await rawFetch(u.pathname + u.search);
			return { authUrl, callbackUrl, status: res.status, text: await res.text() };
		},
	};
	return rest;
}

// ---------------------------------------------------------------------------------------------
// the instance

export interface StartOptions {
	/** 2 (default: n8n 2.41.1 on Node 24) or 1 (n8n 1.123.81 on Node 22) */
	major?: Major;
	/** HTTP port; 0/undefined = a free port. The task-runner broker always gets a free port too. */
	port?: number;
	/** `npm pack` output(s) (see packPackage) to install in `<userFolder>/.n8n/nodes` before start */
	packageTarball?: string | string[];
	/** how to install the tarball (default 'community', like Settings → Community Nodes) */
	installMode?: InstallMode;
	/** extra environment for n8n (wins over the defaults) */
	env?: Record<string, string>;
	/** n8n credential export objects (`{ id?, name, type, data: {...plain...} }`), imported by CLI before start */
	credentials?: object[];
	/** n8n workflow JSONs (`{ id?, name, nodes, connections, settings? }`), imported by CLI before start and activated (`active: false` in an entry skips activation) */
	workflows?: object[];
	/** receives every line n8n (and the launcher) prints */
	log?: (line: string) => void;
	/** use this folder as N8N_USER_FOLDER (kept on stop); default: a temp folder removed on stop */
	userFolder?: string;
	/** ms to wait for /healthz + readiness (default 180 s) */
	startTimeoutMs?: number;
}

export interface N8nInstance {
	/** `http://127.0.0.1:<port>` (no trailing slash) */
	url: string;
	port: number;
	brokerPort: number;
	/** N8N_USER_FOLDER; n8n's own data is in `<userFolder>/.n8n` */
	userFolder: string;
	owner: { email: string; password: string; firstName: string; lastName: string };
	major: Major;
	version: string;
	/** the environment n8n runs with (without the inherited process.env) */
	env: Record<string, string>;
	/** installed packages, in the order given */
	installedPackages: Array<{ name: string; version: string; dir: string }>;
	/** ids of the imported credentials / workflows, in the order given */
	credentialIds: string[];
	workflowIds: string[];
	/** ms from spawn to ready, for each start (first = migrations) */
	startupMs: number[];
	/** Runs `n8n <args>` against the same user folder and database (works while n8n runs or is stopped). */
	cli(args: string[], opts?: { timeoutMs?: number }): Promise<ExecResult>;
	/** Imports credentials by CLI (plain `data` is encrypted on import). Running instance: call restart() after if n8n must see them at start; REST sees them at once. */
	importCredentials(credentials: object[]): Promise<string[]>;
	/** Imports workflows by CLI and activates them (publish:workflow on 2.x, update:workflow --active on 1.x). A running instance needs restart() to register their webhooks. */
	importWorkflows(workflows: object[], opts?: { activate?: boolean }): Promise<string[]>;
	rest: N8nRest;
	/** `<url>/webhook/<path>` */
	webhookUrl(pathname: string): string;
	/** last lines n8n printed */
	logTail(lines?: number): string;
	/** path of the full log file */
	logFile: string;
	isRunning(): boolean;
	/** pid of the node process running `n8n start` (spawned directly, no wrapper: it holds n8n's heap); the new one after restart(), undefined while stopped */
	pid(): number | undefined;
	restart(): Promise<void>;
	/** Stops n8n (SIGTERM to its process group, SIGKILL after 15 s) and removes the temp user folder. Idempotent. */
	stop(opts?: { keepUserFolder?: boolean }): Promise<void>;
}

function tail(text: string, n: number): string {
	return text.split('\n').filter(Boolean).slice(-n).join('\n');
}

/** bcrypt hash with the bcryptjs that ships inside the n8n install (no dependency here). */
function bcryptHash(installDirPath: string, password: string): string {
	const req = createRequire(path.join(installDirPath, 'node_modules', 'n8n', 'package.json'));
	const bcrypt = req('bcryptjs') as { hashSync: (p: string, rounds: number) => string };
	return bcrypt.hashSync(password, 10);
}

function hasOwnerEnvSupport(installDirPath: string): boolean {
	const f = path.join(
		installDirPath,
		'node_modules',
		'@n8n',
		'config',
		'dist',
		'configs',
		'instance-settings-loader.config.js',
	);
	try {
		return fs.readFileSync(f, 'utf8').includes('N8N_INSTANCE_OWNER_PASSWORD_HASH');
	} catch {
		return false;
	}
}

export async function startN8n(opts: StartOptions = {}): Promise<N8nInstance> {
	installExitHooks();
	const major: Major = opts.major ?? 2;
	const log = opts.log ?? (() => undefined);
	const rt = await ensureN8n(major, log);

	const port = opts.port && opts.port > 0 ? opts.port : await freePort();
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	if (opts.port && !(await isPortFree(port)))
		throw new Error(`port ${port} is already in use on 127.0.0.1`);

	const ownTempFolder = !opts.userFolder;
	const userFolder =
		opts.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), `skeepers-n8n${major}-`));
	const n8nFolder = path.join(userFolder, '.n8n');
	fs.mkdirSync(n8nFolder, { recursive: true });
	const logFile = path.join(userFolder, 'n8n.log');
	const url = `http://127.0.0.1:${port}`;
	const ownerEnv = hasOwnerEnvSupport(rt.dir);

	const env: Record<string, string> = {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${url}/`,
		WEBHOOK_URL: `${url}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_SQLITE_POOL_SIZE: '2',
		NODE_ENV: 'production',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...(ownerEnv
			? {
					N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
					N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
					N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
					N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
					N8N_INSTANCE_OWNER_PASSWORD_HASH: bcryptHash(rt.dir, OWNER.password),
				}
			: {}),
		...(opts.env ?? {}),
	};
	// Do not inherit the calling npm script's context or a stray N8N_* of the developer's shell.
	const baseEnv: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|WEBHOOK_URL|npm_|NODE_OPTIONS|NODE_PATH|JEST_|VSCODE_)/.test(k))
			continue;
		baseEnv[k] = v;
	}
	const fullEnv: NodeJS.ProcessEnv = {
		...baseEnv,
		PATH: [path.dirname(rt.nodeBin), process.env.PATH].join(path.delimiter),
		...env,
	};

	let child: ReturnType<typeof spawn> | undefined;
	let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	const lines: string[] = [];
	const logStream = fs.createWriteStream(logFile, { flags: 'a' });
	// `n8n start` listens (and answers /healthz) before it activates the active workflows; it
	// prints "Editor is now accessible via" only after activeWorkflowManager.init() (start.js).
	let editorReady = false;
	const emit = (line: string) => {
		if (line.includes('Editor is now accessible via')) editorReady = true;
		lines.push(line);
		if (lines.length > 400) lines.splice(0, lines.length - 400);
		logStream.write(line + '\n');
		log(line);
	};

	const cli: N8nInstance['cli'] = async (args, o = {}) => {
		emit(`[launcher] n8n ${args.join(' ')}`);
		const r = await execFileCollect(rt.nodeBin, [rt.bin, ...args], {
			cwd: userFolder,
			env: fullEnv,
			timeoutMs: o.timeoutMs ?? 180_000,
		});
		for (const l of (r.stdout + r.stderr).split('\n')) if (l.trim()) emit(`[cli] ${l}`);
		return r;
	};
	const cliOk = async (args: string[]) => {
		const r = await cli(args);
		if (r.code !== 0)
			throw new Error(
				`n8n ${args.join(' ')} failed (${r.code}):\n${tail(r.stdout + r.stderr, 30)}`,
			);
		return r;
	};

	const importCredentials = async (creds: object[]): Promise<string[]> => {
		if (!creds.length) return [];
		const withIds = creds.map((c) => ({
			id: n8nId(),
			...(c as Record<string, unknown>),
		})) as Array<{ id: string }>;
		const file = path.join(userFolder, `import-credentials-${n8nId()}.json`);
		fs.writeFileSync(file, JSON.stringify(withIds, null, 2));
		try {
			await cliOk(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
		return withIds.map((c) => c.id);
	};
	const importWorkflows = async (
		wfs: object[],
		o: { activate?: boolean } = {},
	): Promise<string[]> => {
		if (!wfs.length) return [];
		const withIds = wfs.map((w) => ({
			id: n8nId(),
			settings: { executionOrder: 'v1' },
			connections: {},
			...(w as Record<string, unknown>),
		})) as Array<{ id: string; active?: boolean }>;
		const file = path.join(userFolder, `import-workflows-${n8nId()}.json`);
		fs.writeFileSync(file, JSON.stringify(withIds, null, 2));
		try {
			await cliOk(['import:workflow', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
		if (o.activate !== false) {
			for (const w of withIds) {
				if (w.active === false) continue;
				if (major === 2) await cliOk(['publish:workflow', `--id=${w.id}`]);
				else await cliOk(['update:workflow', `--id=${w.id}`, '--active=true']);
			}
		}
		return withIds.map((w) => w.id);
	};

	const startupMs: number[] = [];
	const exitInfo = (): { code: number | null; signal: NodeJS.Signals | null } | undefined => exited;
	const launch = async () => {
		exited = undefined;
		editorReady = false;
		const t0 = Date.now();
		emit(
			`[launcher] starting n8n ${rt.version} (Node ${rt.nodeVersion}) on ${url}, broker ${brokerPort}, user folder ${userFolder}`,
		);
		const c = spawn(rt.nodeBin, [rt.bin, 'start'], {
			cwd: userFolder,
			env: fullEnv,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child = c;
		track(c.pid);
		watchdog = startWatchdog(c.pid, ownTempFolder ? userFolder : undefined);
		onLines(c.stdout!, emit);
		onLines(c.stderr!, emit);
		c.on('exit', (code, signal) => {
			exited = { code, signal };
			untrack(c.pid);
			emit(`[launcher] n8n exited (code ${code}, signal ${signal})`);
		});
		const timeout = opts.startTimeoutMs ?? 180_000;
		const deadline = t0 + timeout;
		const fail = (why: string) =>
			new Error(
				`n8n ${rt.version} did not become ready on ${url}: ${why}\n--- last lines of n8n's log (${logFile}) ---\n${lines.slice(-40).join('\n')}`,
			);
		for (;;) {
			const ex = exitInfo();
			if (ex) throw fail(`the process exited (code ${ex.code}, signal ${ex.signal})`);
			if (Date.now() > deadline) {
				killGroup(c.pid, 'SIGKILL');
				throw fail(`timed out after ${timeout} ms`);
			}
			try {
				const h = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
				if (h.status === 200 && ((await h.json()) as { status?: string }).status === 'ok') {
					const r = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
					// 404: no readiness endpoint in this release
					if (r.status === 200 || r.status === 404) break;
				}
			} catch {
				/* not listening yet */
			}
			await sleep(300);
		}
		// /healthz answers before the REST routes are registered and before the active workflows'
		// webhooks exist: wait for /rest/settings and for the "Editor is now accessible" line.
		for (;;) {
			const ex = exitInfo();
			if (ex) throw fail(`the process exited (code ${ex.code}, signal ${ex.signal})`);
			if (Date.now() > deadline)
				throw fail(`timed out after ${timeout} ms waiting for /rest/settings`);
			try {
				const s = await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(2000) });
				if (s.status === 200 && editorReady) break;
			} catch {
				/* keep waiting */
			}
			await sleep(300);
		}
		startupMs.push(Date.now() - t0);
		emit(`[launcher] n8n ready in ${Date.now() - t0} ms`);
	};

	let watchdog: number | undefined;
	const stopProcess = async () => {
		const c = child;
		if (!c || exited) {
			killGroup(watchdog, 'SIGKILL');
			watchdog = undefined;
			return;
		}
		killGroup(c.pid, 'SIGTERM');
		const deadline = Date.now() + 15_000;
		while (!exited && Date.now() < deadline) await sleep(100);
		if (!exited) {
			emit('[launcher] n8n did not stop within 15 s: SIGKILL');
			killGroup(c.pid, 'SIGKILL');
			const d2 = Date.now() + 5_000;
			while (!exited && Date.now() < d2) await sleep(100);
		}
		// the task runner and anything else left in the group; the watchdog last, so that n8n
		// dies even if this process is killed while it waits
		killGroup(c.pid, 'SIGKILL');
		untrack(c.pid);
		killGroup(watchdog, 'SIGKILL');
		watchdog = undefined;
	};

	let stopped = false;
	const instance: N8nInstance = {
		url,
		port,
		brokerPort,
		userFolder,
		owner: { ...OWNER },
		major,
		version: rt.version,
		env,
		installedPackages: [],
		credentialIds: [],
		workflowIds: [],
		startupMs,
		cli,
		importCredentials,
		importWorkflows,
		rest: createRest(() => url, OWNER, path.join(rt.dir, 'node_modules', 'n8n'), major),
		webhookUrl: (p) => `${url}/webhook/${p.replace(/^\//, '')}`,
		logTail: (n = 40) => lines.slice(-n).join('\n'),
		logFile,
		isRunning: () => !!child && !exited,
		pid: () => (child && !exited ? child.pid : undefined),
		restart: async () => {
			await stopProcess();
			await launch();
			await instance.rest.login();
		},
		stop: async (o = {}) => {
			if (stopped) return;
			stopped = true;
			try {
				await stopProcess();
			} finally {
				liveInstances.delete(instance);
				await new Promise<void>((r) => logStream.end(() => r()));
				if (ownTempFolder && !o.keepUserFolder)
					fs.rmSync(userFolder, { recursive: true, force: true });
			}
		},
	};
	liveInstances.add(instance);

	try {
		const tarballs =
			opts.packageTarball === undefined ? [] : ([] as string[]).concat(opts.packageTarball);
		for (const tgz of tarballs) {
			const p = await installPackageTarball(n8nFolder, tgz, opts.installMode, rt.nodeBin);
			instance.installedPackages.push(p);
			emit(`[launcher] installed ${p.name}@${p.version} in ${p.dir}`);
		}
		// The CLI works on a database n8n has never opened: it runs the migrations itself, and
		// imported objects go to the owner's personal project (the shell owner the migrations
		// create, which the owner env vars / POST /rest/owner/setup fill in at first start).
		instance.credentialIds = await importCredentials(opts.credentials ?? []);
		instance.workflowIds = await importWorkflows(opts.workflows ?? []);
		await launch();
		if (!ownerEnv) await setupOwnerByRest(url, OWNER);
		await instance.rest.login();
	} catch (e) {
		await instance.stop({ keepUserFolder: !!process.env.SKEEPERS_KEEP_N8N_FOLDER });
		throw e;
	}
	return instance;
}

async function setupOwnerByRest(url: string, owner: typeof OWNER): Promise<void> {
	const res = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': BROWSER_ID },
		body: JSON.stringify(owner),
	});
	const text = await res.text();
	// 400 "Instance owner already setup" on a reused user folder is fine
	if (res.status !== 200 && !/already/i.test(text))
		throw new Error(`POST /rest/owner/setup → ${res.status}: ${text}`);
}

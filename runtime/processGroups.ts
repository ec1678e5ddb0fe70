/**
 * Every process the dev kit starts (n8n, its CLI, npm during an install, PostgreSQL, Redis) runs
 * in its own process group registered here, and dies with us: on exit, SIGINT, SIGTERM, through a
 * detached watchdog when we are SIGKILLed, and when a test file ends (`closeAllGroups`, called by
 * the test set-up's afterAll).
 *
 * Why the last one: a beforeAll that times out leaves its start-up running in the background.
 * Without it, that start-up went on to launch n8n after the test file had finished, nothing
 * stopped it, and jest waited for it forever (a CI run timed out that way). After
 * `closeAllGroups`, starting a process is refused, so a start-up still running fails at its next
 * step and unwinds through its own cleanup.
 *
 * Dev kit only: never imported by nodes/ or credentials/.
 */
import { spawn } from 'node:child_process';

const liveGroups = new Set<number>();
const exitCleanups = new Set<() => void>();
let closedBecause: string | undefined;

/** Calls `emit` with each non-blank line a child's output stream writes. */
export function onLines(stream: NodeJS.ReadableStream, emit: (line: string) => void): void {
	let buf = '';
	stream.on('data', (b: Buffer) => {
		buf += b.toString();
		const parts = buf.split('\n');
		buf = parts.pop() ?? '';
		for (const p of parts) if (p.trim()) emit(p);
	});
}

export function killGroup(pid: number | undefined, signal: NodeJS.Signals) {
	if (!pid) return;
	try {
		process.kill(-pid, signal);
	} catch {
		/* already gone */
	}
}

/**
 * Registers a process group (the pid of a child spawned with `detached: true`). Once the groups
 * are closed, the new group is killed at once and this throws, naming why.
 */
export function track(pid: number | undefined) {
	if (!pid) return;
	if (closedBecause) {
		killGroup(pid, 'SIGKILL');
		throw new Error(`not starting a process: ${closedBecause}`);
	}
	liveGroups.add(pid);
}

export function untrack(pid: number | undefined) {
	if (pid) liveGroups.delete(pid);
}

/** How many registered groups are still running (a test checks it drops to zero). */
export function liveGroupCount(): number {
	return liveGroups.size;
}

/** Kills every registered group and refuses new ones from now on. */
export function closeAllGroups(why: string): number {
	closedBecause = why;
	const n = liveGroups.size;
	for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	liveGroups.clear();
	return n;
}

/**
 * A detached `sh` that kills a process group when this process disappears, even by SIGKILL
 * (jest killing a worker, a double Ctrl-C) when no exit hook can run.
 */
export function startWatchdog(
	groupPid: number | undefined,
	removeDir?: string,
): number | undefined {
	if (!groupPid) return undefined;
	const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -KILL -${groupPid} 2>/dev/null; if [ -n "$1" ]; then sleep 1; rm -rf "$1"; fi`;
	const w = spawn('sh', ['-c', script, 'skeepers-n8n-watchdog', removeDir ?? ''], {
		detached: true,
		stdio: 'ignore',
	});
	w.unref();
	return w.pid;
}

/** Runs `fn` (best effort) when this process is interrupted, after the groups are killed. */
export function onInterrupt(fn: () => void): void {
	exitCleanups.add(fn);
}

let hooksInstalled = false;
export function installExitHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.on('exit', () => {
		for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	});
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(sig, () => {
			for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
			for (const fn of exitCleanups) {
				try {
					fn();
				} catch {
					/* best effort */
				}
			}
			process.exit(sig === 'SIGINT' ? 130 : 143);
		});
	}
}

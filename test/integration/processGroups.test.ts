import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

import { closeAllGroups, liveGroupCount, track, untrack } from '../../runtime/processGroups';

/** A process group like the dev kit's: `sh` that starts a `sleep` child, so the group has two. */
function spawnGroup() {
	const child = spawn('sh', ['-c', 'sleep 60 & wait'], { detached: true, stdio: 'ignore' });
	const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
	return { child, exited };
}

/** Whether a process of the group still runs (a killed one may linger as a zombie: not counted). */
function alive(pgid: number): boolean {
	for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		let stat: string;
		try {
			stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		} catch {
			continue; // gone meanwhile
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its ')'
		const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(pgrp) === pgid && state !== 'Z') return true;
	}
	return false;
}

test('closing kills every registered group, and a group started afterwards is killed and refused', async () => {
	const a = spawnGroup();
	const b = spawnGroup();
	track(a.child.pid);
	track(b.child.pid);
	const done = spawnGroup();
	track(done.child.pid);
	untrack(done.child.pid); // its owner stopped it: closing must not count it
	expect(liveGroupCount()).toBe(2);
	expect(alive(a.child.pid!)).toBe(true);

	expect(closeAllGroups('the test file has finished')).toBe(2);
	expect(await a.exited).toBe('SIGKILL');
	expect(await b.exited).toBe('SIGKILL');
	// the `sleep` grandchildren too: the whole group is gone
	for (let i = 0; i < 50 && (alive(a.child.pid!) || alive(b.child.pid!)); i++)
		await new Promise((r) => setTimeout(r, 20));
	expect(alive(a.child.pid!)).toBe(false);
	expect(alive(b.child.pid!)).toBe(false);

	const late = spawnGroup();
	expect(() => track(late.child.pid)).toThrow('not starting a process: the test file has finished');
	expect(await late.exited).toBe('SIGKILL');
	expect(liveGroupCount()).toBe(0);

	done.child.kill('SIGKILL');
	await done.exited;
});

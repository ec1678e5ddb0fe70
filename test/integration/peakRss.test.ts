/**
 * The OS peak of a child node process (Linux /proc), as `npm run bench` reads n8n's: the peak a
 * process reached earlier is forgotten at the reset, and what it touches afterwards raises it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { once } from 'node:events';

import { resetPeakRss, statusKb } from '../../bench/peakRss';

const MB = 2 ** 20;

// touches 64 MB, frees them (RSS falls back, the peak stays), then touches 64 MB again on demand
const CHILD = `
let b = Buffer.alloc(64 * ${MB}, 1);
const top = process.memoryUsage().rss;
b = null;
gc();
const freed = () =>
	process.memoryUsage().rss < top - 48 * ${MB} ? console.log('freed') : setTimeout(freed, 10);
freed();
process.stdin.on('data', () => {
	b = Buffer.alloc(64 * ${MB}, 1);
	console.log('held');
});
`;

let child: ChildProcess | undefined;
afterEach(() => child?.kill('SIGKILL'));

async function said(c: ChildProcess, word: string): Promise<void> {
	for (;;) {
		const [chunk] = (await once(c.stdout!, 'data')) as [Buffer];
		if (chunk.toString().includes(word)) return;
	}
}

function reader(pid: number | undefined, command?: RegExp) {
	const r = resetPeakRss(pid, command);
	if ('unavailable' in r) throw new Error(r.unavailable);
	return r;
}

test('a reset forgets the earlier peak, and the peak rises by what the process touches after it', async () => {
	child = spawn(process.execPath, ['--expose-gc', '-e', CHILD], {
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const pid = child.pid!;
	await said(child, 'freed');
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	// before any reset the kernel remembers the 64 MB the child has freed since
	expect((statusKb(status, 'VmHWM')! - statusKb(status, 'VmRSS')!) * 1024).toBeGreaterThan(48 * MB);

	const peak = reader(pid, /--expose-gc -e/);
	expect(peak.growthBytes()!).toBeLessThan(48 * MB);
	child.stdin!.write('allocate\n');
	await said(child, 'held');
	expect(peak.growthBytes()!).toBeGreaterThanOrEqual(48 * MB);
});

test('says why when it cannot measure: no pid, another command, no such process', () => {
	expect(resetPeakRss(undefined)).toEqual({ unavailable: "the process's id is unknown" });
	expect(resetPeakRss(process.pid, /n8n start$/)).toEqual({
		unavailable: expect.stringMatching(new RegExp(`^process ${process.pid} runs .*node.*, not`)),
	});
	// pid 0 has no /proc entry
	expect(resetPeakRss(0)).toEqual({
		unavailable: expect.stringMatching(/^\/proc\/0\/clear_refs cannot be written \(ENOENT\)/),
	});
});

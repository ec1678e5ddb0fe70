/**
 * The heap probe as `npm run bench` loads it into n8n (NODE_OPTIONS from heapProbeEnv, Linux
 * /proc), in a child node process: the heap it reports after a full collection leaves garbage
 * out and counts what the process holds, and the bench never signals a process without it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

import { heapAfterGc, heapProbeEnv, HEAP_PROBE_ENV } from '../../bench/heapProbe';

const MB = 2 ** 20;

// on a line from stdin: `garbage` makes 64 MB of objects and drops them, `hold` keeps 64 MB,
// `busy` blocks the event loop for 2 s
const CHILD = `
const held = [];
// 64 arrays of 131,072 doubles, 1 MB each (a repeated string would share one buffer)
const make = () => Array.from({ length: 64 }, (_, i) => new Array(${MB / 8}).fill(i + 0.5));
process.stdin.on('data', (d) => {
	const cmd = d.toString().trim();
	if (cmd === 'garbage') make();
	if (cmd === 'hold') held.push(make());
	if (cmd === 'busy') { const end = Date.now() + 2000; while (Date.now() < end); }
	console.log('done ' + cmd);
});
console.log('ready');
`;

const probe = heapProbeEnv();
const file = probe.env[HEAP_PROBE_ENV];
let child: ChildProcess | undefined;
afterEach(() => child?.kill('SIGKILL'));
afterAll(() => probe.remove());

async function said(c: ChildProcess, word: string): Promise<void> {
	let seen = '';
	for (;;) {
		const [chunk] = (await once(c.stdout!, 'data')) as [Buffer];
		seen += chunk.toString();
		if (seen.includes(word)) return;
	}
}

async function start(nodeOptions: string): Promise<ChildProcess> {
	const c = spawn(process.execPath, ['-e', CHILD], {
		env: { ...process.env, ...probe.env, NODE_OPTIONS: nodeOptions },
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	child = c;
	await said(c, 'ready');
	return c;
}

async function run(c: ChildProcess, cmd: string) {
	c.stdin!.write(`${cmd}\n`);
	await said(c, `done ${cmd}`);
}

const used = async (pid: number | undefined) => {
	const r = await heapAfterGc(pid, file);
	if (!('usedBytes' in r)) throw new Error(r.unavailable);
	return r.usedBytes;
};

test('garbage is not kept, what the process holds is', async () => {
	const c = await start(probe.nodeOptions);
	const before = await used(c.pid);
	await run(c, 'garbage');
	const afterGarbage = await used(c.pid);
	expect(Math.abs(afterGarbage - before)).toBeLessThan(8 * MB);
	await run(c, 'hold');
	expect((await used(c.pid)) - afterGarbage).toBeGreaterThanOrEqual(60 * MB);
});

test('waits for a busy process no longer than told, and its next answer is fresh', async () => {
	const c = await start(probe.nodeOptions);
	c.stdin!.write('busy\n');
	// the signal waits for the event loop, which the busy loop holds for 2 s
	expect(await heapAfterGc(c.pid, file, 300)).toEqual({
		unavailable: 'no answer from the probe within 0.3 s',
	});
	await said(c, 'done busy');
	expect(await used(c.pid)).toBeGreaterThan(0);
});

test('says why without the collection: no --expose-gc, no probe, no process', async () => {
	const noGc = await start(probe.nodeOptions.replace('--expose-gc ', ''));
	expect(await heapAfterGc(noGc.pid, file)).toEqual({
		unavailable: 'global.gc is not exposed: node runs without --expose-gc',
	});
	noGc.kill('SIGKILL');

	// SIGUSR2 would end a process without the probe: it is not sent
	const plain = await start('');
	expect(await heapAfterGc(plain.pid, file)).toEqual({
		unavailable: 'n8n does not catch SIGUSR2: the probe is not loaded (NODE_OPTIONS)',
	});
	await run(plain, 'garbage');

	expect(await heapAfterGc(undefined, file)).toEqual({ unavailable: 'n8n is not running' });
	expect(await heapAfterGc(plain.pid, undefined)).toEqual({
		unavailable: 'n8n runs without the heap probe (no BENCH_HEAP_PROBE_FILE)',
	});
});

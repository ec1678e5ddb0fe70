/**
 * Preloaded into the n8n that `npm run bench` starts (NODE_OPTIONS `--expose-gc --require <this
 * file>`; bench/heapProbe.ts): on SIGUSR2 it runs a full garbage collection, twice (the first one
 * can leave what finalizers and weak references free for the second), and writes n8n's memory as
 * JSON to the file named by BENCH_HEAP_PROBE_FILE, through a temporary file renamed over it, so a
 * reader sees a whole answer or the previous one. `seq` counts the answers of this process.
 *
 * The handler runs on n8n's event loop, so it answers when n8n is free. n8n does not use SIGUSR2.
 * Loaded, it keeps V8 from flushing bytecode (see below), as `node --no-flush-bytecode` would.
 * Dev kit only, never published; plain CommonJS so that Node loads it without a compiler.
 */
'use strict';

const fs = require('node:fs');
const v8 = require('node:v8');

const file = process.env.BENCH_HEAP_PROBE_FILE;

if (file) {
	// V8 drops the bytecode of functions unused over a few of n8n's garbage collections and compiles
	// it again when they run: without this, n8n's heap after a collection fell by 10–15 MB between
	// runs of 10,000 items at random moments (none of it the runs' data), and what a run keeps was
	// lost in that. The code stays; the data is measured.
	v8.setFlagsFromString('--no-flush-bytecode');
	let seq = 0;
	process.on('SIGUSR2', () => {
		seq += 1;
		const answer = { pid: process.pid, seq };
		try {
			if (typeof globalThis.gc !== 'function') {
				answer.error = 'global.gc is not exposed: node runs without --expose-gc';
			} else {
				const t = process.hrtime.bigint();
				globalThis.gc();
				globalThis.gc();
				answer.gcMs = Number(process.hrtime.bigint() - t) / 1e6;
				answer.usedHeapSize = v8.getHeapStatistics().used_heap_size;
				answer.memoryUsage = process.memoryUsage();
			}
		} catch (e) {
			answer.error = `the probe failed: ${e instanceof Error ? e.message : String(e)}`;
		}
		// n8n must not die of its probe: a file that cannot be written is a missing answer
		try {
			const tmp = `${file}.${process.pid}.tmp`;
			fs.writeFileSync(tmp, JSON.stringify(answer));
			fs.renameSync(tmp, file);
		} catch {
			/* the bench waits, then says no answer came */
		}
	});
}

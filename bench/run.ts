/**
 * `npm run bench [-- options]` (bench/cli.ts lists them)
 *
 * One run, one emulator, one real n8n (2.x) with this package installed from its tarball:
 * 1. writes, side by side at each size: the Feed Application (Collections, Bulk API 2.0, Auto),
 *    jsforce, a No Operation baseline and n8n's built-in Salesforce node (a sample), each with its
 *    ratio to the latency model's physical limit (limits.ts) and to jsforce (compare.ts);
 * 2. webhook intake: K deliveries through the Skeepers Trigger (HMAC) and n8n's Webhook node;
 * 3. node overhead without network: 10,000 items × 10 mapping rows, Dry Run, latency 0.
 * Prints markdown tables and writes JSON (default bench/results/latest.json).
 *
 * See docs/performance.md. Dev kit only, never published.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureN8n } from '../runtime/n8n';
import { HELP, parseBenchArgs } from './cli';
import { addRatios, checkTargets } from './compare';
import { round } from './n8n-exec';
import { renderMarkdown } from './report';
import { benchIntake } from './scenarios/intake';
import { benchOverhead } from './scenarios/overhead';
import { benchWrites } from './scenarios/writes';
import { startBenchStack } from './setup';
import type { BenchOptions, BenchResult } from './types';

function cpuModel(): string {
	try {
		const m = /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
		if (m) return m[1].trim();
	} catch {
		/* not linux */
	}
	return os.cpus()[0]?.model ?? 'unknown';
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
	const s = await startBenchStack(o, notes);
	try {
		say(`[bench] n8n ${s.n8n.version} on ${s.n8n.url}, emulator on ${s.emu.url} (${s.model.name})`);
		const result: BenchResult = {
			machine: `${machineInfo.cpuModel}, ${machineInfo.nproc} cores, Node ${machineInfo.n8nNode} (n8n ${machineInfo.n8nVersion}), bench on Node ${process.version}`,
			latencyMs: o.model ? null : o.latencyMs,
			latency: s.model,
			sizes: o.sizes,
			writes: [],
			intake: [],
			intakeDiagnostics: [],
			overhead: null,
			targets: [],
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
		if (!o.skip.has('writes'))
			await phase('writes', async () => {
				result.writes = await benchWrites(o, s, say, notes);
				addRatios(result.writes, s.model);
				result.targets = checkTargets(result.writes, s.model);
			});
		if (!o.skip.has('intake') && o.deliveries > 0)
			await phase('intake', async () => {
				const r = await benchIntake(o, s, say);
				result.intake = r.main;
				result.intakeDiagnostics = r.diagnostics;
			});
		if (!o.skip.has('overhead') && o.overheadItems > 0) {
			s.latencyOff();
			await phase('overhead', async () => {
				result.overhead = await benchOverhead(o, s, say);
			});
			s.restoreLatency();
		}
		machineInfo.loadAvgEnd = os.loadavg().map((x) => round(x));
		result.totalSeconds = round((Date.now() - t0) / 1000, 1);
		return result;
	} finally {
		await s.stop();
	}
}

async function main() {
	let o: ReturnType<typeof parseBenchArgs>;
	try {
		o = parseBenchArgs(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
		process.exitCode = 2;
		return;
	}
	if (o.help) {
		process.stdout.write(HELP);
		return;
	}
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

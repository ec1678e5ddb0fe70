/**
 * npm run emulator -- [--port 42000] [--latency-ms n] [--faults spec] [--seed n] [--data file]
 *   [--rotate-refresh-tokens] [--token-ttl-calls n] [--token-ttl-seconds n] [--daily-api-limit n] [--bulk-tick-ms n]
 *   [--blank-org] [--no-duplicate-rules] [--no-assignment-rules] [--no-validation-rules] [--no-field-security]
 * npm run emulator -- print <Object> [--url http://127.0.0.1:42000] [--columns A,B]
 * npm run emulator -- counters [--url ...]
 */
import { parseFaults, startEmulator, type EmulatorOptions } from './index';
import { orgFromFlags, ORG_FLAGS } from './org/cli';
import { printRecords } from './print';

function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string | true> } {
	const positional: string[] = [];
	const flags: Record<string, string | true> = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) {
			positional.push(a);
			continue;
		}
		const [k, inline] = a.slice(2).split(/=(.*)/s);
		if (inline !== undefined) flags[k] = inline;
		else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) flags[k] = argv[++i];
		else flags[k] = true;
	}
	return { positional, flags };
}

const KNOWN = [
	'port',
	'latency-ms',
	'faults',
	'seed',
	'data',
	'rotate-refresh-tokens',
	'token-ttl-calls',
	'token-ttl-seconds',
	'daily-api-limit',
	'bulk-tick-ms',
	...ORG_FLAGS,
	'url',
	'columns',
	'help',
];

function num(flags: Record<string, string | true>, k: string): number | undefined {
	const v = flags[k];
	if (v === undefined) return undefined;
	const n = Number(v);
	if (v === true || !Number.isFinite(n) || n < 0) throw new Error(`--${k} expects a number`);
	return n;
}

async function main(): Promise<void> {
	const { positional, flags } = parseArgs(process.argv.slice(2));
	const unknown = Object.keys(flags).filter((k) => !KNOWN.includes(k));
	if (unknown.length)
		throw new Error(`Unknown option(s): ${unknown.map((k) => '--' + k).join(' ')}`);
	if (flags.help) {
		console.log(
			'Usage: npm run emulator -- [--port 42000] [--latency-ms n] [--faults "503=0.05,lock=0.05,delay=0.02:2000,seed=42"] [--data file.json] [--rotate-refresh-tokens] [--token-ttl-calls n] [--token-ttl-seconds n] [--daily-api-limit n] [--blank-org | --no-duplicate-rules --no-assignment-rules --no-validation-rules --no-field-security]\n       npm run emulator -- print <Object> [--url http://127.0.0.1:42000]\n       npm run emulator -- counters [--url http://127.0.0.1:42000]',
		);
		return;
	}
	const url = typeof flags.url === 'string' ? flags.url : 'http://127.0.0.1:42000';
	if (positional[0] === 'print') {
		if (!positional[1]) throw new Error('Usage: print <Object>');
		const columns = typeof flags.columns === 'string' ? flags.columns.split(',') : undefined;
		console.log(await printRecords(url, positional[1], columns));
		return;
	}
	if (positional[0] === 'counters') {
		const res = await fetch(`${url}/__emulator/counters`);
		console.log(JSON.stringify(await res.json(), null, 2));
		return;
	}
	if (positional.length) throw new Error(`Unknown command: ${positional[0]}`);
	const opts: EmulatorOptions = {
		port: num(flags, 'port') ?? 42000,
		latencyMs: num(flags, 'latency-ms'),
		faults: typeof flags.faults === 'string' ? parseFaults(flags.faults) : undefined,
		seed: num(flags, 'seed'),
		dataFile: typeof flags.data === 'string' ? flags.data : undefined,
		rotateRefreshTokens:
			flags['rotate-refresh-tokens'] === true || flags['rotate-refresh-tokens'] === 'true',
		tokenTtlCalls: num(flags, 'token-ttl-calls'),
		tokenTtlSeconds: num(flags, 'token-ttl-seconds'),
		dailyApiLimit: num(flags, 'daily-api-limit'),
		bulkTickMs: num(flags, 'bulk-tick-ms'),
		org: orgFromFlags(flags),
	};
	const emu = await startEmulator(opts);
	console.log(`Salesforce emulator listening on ${emu.url}`);
	const shutdown = (): void => {
		void emu.stop().then(() => process.exit(0));
	};
	process.on('SIGINT', shutdown);
	process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : String(e));
	process.exit(1);
});

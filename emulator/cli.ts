/**
 * npm run emulator -- [options]                 starts the emulator (see --help)
 * npm run emulator -- print <Object> [--url http://127.0.0.1:42000] [--columns A,B]
 * npm run emulator -- counters [--url ...]
 * Parsed with Node's util.parseArgs (strict: an unknown option is an error).
 */
import { parseArgs } from 'node:util';
import { parseFaults, startEmulator, type EmulatorOptions } from './index';
import { MODEL_FLAGS, modelFromFlags } from './model/flags';
import { printRecords } from './print';

const str = { type: 'string' } as const;
/** flag → help; every one but the booleans takes a value. */
const HELP: Record<string, string> = {
	port: 'port (default 42000; 0 picks a free one)',
	'latency-ms': 'flat delay added to every request, ms',
	faults: 'injected faults, e.g. "503=0.05,lock=0.05,delay=0.02:2000,seed=42"',
	seed: 'seed of the fault generator (when the spec has none) and of the model jitter',
	data: 'JSON file that keeps records and tokens across restarts',
	'rotate-refresh-tokens': 'every refresh returns a new refresh token (boolean)',
	'token-ttl-calls': 'access tokens die after n API calls',
	'token-ttl-seconds': 'access tokens die n seconds after issue',
	'daily-api-limit': 'daily API allocation (default 100000)',
	'bulk-tick-ms': 'delay between Bulk API job state changes (default 50)',
	model: 'salesforce: Salesforce latency, ceiling, locks and Bulk timing (docs/emulator.md); off',
	...Object.fromEntries(Object.entries(MODEL_FLAGS).map(([k, [, help]]) => [k, help])),
	url: 'print / counters: the emulator to read (default http://127.0.0.1:42000)',
	columns: 'print: the columns to show, comma-separated',
	help: 'this help (boolean)',
};
const BOOLEAN = new Set(['rotate-refresh-tokens', 'help']);

function usage(): string {
	const lines = Object.entries(HELP).map(
		([k, h]) => `  --${k}${BOOLEAN.has(k) ? '' : ' <v>'}`.padEnd(30) + h,
	);
	return [
		'Usage: npm run emulator -- [options]',
		'       npm run emulator -- print <Object> [--url u] [--columns A,B]',
		'       npm run emulator -- counters [--url u]',
		'Options:',
		...lines,
	].join('\n');
}

function num(values: Record<string, unknown>, k: string): number | undefined {
	const v = values[k];
	if (v === undefined) return undefined;
	const n = Number(v);
	if (typeof v !== 'string' || v === '' || !Number.isFinite(n) || n < 0)
		throw new Error(`--${k} expects a number`);
	return n;
}

async function main(): Promise<void> {
	const { values, positionals } = parseArgs({
		args: process.argv.slice(2),
		options: Object.fromEntries(
			Object.keys(HELP).map((k) => [k, BOOLEAN.has(k) ? ({ type: 'boolean' } as const) : str]),
		),
		allowPositionals: true,
		strict: true,
	});
	if (values.help) return console.log(usage());
	const url = typeof values.url === 'string' ? values.url : 'http://127.0.0.1:42000';
	const [command, arg] = positionals;
	if (command === 'print') {
		if (!arg) throw new Error('Usage: print <Object>');
		const columns = typeof values.columns === 'string' ? values.columns.split(',') : undefined;
		return console.log(await printRecords(url, arg, columns));
	}
	if (command === 'counters') {
		const res = await fetch(`${url}/__emulator/counters`);
		return console.log(JSON.stringify(await res.json(), null, 2));
	}
	if (command !== undefined) throw new Error(`Unknown command: ${command}`);
	const text = (k: string) => (typeof values[k] === 'string' ? values[k] : undefined);
	const seed = num(values, 'seed');
	const opts: EmulatorOptions = {
		port: num(values, 'port') ?? 42000,
		latencyMs: num(values, 'latency-ms'),
		faults: text('faults') !== undefined ? parseFaults(text('faults')!) : undefined,
		seed,
		dataFile: text('data'),
		rotateRefreshTokens: values['rotate-refresh-tokens'] === true,
		tokenTtlCalls: num(values, 'token-ttl-calls'),
		tokenTtlSeconds: num(values, 'token-ttl-seconds'),
		dailyApiLimit: num(values, 'daily-api-limit'),
		bulkTickMs: num(values, 'bulk-tick-ms'),
		model: modelFromFlags(
			text('model'),
			Object.fromEntries(Object.keys(MODEL_FLAGS).map((k) => [k, num(values, k)])),
			seed,
		),
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

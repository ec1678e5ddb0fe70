/** `npm run bench -- [options]`: the command line, parsed with Node's util.parseArgs. */
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { REPO_ROOT } from '../runtime/n8n';
import type { BenchOptions, SkipName } from './types';
import type { Operation } from './workflows';

/** 100,000 records: behind --big (see docs/performance.md for how long it takes) */
export const BIG_SIZE = 100_000;

export const DEFAULTS: BenchOptions = {
	sizes: [1000, 10_000],
	operations: ['upsert'],
	model: 'salesforce',
	latencyMs: 20,
	json: path.join(REPO_ROOT, 'bench', 'results', 'latest.json'),
	deliveries: 1000,
	diagDeliveries: 200,
	concurrency: 20,
	builtinRecords: 200,
	jsforceMaxRecords: 10_000,
	overheadItems: 10_000,
	build: true,
	major: 2,
	n8nEnv: {},
	skip: new Set(),
	quiet: false,
};

const SKIPPABLE: SkipName[] = [
	'writes',
	'intake',
	'overhead',
	'builtin',
	'jsforce',
	'bulk',
	'auto',
	'collections',
	'noop',
	'variants',
];

export const HELP = `npm run bench -- [options]
  --sizes A,B,…          record counts, each run on every write path (default 1000,10000)
  --big                  add ${BIG_SIZE.toLocaleString('en-US')} records (long: see docs/performance.md)
  --records N            same as --sizes N
  --operations LIST      upsert,create (default upsert)
  --model P              the emulator's latency and limits model preset (default salesforce:
                         150 ms + 5 ms per record, 25 requests at once; see docs/emulator.md)
  --latency-ms L         a flat latency per emulator request instead of the model (was the default: 20)
  --builtin-records M    sample through n8n's built-in Salesforce node (default 200; records/s extrapolated)
  --jsforce-max N        largest size jsforce runs at (default 10000; its collections are sequential)
  --deliveries K         webhook deliveries per intake path (default 1000)
  --concurrency C        deliveries in flight (default 20)
  --diag-deliveries D    deliveries of the diagnostic intake paths (default 200; 0 = none)
  --overhead-items I     items of the no-network overhead run (default 10000)
  --json FILE            JSON output (default bench/results/latest.json)
  --no-build             pack dist/ as it is
  --tarball F            use a packed tarball
  --major 1|2            n8n major (default 2)
  --cpu-prof DIR         run n8n with --cpu-prof (profiles written at stop)
  --n8n-env NAME=VALUE   extra environment for n8n (repeatable)
  --expression-engine E  N8N_EXPRESSION_ENGINE for n8n: vm (2.41's default) | legacy
  --skip LIST            ${SKIPPABLE.join(',')}
  --quiet
`;

function wholeNumber(name: string, v: string): number {
	const n = Number(v.replace(/_/g, ''));
	if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} needs a whole number, got "${v}"`);
	return n;
}

function list(v: string): string[] {
	return v
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

/** Options from argv; `help: true` when --help was asked. Throws on a bad or unknown option. */
export function parseBenchArgs(argv: string[]): BenchOptions & { help: boolean } {
	const { values: v } = parseArgs({
		args: argv,
		strict: true,
		allowPositionals: false,
		options: {
			sizes: { type: 'string' },
			big: { type: 'boolean' },
			records: { type: 'string' },
			operations: { type: 'string' },
			model: { type: 'string' },
			'latency-ms': { type: 'string' },
			'builtin-records': { type: 'string' },
			'jsforce-max': { type: 'string' },
			deliveries: { type: 'string' },
			concurrency: { type: 'string' },
			'diag-deliveries': { type: 'string' },
			'overhead-items': { type: 'string' },
			json: { type: 'string' },
			'no-build': { type: 'boolean' },
			tarball: { type: 'string' },
			major: { type: 'string' },
			'cpu-prof': { type: 'string' },
			'n8n-env': { type: 'string', multiple: true },
			'expression-engine': { type: 'string' },
			skip: { type: 'string' },
			quiet: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	const num = (name: keyof typeof v, dflt: number) =>
		v[name] === undefined ? dflt : wholeNumber(name, String(v[name]));
	const o: BenchOptions = { ...DEFAULTS, n8nEnv: {}, skip: new Set() };
	if (v.sizes !== undefined && v.records !== undefined)
		throw new Error('--sizes and --records say the same thing: give one');
	const sizesArg = v.sizes ?? v.records;
	if (sizesArg !== undefined) o.sizes = list(sizesArg).map((s) => wholeNumber('sizes', s));
	if (v.big && !o.sizes.includes(BIG_SIZE)) o.sizes = [...o.sizes, BIG_SIZE];
	o.sizes = [...new Set(o.sizes.filter((n) => n > 0))].sort((a, b) => a - b);
	if (!o.sizes.length) throw new Error('--sizes needs at least one record count above 0');
	if (v.operations !== undefined) {
		const ops = list(v.operations);
		for (const op of ops)
			if (op !== 'upsert' && op !== 'create')
				throw new Error(`--operations: "${op}" is not upsert or create`);
		o.operations = ops as Operation[];
	}
	if (v.model !== undefined && v['latency-ms'] !== undefined)
		throw new Error('--model and --latency-ms are two latencies: give one');
	if (v.model !== undefined) {
		if (v.model !== 'salesforce')
			throw new Error(`--model: "${v.model}" is not a preset (salesforce)`);
		o.model = v.model;
	}
	if (v['latency-ms'] !== undefined) {
		o.model = undefined;
		o.latencyMs = num('latency-ms', o.latencyMs);
	}
	o.builtinRecords = num('builtin-records', o.builtinRecords);
	o.jsforceMaxRecords = num('jsforce-max', o.jsforceMaxRecords);
	o.deliveries = num('deliveries', o.deliveries);
	o.concurrency = num('concurrency', o.concurrency);
	o.diagDeliveries = num('diag-deliveries', o.diagDeliveries);
	o.overheadItems = num('overhead-items', o.overheadItems);
	if (v.json !== undefined) o.json = path.resolve(v.json);
	if (v['no-build']) o.build = false;
	if (v.tarball !== undefined) o.tarball = path.resolve(v.tarball);
	if (v.major !== undefined) {
		if (v.major !== '1' && v.major !== '2') throw new Error(`--major is 1 or 2, got "${v.major}"`);
		o.major = v.major === '1' ? 1 : 2;
	}
	if (v['cpu-prof'] !== undefined) o.cpuProf = path.resolve(v['cpu-prof']);
	o.expressionEngine = v['expression-engine'];
	for (const kv of v['n8n-env'] ?? []) {
		const eq = kv.indexOf('=');
		if (eq <= 0) throw new Error(`--n8n-env needs NAME=VALUE, got "${kv}"`);
		o.n8nEnv[kv.slice(0, eq)] = kv.slice(eq + 1);
	}
	for (const s of list(v.skip ?? '')) {
		if (!SKIPPABLE.includes(s as SkipName))
			throw new Error(`--skip: "${s}" is not one of ${SKIPPABLE.join(', ')}`);
		o.skip.add(s as SkipName);
	}
	o.quiet = v.quiet === true;
	return { ...o, help: v.help === true };
}

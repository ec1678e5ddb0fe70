import { BIG_SIZE, DEFAULTS, parseBenchArgs } from '../../../bench/cli';

describe('bench command line', () => {
	it('runs 1,000 and 10,000 upserts by default, 100,000 only with --big', () => {
		expect(parseBenchArgs([]).sizes).toEqual([1000, 10_000]);
		expect(parseBenchArgs(['--big']).sizes).toEqual([1000, 10_000, BIG_SIZE]);
		expect(parseBenchArgs([]).operations).toEqual(['upsert']);
	});

	it("runs at the emulator's Salesforce model unless a flat latency is asked for", () => {
		expect(parseBenchArgs([]).model).toBe('salesforce');
		expect(parseBenchArgs(['--latency-ms', '20'])).toEqual(
			expect.objectContaining({ model: undefined, latencyMs: 20 }),
		);
		expect(() => parseBenchArgs(['--model', 'salesforce', '--latency-ms', '5'])).toThrow(
			/give one/,
		);
		expect(() => parseBenchArgs(['--model', 'mars'])).toThrow(/"mars"/);
	});

	it('reads sizes, operations, numbers, repeated --n8n-env and --skip', () => {
		const o = parseBenchArgs([
			'--sizes',
			'10_000,500,500',
			'--operations',
			'upsert,create',
			'--n8n-env',
			'A=1',
			'--n8n-env',
			'B=x=y',
			'--skip',
			'intake, bulk',
			'--no-build',
		]);
		expect(o).toEqual(
			expect.objectContaining({
				sizes: [500, 10_000],
				operations: ['upsert', 'create'],
				n8nEnv: { A: '1', B: 'x=y' },
				build: false,
				help: false,
			}),
		);
		expect([...o.skip]).toEqual(['intake', 'bulk']);
		expect(parseBenchArgs(['--records', '50']).sizes).toEqual([50]);
	});

	it('refuses what it does not know, naming the option', () => {
		expect(() => parseBenchArgs(['--bogus'])).toThrow(/bogus/);
		expect(() => parseBenchArgs(['--sizes', '1e3x'])).toThrow(/--sizes needs a whole number/);
		expect(() => parseBenchArgs(['--operations', 'delete'])).toThrow(/"delete"/);
		expect(() => parseBenchArgs(['--skip', 'writes,nope'])).toThrow(/"nope"/);
		expect(() => parseBenchArgs(['--n8n-env', 'NOEQUALS'])).toThrow(/NAME=VALUE/);
		expect(() => parseBenchArgs(['--sizes', '5', '--records', '6'])).toThrow(/give one/);
	});

	it('leaves DEFAULTS alone', () => {
		parseBenchArgs(['--skip', 'intake', '--n8n-env', 'A=1']);
		expect(DEFAULTS.skip.size).toBe(0);
		expect(DEFAULTS.n8nEnv).toEqual({});
	});
});

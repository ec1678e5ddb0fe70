/**
 * `npm run bench` end to end on a tiny run (50 records, 20 deliveries, 200 overhead items):
 * the JSON has the documented shape and every write path wrote every record. No timing is
 * asserted (the machine is shared; figures belong in docs/performance.md, not in a test).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEFAULTS, runBench, type BenchResult } from '../../bench/run';
import { renderMarkdown } from '../../bench/report';

const majors = (process.env.SKEEPERS_E2E_MAJORS ?? '2').split(',');

(majors.includes('2') ? describe : describe.skip)('npm run bench (tiny run on n8n 2.x)', () => {
	let result: BenchResult;
	const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-shape-')), 'latest.json');

	beforeAll(async () => {
		result = await runBench(
			{
				...DEFAULTS,
				skip: new Set(),
				records: 50,
				builtinRecords: 50,
				deliveries: 20,
				diagDeliveries: 0,
				overheadItems: 200,
				json,
				quiet: true,
			},
			() => undefined,
		);
		fs.writeFileSync(json, JSON.stringify(result));
	}, 5 * 60_000);

	it('writes JSON in the documented shape', () => {
		const r = JSON.parse(fs.readFileSync(json, 'utf8')) as BenchResult;
		expect(r.errors).toEqual([]);
		expect(typeof r.machine).toBe('string');
		expect(r.latencyMs).toBe(20);
		for (const w of r.writes) {
			expect(w).toEqual(
				expect.objectContaining({
					path: expect.stringMatching(/^(skeepers-collections|skeepers-bulk|n8n-builtin|jsforce)$/),
					operation: expect.stringMatching(/^(upsert|create)$/),
					records: expect.any(Number),
					apiCalls: expect.any(Number),
					seconds: expect.any(Number),
					recordsWritten: expect.any(Number),
				}),
			);
		}
		for (const i of r.intake) {
			expect(i).toEqual(
				expect.objectContaining({
					path: expect.stringMatching(/^(skeepers-trigger|n8n-webhook)$/),
					deliveries: 20,
					accepted: expect.any(Number),
					p50Ms: expect.any(Number),
					p95Ms: expect.any(Number),
				}),
			);
		}
		expect(r.intake.map((i) => i.path).sort()).toEqual(['n8n-webhook', 'skeepers-trigger']);
		expect(r.overhead).toEqual(
			expect.objectContaining({ items: 200, itemsPerSecond: expect.any(Number) }),
		);
		expect(renderMarkdown(r)).toContain('| upsert | skeepers-collections |');
	});

	it('runs every path for both operations, and each wrote all its records', () => {
		const combos = result.writes.map((w) => `${w.operation}:${w.path}`).sort();
		expect(combos).toEqual(
			['create', 'upsert']
				.flatMap((op) =>
					['jsforce', 'n8n-builtin', 'skeepers-bulk', 'skeepers-collections'].map(
						(p) => `${op}:${p}`,
					),
				)
				.sort(),
		);
		for (const w of result.writes) {
			expect({
				path: w.path,
				operation: w.operation,
				written: w.recordsWritten,
				error: w.error,
			}).toEqual({
				path: w.path,
				operation: w.operation,
				written: 50,
				error: undefined,
			});
		}
	});

	it('makes the API calls each path is expected to make', () => {
		const calls = (p: string, op: string) =>
			result.writes.find((w) => w.path === p && w.operation === op)!;
		// 50 records: one collections call, one Bulk job (5–6 calls), one call per record
		expect(calls('skeepers-collections', 'upsert').apiCallsByKind['collections.upsert']).toBe(1);
		expect(calls('skeepers-collections', 'create').apiCallsByKind['collections.create']).toBe(1);
		expect(calls('skeepers-bulk', 'upsert').apiCallsByKind['bulk.create']).toBe(1);
		expect(calls('n8n-builtin', 'upsert').apiCalls).toBe(50);
		expect(calls('n8n-builtin', 'create').apiCalls).toBe(50);
		expect(calls('jsforce', 'upsert').apiCalls).toBe(1);
		// the measured runs follow a warm-up: the describe is cached in n8n (one call less than cold)
		for (const p of ['skeepers-collections', 'skeepers-bulk']) {
			for (const op of ['upsert', 'create']) {
				const w = calls(p, op);
				expect({
					p,
					op,
					describes: w.apiCallsByKind['describe.sobject'] ?? 0,
					cold: w.apiCallsCold,
				}).toEqual({ p, op, describes: 0, cold: w.apiCalls + 1 });
			}
		}
		expect(calls('skeepers-collections', 'upsert').apiCalls).toBe(1);
	});

	it('delivers to both intake paths and every accepted delivery ran', () => {
		for (const i of result.intake) {
			expect({ path: i.path, accepted: i.accepted, completed: i.executionsCompleted }).toEqual({
				path: i.path,
				accepted: 20,
				completed: 20,
			});
		}
	});

	it('maps and validates every overhead item in-process', () => {
		expect(result.overhead!.pure.okItems).toBe(200);
	});
});

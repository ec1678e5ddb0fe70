/**
 * `npm run bench` end to end on a tiny run (20 and 50 records side by side, a 10-record built-in
 * sample, 20 deliveries, 200 overhead items):
 * the JSON has the documented shape and every write path wrote every record. No timing is
 * asserted (the machine is shared; figures belong in docs/performance.md, not in a test).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { DEFAULTS } from '../../bench/cli';
import { renderMarkdown } from '../../bench/report';
import { runBench } from '../../bench/run';
import type { BenchResult } from '../../bench/types';
import { e2eMajors } from './majors';

const majors = e2eMajors();

// the bench runs on n8n 2.x only
(majors.includes(2) ? describe : describe.skip)('npm run bench (tiny run on n8n 2.x)', () => {
	let result: BenchResult;
	const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-shape-')), 'latest.json');

	beforeAll(async () => {
		result = await runBench(
			{
				...DEFAULTS,
				skip: new Set(),
				sizes: [20, 50],
				operations: ['upsert', 'create'],
				builtinRecords: 10,
				deliveries: 20,
				diagDeliveries: 0,
				overheadItems: 200,
				json,
				quiet: true,
			},
			() => undefined,
		);
		fs.writeFileSync(json, JSON.stringify(result));
	}, 15 * 60_000);

	it('writes JSON in the documented shape', () => {
		const r = JSON.parse(fs.readFileSync(json, 'utf8')) as BenchResult;
		expect(r.errors).toEqual([]);
		expect(typeof r.machine).toBe('string');
		// the emulator's Salesforce model by default (150 ms + 5 ms per record, 25 requests at once)
		expect(r.latencyMs).toBeNull();
		expect(r.sizes).toEqual([20, 50]);
		expect(r.latency).toEqual(
			expect.objectContaining({ baseMs: 150, perRecordMs: 5, concurrency: 25 }),
		);
		for (const w of r.writes) {
			expect(w).toEqual(
				expect.objectContaining({
					path: expect.stringMatching(
						/^(skeepers-collections|skeepers-bulk|skeepers-auto|skeepers-auto-first|skeepers-add-to-multiselect|skeepers-use-matched|skeepers-parent-link|skeepers-parent-link-bulk|skeepers-ordered-keys|n8n-builtin|jsforce|n8n-noop)$/,
					),
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
			expect.objectContaining({
				items: 200,
				itemsPerSecond: expect.any(Number),
				nodeCpuMsPer10k: expect.any(Number),
			}),
		);
		expect(r.targets.length).toBeGreaterThan(0);
		expect(renderMarkdown(r)).toContain('| upsert | 50 | skeepers-collections |');
	});

	it('runs every path at every size for both operations, and each wrote all its records', () => {
		const combos = result.writes.map((w) => `${w.operation}:${w.records}:${w.path}`).sort();
		const paths = [
			'jsforce',
			'n8n-noop',
			'skeepers-auto',
			'skeepers-auto-first',
			'skeepers-bulk',
			'skeepers-collections',
		];
		// the write-mode, duplicate-rule, parent-link and ordered-keys variants are Contact upserts only
		const variants = [
			'skeepers-add-to-multiselect',
			'skeepers-use-matched',
			'skeepers-parent-link',
			'skeepers-parent-link-bulk',
			'skeepers-ordered-keys',
		];
		expect(combos).toEqual(
			['create', 'upsert']
				.flatMap((op) => [
					`${op}:10:n8n-builtin`,
					...[20, 50].flatMap((n) =>
						[...paths, ...(op === 'upsert' ? variants : [])].map((p) => `${op}:${n}:${p}`),
					),
				])
				.sort(),
		);
		for (const w of result.writes) {
			expect({
				path: w.path,
				records: w.records,
				written: w.recordsWritten,
				error: w.error,
			}).toEqual({
				path: w.path,
				records: w.records,
				written: w.path === 'n8n-noop' ? 0 : w.records,
				error: undefined,
			});
		}
	});

	it('gives each write its ratios to the limit and to jsforce, and n8n paths their heap', () => {
		for (const w of result.writes.filter((x) => x.path.startsWith('skeepers-'))) {
			expect({
				path: w.path,
				limit: w.limitSeconds! > 0,
				vsLimit: typeof w.vsLimit,
				vsJsforce: typeof w.vsJsforce,
				vsBuiltin: typeof w.vsBuiltin,
				heap: w.memory!.heapPeakMb >= w.memory!.heapBeforeMb,
			}).toEqual({
				path: w.path,
				limit: true,
				vsLimit: 'number',
				vsJsforce: 'number',
				vsBuiltin: 'number',
				heap: true,
			});
		}
	});

	it("gives every n8n path n8n's peak resident memory from the OS, and compares it with No Op's", () => {
		const n8nPaths = result.writes.filter((w) => w.path !== 'jsforce');
		for (const w of n8nPaths)
			expect({ path: w.path, growth: w.memory?.rssPeakGrowthMb ?? w.memory }).toEqual({
				path: w.path,
				growth: expect.any(Number),
			});
		// the bench runs as root on Linux, so the peak is measured, and it is n8n's own process's: the
		// runs raise it (a small No Operation run may add no page n8n did not hold already: 0.1 MB at 20)
		expect(Math.max(...n8nPaths.map((w) => w.memory!.rssPeakGrowthMb!))).toBeGreaterThan(0);
		expect(renderMarkdown(result)).toMatch(/\| upsert \| n8n-noop \| .*; peak RSS \+/);
		expect(renderMarkdown(result)).toMatch(
			/\| upsert \| skeepers-collections \| .*\(peak RSS [+−]\d+ vs No Op\)/,
		);
		expect(renderMarkdown(result)).not.toContain('peak RSS not measured');
	});

	it('gives every n8n path the heap n8n keeps after a full garbage collection, and compares it with No Op', () => {
		const n8nPaths = result.writes.filter((w) => w.path !== 'jsforce');
		for (const w of n8nPaths)
			expect({
				path: w.path,
				before: w.memory?.heapAfterGcBeforeMb,
				after: w.memory?.heapAfterGcAfterMb,
				kept: w.memory?.heapKeptMb ?? w.memory?.heapAfterGcUnavailable ?? w.memory,
			}).toEqual({
				path: w.path,
				before: expect.any(Number),
				after: expect.any(Number),
				kept: expect.any(Number),
			});
		const md = renderMarkdown(result);
		expect(md).toMatch(/\| upsert \| n8n-noop \| .*; kept [+−][\d.]+ MB \|/);
		expect(md).toMatch(
			/\| upsert \| skeepers-collections \| .*; kept [+−][\d.]+ MB \([+−][\d.]+ vs No Op\) \|/,
		);
		expect(md).toMatch(
			/\| upsert \| 50 \| skeepers-collections \|.*\| [\d.]+ → [\d.]+ \([+−][\d.]+\) \|/,
		);
		expect(md).not.toContain('kept not measured');
	});

	it('makes the API calls each path is expected to make', () => {
		const calls = (p: string, op: string, n = 50) =>
			result.writes.find((w) => w.path === p && w.operation === op && w.records === n)!;
		// 50 records: one collections call, one Bulk job (5–6 calls), one call per record; Auto stays
		// on collections below its Bulk threshold; No Operation calls nothing
		expect(calls('skeepers-collections', 'upsert').apiCallsByKind['collections.upsert']).toBe(1);
		expect(calls('skeepers-collections', 'create').apiCallsByKind['collections.create']).toBe(1);
		expect(calls('skeepers-bulk', 'upsert').apiCallsByKind['bulk.create']).toBe(1);
		expect(calls('skeepers-auto', 'upsert').apiCallsByKind['collections.upsert']).toBe(1);
		expect(calls('n8n-builtin', 'upsert', 10).apiCalls).toBe(10);
		expect(calls('n8n-builtin', 'create', 10).apiCalls).toBe(10);
		expect(calls('jsforce', 'upsert').apiCalls).toBe(1);
		expect(calls('n8n-noop', 'upsert').apiCalls).toBe(0);
		// the measured runs follow a warm-up: the describe is cached in n8n (one call less than cold)
		for (const p of ['skeepers-collections', 'skeepers-bulk', 'skeepers-auto']) {
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
		// Auto's first run on an org: a credential of its own, used once, so its describe is fetched
		for (const op of ['upsert', 'create'])
			expect(calls('skeepers-auto-first', op).apiCallsByKind).toEqual({
				'describe.sobject': 1,
				[`collections.${op}`]: 1,
			});
		// Add to Multi-Select: the upsert and one read of the current selection (not one per item)
		expect(calls('skeepers-add-to-multiselect', 'upsert').apiCallsByKind).toEqual({
			'collections.upsert': 1,
			query: 1,
		});
		// Use the Matched Record, 25 of the 50 people already Contacts: the upsert (25 refused by the
		// duplicate rule), one read of the matches' respondent ID, one batched update of the matches
		expect(calls('skeepers-use-matched', 'upsert').apiCallsByKind).toEqual({
			'collections.upsert': 1,
			query: 1,
			'collections.update': 1,
		});
		// a parent by external ID: the plain path's calls alone (the parent's describe, like the
		// object's, was cached by the warm-up run)
		expect(calls('skeepers-parent-link', 'upsert').apiCallsByKind).toEqual({
			'collections.upsert': 1,
		});
		expect(calls('skeepers-parent-link-bulk', 'upsert').beside).toEqual(
			expect.objectContaining({ path: 'skeepers-bulk', met: true }),
		);
		// ordered keys, 17 of the 50 people found by ID, 17 by e-mail only, 16 new: one query per
		// key (the e-mails of the 33 the ID did not find), one update and one create call
		expect(calls('skeepers-ordered-keys', 'upsert').apiCallsByKind).toEqual({
			query: 2,
			'collections.update': 1,
			'collections.create': 1,
		});
		// every variant is compared with its plain path, and none exceeds its budget
		for (const w of result.writes.filter((x) => x.path.startsWith('skeepers-') && x.beside))
			expect({ path: w.path, met: w.beside!.met, org: w.orgProblems }).toEqual({
				path: w.path,
				met: w.beside!.expected === null ? null : true,
				org: undefined,
			});
		expect(
			result.writes.filter((w) => w.beside).map((w) => `${w.operation}:${w.records}:${w.path}`),
		).toHaveLength(10);
		expect(renderMarkdown(result)).toContain(
			'skeepers-parent-link at 50: 1 calls vs 1 without (skeepers-collections; the same kinds and counts)',
		);
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

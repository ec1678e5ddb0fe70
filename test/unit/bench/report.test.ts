import { renderMarkdown } from '../../../bench/report';
import { emptyRatios } from '../../../bench/scenarios/written';
import type { BenchResult, N8nMemory, WriteResult } from '../../../bench/types';

function write(path: string, memory: N8nMemory): WriteResult {
	return {
		path: path as WriteResult['path'],
		operation: 'upsert',
		records: 1000,
		apiCalls: 0,
		seconds: 2,
		recordsWritten: 1000,
		apiCallsByKind: {},
		recordsPerSecond: 500,
		nodeSeconds: 1,
		...emptyRatios(),
		memory,
	};
}

const heap = (before: number, peak: number) => ({
	heapBeforeMb: before,
	heapPeakMb: peak,
	heapAfterMb: peak,
	rssPeakMb: 800,
	cpuSeconds: 1,
});

function report(writes: WriteResult[]): string {
	return renderMarkdown({
		machineInfo: { loadAvgStart: [], loadAvgEnd: [] },
		latency: {},
		sizes: [1000],
		writes,
		intake: [],
		overhead: null,
		targets: [],
		notes: [],
		errors: [],
	} as unknown as BenchResult);
}

describe("the bench report's memory growth against the No Operation run", () => {
	it("compares n8n's peak resident memory from the OS when both runs have it", () => {
		const md = report([
			write('skeepers-collections', { ...heap(500, 512), rssPeakGrowthMb: 30.4 }),
			write('n8n-noop', { ...heap(510, 510), rssPeakGrowthMb: 20.2 }),
		]);
		expect(md).toContain(
			'| upsert | skeepers-collections | 1 s; heap +12 MB; peak RSS +30 MB (peak RSS +10 vs No Op) |',
		);
		expect(md).toContain('| upsert | n8n-noop | 1 s; heap +0 MB; peak RSS +20 MB |');
		expect(md).toMatch(/\| 500 → 512 → 512 \| \+30\.4 \| — \| 1,000\/1,000 \|$/m);
		expect(md).not.toContain('not measured');
	});

	it('says why the OS peak is missing and compares the heap from /metrics instead', () => {
		const why =
			"/proc/42/clear_refs cannot be written (EACCES): Linux, as the process's owner or root";
		const md = report([
			write('skeepers-collections', { ...heap(500, 512), rssPeakUnavailable: why }),
			write('n8n-noop', { ...heap(510, 514), rssPeakUnavailable: why }),
		]);
		expect(md).toContain(`**peak RSS not measured**: ${why}, so *vs No Op* compares the heap`);
		expect(md).toContain('| upsert | skeepers-collections | 1 s; heap +12 MB (heap +8 vs No Op) |');
		expect(md).toMatch(/\| 500 → 512 → 512 \| — \| — \| 1,000\/1,000 \|$/m);
	});

	it("gives the heap each path keeps after a full collection, and the writer's beyond No Op's", () => {
		const md = report([
			write('skeepers-collections', {
				...heap(500, 512),
				rssPeakGrowthMb: 30.4,
				heapAfterGcBeforeMb: 180.2,
				heapAfterGcAfterMb: 186.9,
				heapKeptMb: 6.7,
			}),
			write('n8n-noop', {
				...heap(510, 510),
				rssPeakGrowthMb: 20.2,
				heapAfterGcBeforeMb: 181,
				heapAfterGcAfterMb: 185.5,
				heapKeptMb: 4.5,
			}),
		]);
		expect(md).toContain(
			'| upsert | skeepers-collections | 1 s; heap +12 MB; peak RSS +30 MB (peak RSS +10 vs No Op); kept +6.7 MB (+2.2 vs No Op) |',
		);
		expect(md).toContain('| upsert | n8n-noop | 1 s; heap +0 MB; peak RSS +20 MB; kept +4.5 MB |');
		expect(md).toMatch(/\| \+30\.4 \| 180\.2 → 186\.9 \(\+6\.7\) \| 1,000\/1,000 \|$/m);
		expect(md).not.toContain('kept not measured');
	});

	it('says which run has no kept figure and why', () => {
		const why = 'after the run: no answer from the probe within 30 s';
		const md = report([
			write('skeepers-collections', {
				...heap(500, 512),
				heapAfterGcBeforeMb: 180.2,
				heapAfterGcUnavailable: why,
			}),
			write('n8n-noop', {
				...heap(510, 510),
				heapAfterGcBeforeMb: 181,
				heapAfterGcAfterMb: 185.5,
				heapKeptMb: 4.5,
			}),
		]);
		expect(md).toContain(`**kept not measured** for skeepers-collections at 1,000, ${why})`);
		expect(md).toContain(
			'| upsert | skeepers-collections | 1 s; heap +12 MB (heap +12 vs No Op) |',
		);
		expect(md).toMatch(/\| skeepers-collections \|.*\| — \| — \| 1,000\/1,000 \|$/m);
	});
});

/** The bench's options and result shapes (bench/results/latest.json; see docs/performance.md). */
import type { PureTimings } from './overhead';
import type { Operation } from './workflows';

export type WritePath =
	| 'skeepers-collections'
	| 'skeepers-bulk'
	| 'skeepers-auto'
	| 'n8n-builtin'
	| 'jsforce'
	/** Webhook → Split Out → No Operation: n8n's own time and memory for the same items */
	| 'n8n-noop'
	/** a Feed Application variant (scenarios/variants.ts) */
	| `skeepers-${string}`;

export type IntakePath =
	| 'skeepers-trigger'
	| 'n8n-webhook'
	| 'skeepers-trigger-no-auth'
	| 'n8n-webhook-header-auth'
	| 'skeepers-trigger-v1';

/** n8n's process as its /metrics reports it (N8N_METRICS=true), in MB and CPU seconds. */
export interface N8nMemory {
	heapBeforeMb: number;
	/** highest heap used seen while the run went on (sampled every 250 ms) */
	heapPeakMb: number;
	heapAfterMb: number;
	rssPeakMb: number;
	/**
	 * n8n's peak resident memory during the run from the OS (/proc VmHWM, reset before the run) −
	 * its resident memory before, MB: read by the kernel, so it holds while n8n is too busy to answer
	 * /metrics. Absent when the OS cannot tell (rssPeakUnavailable says why).
	 */
	rssPeakGrowthMb?: number;
	rssPeakUnavailable?: string;
	/**
	 * n8n's heap used after a full garbage collection (bench/heapProbe.ts), MB: before the run, and
	 * after it once the execution ended. Absent when the probe gave no answer
	 * (heapAfterGcUnavailable says why).
	 */
	heapAfterGcBeforeMb?: number;
	heapAfterGcAfterMb?: number;
	/** heapAfterGcAfterMb − heapAfterGcBeforeMb: the heap n8n keeps after the run, garbage left out */
	heapKeptMb?: number;
	heapAfterGcUnavailable?: string;
	/** CPU seconds n8n's process used during the run (user + system) */
	cpuSeconds: number;
}

export interface WriteResult {
	path: WritePath;
	operation: Operation;
	records: number;
	apiCalls: number;
	seconds: number;
	recordsWritten: number;
	apiCallsByKind: Record<string, number>;
	recordsPerSecond: number;
	/** the writer node's own time (run data `executionTime`); null for jsforce */
	nodeSeconds: number | null;
	/** records/s of this path ÷ records/s of n8n-builtin for the same operation */
	vsBuiltin: number | null;
	/** the physical limit of the latency model for this path and size (limits.ts); null when none applies */
	limitSeconds: number | null;
	/** seconds ÷ limitSeconds (1 = at the limit) */
	vsLimit: number | null;
	/** nodeSeconds ÷ limitSeconds: the writer node's own time, n8n's Webhook and Split Out left out */
	nodeVsLimit: number | null;
	/** jsforce's seconds ÷ this path's seconds, same operation and size (> 1 = faster than jsforce) */
	vsJsforce: number | null;
	/** n8n paths: n8n's heap and CPU during the run */
	memory?: N8nMemory;
	/** n8n-builtin runs on a sample: N of the other paths */
	sampleOf?: number;
	/** output items with success: true (n8n paths) */
	successItems?: number;
	/** API calls in a fresh n8n process: apiCalls + the describe the first warm-up made */
	apiCallsCold?: number;
	/** a variant (scenarios/variants.ts): the plain path it ran beside, and its budget checked */
	beside?: BesideResult;
	/** what the variant's check of the org found wrong after the run (absent: nothing) */
	orgProblems?: string[];
	error?: string;
}

/** The plain path a variant is compared with, same operation and size, and the variant's budget. */
interface BesideResult {
	path: WritePath;
	apiCalls: number;
	apiCallsByKind: Record<string, number>;
	seconds: number;
	/** kinds whose counts differ, `<kind> <variant> vs <plain>` */
	differs: string[];
	/** what the variant may cost beside the plain path (null: not stated) */
	expected: string | null;
	met: boolean | null;
}

export interface IntakeResult {
	path: IntakePath;
	deliveries: number;
	accepted: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	executionsCompleted: number;
	/** from the first delivery to the last finished execution */
	seconds: number;
	deliveriesPerSecond: number;
	/** p50 of this path ÷ p50 of n8n-webhook */
	p50VsWebhook: number | null;
	p95VsWebhook: number | null;
	p99VsWebhook: number | null;
	/** deliveries/s of this path ÷ that of n8n-webhook (both count until every execution finished) */
	throughputVsWebhook: number | null;
}

export interface OverheadResult {
	items: number;
	itemsPerSecond: number;
	rows: number;
	seconds: number;
	nodeSeconds: number | null;
	/** same items through Webhook → Split Out → No Operation: n8n's own cost */
	baselineSeconds: number | null;
	/** n8n's CPU seconds for the Dry Run workflow and for the No Operation one (from /metrics) */
	cpuSeconds: number | null;
	baselineCpuSeconds: number | null;
	/** (cpuSeconds − baselineCpuSeconds) scaled to 10,000 items: the node's CPU, network out of the picture */
	nodeCpuMsPer10k: number | null;
	apiCalls: number;
	pure: PureTimings;
}

/** A target of the issue, measured in this run: met or not, with the figure it rests on. */
export interface TargetCheck {
	target: string;
	measured: string;
	/** null: not measured; 'reported': a figure beside the targets, not a target */
	met: boolean | null | 'reported';
}

export interface BenchResult {
	machine: string;
	/** the flat ms per request when no model ran (null with the model) */
	latencyMs: number | null;
	latency: import('./limits').LatencyModel;
	sizes: number[];
	writes: WriteResult[];
	intake: IntakeResult[];
	overhead: OverheadResult | null;
	intakeDiagnostics: IntakeResult[];
	targets: TargetCheck[];
	machineInfo: {
		nproc: number;
		cpuModel: string;
		loadAvgStart: number[];
		loadAvgEnd: number[];
		benchNode: string;
		n8nNode: string;
		n8nVersion: string;
		expressionEngine: string;
	};
	startedAt: string;
	totalSeconds: number;
	notes: string[];
	/** phases that failed (the others ran) */
	errors: string[];
}

export type SkipName =
	| 'writes'
	| 'intake'
	| 'overhead'
	| 'builtin'
	| 'jsforce'
	| 'bulk'
	| 'auto'
	| 'collections'
	| 'noop'
	| 'variants';

export interface BenchOptions {
	/** record counts of the write runs, each run side by side on every path */
	sizes: number[];
	operations: Operation[];
	/** flat ms per emulator request (used when no latency preset is given) */
	latencyMs: number;
	/** the emulator's latency and limits model preset (docs/emulator.md); undefined = flat latencyMs */
	model?: 'salesforce';
	json: string;
	deliveries: number;
	/** deliveries of the diagnostic intake paths (0 = none) */
	diagDeliveries: number;
	concurrency: number;
	/** records for the built-in node (one call per item): a sample, extrapolated as records/s */
	builtinRecords: number;
	/** largest size jsforce runs at (its sequential collections take long at the model's latency) */
	jsforceMaxRecords: number;
	overheadItems: number;
	build: boolean;
	major: 2 | 1;
	expressionEngine?: string;
	cpuProf?: string;
	n8nEnv: Record<string, string>;
	skip: Set<SkipName>;
	tarball?: string;
	quiet: boolean;
}

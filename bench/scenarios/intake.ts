/**
 * Webhook intake: the same payload K times through a workflow holding only the Skeepers Trigger
 * (HMAC) and one holding only n8n's Webhook node, in A B B A halves; two diagnostic paths swap the
 * authentication (trigger without, Webhook node with Header Auth).
 */
import * as path from 'node:path';

import { replay } from '../../replay/replay';
import { REPO_ROOT } from '../../runtime/n8n';
import { executionCount, notWhileDbBusy, round, sleep, waitForExecutions } from '../n8n-exec';
import { HEADER_NAME, HEADER_TOKEN, WEBHOOK_SECRET, type BenchStack } from '../setup';
import type { BenchOptions, IntakePath, IntakeResult } from '../types';
import { genericWebhookWorkflow, triggerWorkflow, webhookIdOf } from '../workflows';

export async function benchIntake(
	o: BenchOptions,
	s: BenchStack,
	say: (l: string) => void,
): Promise<{ main: IntakeResult[]; diagnostics: IntakeResult[] }> {
	const inst = s.n8n;
	const createWorkflow = s.createWorkflow;
	const creds = s.creds;
	const secret = WEBHOOK_SECRET;
	const trig = triggerWorkflow('bench intake: Skeepers Trigger', creds.hookCred);
	const trigNone = triggerWorkflow('bench intake: Skeepers Trigger (no auth)', null);
	const trigV1 = triggerWorkflow(
		'bench intake: Skeepers Trigger (typeVersion 1)',
		creds.hookCred,
		1,
	);
	const hook = genericWebhookWorkflow('bench intake: Webhook', 'bench-intake-webhook');
	const hookAuth = genericWebhookWorkflow(
		'bench intake: Webhook (header auth)',
		'bench-intake-webhook-auth',
		creds.headerCred,
	);
	type P = {
		path: string;
		main: boolean;
		workflowId: string;
		url: string;
		mode: 'hmac' | 'none' | 'token-header';
		k: number;
	};
	const diagK = Math.min(o.deliveries, o.diagDeliveries);
	const paths: P[] = [
		{
			path: 'skeepers-trigger',
			main: true,
			workflowId: await createWorkflow(trig),
			url: inst.webhookUrl(`${webhookIdOf(trig)}/skeepers`),
			mode: 'hmac',
			k: o.deliveries,
		},
		{
			path: 'n8n-webhook',
			main: true,
			workflowId: await createWorkflow(hook),
			url: inst.webhookUrl('bench-intake-webhook'),
			mode: 'none',
			k: o.deliveries,
		},
	];
	if (diagK > 0) {
		paths.push(
			{
				path: 'skeepers-trigger-no-auth',
				main: false,
				workflowId: await createWorkflow(trigNone),
				url: inst.webhookUrl(`${webhookIdOf(trigNone)}/skeepers`),
				mode: 'none',
				k: diagK,
			},
			{
				path: 'n8n-webhook-header-auth',
				main: false,
				workflowId: await createWorkflow(hookAuth),
				url: inst.webhookUrl('bench-intake-webhook-auth'),
				mode: 'token-header',
				k: diagK,
			},
			{
				path: 'skeepers-trigger-v1',
				main: false,
				workflowId: await createWorkflow(trigV1),
				url: inst.webhookUrl(`${webhookIdOf(trigV1)}/skeepers`),
				mode: 'hmac',
				k: diagK,
			},
		);
	}
	const payload = path.join(REPO_ROOT, 'examples', 'payloads', 'promoter.json');
	const send = (p: P, repeat: number, concurrency = o.concurrency) =>
		replay({
			url: p.url,
			paths: [payload],
			mode: p.mode,
			secret: p.mode === 'hmac' ? secret : p.mode === 'token-header' ? HEADER_TOKEN : undefined,
			headerName: HEADER_NAME,
			concurrency,
			repeat,
		});

	// warm-up (not counted): first a single delivery until the webhook answers (a freshly activated
	// workflow can answer 404 for a moment on a busy machine), then 20
	const before = new Map<string, number>();
	for (const p of paths) {
		const deadline = Date.now() + 30_000;
		for (;;) {
			const w = await send(p, 1, 1);
			if (w.allAccepted) break;
			if (Date.now() > deadline)
				throw new Error(
					`intake warm-up of ${p.path}: ${w.deliveries[0]?.status} ${w.deliveries[0]?.response}`,
				);
			await sleep(500);
		}
		const w = await send(p, 20);
		if (!w.allAccepted)
			throw new Error(
				`intake warm-up of ${p.path}: ${w.status2xx}/${w.sent} accepted (${w.deliveries.find((d) => !d.accepted)?.response})`,
			);
		before.set(p.path, await waitForExecutions(inst, p.workflowId, 1 + w.status2xx, 60_000));
	}

	// A B C D D C B A halves, so drift (other load, a growing database) hits every path alike
	const order: Array<[P, number]> = [
		...paths.map((p): [P, number] => [p, Math.ceil(p.k / 2)]),
		...[...paths].reverse().map((p): [P, number] => [p, p.k - Math.ceil(p.k / 2)]),
	];
	const latencies = new Map<string, number[]>();
	const accepted = new Map<string, number>();
	const busy = new Map<string, number>();
	for (const [p, n] of order) {
		if (n === 0) continue;
		say(`[bench] intake: ${n} deliveries to ${p.path} (concurrency ${o.concurrency})…`);
		const t = performance.now();
		const s = await send(p, n);
		const refused = s.deliveries.filter((d) => !d.accepted);
		if (refused.length > 0)
			say(
				`[bench]   ${refused.length} not accepted, e.g. ${refused[0].status} ${String(refused[0].response).slice(0, 200)}`,
			);
		// wait for every execution to finish before the next batch, so batches do not overlap
		const want = (before.get(p.path) ?? 0) + (accepted.get(p.path) ?? 0) + s.status2xx;
		await waitForExecutions(inst, p.workflowId, want, 180_000);
		busy.set(p.path, (busy.get(p.path) ?? 0) + (performance.now() - t) / 1000);
		latencies.set(p.path, [...(latencies.get(p.path) ?? []), ...s.deliveries.map((d) => d.ms)]);
		accepted.set(p.path, (accepted.get(p.path) ?? 0) + s.status2xx);
	}
	const pct = (values: number[], q: number) => {
		const v = [...values].sort((a, b) => a - b);
		return v.length ? v[Math.min(v.length - 1, Math.ceil((q / 100) * v.length) - 1)] : 0;
	};
	const results: Array<IntakeResult & { main: boolean }> = [];
	for (const p of paths) {
		const lat = latencies.get(p.path) ?? [];
		const completed =
			(await notWhileDbBusy(
				() => executionCount(inst, p.workflowId, ['success']),
				Date.now() + 60_000,
			)) - (before.get(p.path) ?? 0);
		const seconds = busy.get(p.path) ?? 0;
		results.push({
			main: p.main,
			path: p.path as IntakePath,
			deliveries: lat.length,
			accepted: accepted.get(p.path) ?? 0,
			p50Ms: round(pct(lat, 50), 1),
			p95Ms: round(pct(lat, 95), 1),
			p99Ms: round(pct(lat, 99), 1),
			executionsCompleted: completed,
			seconds: round(seconds, 2),
			deliveriesPerSecond: round(lat.length / seconds, 1),
			p50VsWebhook: null,
			p95VsWebhook: null,
			p99VsWebhook: null,
			throughputVsWebhook: null,
		});
	}
	const w = results.find((r) => r.path === 'n8n-webhook')!;
	for (const r of results) {
		r.p50VsWebhook = w.p50Ms > 0 ? round(r.p50Ms / w.p50Ms, 2) : null;
		r.p95VsWebhook = w.p95Ms > 0 ? round(r.p95Ms / w.p95Ms, 2) : null;
		r.p99VsWebhook = w.p99Ms > 0 ? round(r.p99Ms / w.p99Ms, 2) : null;
		r.throughputVsWebhook =
			w.deliveriesPerSecond > 0 ? round(r.deliveriesPerSecond / w.deliveriesPerSecond, 2) : null;
	}
	const strip = ({ main: _m, ...r }: IntakeResult & { main: boolean }): IntakeResult => r;
	return {
		main: results.filter((r) => r.main).map(strip),
		diagnostics: results.filter((r) => !r.main).map(strip),
	};
}

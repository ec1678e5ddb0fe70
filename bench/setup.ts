/**
 * The bench's stack: the emulator (flat latency or a preset of its latency model) and one real
 * n8n with this package installed from its tarball and the four credentials the paths use.
 */
import * as fs from 'node:fs';

import { DEMO_CLIENT, startEmulator, type Emulator } from '../emulator';
import { n8nId, packPackage, startN8n, type N8nInstance } from '../runtime/n8n';
import { heapProbeEnv } from './heapProbe';
import { BENCH_N8N_ENV } from './n8n-exec';
import { flatModel, presetModel, type LatencyModel } from './limits';
import type { BenchOptions } from './types';

type Cred = { id: string; name: string };

export const HEADER_NAME = 'X-Bench-Token';
export const HEADER_TOKEN = 'bench-header-token-0123456789';
export const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789abcdef';

export interface BenchStack {
	emu: Emulator;
	n8n: N8nInstance;
	model: LatencyModel;
	token: { access_token: string; instance_url: string };
	creds: { sfCred: Cred; hookCred: Cred; builtinCred: Cred; headerCred: Cred };
	/**
	 * Salesforce credentials used once each (Auto, first run on an org: scenarios/writes.ts): Auto
	 * remembers an org per credential, so each of these runs starts as on an org it never wrote to.
	 */
	firstRunCreds: Cred[];
	/** creates a workflow over REST and activates it (production webhooks live without a restart) */
	createWorkflow(wf: Record<string, unknown>): Promise<string>;
	/** the emulator at latency 0 (no model) for the overhead phase, and back */
	latencyOff(): void;
	restoreLatency(): void;
	stop(): Promise<void>;
}

/** Starts the emulator at the options' latency; the latency model's preset hooks in here. */
async function startBenchEmulator(
	o: BenchOptions,
): Promise<{ emu: Emulator; model: LatencyModel }> {
	if (o.model) {
		const emu = await startEmulator({ port: 0, model: o.model });
		return { emu, model: presetModel(o.model) };
	}
	const emu = await startEmulator({ port: 0, latencyMs: o.latencyMs });
	return { emu, model: flatModel(o.latencyMs) };
}

export async function startBenchStack(o: BenchOptions, notes: string[]): Promise<BenchStack> {
	const { emu, model } = await startBenchEmulator(o);
	// n8n's heap after a full garbage collection, before and after each run (heapProbe.ts)
	const probe = heapProbeEnv();
	try {
		const tarball = o.tarball ?? (await packPackage({ build: o.build }));
		const token = emu.issueToken();
		const creds = {
			sfCred: { id: n8nId(), name: 'Salesforce (emulator)' },
			hookCred: { id: n8nId(), name: 'Skeepers webhook secret' },
			builtinCred: { id: n8nId(), name: 'Salesforce built-in (emulator)' },
			headerCred: { id: n8nId(), name: 'Bench header auth' },
		};
		const sfData = (cred: Cred) => ({
			...cred,
			type: 'skeepersSalesforceOAuth2Api',
			data: {
				environment: 'production',
				grantType: 'pkce',
				clientId: DEMO_CLIENT.clientId,
				clientSecret: DEMO_CLIENT.clientSecret,
				customUrls: true,
				customAuthUrl: `${emu.url}/services/oauth2/authorize`,
				customAccessTokenUrl: `${emu.url}/services/oauth2/token`,
				oauthTokenData: token,
			},
		});
		const firstRunCreds = o.sizes
			.flatMap((size) => o.operations.map((op) => `${op} ${size}`))
			.map((what) => ({ id: n8nId(), name: `Salesforce (emulator, first run: ${what})` }));
		const credentials = [
			sfData(creds.sfCred),
			...firstRunCreds.map(sfData),
			{
				...creds.hookCred,
				type: 'skeepersWebhookApi',
				data: {
					secret: WEBHOOK_SECRET,
					mode: 'hmac',
					signatureHeader: 'X-Skeepers-Signature',
					signatureEncoding: 'hex',
					signaturePrefix: 'sha256=',
					useTimestamp: false,
				},
			},
			{
				...creds.headerCred,
				type: 'httpHeaderAuth',
				data: { name: HEADER_NAME, value: HEADER_TOKEN },
			},
			{
				// n8n's own credential: Production/Sandbox only. The node calls
				// `oauthTokenData.instance_url` + /services/data/v59.0/… (GenericFunctions.salesforceApiRequest),
				// so an imported token with the emulator's instance_url points every call at the emulator.
				// Its token URL is a hidden field fixed to login/test.salesforce.com, and n8n 2.41 drops a
				// stored value for hidden OAuth fields (OAUTH_PINNED_FIELDS in
				// CredentialsHelper.applyDefaultsAndOverwrites), so a refresh could not reach the emulator;
				// the emulator's tokens do not expire in the bench, so no refresh happens.
				...creds.builtinCred,
				type: 'salesforceOAuth2Api',
				data: {
					environment: 'production',
					clientId: DEMO_CLIENT.clientId,
					clientSecret: DEMO_CLIENT.clientSecret,
					oauthTokenData: token,
				},
			},
		];
		const env: Record<string, string> = { ...BENCH_N8N_ENV, ...probe.env, ...o.n8nEnv };
		const nodeOptions = [o.n8nEnv.NODE_OPTIONS, probe.nodeOptions];
		for (const [k, v] of Object.entries(o.n8nEnv)) notes.push(`n8n ran with ${k}=${v}`);
		if (o.expressionEngine) {
			env.N8N_EXPRESSION_ENGINE = o.expressionEngine;
			notes.push(
				`n8n ran with N8N_EXPRESSION_ENGINE=${o.expressionEngine} (2.41.1's default is vm)`,
			);
		}
		if (o.cpuProf) {
			fs.mkdirSync(o.cpuProf, { recursive: true });
			nodeOptions.push(`--cpu-prof --cpu-prof-dir=${o.cpuProf}`);
			notes.push(
				`n8n ran with --cpu-prof (profiles in ${o.cpuProf}); timings include the profiler's cost`,
			);
		}
		env.NODE_OPTIONS = nodeOptions.filter(Boolean).join(' ');
		const n8n = await startN8n({ major: o.major, packageTarball: tarball, credentials, env });
		return {
			emu,
			n8n,
			model,
			token,
			creds,
			firstRunCreds,
			async createWorkflow(wf) {
				const created = await n8n.rest.createWorkflow(wf);
				await n8n.rest.post(`/workflows/${created.id}/activate`, { versionId: created.versionId });
				return String(created.id);
			},
			latencyOff: () => {
				emu.setLatency(0);
				emu.setModel('off');
			},
			restoreLatency: () => {
				if (o.model) emu.setModel(o.model);
				else emu.setLatency(o.latencyMs);
			},
			async stop() {
				await n8n.stop();
				await emu.stop();
				probe.remove();
			},
		};
	} catch (e) {
		await emu.stop();
		probe.remove();
		throw e;
	}
}

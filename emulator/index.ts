/**
 * Local Salesforce emulator (dev only; never imported by nodes/, never published).
 *
 *   const emu = await startEmulator({ port: 0 });
 *   const token = emu.issueToken();            // a valid access token, no browser flow
 *   ... requests to `${emu.url}/services/data/v66.0/...` with `Authorization: Bearer ${token.access_token}`
 *   emu.counters(); emu.records('Contact'); await emu.stop();
 */
import type { Server } from 'node:http';
import { Core, DEFAULT_VERSION, type Counters, type EmulatorOptions } from './core';
import type { FaultSpec } from './faults';
import type { ModelSetting } from './model/options';
import { INTEGRATION_USER_ID, USER_ID } from './ids';
import { DEMO_CLIENT, type TokenResponse } from './oauth';
import { listen } from './server';
import type { Rec } from './store';
import { addField, findObject, type EmuField } from './schema';

export type { Counters, EmulatorOptions };
export { DEMO_CLIENT, DEFAULT_VERSION };
export { SCHEMA, f as schemaField } from './schema';
export { parseFaults } from './faults';
export { ManualClock } from './model/clock';
export type { ModelOptions } from './model/options';
export { bulkPlan } from './model/timing';

export interface Emulator {
	/** `http://127.0.0.1:<port>` (also the `instance_url` of issued tokens). */
	readonly url: string;
	readonly port: number;
	counters(): Counters;
	resetCounters(): void;
	/** Stored records of an object (copies; Id, fields, audit dates). */
	records(objectName: string): Rec[];
	/** Removes every record. */
	clearRecords(): void;
	setFaults(spec: FaultSpec | string): void;
	setLatency(ms: number): void;
	/** Turns the latency and limits model on (`'salesforce'` or settings) or off (`'off'`). */
	setModel(setting: ModelSetting): void;
	/** Invalidates every access token (refresh tokens stay valid). */
	expireAllTokens(): void;
	/** Every access and refresh token issued so far (also expired, revoked and rotated ones), for secret scans. */
	issuedTokens(): { access: string[]; refresh: string[] };
	/** Changes the daily API allocation (usage so far is kept; `resetCounters()` zeroes it). */
	setDailyApiLimit(max: number): void;
	/** Mints a token without the browser flow. Default: demo client, admin user, all its scopes (with a refresh token). */
	issueToken(opts?: {
		clientId?: string;
		scope?: string;
		integrationUser?: boolean;
	}): TokenResponse;
	/** Adds a field to an object's schema, as an admin would in Setup (process-wide); returns an undo. */
	addField(objectName: string, field: EmuField): () => void;
	stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
	const core = new Core(options);
	const server: Server = await listen(core, options.port ?? 0);
	const port = Number(new URL(core.url).port);
	let stopped = false;
	return {
		url: core.url,
		port,
		counters: () => core.counters(),
		resetCounters: () => core.resetCounters(),
		records: (name) => {
			const o = findObject(name);
			if (!o) throw new Error(`Unknown object ${name}`);
			return core.store.all(o.name).map((r) => ({ ...r }));
		},
		clearRecords: () => core.store.clear(),
		setFaults: (spec) => core.faults.set(spec, options.seed),
		setLatency: (ms) => {
			core.latencyMs = ms;
		},
		setModel: (setting) => core.model.set(setting),
		expireAllTokens: () => core.oauth.expireAll(),
		issuedTokens: () => ({
			access: [...core.oauth.issuedLog.access],
			refresh: [...core.oauth.issuedLog.refresh],
		}),
		setDailyApiLimit: (max) => {
			core.dailyApiLimit = max;
		},
		issueToken: (o = {}) => {
			const client = core.oauth.client(
				o.clientId ?? (options.clients?.[0] ?? DEMO_CLIENT).clientId,
			);
			if (!client) throw new Error(`Unknown client ${o.clientId}`);
			const scope = o.scope ?? (client.scopes ?? DEMO_CLIENT.scopes!).join(' ');
			return core.oauth.issue(
				client,
				o.integrationUser ? INTEGRATION_USER_ID : USER_ID,
				scope,
				undefined,
				!o.integrationUser,
			);
		},
		addField: (objectName, added) => addField(objectName, added),
		stop: async () => {
			if (stopped) return;
			stopped = true;
			core.stop();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/**
 * Shared setup for the Feed Application integration tests: an in-process emulator, a
 * credential holding a real token, and a runner that executes the node through the harness.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DEMO_CLIENT, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';
import { SkeepersFeedApplication } from '../../nodes/SkeepersFeedApplication/SkeepersFeedApplication.node';
import { sharedDescribes } from '../../nodes/SkeepersFeedApplication/salesforce/describe';
import { rememberedFlight } from '../../nodes/SkeepersFeedApplication/salesforce/flightMemory';
import {
	createExecuteContext,
	DedupStore,
	type HarnessCredential,
	type HarnessRun,
	type ParamValue,
} from '../harness/execute';

export { DedupStore };

export interface Row {
	internalEntity: ParamValue;
	remoteField: string;
	transformation?: string;
	transformationParameter?: string;
	writeMode?: 'overwrite' | 'onlyIfEmpty' | 'addToMultiSelect' | string;
}

export interface RunSpec {
	items: IDataObject[];
	object?: string;
	operation: 'create' | 'update' | 'upsert' | 'find';
	matchField?: string;
	matchValue?: ParamValue;
	/** More Match Keys, in order. */
	moreMatchKeys?: Array<{ field: string; value: ParamValue }>;
	/** Find: Fields to Return and Conditions. */
	findFields?: string[];
	findConditions?: Array<{ field: string; operator: string; value: ParamValue }>;
	rows: Row[];
	options?: Record<string, ParamValue>;
	continueOnFail?: boolean;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	dedup?: DedupStore;
	credentialId?: string;
}

export class FeedEnv {
	emu!: Emulator;
	credential!: HarnessCredential;
	/** The execution hints of the last run (what Auto did). */
	hints: HarnessRun['hints'] = [];

	async start(emulator: Omit<EmulatorOptions, 'port'> = {}): Promise<void> {
		this.emu = await startEmulator({ port: 0, bulkTickMs: 5, seed: 7, ...emulator });
		this.credential = {
			environment: 'production',
			clientId: DEMO_CLIENT.clientId,
			clientSecret: DEMO_CLIENT.clientSecret as string,
			accessTokenUrl: `${this.emu.url}/services/oauth2/token`,
			oauthTokenData: { ...this.emu.issueToken() },
		};
	}

	async stop(): Promise<void> {
		await this.emu?.stop();
	}

	reset(): void {
		this.emu.clearRecords();
		this.emu.setFaults({});
		this.emu.resetCounters();
		// each test starts with no describe cached by an earlier one, and Auto knowing no org
		sharedDescribes.clear();
		rememberedFlight.clear();
	}

	/** API calls of a kind (e.g. `collections.upsert`) or a prefix (`bulk.`). */
	calls(kind: string): number {
		const byKind = this.emu.counters().byKind;
		return Object.entries(byKind)
			.filter(([k]) => (kind.endsWith('.') ? k.startsWith(kind) : k === kind))
			.reduce((n, [, v]) => n + v, 0);
	}

	/** Writes records straight through sObject Collections (test setup), returns their Ids. */
	async seed(object: string, records: IDataObject[]): Promise<string[]> {
		const ids: string[] = [];
		for (let i = 0; i < records.length; i += 200) {
			const res = await fetch(`${this.emu.url}/services/data/v66.0/composite/sobjects`, {
				method: 'POST',
				headers: {
					Authorization: `Bearer ${String(this.credential.oauthTokenData.access_token)}`,
					'Content-Type': 'application/json',
				},
				body: JSON.stringify({
					allOrNone: true,
					records: records.slice(i, i + 200).map((r) => ({ attributes: { type: object }, ...r })),
				}),
			});
			const body = (await res.json()) as Array<{ id: string; success: boolean }>;
			if (!res.ok || !body.every((r) => r.success))
				throw new Error(`seed failed: ${JSON.stringify(body).slice(0, 300)}`);
			ids.push(...body.map((r) => r.id));
		}
		this.emu.resetCounters();
		return ids;
	}

	async run(spec: RunSpec): Promise<INodeExecutionData[]> {
		const parameters: Record<string, ParamValue> = {
			object: { __rl: true, mode: 'list', value: spec.object ?? 'Contact' },
			operation: spec.operation,
			mapping: {
				rows: spec.rows.map((r) => ({ transformation: 'none', transformationParameter: '', ...r })),
			},
			options: spec.options ?? {},
		};
		if (spec.matchField !== undefined) parameters.matchField = spec.matchField;
		if (spec.matchValue !== undefined) parameters.matchValue = spec.matchValue;
		if (spec.moreMatchKeys !== undefined) parameters.moreMatchKeys = { keys: spec.moreMatchKeys };
		if (spec.findFields !== undefined) parameters.findFields = spec.findFields;
		if (spec.findConditions !== undefined)
			parameters.findConditions = { conditions: spec.findConditions };
		const { ctx, hints } = createExecuteContext({
			items: spec.items,
			parameters,
			credential: this.credential,
			continueOnFail: spec.continueOnFail,
			onError: spec.onError,
			dedup: spec.dedup,
			credentialId: spec.credentialId,
		});
		this.hints = hints;
		const out = await new SkeepersFeedApplication().execute.call(ctx);
		return out[0];
	}
}

export const field =
	(name: string): ParamValue =>
	(_i: number, item: INodeExecutionData) =>
		item.json[name];

export function people(n: number, from = 0): IDataObject[] {
	return Array.from({ length: n }, (_, k) => {
		const i = k + from;
		return {
			respondentId: `R${String(i).padStart(6, '0')}`,
			email: `person${i}@example.fr`,
			lastName: `Person ${i}`,
			score: i % 11,
		};
	});
}

export const lastNameRow: Row = { internalEntity: field('lastName'), remoteField: 'LastName' };

/** Contact rows that the standard Contact duplicate rule matches on (FirstName, LastName, Email). */
export const personRows: Row[] = [
	{ internalEntity: field('firstName'), remoteField: 'FirstName' },
	{ internalEntity: field('lastName'), remoteField: 'LastName' },
	{ internalEntity: field('email'), remoteField: 'Email' },
];
/** Respondent `i`, with the values of `personRows`. */
export const person = (i: number): IDataObject => ({
	respondentId: `R-${i}`,
	firstName: `Ada${i}`,
	lastName: `Lovelace${i}`,
	email: `ada${i}@example.fr`,
});

/**
 * The SOQL queries sent while `run` runs, as Salesforce receives them (the real requests are
 * observed, not replaced). `afterQuery` runs once a query's answer is back, before the node goes on.
 */
export async function queriesDuring<T>(
	run: () => Promise<T>,
	afterQuery?: (q: string) => Promise<void>,
): Promise<{ result: T; queries: string[] }> {
	const queries: string[] = [];
	const realFetch = globalThis.fetch;
	const spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
		const url = new URL(typeof input === 'string' ? input : (input as URL | Request).toString());
		const q = url.pathname.endsWith('/query') ? (url.searchParams.get('q') ?? '') : undefined;
		if (q !== undefined) queries.push(q);
		const response = await realFetch(input, init);
		if (q !== undefined && afterQuery) await afterQuery(q);
		return response;
	});
	try {
		return { result: await run(), queries };
	} finally {
		spy.mockRestore();
	}
}

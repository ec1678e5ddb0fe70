/**
 * A small, honest stand-in for the parts of n8n's IExecuteFunctions the Feed Application node
 * uses, so its execute() can run in-process against the emulator:
 *
 * - getInputData, getNode (with Settings → On Error as `onError`), continueOnFail (from it, as n8n);
 * - getNodeParameter(name, itemIndex, fallback, { extractValue, rawExpressions }): parameters are
 *   plain values, or functions of the item (`(i, item) => item.json.email`) standing for n8n
 *   expressions that n8n would already have resolved per item; dotted paths (`options.dedupKey`,
 *   `mapping.rows[1]`) and nested functions (inside mapping rows) are resolved the same way;
 *   `rawExpressions` returns the stored value with each function shown as n8n stores an
 *   expression it cannot read ahead (`={{ $harness.expression() }}`): the node's fast parameter
 *   reader then hands it back to getNodeParameter, as it does n8n expressions it does not build
 *   itself, and sees an expression where n8n's raw value would have one;
 * - getCredentials: the credential object (with `oauthTokenData`);
 * - helpers.httpRequestWithAuthentication: real HTTP (fetch) with `Authorization: Bearer` from
 *   `oauthTokenData.access_token`; like n8n, on a 401 it refreshes once with the refresh token at
 *   the credential's token URL, stores the new token data (keeping fields the answer lacks)
 *   and retries; `returnFullResponse`, `ignoreHttpStatusErrors`, `json`, `encoding: 'text'`;
 *   failures throw an error shaped like n8n's (`response.status`, `response.data`);
 * - helpers.httpRequest: the same HTTP without signing (the headers as given);
 * - helpers.checkProcessedAndRecord / removeProcessed: an in-memory deduplication store that
 *   can be shared between runs (scope → set of keys).
 *
 * It does not evaluate expressions, run a workflow or load the package: the e2e suite does that
 * against a real n8n.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

export type ParamValue = unknown | ((itemIndex: number, item: INodeExecutionData) => unknown);

export interface HarnessCredential {
	clientId: string;
	clientSecret: string;
	accessTokenUrl: string;
	oauthTokenData: Record<string, unknown>;
	[key: string]: unknown;
}

export class DedupStore {
	readonly scopes = new Map<string, Set<string>>();
	calls: Array<{ op: string; items: string[] }> = [];

	set(scope: string): Set<string> {
		let s = this.scopes.get(scope);
		if (!s) {
			s = new Set();
			this.scopes.set(scope, s);
		}
		return s;
	}
}

export interface HarnessOptions {
	items: IDataObject[];
	parameters: Record<string, ParamValue>;
	credential: HarnessCredential;
	continueOnFail?: boolean;
	/** The node's Settings → On Error; continueOnFail() follows it as in n8n when it is set. */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	dedup?: DedupStore;
	nodeName?: string;
	/** n8n credential id of the node's Salesforce credential (default '1'). */
	credentialId?: string;
}

export interface HarnessRun {
	ctx: IExecuteFunctions;
	credential: HarnessCredential;
	refreshes: () => number;
	httpCalls: () => number;
	/** The execution hints the node added (n8n shows them above its output). */
	hints: Array<{ message: string; location?: string }>;
}

function resolveDeep(value: unknown, i: number, item: INodeExecutionData): unknown {
	if (typeof value === 'function')
		return (value as (i: number, item: INodeExecutionData) => unknown)(i, item);
	if (Array.isArray(value)) return value.map((v) => resolveDeep(v, i, item));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) out[k] = resolveDeep(v, i, item);
		return out;
	}
	return value;
}

/** A function (an expression stand-in) as n8n's raw value of an expression. */
const RAW_EXPRESSION = '={{ $harness.expression() }}';

function rawDeep(value: unknown): unknown {
	if (typeof value === 'function') return RAW_EXPRESSION;
	if (Array.isArray(value)) return value.map(rawDeep);
	if (value && typeof value === 'object')
		return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rawDeep(v)]));
	return value;
}

class HttpError extends Error {
	constructor(
		message: string,
		readonly response: { status: number; data: unknown; headers: Record<string, string> },
	) {
		super(message);
	}
}

export function createExecuteContext(opts: HarnessOptions): HarnessRun {
	const items: INodeExecutionData[] = opts.items.map((json) => ({ json }));
	const credential = opts.credential;
	const dedup = opts.dedup ?? new DedupStore();
	let refreshes = 0;
	let httpCalls = 0;
	const node: INode = {
		id: 'feed-node',
		name: opts.nodeName ?? 'Skeepers Feed Application',
		type: 'n8n-nodes-skeepers.skeepersFeedApplication',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: {
			skeepersSalesforceOAuth2Api: { id: opts.credentialId ?? '1', name: 'Salesforce (emulator)' },
		},
		...(opts.onError ? { onError: opts.onError } : {}),
	};

	const refresh = async (): Promise<void> => {
		refreshes++;
		const token = credential.oauthTokenData;
		const res = await fetch(credential.accessTokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token: String(token.refresh_token ?? ''),
				client_id: credential.clientId,
				client_secret: credential.clientSecret,
			}).toString(),
		});
		const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
		if (!res.ok)
			throw new HttpError(`Token refresh failed (${res.status})`, {
				status: res.status,
				data,
				headers: {},
			});
		credential.oauthTokenData = { ...token, ...data };
	};

	interface ReqOpts {
		method?: string;
		url: string;
		qs?: Record<string, unknown>;
		body?: unknown;
		json?: boolean;
		headers?: Record<string, unknown>;
		returnFullResponse?: boolean;
		ignoreHttpStatusErrors?: boolean | { ignore: boolean; except?: number[] };
		encoding?: string;
	}

	/** One HTTP call; `signed`: with the credential's token, as n8n signs it. */
	const once = async (o: ReqOpts, signed = true) => {
		httpCalls++;
		const url = new URL(o.url);
		for (const [k, v] of Object.entries(o.qs ?? {})) url.searchParams.set(k, String(v));
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(o.headers ?? {})) headers[k] = String(v);
		if (signed) headers.Authorization = `Bearer ${String(credential.oauthTokenData.access_token)}`;
		let body: string | undefined;
		if (o.body !== undefined) {
			body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
			if (typeof o.body !== 'string') headers['Content-Type'] ??= 'application/json';
		}
		const res = await fetch(url, { method: o.method ?? 'GET', headers, body });
		const text = await res.text();
		let data: unknown = text;
		if (o.encoding !== 'text' && text) {
			try {
				data = JSON.parse(text);
			} catch {
				data = text;
			}
		}
		if (!text) data = o.encoding === 'text' ? '' : undefined;
		const outHeaders: Record<string, string> = {};
		res.headers.forEach((v, k) => (outHeaders[k] = v));
		return { status: res.status, data, headers: outHeaders };
	};

	const httpRequestWithAuthentication = async (_type: string, o: ReqOpts) => {
		let res = await once(o);
		if (res.status === 401) {
			await refresh();
			res = await once(o);
		}
		return answer(o, res);
	};

	// n8n's unsigned request: the headers as given
	const httpRequest = async (o: ReqOpts) => answer(o, await once(o, false));

	const answer = (o: ReqOpts, res: Awaited<ReturnType<typeof once>>) => {
		const ignore = o.ignoreHttpStatusErrors;
		const ignored =
			ignore === true ||
			(typeof ignore === 'object' && ignore.ignore && !(ignore.except ?? []).includes(res.status));
		if (res.status >= 400 && !ignored) {
			throw new HttpError(`Request failed with status code ${res.status}`, res);
		}
		if (o.returnFullResponse)
			return { statusCode: res.status, headers: res.headers, body: res.data };
		return res.data;
	};

	const getParam = (
		name: string,
		itemIndex: number,
		fallback?: unknown,
		options?: { extractValue?: boolean; rawExpressions?: boolean },
	) => {
		let value: unknown = opts.parameters;
		// dotted paths with array indexes (`mapping.rows[2]`), as lodash's get in n8n
		const parts = name.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
		for (const [k, part] of parts.entries()) {
			if (value && typeof value === 'object' && part in (value as Record<string, unknown>)) {
				value = (value as Record<string, unknown>)[part];
			} else {
				value = undefined;
				break;
			}
			if (typeof value === 'function') {
				// a raw read cannot look inside an expression (n8n's raw values are JSON)
				if (options?.rawExpressions && k < parts.length - 1)
					throw new Error(`"${name}" is inside an expression`);
				if (!options?.rawExpressions) value = resolveDeep(value, itemIndex, items[itemIndex]);
			}
		}
		if (value === undefined) {
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		}
		// raw: the stored value, functions (stand-ins for expressions) unresolved
		if (options?.rawExpressions) return rawDeep(value);
		value = resolveDeep(value, itemIndex, items[itemIndex]);
		if (
			options?.extractValue &&
			value &&
			typeof value === 'object' &&
			'value' in (value as object)
		) {
			return (value as { value: unknown }).value;
		}
		return value;
	};

	const hints: HarnessRun['hints'] = [];
	const ctx = {
		addExecutionHints: (...added: HarnessRun['hints']) => hints.push(...added),
		getInputData: () => items,
		getNode: () => node,
		// as n8n's continueOnFail(): On Error decides when set, the legacy flag otherwise
		continueOnFail: () =>
			opts.onError !== undefined
				? ['continueRegularOutput', 'continueErrorOutput'].includes(opts.onError)
				: opts.continueOnFail === true,
		getNodeParameter: getParam,
		getCredentials: async () => credential,
		helpers: {
			httpRequestWithAuthentication,
			httpRequest,
			checkProcessedAndRecord: async (keys: Array<string | number>, scope: string) => {
				dedup.calls.push({ op: 'checkProcessedAndRecord', items: keys.map(String) });
				const set = dedup.set(scope);
				const out = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
				for (const k of keys) {
					if (set.has(String(k))) out.processed.push(k);
					else {
						out.new.push(k);
						set.add(String(k));
					}
				}
				return out;
			},
			removeProcessed: async (keys: Array<string | number>, scope: string) => {
				dedup.calls.push({ op: 'removeProcessed', items: keys.map(String) });
				const set = dedup.set(scope);
				for (const k of keys) set.delete(String(k));
			},
		},
	} as unknown as IExecuteFunctions;

	return { ctx, credential, refreshes: () => refreshes, httpCalls: () => httpCalls, hints };
}

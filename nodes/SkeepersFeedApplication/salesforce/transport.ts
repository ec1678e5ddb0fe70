/**
 * The Salesforce transport: every call to the org goes through here. (Over 400 lines: one
 * class, one job; authentication, instance URL and retries are its steps, the policies live in
 * instanceUrl.ts, retry.ts, errors.ts and thrown.ts.)
 *
 * - Authentication: `helpers.httpRequestWithAuthentication` with the package's OAuth2
 *   credential. n8n signs the request, and when the request *throws* with HTTP 401 it refreshes
 *   the token once, stores it, and replays the request (n8n-core `requestOAuth2`). To read
 *   Salesforce's error bodies and the `Sforce-Limit-Info` header ourselves we ask for the full
 *   response and ignore status errors — **except 401**, so n8n's refresh path still runs.
 *   On an older n8n that ignores every status (no `except` support) a 401 comes back as a
 *   response: we then refresh once ourselves (`helpers.refreshOAuth2Token` when present, else a
 *   replay without status ignoring, which lets n8n refresh) and give up on a second 401.
 * - Instance URL: the token's `instance_url`; see instanceUrl.ts for the fallback.
 * - Retries: retry.ts decides; waits use n8n-workflow's `sleep`.
 */
import { sleep as n8nSleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { SalesforceRequestError, parseSalesforceErrors } from './errors';
import { inspectThrown, normalizeHeaders } from './thrown';
import { instanceUrlFromUserinfo, originOf, planInstanceUrl } from './instanceUrl';
import type { InstanceUrlCredential } from './instanceUrl';
import { parseApiUsage } from './limits';
import { isPushback } from './adaptiveConcurrency';
import { decideRetry, parseRetryAfter } from './retry';
import type { RetryPolicyOptions } from './retry';
import { DEFAULT_API_VERSION } from '../../shared/salesforceUrls';
import { ERROR_CODES } from '../domain';
import type {
	ApiUsage,
	ResponseEvent,
	SalesforceApi,
	SalesforceError,
	SalesforceRequest,
	SalesforceResponse,
	TransportStats,
} from './types';

/** The credential type every request is signed with. */
export const SALESFORCE_CREDENTIAL_TYPE = 'skeepersSalesforceOAuth2Api';

/** Default per-attempt timeout (ms). Bulk CSV uploads can be large, hence generous. */
const DEFAULT_TIMEOUT_MS = 120_000;

/** Contexts that can call Salesforce (node execution and dropdown loading). */
export type SalesforceContext = IExecuteFunctions | ILoadOptionsFunctions;

interface RetryEvent {
	attempt: number;
	delayMs: number;
	method: string;
	path: string;
	status?: number;
	errorCode?: string;
	networkCode?: string;
	reason: string;
}

export interface SalesforceApiOptions {
	/** REST API version, e.g. `66.0` or `v66.0`. Default DEFAULT_API_VERSION. */
	apiVersion?: string;
	/** Wait function (tests pass a fake). Default n8n-workflow's `sleep`. */
	sleep?: (ms: number) => Promise<void>;
	/** Retry policy knobs (attempts, delays, random). */
	retry?: RetryPolicyOptions;
	/** Per-attempt timeout in ms. Default DEFAULT_TIMEOUT_MS. */
	timeoutMs?: number;
	/** Use this instance URL instead of reading the credential (tests, emulator). */
	instanceUrl?: string;
	/** Credential type name. Default SALESFORCE_CREDENTIAL_TYPE. */
	credentialType?: string;
	/** Called before each retry wait (for logs). */
	onRetry?: (event: RetryEvent) => void;
}

/** `66`, `'66.0'`, `'v66.0'` → `'66.0'`. Throws on anything else. */
function normalizeApiVersion(version: string | number | undefined): string {
	if (version === undefined || version === '') return DEFAULT_API_VERSION;
	const text = String(version).trim().replace(/^v/i, '');
	const match = /^(\d{2,3})(?:\.(\d))?$/.exec(text);
	if (!match) {
		throw new Error(`Invalid Salesforce API version "${String(version)}" (expected e.g. 66.0)`);
	}
	return `${match[1]}.${match[2] ?? '0'}`;
}

/**
 * Absolute URL of a request: `path` is relative to `/services/data/v<version>` unless it starts
 * with `/services/` (then relative to the instance, e.g. a SOQL `nextRecordsUrl`) or is already
 * absolute.
 */
function buildRequestUrl(instanceUrl: string, apiVersion: string, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	const base = instanceUrl.replace(/\/+$/, '');
	const rel = path.startsWith('/') ? path : `/${path}`;
	if (rel.startsWith('/services/')) return base + rel;
	return `${base}/services/data/v${apiVersion}${rel}`;
}

function pathOf(url: string): string {
	return url.replace(/^https?:\/\/[^/]+/i, '') || '/';
}

type AttemptOutcome =
	| { kind: 'response'; status: number; body: unknown; headers: Record<string, string> }
	| {
			kind: 'failure';
			status?: number;
			body?: unknown;
			headers?: Record<string, string>;
			networkCode?: string;
			message: string;
	  };

interface RawRequest {
	method: SalesforceRequest['method'];
	url: string;
	qs?: SalesforceRequest['qs'];
	body?: unknown;
	text?: string;
	responseType?: 'json' | 'text';
	headers?: Record<string, string>;
	retry: SalesforceRequest['retry'];
	onPushback?: () => void;
}

/** The n8n implementation of `SalesforceApi`. Safe to use concurrently. */
export class SalesforceTransport implements SalesforceApi {
	readonly apiVersion: string;

	readonly stats: TransportStats = { calls: 0, retries: 0 };

	private lastUsage: ApiUsage | undefined;

	private instanceUrlPromise: Promise<string> | undefined;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly credentialType: string;

	private readonly timeoutMs: number;

	private readonly listeners: Array<(event: ResponseEvent) => void> = [];

	constructor(
		private readonly ctx: SalesforceContext,
		private readonly options: SalesforceApiOptions = {},
	) {
		this.apiVersion = normalizeApiVersion(options.apiVersion);
		this.sleep = options.sleep ?? (async (ms: number) => await n8nSleep(ms));
		this.credentialType = options.credentialType ?? SALESFORCE_CREDENTIAL_TYPE;
		this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	}

	get usage(): ApiUsage | undefined {
		return this.lastUsage;
	}

	/** The org's instance origin (e.g. `https://acme.my.salesforce.com`), resolved once. */
	async getInstanceUrl(): Promise<string> {
		this.instanceUrlPromise ??= this.resolveInstanceUrl().catch((error: unknown) => {
			this.instanceUrlPromise = undefined;
			throw error;
		});
		return await this.instanceUrlPromise;
	}

	observe(listener: (event: ResponseEvent) => void): void {
		this.listeners.push(listener);
	}

	private notify(event: ResponseEvent): void {
		for (const listener of this.listeners) {
			try {
				listener(event);
			} catch {
				// a listener never breaks a request
			}
		}
	}

	async request<T = unknown>(req: SalesforceRequest): Promise<SalesforceResponse<T>> {
		const url = /^https?:\/\//i.test(req.path)
			? req.path
			: buildRequestUrl(await this.getInstanceUrl(), this.apiVersion, req.path);
		return await this.send<T>({
			method: req.method,
			url,
			qs: req.qs,
			body: req.body,
			text: req.text,
			responseType: req.responseType,
			headers: req.headers,
			retry: req.retry,
			onPushback: req.onPushback,
		});
	}

	private async resolveInstanceUrl(): Promise<string> {
		if (this.options.instanceUrl) {
			const given = originOf(this.options.instanceUrl);
			if (!given) throw new Error(`Invalid instance URL "${this.options.instanceUrl}"`);
			return given;
		}
		const credential = (await this.ctx.getCredentials(
			this.credentialType,
		)) as unknown as InstanceUrlCredential;
		const plan = planInstanceUrl(credential);
		if (plan.kind === 'known') return plan.url;
		const answer = await this.send<unknown>({
			method: 'GET',
			url: plan.userinfoUrl,
			retry: 'idempotent',
		});
		const found = instanceUrlFromUserinfo(answer.body);
		if (!found) {
			throw new SalesforceRequestError({
				status: answer.status,
				errors: [
					{
						errorCode: ERROR_CODES.INSTANCE_URL_UNKNOWN,
						message:
							'The credential has no instance_url and the userinfo endpoint did not name the org. Reconnect the credential, or choose the My Domain environment and enter the org host.',
						fields: [],
					},
				],
				requestPath: pathOf(plan.userinfoUrl),
				method: 'GET',
			});
		}
		return found;
	}

	private buildOptions(req: RawRequest, ignoreStatus: boolean): IHttpRequestOptions {
		const headers: IDataObject = { ...(req.headers ?? {}) };
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.url,
			returnFullResponse: true,
			ignoreHttpStatusErrors: ignoreStatus ? { ignore: true, except: [401] } : false,
			timeout: this.timeoutMs,
			headers,
		};
		if (req.qs && Object.keys(req.qs).length) options.qs = { ...req.qs };
		if (req.text !== undefined) {
			options.body = req.text;
			options.json = false;
			headers['Content-Type'] ??= 'text/csv';
		} else if (req.body !== undefined) {
			options.body = req.body as IDataObject;
			options.json = true;
			headers['Content-Type'] ??= 'application/json';
		} else {
			options.json = true;
		}
		if (req.responseType === 'text') {
			options.encoding = 'text';
			options.json = false;
			headers.Accept ??= 'text/csv, application/json;q=0.9, */*;q=0.5';
		} else {
			headers.Accept ??= 'application/json';
		}
		return options;
	}

	private async attempt(req: RawRequest, ignoreStatus: boolean): Promise<AttemptOutcome> {
		this.stats.calls++;
		try {
			const raw = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.credentialType,
				this.buildOptions(req, ignoreStatus),
			)) as { statusCode?: number; body?: unknown; headers?: unknown } | undefined;
			const headers = normalizeHeaders(raw?.headers);
			const status = typeof raw?.statusCode === 'number' ? raw.statusCode : 200;
			return { kind: 'response', status, body: decodeBody(raw?.body, req.responseType), headers };
		} catch (error) {
			const seen = inspectThrown(error);
			return {
				kind: 'failure',
				status: seen.status,
				body: decodeBody(seen.body, 'json'),
				headers: seen.headers,
				networkCode: seen.networkCode,
				message: seen.message,
			};
		}
	}

	/** One request, with the 401 fallback and the retry loop. */
	private async send<T>(req: RawRequest): Promise<SalesforceResponse<T>> {
		const path = pathOf(req.url);
		let refreshedHere = false;
		for (let attemptNo = 1; ; attemptNo++) {
			let outcome = await this.attempt(req, true);

			// Old n8n: a 401 was handed back instead of triggering the refresh. Refresh once.
			if (outcome.kind === 'response' && outcome.status === 401 && !refreshedHere) {
				refreshedHere = true;
				outcome = await this.refreshAndReplay(req);
			}

			const headers = outcome.headers ?? {};
			const usage = parseApiUsage(headers['sforce-limit-info']);
			if (usage) this.lastUsage = usage;

			if (outcome.kind === 'response' && outcome.status < 300) {
				if (this.listeners.length)
					this.notify({ method: req.method, path, status: outcome.status, body: outcome.body });
				return { status: outcome.status, body: outcome.body as T, headers };
			}

			const status = outcome.status;
			const errors: SalesforceError[] =
				status === undefined && outcome.kind === 'failure'
					? [
							{
								errorCode: outcome.networkCode ?? ERROR_CODES.NETWORK_ERROR,
								message: outcome.message || 'The request to Salesforce failed',
								fields: [],
							},
						]
					: parseSalesforceErrors(outcome.body, status ?? 0);
			const networkCode = outcome.kind === 'failure' ? outcome.networkCode : undefined;
			const decision = decideRetry(
				{
					attempt: attemptNo,
					retryClass: req.retry,
					status,
					errorCode: status === undefined ? undefined : errors[0]?.errorCode,
					networkCode,
					message: errors[0]?.message ?? (outcome.kind === 'failure' ? outcome.message : ''),
					retryAfterMs: parseRetryAfter(headers['retry-after']),
				},
				this.options.retry,
			);
			if (!decision.retry) {
				if (this.listeners.length)
					this.notify({ method: req.method, path, status: status ?? 0, errors });
				throw new SalesforceRequestError({
					status: status ?? 0,
					errors,
					requestPath: path,
					method: req.method,
					networkCode,
					attempts: attemptNo,
					detail: decision.failure === 'permanent' ? undefined : decision.reason,
				});
			}
			this.stats.retries++;
			if (isPushback(status, errors[0]?.errorCode)) req.onPushback?.();
			this.options.onRetry?.({
				attempt: attemptNo,
				delayMs: decision.delayMs,
				method: req.method,
				path,
				status,
				errorCode: errors[0]?.errorCode,
				networkCode,
				reason: decision.reason,
			});
			await this.sleep(decision.delayMs);
		}
	}

	private async refreshAndReplay(req: RawRequest): Promise<AttemptOutcome> {
		const helpers = this.ctx.helpers as { refreshOAuth2Token?: unknown };
		if (typeof helpers.refreshOAuth2Token === 'function') {
			try {
				await (
					helpers.refreshOAuth2Token as (this: unknown, type: string) => Promise<unknown>
				).call(this.ctx, this.credentialType);
			} catch (error) {
				const seen = inspectThrown(error);
				return {
					kind: 'failure',
					status: 401,
					body: seen.body ?? { error: 'refresh_failed', error_description: seen.message },
					message: seen.message,
				};
			}
			return await this.attempt(req, true);
		}
		// No refresh helper: replay without ignoring statuses so n8n's own 401 refresh runs.
		return await this.attempt(req, false);
	}
}

function decodeBody(body: unknown, responseType: 'json' | 'text' | undefined): unknown {
	if (body === '' || body === undefined || body === null) return undefined;
	if (
		typeof body === 'object' &&
		typeof (body as Buffer).byteLength === 'number' &&
		Buffer.isBuffer(body)
	) {
		body = body.toString('utf8');
	}
	if (typeof body === 'string' && responseType !== 'text') {
		const trimmed = body.trim();
		if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
			try {
				return JSON.parse(trimmed) as unknown;
			} catch {
				return body;
			}
		}
	}
	return body;
}

/** Create the transport for one execution (or one dropdown load). */
export function createSalesforceApi(
	ctx: SalesforceContext,
	options: SalesforceApiOptions = {},
): SalesforceTransport {
	return new SalesforceTransport(ctx, options);
}

/**
 * The Salesforce transport: every call to the org goes through here. It addresses the request
 * (API version, instance URL), runs the retry loop, reads API usage and tells observers. Each
 * try is one attempt in authenticatedAttempt.ts (n8n's signed request, the 401 / token refresh);
 * the policies live in instanceUrl.ts, retry.ts, errors.ts and thrown.ts.
 *
 * - Authentication: n8n signs each request with the package's OAuth2 credential and refreshes
 *   the token on a 401; on an older n8n the transport refreshes once per request itself
 *   (authenticatedAttempt.ts says how).
 * - Instance URL: the token's `instance_url`; see instanceUrl.ts for the fallback.
 * - Retries: retry.ts decides; waits use n8n-workflow's `sleep`.
 */
import { sleep as n8nSleep } from 'n8n-workflow';

import { SalesforceRequestError, parseSalesforceErrors } from './errors';
import { AuthenticatedAttempts } from './authenticatedAttempt';
import type { RawRequest, SalesforceContext } from './authenticatedAttempt';
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

/** The n8n implementation of `SalesforceApi`. Safe to use concurrently. */
export class SalesforceTransport implements SalesforceApi {
	readonly apiVersion: string;

	readonly stats: TransportStats = { calls: 0, retries: 0 };

	private lastUsage: ApiUsage | undefined;

	private instanceUrlPromise: Promise<string> | undefined;

	private readonly sleep: (ms: number) => Promise<void>;

	private readonly credentialType: string;

	private readonly attempts: AuthenticatedAttempts;

	private readonly listeners: Array<(event: ResponseEvent) => void> = [];

	constructor(
		private readonly ctx: SalesforceContext,
		private readonly options: SalesforceApiOptions = {},
	) {
		this.apiVersion = normalizeApiVersion(options.apiVersion);
		this.sleep = options.sleep ?? (async (ms: number) => await n8nSleep(ms));
		this.credentialType = options.credentialType ?? SALESFORCE_CREDENTIAL_TYPE;
		this.attempts = new AuthenticatedAttempts(
			ctx,
			this.credentialType,
			options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			this.stats,
		);
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

	/** One request, with the 401 fallback and the retry loop. */
	private async send<T>(req: RawRequest): Promise<SalesforceResponse<T>> {
		const path = pathOf(req.url);
		let refreshedHere = false;
		for (let attemptNo = 1; ; attemptNo++) {
			let outcome = await this.attempts.attempt(req, true);

			// Old n8n: a 401 was handed back instead of triggering the refresh. Refresh once.
			if (outcome.kind === 'response' && outcome.status === 401 && !refreshedHere) {
				refreshedHere = true;
				outcome = await this.attempts.refreshAndReplay(req);
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
}

/** Create the transport for one execution (or one dropdown load). */
export function createSalesforceApi(
	ctx: SalesforceContext,
	options: SalesforceApiOptions = {},
): SalesforceTransport {
	return new SalesforceTransport(ctx, options);
}

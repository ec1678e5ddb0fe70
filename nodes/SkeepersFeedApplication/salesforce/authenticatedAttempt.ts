/**
 * One attempt of a Salesforce request through n8n, and the 401 / token-refresh path. The
 * transport (transport.ts) addresses the request and runs the retry loop; each try is one
 * attempt here.
 *
 * - Authentication: `helpers.httpRequestWithAuthentication` with the package's OAuth2
 *   credential. n8n signs the request, and when the request *throws* with HTTP 401 it refreshes
 *   the token once, stores it, and replays the request (n8n-core `requestOAuth2`). To read
 *   Salesforce's error bodies and the `Sforce-Limit-Info` header ourselves we ask for the full
 *   response and ignore status errors — **except 401**, so n8n's refresh path still runs.
 *   On an older n8n that ignores every status (no `except` support) a 401 comes back as a
 *   response: the transport then calls `refreshAndReplay` once (`helpers.refreshOAuth2Token`
 *   when present, else a replay without status ignoring, which lets n8n refresh) and gives up
 *   on a second 401.
 * - Outcome: a response or a failure (thrown by n8n, read by thrown.ts), the body decoded.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { inspectThrown, normalizeHeaders } from './thrown';
import type { SalesforceRequest, TransportStats } from './types';

/** Contexts that can call Salesforce (node execution and dropdown loading). */
export type SalesforceContext = IExecuteFunctions | ILoadOptionsFunctions;

/** What one attempt got: Salesforce's answer, or the failure n8n threw (network, 401…). */
export type AttemptOutcome =
	| { kind: 'response'; status: number; body: unknown; headers: Record<string, string> }
	| {
			kind: 'failure';
			status?: number;
			body?: unknown;
			headers?: Record<string, string>;
			networkCode?: string;
			message: string;
	  };

/** A request as the transport sends it: the URL already absolute. */
export interface RawRequest {
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

/** Attempts for one transport: signed with its credential, counted in its stats. */
export class AuthenticatedAttempts {
	constructor(
		private readonly ctx: SalesforceContext,
		private readonly credentialType: string,
		private readonly timeoutMs: number,
		private readonly stats: TransportStats,
	) {}

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

	/** One signed call; `ignoreStatus` hands every status but 401 back as a response. */
	async attempt(req: RawRequest, ignoreStatus: boolean): Promise<AttemptOutcome> {
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

	/** Older n8n handed a 401 back: refresh the token and replay the request once. */
	async refreshAndReplay(req: RawRequest): Promise<AttemptOutcome> {
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

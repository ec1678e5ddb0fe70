/**
 * One attempt of a Salesforce request through n8n, and the 401 / token-refresh path. The
 * transport (transport.ts) addresses the request and runs the retry loop; each try is one
 * attempt here.
 *
 * - Signing: the credential's access token is read **once per transport** (one execution, or
 *   one dropdown load) and each call carries it (`Authorization: Bearer`) through
 *   `helpers.httpRequest`. n8n's `httpRequestWithAuthentication` reads the credential from its
 *   database, decrypts it and applies its defaults and overwrites for *every* call: about 12 ms
 *   of n8n's CPU each, so 25 calls sent together reached Salesforce over 0.49 s (0.18 s now).
 * - Token refresh: a call answered 401 is replayed through `httpRequestWithAuthentication` with
 *   the package's OAuth2 credential. n8n signs it with the stored token and, when it *throws*
 *   with HTTP 401, refreshes the token once, stores it, and replays the request (n8n-core
 *   `requestOAuth2`); the next call reads the credential again, so it carries the new token. To
 *   read Salesforce's error bodies and the `Sforce-Limit-Info` header ourselves we ask for the
 *   full response and ignore status errors — **except 401**, so n8n's refresh path still runs.
 *   On an older n8n that ignores every status (no `except` support) a 401 comes back as a
 *   response: the transport then calls `refreshAndReplay` once (`helpers.refreshOAuth2Token`
 *   when present, else a replay without status ignoring, which lets n8n refresh) and gives up
 *   on a second 401.
 * - No token in the credential (not connected yet, or a grant n8n fetches on first use), a
 *   credential n8n cannot read, or a context without `helpers.httpRequest`: n8n signs every call.
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
	/** The credential's access token, once read (see the file comment). */
	private token: Promise<string | undefined> | undefined;

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

	/** The credential's access token, read once; undefined: n8n signs the calls. */
	private accessToken(): Promise<string | undefined> {
		this.token ??= this.ctx.getCredentials(this.credentialType).then(
			(credential) => {
				const token = (credential as { oauthTokenData?: { access_token?: unknown } }).oauthTokenData
					?.access_token;
				return typeof token === 'string' && token !== '' ? token : undefined;
			},
			() => undefined,
		);
		return this.token;
	}

	/**
	 * One call; `ignoreStatus` hands every status but 401 back as a response. Signed with the
	 * token read once; a 401 on it is replayed signed by n8n (which refreshes the token).
	 */
	async attempt(req: RawRequest, ignoreStatus: boolean): Promise<AttemptOutcome> {
		const canSign =
			typeof (this.ctx.helpers as { httpRequest?: unknown }).httpRequest === 'function';
		const token = canSign ? this.accessToken() : undefined;
		const value = await token;
		if (value !== undefined) {
			const signed = await this.once(req, ignoreStatus, value);
			if (signed.status !== 401) return signed;
			// expired or revoked: n8n replays it and refreshes the token; the next calls read it again
			if (this.token === token) this.token = undefined;
		}
		return await this.once(req, ignoreStatus);
	}

	/** One call signed with `token`, or by n8n with the credential when there is none. */
	private async once(
		req: RawRequest,
		ignoreStatus: boolean,
		token?: string,
	): Promise<AttemptOutcome> {
		this.stats.calls++;
		try {
			const options = this.buildOptions(req, ignoreStatus);
			const raw = (
				token === undefined
					? await this.ctx.helpers.httpRequestWithAuthentication.call(
							this.ctx,
							this.credentialType,
							options,
						)
					: await this.ctx.helpers.httpRequest({
							...options,
							headers: { ...options.headers, Authorization: `Bearer ${token}` },
						})
			) as { statusCode?: number; body?: unknown; headers?: unknown } | undefined;
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

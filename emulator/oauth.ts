/**
 * OAuth 2.0 like Salesforce's: authorize (consent page, PKCE S256), token (authorization_code,
 * refresh_token with optional rotation, client_credentials), userinfo, identity URL, revoke.
 * Token endpoint errors are `{error, error_description}` objects, as Salesforce answers them.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { INTEGRATION_USER_ID, ORG_ID, USER_ID } from './ids';
import { json, type EmuReply, type EmuRequest } from './http-types';
import { userById } from './org/namedRecords';

export interface ClientConfig {
	clientId: string;
	/** Consumer secret; a client without one is public (PKCE only). */
	clientSecret?: string;
	/** Exact redirect URIs allowed. */
	redirectUris?: string[];
	/** Also allow any http(s) URI on localhost / 127.0.0.1 (any port, any path). */
	allowLocalhostRedirects?: boolean;
	requirePkce?: boolean;
	/** Refresh token rotation for this client (overrides the emulator-wide option). */
	rotateRefreshTokens?: boolean;
	/** Scopes the app may grant; a request without `scope` gets all of them. */
	scopes?: string[];
	/** Client credentials flow enabled (runs as the integration user). Default: true when a secret exists. */
	clientCredentials?: boolean;
}

export const DEMO_CLIENT: ClientConfig = {
	clientId: 'skeepers-demo-client',
	clientSecret: 'skeepers-demo-secret',
	allowLocalhostRedirects: true,
	redirectUris: [],
	requirePkce: false,
	scopes: ['full', 'api', 'refresh_token', 'offline_access', 'id', 'openid', 'web'],
	clientCredentials: true,
};

interface AccessToken {
	clientId: string;
	userId: string;
	scope: string;
	issuedAt: number;
	calls: number;
	refreshToken?: string;
}

interface RefreshToken {
	clientId: string;
	userId: string;
	scope: string;
}

interface AuthCode {
	clientId: string;
	redirectUri: string;
	scope: string;
	challenge?: string;
	expires: number;
}

export interface OAuthSnapshot {
	access: Record<string, AccessToken>;
	refresh: Record<string, RefreshToken>;
}

export interface TokenResponse {
	access_token: string;
	refresh_token?: string;
	signature: string;
	scope: string;
	instance_url: string;
	id: string;
	token_type: 'Bearer';
	issued_at: string;
}

const rand = (n: number): string => randomBytes(n).toString('base64url');
const tokenError = (status: number, error: string, description: string): EmuReply =>
	json(
		status,
		{ error, error_description: description },
		{ 'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private' },
	);

export interface OAuthOptions {
	clients: ClientConfig[];
	rotateRefreshTokens: boolean;
	tokenTtlCalls?: number;
	tokenTtlSeconds?: number;
	apiVersion: string;
}

export class OAuth {
	private access = new Map<string, AccessToken>();
	private refresh = new Map<string, RefreshToken>();
	private codes = new Map<string, AuthCode>();
	refreshes = 0;
	/** Every access and refresh token ever issued (kept after expiry or rotation), for secret scans. */
	readonly issuedLog: { access: string[]; refresh: string[] } = { access: [], refresh: [] };
	onChange: () => void = () => {};

	constructor(
		readonly opts: OAuthOptions,
		private baseUrl: () => string,
	) {}

	client(id: string | null | undefined): ClientConfig | undefined {
		return this.opts.clients.find((c) => c.clientId === id);
	}

	private redirectAllowed(c: ClientConfig, uri: string): boolean {
		if (c.redirectUris?.includes(uri)) return true;
		if (!c.allowLocalhostRedirects) return false;
		try {
			const u = new URL(uri);
			return (
				(u.protocol === 'http:' || u.protocol === 'https:') &&
				['localhost', '127.0.0.1', '[::1]'].includes(u.hostname)
			);
		} catch {
			return false;
		}
	}

	private grantScope(c: ClientConfig, requested: string | null): string | undefined {
		const allowed = c.scopes ?? DEMO_CLIENT.scopes!;
		if (!requested) return allowed.join(' ');
		const want = requested.split(/[\s+]+/).filter(Boolean);
		if (want.some((s) => !allowed.includes(s))) return undefined;
		return want.join(' ');
	}

	/** GET shows a consent page; GET with auto_approve=true or POST approve=Allow redirects with a code. */
	authorize(req: EmuRequest): EmuReply {
		const p = new URLSearchParams(req.query);
		if (req.method === 'POST') for (const [k, v] of new URLSearchParams(req.body)) p.set(k, v);
		const c = this.client(p.get('client_id'));
		const redirectUri = p.get('redirect_uri') ?? '';
		if (!c)
			return htmlError('error=invalid_client_id&error_description=client%20identifier%20invalid');
		if (!this.redirectAllowed(c, redirectUri))
			return htmlError(
				'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration',
			);
		const state = p.get('state');
		const back = (params: Record<string, string>): EmuReply => {
			const u = new URL(redirectUri);
			for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
			if (state !== null) u.searchParams.set('state', state);
			return { status: 302, headers: { location: u.toString() }, text: '' };
		};
		if (p.get('response_type') !== 'code')
			return back({
				error: 'unsupported_response_type',
				error_description: 'response type not supported',
			});
		const challenge = p.get('code_challenge') ?? undefined;
		const method = p.get('code_challenge_method') ?? 'S256';
		if (c.requirePkce && !challenge)
			return back({
				error: 'invalid_request',
				error_description: 'missing required code challenge',
			});
		if (challenge && method !== 'S256')
			return back({ error: 'invalid_request', error_description: 'invalid code challenge method' });
		const scope = this.grantScope(c, p.get('scope'));
		if (scope === undefined)
			return back({
				error: 'invalid_scope',
				error_description: 'the requested scope is not allowed',
			});
		const decision =
			p.get('auto_approve') === 'true'
				? 'Allow'
				: req.method === 'POST'
					? (p.get('approve') ?? p.get('decision'))
					: undefined;
		if (decision === undefined) return consentPage(req.path, p, c.clientId);
		if (decision !== 'Allow' && decision !== 'allow' && decision !== 'true')
			return back({ error: 'access_denied', error_description: 'end-user denied authorization' });
		const code = `aPrx${rand(40)}`;
		this.codes.set(code, {
			clientId: c.clientId,
			redirectUri,
			scope,
			challenge,
			expires: Date.now() + 15 * 60_000,
		});
		return back({ code });
	}

	token(req: EmuRequest): EmuReply {
		const p = new URLSearchParams(req.body);
		for (const [k, v] of req.query) if (!p.has(k)) p.set(k, v);
		const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
		if (basic) {
			const [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':');
			if (!p.has('client_id')) p.set('client_id', decodeURIComponent(id));
			if (!p.has('client_secret') && secret !== undefined)
				p.set('client_secret', decodeURIComponent(secret));
		}
		const grant = p.get('grant_type');
		const c = this.client(p.get('client_id'));
		if (!c) return tokenError(400, 'invalid_client_id', 'client identifier invalid');
		const secretOk = (): boolean => !!c.clientSecret && p.get('client_secret') === c.clientSecret;
		switch (grant) {
			case 'authorization_code': {
				const code = p.get('code') ?? '';
				const entry = this.codes.get(code);
				if (!entry || entry.clientId !== c.clientId || entry.expires < Date.now()) {
					this.codes.delete(code);
					return tokenError(400, 'invalid_grant', 'invalid authorization code');
				}
				if (p.get('redirect_uri') !== entry.redirectUri)
					return tokenError(400, 'invalid_grant', 'redirect_uri must match configuration');
				const verifier = p.get('code_verifier');
				if (entry.challenge) {
					if (!verifier) return tokenError(400, 'invalid_grant', 'invalid code verifier');
					const computed = createHash('sha256').update(verifier).digest('base64url');
					if (computed !== entry.challenge)
						return tokenError(400, 'invalid_grant', 'invalid code verifier');
				} else if (verifier) {
					return tokenError(400, 'invalid_grant', 'invalid code verifier');
				}
				if (c.clientSecret && !secretOk())
					return tokenError(400, 'invalid_client', 'invalid client credentials');
				this.codes.delete(code);
				return json(200, this.issue(c, USER_ID, entry.scope));
			}
			case 'refresh_token': {
				const rt = p.get('refresh_token') ?? '';
				const entry = this.refresh.get(rt);
				if (!entry || entry.clientId !== c.clientId)
					return tokenError(400, 'invalid_grant', 'expired access/refresh token');
				if (c.clientSecret && p.has('client_secret') && !secretOk())
					return tokenError(400, 'invalid_client', 'invalid client credentials');
				this.refreshes++;
				const rotate = c.rotateRefreshTokens ?? this.opts.rotateRefreshTokens;
				if (rotate) {
					this.revokeRefresh(rt, false);
					return json(200, this.issue(c, entry.userId, entry.scope));
				}
				return json(200, this.issue(c, entry.userId, entry.scope, rt));
			}
			case 'client_credentials': {
				if (!(c.clientCredentials ?? !!c.clientSecret))
					return tokenError(400, 'invalid_grant', 'no client credentials user enabled');
				if (!secretOk()) return tokenError(400, 'invalid_client', 'invalid client credentials');
				const scope = (this.grantScope(c, p.get('scope')) ?? '')
					.split(' ')
					.filter((s) => s !== 'refresh_token' && s !== 'offline_access')
					.join(' ');
				return json(200, this.issue(c, INTEGRATION_USER_ID, scope, undefined, false));
			}
			default:
				return tokenError(400, 'unsupported_grant_type', 'grant type not supported');
		}
	}

	/** Mints a token response (also used in-process by tests). */
	issue(
		c: ClientConfig,
		userId: string,
		scope: string,
		keepRefresh?: string,
		allowRefresh = true,
	): TokenResponse {
		const access = `${ORG_ID.slice(0, 15)}!AQ${rand(72)}`;
		const issuedAt = Date.now();
		const scopes = scope.split(' ');
		let refreshToken: string | undefined;
		if (keepRefresh) refreshToken = keepRefresh;
		else if (
			allowRefresh &&
			(scopes.includes('refresh_token') || scopes.includes('offline_access'))
		) {
			refreshToken = `5Aep861${rand(60)}`;
			this.refresh.set(refreshToken, { clientId: c.clientId, userId, scope });
			this.issuedLog.refresh.push(refreshToken);
		}
		this.issuedLog.access.push(access);
		this.access.set(access, {
			clientId: c.clientId,
			userId,
			scope,
			issuedAt,
			calls: 0,
			refreshToken,
		});
		this.onChange();
		const id = `${this.baseUrl()}/id/${ORG_ID}/${userId}`;
		const signature = createHmac('sha256', c.clientSecret ?? c.clientId)
			.update(id + String(issuedAt))
			.digest('base64');
		const out: TokenResponse = {
			access_token: access,
			signature,
			scope,
			instance_url: this.baseUrl(),
			id,
			token_type: 'Bearer',
			issued_at: String(issuedAt),
		};
		if (refreshToken && !keepRefresh) out.refresh_token = refreshToken;
		return out;
	}

	/** Resolves a bearer token for an API call; counts the call against the token's TTL. */
	authenticate(req: EmuRequest, allowQueryToken = false): AccessToken | undefined {
		const m =
			/^(?:Bearer|OAuth)\s+(\S+)$/i.exec(String(req.headers.authorization ?? '')) ??
			(allowQueryToken && req.query.get('oauth_token')
				? ['', req.query.get('oauth_token')!]
				: null);
		if (!m) return undefined;
		const t = this.access.get(m[1]);
		if (!t) return undefined;
		t.calls++;
		const tooMany = this.opts.tokenTtlCalls !== undefined && t.calls > this.opts.tokenTtlCalls;
		const tooOld =
			this.opts.tokenTtlSeconds !== undefined &&
			Date.now() - t.issuedAt > this.opts.tokenTtlSeconds * 1000;
		if (tooMany || tooOld) {
			this.access.delete(m[1]);
			this.onChange();
			return undefined;
		}
		return t;
	}

	userinfo(req: EmuRequest, apiVersion: string): EmuReply {
		const t = this.authenticate(req);
		if (!t) return { status: 403, text: 'Bad_OAuth_Token', contentType: 'text/plain' };
		return json(200, this.describeUser(t.userId, apiVersion, 'userinfo'));
	}

	identity(req: EmuRequest, apiVersion: string, userId: string): EmuReply {
		const t = this.authenticate(req, true);
		if (!t) return { status: 403, text: 'Bad_OAuth_Token', contentType: 'text/plain' };
		if (userId !== t.userId) return { status: 403, text: 'Bad_Id', contentType: 'text/plain' };
		return json(200, this.describeUser(t.userId, apiVersion, 'identity'));
	}

	private describeUser(
		userId: string,
		v: string,
		shape: 'userinfo' | 'identity',
	): Record<string, unknown> {
		const row = userById(userId);
		const u = {
			username: String(row?.Username),
			name: String(row?.Name),
			given: String(row?.FirstName),
			family: String(row?.LastName),
			email: String(row?.Email),
		};
		const base = this.baseUrl();
		const urls = {
			enterprise: `${base}/services/Soap/c/${v}/${ORG_ID}`,
			partner: `${base}/services/Soap/u/${v}/${ORG_ID}`,
			rest: `${base}/services/data/v${v}/`,
			sobjects: `${base}/services/data/v${v}/sobjects/`,
			query: `${base}/services/data/v${v}/query/`,
			limits: `${base}/services/data/v${v}/limits/`,
			profile: `${base}/${userId}`,
		};
		const common = {
			user_id: userId,
			organization_id: ORG_ID,
			email: u.email,
			active: true,
			user_type: 'STANDARD',
			language: 'en_US',
			locale: 'en_US',
			utcOffset: 0,
			urls,
		};
		if (shape === 'userinfo')
			return {
				sub: `${base}/id/${ORG_ID}/${userId}`,
				preferred_username: u.username,
				nickname: u.username.split('@')[0],
				name: u.name,
				given_name: u.given,
				family_name: u.family,
				email_verified: true,
				zoneinfo: 'Europe/Paris',
				...common,
			};
		return {
			id: `${base}/id/${ORG_ID}/${userId}`,
			asserted_user: true,
			username: u.username,
			nick_name: u.username.split('@')[0],
			display_name: u.name,
			first_name: u.given,
			last_name: u.family,
			timezone: 'Europe/Paris',
			...common,
		};
	}

	revoke(req: EmuRequest): EmuReply {
		const p = new URLSearchParams(req.body);
		const token = p.get('token') ?? req.query.get('token') ?? '';
		if (this.refresh.has(token)) this.revokeRefresh(token, true);
		else if (this.access.has(token)) this.access.delete(token);
		else return tokenError(400, 'unsupported_token_type', 'this token type is not supported');
		this.onChange();
		return { status: 200, text: '' };
	}

	private revokeRefresh(rt: string, withAccess: boolean): void {
		this.refresh.delete(rt);
		if (withAccess)
			for (const [k, v] of this.access) if (v.refreshToken === rt) this.access.delete(k);
		this.onChange();
	}

	expireAll(): void {
		this.access.clear();
		this.onChange();
	}

	snapshot(): OAuthSnapshot {
		return { access: Object.fromEntries(this.access), refresh: Object.fromEntries(this.refresh) };
	}

	load(s: OAuthSnapshot): void {
		this.access = new Map(Object.entries(s.access ?? {}));
		this.refresh = new Map(Object.entries(s.refresh ?? {}));
	}
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function htmlError(message: string): EmuReply {
	return {
		status: 400,
		contentType: 'text/html;charset=UTF-8',
		text: `<!doctype html><title>OAuth Error</title><h1>OAuth Error</h1><p>${esc(message)}</p>`,
	};
}

function consentPage(path: string, p: URLSearchParams, clientId: string): EmuReply {
	const hidden = [...p]
		.map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
		.join('');
	const text = `<!doctype html><html><head><meta charset="utf-8"><title>Allow Access? | Salesforce emulator</title></head><body style="font-family:sans-serif;max-width:28em;margin:4em auto">
<h1>Allow Access?</h1><p><b>${esc(clientId)}</b> is asking to access your data (scope: ${esc(p.get('scope') ?? 'default')}) as <b>Demo Admin</b> in the Salesforce emulator.</p>
<form method="post" action="${esc(path)}">${hidden}<button type="submit" name="approve" value="Allow" id="oaapprove">Allow</button> <button type="submit" name="approve" value="Deny" id="oadeny">Deny</button></form></body></html>`;
	return { status: 200, contentType: 'text/html;charset=UTF-8', text };
}

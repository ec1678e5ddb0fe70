/**
 * Where the org's REST API lives (pure decision logic).
 *
 * Normally the token response's `instance_url` (kept in the credential's `oauthTokenData`).
 * A refresh that answered without it, an imported credential or an old n8n that replaced the
 * token data can leave it missing; then:
 * 1. the My Domain host of the credential (My Domain URLs serve the REST API), else
 * 2. `GET <login origin>/services/oauth2/userinfo`, whose `urls.custom_domain` / `urls.rest`
 *    name the instance.
 */
import { USERINFO_PATH, loginOrigin, normalizeOrigin } from '../../shared/salesforceUrls';

export interface InstanceUrlCredential {
	oauthTokenData?: unknown;
	environment?: string;
	myDomainHost?: string;
	accessTokenUrl?: string;
	customUrls?: boolean;
}

export type InstanceUrlPlan =
	| { kind: 'known'; url: string; source: 'token' | 'myDomain' | 'tokenUrl' }
	| { kind: 'userinfo'; userinfoUrl: string };

const LOGIN_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);

/** `https://x.my.salesforce.com/anything` → `https://x.my.salesforce.com`; invalid → undefined. */
export function originOf(url: unknown): string | undefined {
	if (typeof url !== 'string' || !/^https?:\/\/[^/\s]+/i.test(url.trim())) return undefined;
	return normalizeOrigin(url);
}

function isLoginHost(origin: string): boolean {
	return LOGIN_HOSTS.has(origin.replace(/^https?:\/\//i, '').toLowerCase());
}

export function planInstanceUrl(cred: InstanceUrlCredential): InstanceUrlPlan {
	const token = cred.oauthTokenData;
	if (token && typeof token === 'object') {
		const fromToken = originOf((token as Record<string, unknown>).instance_url);
		if (fromToken) return { kind: 'known', url: fromToken, source: 'token' };
	}
	if (cred.environment === 'myDomain') {
		const myDomain = normalizeOrigin(cred.myDomainHost);
		if (myDomain) return { kind: 'known', url: myDomain, source: 'myDomain' };
	}
	// A custom token URL on an org host (My Domain, or a local emulator) also serves the API.
	const tokenOrigin = originOf(cred.accessTokenUrl);
	if (cred.customUrls && tokenOrigin && !isLoginHost(tokenOrigin)) {
		return { kind: 'known', url: tokenOrigin, source: 'tokenUrl' };
	}
	const login = tokenOrigin ?? loginOrigin(cred.environment, cred.myDomainHost);
	return { kind: 'userinfo', userinfoUrl: login + USERINFO_PATH };
}

/** The instance origin named by a userinfo answer, or undefined. */
export function instanceUrlFromUserinfo(body: unknown): string | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const urls = (body as Record<string, unknown>).urls;
	if (!urls || typeof urls !== 'object') return undefined;
	const u = urls as Record<string, unknown>;
	return (
		originOf(u.custom_domain) ??
		originOf(typeof u.rest === 'string' ? u.rest.replace('{version}', '0.0') : undefined) ??
		originOf(u.sobjects) ??
		originOf(u.profile)
	);
}

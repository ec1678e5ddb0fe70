/**
 * Salesforce OAuth URLs from the credential's environment, and the default REST API version
 * (pure). Shared by the credential (credentials/) and the Feed Application's transport, so the
 * credential never imports from a node's folder.
 *
 * The credential form cannot run TypeScript: n8n evaluates the hidden `authUrl`,
 * `accessTokenUrl` and `scope` fields as expressions over the form (`$self`). The expression
 * strings are therefore built here, next to the TypeScript functions that define the same
 * derivation, and the unit tests evaluate both and require them to agree for every
 * environment and grant.
 */

/** The REST API version used unless the node's "API Version" option overrides it. */
export const DEFAULT_API_VERSION = '66.0';

type SalesforceEnvironment = 'production' | 'sandbox' | 'myDomain';
type SalesforceGrantType = 'pkce' | 'authorizationCode' | 'clientCredentials';

const PRODUCTION_LOGIN_ORIGIN = 'https://login.salesforce.com';
const SANDBOX_LOGIN_ORIGIN = 'https://test.salesforce.com';
const CONSENT_PAGE_PATH = '/services/oauth2/authorize';
const GRANT_ENDPOINT_PATH = '/services/oauth2/token';
export const USERINFO_PATH = '/services/oauth2/userinfo';

/** The seed's scopes: `full` + `refresh_token offline_access`. */
export const DEFAULT_USER_SCOPE = 'full refresh_token offline_access';
/** Client credentials: no refresh token exists; the app's integration user gets `api`. */
export const CLIENT_CREDENTIALS_SCOPE = 'api';

export interface CredentialUrlInput {
	environment?: SalesforceEnvironment | string;
	myDomainHost?: string;
	grantType?: SalesforceGrantType | string;
	/** "Custom OAuth URLs" toggle (seed step 9: URLs are overridable). */
	customUrls?: boolean;
	customAuthUrl?: string;
	customAccessTokenUrl?: string;
	/** The user's scope field (authorization code grants). */
	oauthScope?: string;
}

export interface DerivedOAuthUrls {
	authUrl: string;
	accessTokenUrl: string;
	scope: string;
}

/**
 * `acme.my.salesforce.com`, `https://acme.my.salesforce.com/`, `acme.my.salesforce.com/home`
 * → `https://acme.my.salesforce.com`. An explicit `http://` is kept (local emulator); any other
 * input gets `https://`. Empty input → ''.
 */
export function normalizeOrigin(input: string | undefined): string {
	const raw = String(input ?? '').trim();
	if (!raw) return '';
	const scheme = /^http:\/\//i.test(raw) ? 'http://' : 'https://';
	const host = raw.replace(/^https?:\/\//i, '').split('/')[0];
	return host ? scheme + host : '';
}

/** Where the user logs in and tokens are issued for an environment. */
export function loginOrigin(environment: string | undefined, myDomainHost?: string): string {
	if (environment === 'sandbox') return SANDBOX_LOGIN_ORIGIN;
	if (environment === 'myDomain') return normalizeOrigin(myDomainHost);
	return PRODUCTION_LOGIN_ORIGIN;
}

function scopeFor(grantType: string | undefined, oauthScope: string | undefined): string {
	if (grantType === 'clientCredentials') return CLIENT_CREDENTIALS_SCOPE;
	const scope = String(oauthScope ?? '').trim();
	return scope || DEFAULT_USER_SCOPE;
}

export function deriveOAuthUrls(input: CredentialUrlInput): DerivedOAuthUrls {
	const origin = loginOrigin(input.environment, input.myDomainHost);
	return {
		authUrl: input.customUrls
			? String(input.customAuthUrl ?? '').trim()
			: origin + CONSENT_PAGE_PATH,
		accessTokenUrl: input.customUrls
			? String(input.customAccessTokenUrl ?? '').trim()
			: origin + GRANT_ENDPOINT_PATH,
		scope: scopeFor(input.grantType, input.oauthScope),
	};
}

/** Problems worth telling the user before they click Connect. */
export function credentialWarnings(input: CredentialUrlInput): string[] {
	const warnings: string[] = [];
	const urls = deriveOAuthUrls(input);
	if (input.environment === 'myDomain' && !normalizeOrigin(input.myDomainHost)) {
		warnings.push('My Domain is selected but the My Domain host is empty.');
	}
	if (input.grantType === 'clientCredentials') {
		const host = urls.accessTokenUrl
			.replace(/^https?:\/\//i, '')
			.split('/')[0]
			.toLowerCase();
		if (host === 'login.salesforce.com' || host === 'test.salesforce.com') {
			warnings.push(
				'The client credentials flow must use the My Domain token URL (https://<name>.my.salesforce.com/services/oauth2/token), not login/test.salesforce.com.',
			);
		}
	}
	for (const [name, url] of [
		['Authorization URL', urls.authUrl],
		['Token URL', urls.accessTokenUrl],
	] as const) {
		if (name === 'Authorization URL' && input.grantType === 'clientCredentials') continue;
		if (!/^https?:\/\/[^/]+/i.test(url)) warnings.push(`${name} is not a URL: "${url}".`);
	}
	return warnings;
}

// ---------------------------------------------------------------------------------------------
// n8n expressions for the credential form. `$self` is the credential's own data.
// Kept to plain JS (ternaries, String, regex test/replace, split) that n8n's expression engine
// evaluates on every version.

const HOST_RAW = "String($self.myDomainHost || '').trim()";
const HOST_NAME = HOST_RAW + ".replace(/^https?:\\/\\//i, '').split('/')[0]";
const ORIGIN_EXPR =
	"($self.environment === 'sandbox' ? '" +
	SANDBOX_LOGIN_ORIGIN +
	"' : $self.environment === 'myDomain' ? (" +
	HOST_NAME +
	' ? (/^http:\\/\\//i.test(' +
	HOST_RAW +
	") ? 'http://' : 'https://') + " +
	HOST_NAME +
	" : '') : '" +
	PRODUCTION_LOGIN_ORIGIN +
	"')";

/** Body (without `={{ }}`) of the authorization URL expression. */
const AUTH_URL_EXPRESSION_BODY =
	"$self.customUrls ? String($self.customAuthUrl || '').trim() : " +
	ORIGIN_EXPR +
	" + '" +
	CONSENT_PAGE_PATH +
	"'";

const ACCESS_TOKEN_URL_EXPRESSION_BODY =
	"$self.customUrls ? String($self.customAccessTokenUrl || '').trim() : " +
	ORIGIN_EXPR +
	" + '" +
	GRANT_ENDPOINT_PATH +
	"'";

const SCOPE_EXPRESSION_BODY =
	"$self.grantType === 'clientCredentials' ? '" +
	CLIENT_CREDENTIALS_SCOPE +
	"' : (String($self.oauthScope || '').trim() || '" +
	DEFAULT_USER_SCOPE +
	"')";

export const AUTH_URL_EXPRESSION = `={{ ${AUTH_URL_EXPRESSION_BODY} }}`;
export const ACCESS_TOKEN_URL_EXPRESSION = `={{ ${ACCESS_TOKEN_URL_EXPRESSION_BODY} }}`;
export const SCOPE_EXPRESSION = `={{ ${SCOPE_EXPRESSION_BODY} }}`;

/**
 * Base URL of the credential test request (`$credentials` = resolved credential data): the
 * token's `instance_url` when the account is connected, else the origin of the token URL (for
 * client credentials this is the My Domain host, which serves the REST API).
 */
const TEST_BASE_URL_EXPRESSION_BODY =
	"($credentials.oauthTokenData && $credentials.oauthTokenData.instance_url) || String($credentials.accessTokenUrl || '').replace(/\\/services\\/oauth2\\/token.*$/, '')";
export const TEST_BASE_URL_EXPRESSION = `={{ ${TEST_BASE_URL_EXPRESSION_BODY} }}`;

// ---------------------------------------------------------------------------------------------
// What the credential test says when Salesforce refuses (one line per thing to check).

const CONNECTION_CHECKLIST = [
	"the app's Callback URL is exactly n8n's OAuth Redirect URL shown in this credential",
	'a new Connected App / External Client App needs about 10 minutes before Salesforce accepts it',
	'the OAuth scopes include "Full access (full)" and "Perform requests at any time (refresh_token, offline_access)"',
	'OAuth Policies → IP Relaxation is "Relax IP restrictions" (or n8n\'s IP is allowed)',
	'"Require PKCE" in the app matches the Grant Type chosen here (Authorization Code with PKCE)',
	'the Environment (Production / Sandbox / My Domain host) is the org you log in to',
] as const;

function connectionFailureMessage(status: number, headline: string): string {
	return `${headline} (HTTP ${status}). Check: ${CONNECTION_CHECKLIST.map(
		(line, i) => `(${i + 1}) ${line}`,
	).join('; ')}. Then reconnect the credential.`;
}

export const CREDENTIAL_TEST_MESSAGES = {
	400: connectionFailureMessage(400, 'Salesforce rejected the request or the token'),
	401: connectionFailureMessage(401, 'Salesforce did not accept the access token'),
	403: connectionFailureMessage(
		403,
		'Salesforce refused access: the user needs the "API Enabled" permission and the app must allow this user (Permitted Users / IP restrictions)',
	),
	404: connectionFailureMessage(
		404,
		'The org URL or API version was not found: check the Environment and My Domain host',
	),
} as const;

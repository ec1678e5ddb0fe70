import {
	ACCESS_TOKEN_URL_EXPRESSION,
	AUTH_URL_EXPRESSION,
	CLIENT_CREDENTIALS_SCOPE,
	DEFAULT_USER_SCOPE,
	SCOPE_EXPRESSION,
	TEST_BASE_URL_EXPRESSION,
	credentialWarnings,
	deriveOAuthUrls,
	loginOrigin,
	normalizeOrigin,
} from '../../../nodes/shared/salesforceUrls';
import type { CredentialUrlInput } from '../../../nodes/shared/salesforceUrls';

/** Evaluate an n8n `={{ ... }}` expression body as plain JS with `$self` / `$credentials`. */
function evaluate(expression: string, scope: Record<string, unknown>): unknown {
	const match = /^=\{\{([\s\S]*)\}\}$/.exec(expression);
	if (!match) throw new Error(`not an expression: ${expression}`);
	const fn = new Function('$self', '$credentials', `return (${match[1]});`) as (
		s: unknown,
		c: unknown,
	) => unknown;
	return fn(scope.$self, scope.$credentials);
}

describe('normalizeOrigin', () => {
	it.each([
		['acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
		['https://acme.my.salesforce.com/', 'https://acme.my.salesforce.com'],
		['  HTTPS://acme.my.salesforce.com/lightning/page/home ', 'https://acme.my.salesforce.com'],
		['acme--uat.sandbox.my.salesforce.com', 'https://acme--uat.sandbox.my.salesforce.com'],
		['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
		['', ''],
		[undefined, ''],
	])('%p → %p', (input, expected) => {
		expect(normalizeOrigin(input)).toBe(expected);
	});
});

describe('deriveOAuthUrls per environment', () => {
	it('production uses login.salesforce.com', () => {
		expect(deriveOAuthUrls({ environment: 'production' })).toEqual({
			authUrl: 'https://login.salesforce.com/services/oauth2/authorize',
			accessTokenUrl: 'https://login.salesforce.com/services/oauth2/token',
			scope: DEFAULT_USER_SCOPE,
		});
	});
	it('sandbox uses test.salesforce.com', () => {
		const urls = deriveOAuthUrls({ environment: 'sandbox', grantType: 'pkce' });
		expect(urls.authUrl).toBe('https://test.salesforce.com/services/oauth2/authorize');
		expect(urls.accessTokenUrl).toBe('https://test.salesforce.com/services/oauth2/token');
	});
	it('My Domain uses the normalized host', () => {
		const urls = deriveOAuthUrls({
			environment: 'myDomain',
			myDomainHost: 'https://acme.my.salesforce.com/',
		});
		expect(urls.authUrl).toBe('https://acme.my.salesforce.com/services/oauth2/authorize');
		expect(urls.accessTokenUrl).toBe('https://acme.my.salesforce.com/services/oauth2/token');
	});
	it('custom URLs override the environment (seed step 9)', () => {
		const urls = deriveOAuthUrls({
			environment: 'production',
			customUrls: true,
			customAuthUrl: ' https://sso.acme.com/services/oauth2/authorize ',
			customAccessTokenUrl: 'https://sso.acme.com/services/oauth2/token',
		});
		expect(urls.authUrl).toBe('https://sso.acme.com/services/oauth2/authorize');
		expect(urls.accessTokenUrl).toBe('https://sso.acme.com/services/oauth2/token');
	});
	it('an unknown environment falls back to production', () => {
		expect(loginOrigin('weird')).toBe('https://login.salesforce.com');
	});
});

describe('scope per grant', () => {
	it('authorization code grants default to the seed scopes', () => {
		expect(deriveOAuthUrls({ grantType: 'pkce' }).scope).toBe('full refresh_token offline_access');
		expect(deriveOAuthUrls({ grantType: 'authorizationCode', oauthScope: '  ' }).scope).toBe(
			'full refresh_token offline_access',
		);
	});
	it('a user scope is kept', () => {
		expect(deriveOAuthUrls({ grantType: 'pkce', oauthScope: 'api refresh_token' }).scope).toBe(
			'api refresh_token',
		);
	});
	it('client credentials ask for api only (no refresh token exists)', () => {
		expect(
			deriveOAuthUrls({ grantType: 'clientCredentials', oauthScope: 'full refresh_token' }).scope,
		).toBe(CLIENT_CREDENTIALS_SCOPE);
	});
});

describe('credential expressions agree with deriveOAuthUrls', () => {
	const environments = ['production', 'sandbox', 'myDomain'];
	const grants = ['pkce', 'authorizationCode', 'clientCredentials'];
	const hosts = [
		'acme.my.salesforce.com',
		'https://acme--uat.sandbox.my.salesforce.com/home',
		'http://127.0.0.1:4010',
		'',
	];
	const cases: CredentialUrlInput[] = [];
	for (const environment of environments)
		for (const grantType of grants)
			for (const myDomainHost of hosts)
				for (const oauthScope of ['', 'api refresh_token'])
					cases.push({ environment, grantType, myDomainHost, oauthScope });
	cases.push({
		environment: 'myDomain',
		grantType: 'clientCredentials',
		myDomainHost: 'acme.my.salesforce.com',
		customUrls: true,
		customAuthUrl: 'https://a.example/services/oauth2/authorize',
		customAccessTokenUrl: 'https://a.example/services/oauth2/token',
	});

	it.each(cases)('%j', (self) => {
		const expected = deriveOAuthUrls(self);
		expect(evaluate(AUTH_URL_EXPRESSION, { $self: self })).toBe(expected.authUrl);
		expect(evaluate(ACCESS_TOKEN_URL_EXPRESSION, { $self: self })).toBe(expected.accessTokenUrl);
		expect(evaluate(SCOPE_EXPRESSION, { $self: self })).toBe(expected.scope);
	});
});

describe('credential test base URL expression', () => {
	it('uses the token instance_url when connected', () => {
		expect(
			evaluate(TEST_BASE_URL_EXPRESSION, {
				$credentials: {
					oauthTokenData: { instance_url: 'https://acme.my.salesforce.com' },
					accessTokenUrl: 'https://login.salesforce.com/services/oauth2/token',
				},
			}),
		).toBe('https://acme.my.salesforce.com');
	});
	it('falls back to the token URL host (client credentials before the first token)', () => {
		expect(
			evaluate(TEST_BASE_URL_EXPRESSION, {
				$credentials: { accessTokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token' },
			}),
		).toBe('https://acme.my.salesforce.com');
	});
});

describe('credentialWarnings', () => {
	it('client credentials on login.salesforce.com is flagged', () => {
		expect(
			credentialWarnings({ environment: 'production', grantType: 'clientCredentials' }),
		).toEqual([expect.stringContaining('My Domain token URL')]);
	});
	it('client credentials on My Domain is fine', () => {
		expect(
			credentialWarnings({
				environment: 'myDomain',
				myDomainHost: 'acme.my.salesforce.com',
				grantType: 'clientCredentials',
			}),
		).toEqual([]);
	});
	it('My Domain without host is flagged', () => {
		expect(credentialWarnings({ environment: 'myDomain', grantType: 'pkce' }).join(' ')).toMatch(
			/host is empty/,
		);
	});
	it('a custom URL that is not a URL is flagged', () => {
		expect(
			credentialWarnings({
				customUrls: true,
				customAuthUrl: 'nope',
				customAccessTokenUrl: 'https://x/services/oauth2/token',
			}),
		).toEqual([expect.stringContaining('Authorization URL is not a URL')]);
	});
});

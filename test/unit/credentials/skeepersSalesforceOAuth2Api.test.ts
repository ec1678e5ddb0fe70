/**
 * The credential as n8n sees it: its hidden fields are evaluated by n8n-workflow's real
 * expression engine (as CredentialsHelper does, with `$self` = the credential data), and its
 * test request by the same engine with `$credentials` (as RoutingNode does).
 */
import { Workflow } from 'n8n-workflow';
import type {
	INode,
	INodeProperties,
	INodeTypes,
	IAuthenticateRuleResponseCode,
} from 'n8n-workflow';

import { SkeepersSalesforceOAuth2Api } from '../../../credentials/SkeepersSalesforceOAuth2Api.credentials';
import { DEFAULT_API_VERSION, deriveOAuthUrls } from '../../../nodes/shared/salesforceUrls';

const credential = new SkeepersSalesforceOAuth2Api();
const prop = (name: string): INodeProperties => {
	const found = credential.properties.find((p) => p.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
};

const nodeTypes = {
	getByName: () => undefined,
	getByNameAndVersion: () => undefined,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const node: INode = {
	id: 't',
	name: 'Temp',
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

/** Defaults of every property, overlaid with `data`, then expressions resolved like n8n does. */
function resolve(data: Record<string, unknown>): Record<string, unknown> {
	const withDefaults: Record<string, unknown> = {};
	for (const p of credential.properties) withDefaults[p.name] = p.default;
	Object.assign(withDefaults, data);
	const self = { ...withDefaults };
	return workflow.expression.getComplexParameterValue(
		node,
		withDefaults as never,
		'internal',
		{},
		undefined,
		undefined,
		self,
	) as Record<string, unknown>;
}

describe('SkeepersSalesforceOAuth2Api shape', () => {
	it('is an oAuth2Api child with OAuth2 in its names', () => {
		expect(credential.name).toBe('skeepersSalesforceOAuth2Api');
		expect(credential.extends).toEqual(['oAuth2Api']);
		expect(credential.displayName).toMatch(/OAuth2/);
		expect(SkeepersSalesforceOAuth2Api.name).toMatch(/OAuth2/);
	});
	it('offers the three grants with n8n grantType values, PKCE first by default', () => {
		const grant = prop('grantType');
		expect(grant.default).toBe('pkce');
		expect((grant.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'pkce',
			'authorizationCode',
			'clientCredentials',
		]);
	});
	it('names the Salesforce labels on consumer key and secret, secret is a password', () => {
		expect(prop('clientId').displayName).toBe('Consumer Key');
		expect(prop('clientId').description).toMatch(/Consumer Key.*Clé consommateur/);
		expect(prop('clientSecret').description).toMatch(/Consumer Secret.*Secret consommateur/);
		expect(prop('clientSecret').typeOptions?.password).toBe(true);
	});
	it('shows the My Domain host only for My Domain', () => {
		expect(prop('myDomainHost').displayOptions?.show?.environment).toEqual(['myDomain']);
	});
	it('sends client id/secret in the token request body', () => {
		expect(prop('authentication').default).toBe('body');
	});
});

describe('hidden fields resolved by n8n expressions', () => {
	it.each([
		[{ environment: 'production' }, 'https://login.salesforce.com'],
		[{ environment: 'sandbox' }, 'https://test.salesforce.com'],
		[
			{ environment: 'myDomain', myDomainHost: 'acme.my.salesforce.com' },
			'https://acme.my.salesforce.com',
		],
		[
			{ environment: 'myDomain', myDomainHost: 'https://acme--uat.sandbox.my.salesforce.com/' },
			'https://acme--uat.sandbox.my.salesforce.com',
		],
	])('%j → %s', (data, origin) => {
		const resolved = resolve(data);
		expect(resolved.authUrl).toBe(`${origin}/services/oauth2/authorize`);
		expect(resolved.accessTokenUrl).toBe(`${origin}/services/oauth2/token`);
		expect(resolved.scope).toBe('full refresh_token offline_access');
		expect(resolved.grantType).toBe('pkce');
	});

	it('client credentials resolve to scope api on the My Domain token URL', () => {
		const resolved = resolve({
			environment: 'myDomain',
			myDomainHost: 'acme.my.salesforce.com',
			grantType: 'clientCredentials',
		});
		expect(resolved.scope).toBe('api');
		expect(resolved.accessTokenUrl).toBe('https://acme.my.salesforce.com/services/oauth2/token');
	});

	it('custom URLs override the environment', () => {
		const data = {
			environment: 'sandbox',
			customUrls: true,
			customAuthUrl: 'https://sso.acme.com/services/oauth2/authorize',
			customAccessTokenUrl: 'https://sso.acme.com/services/oauth2/token',
		};
		const resolved = resolve(data);
		expect(resolved.authUrl).toBe(deriveOAuthUrls(data).authUrl);
		expect(resolved.accessTokenUrl).toBe('https://sso.acme.com/services/oauth2/token');
	});

	it('a user scope is used for authorization code grants', () => {
		expect(resolve({ grantType: 'authorizationCode', oauthScope: 'api refresh_token' }).scope).toBe(
			'api refresh_token',
		);
	});
});

describe('credential test request', () => {
	const test = credential.test;
	const resolveBase = (credentials: Record<string, unknown>) =>
		workflow.expression.getParameterValue(
			test.request.baseURL as string,
			null,
			0,
			0,
			node.name,
			[],
			'internal',
			{ $credentials: credentials },
		);

	it('calls the REST API root of the org with the default version', () => {
		expect(test.request.url).toBe(`/services/data/v${DEFAULT_API_VERSION}/`);
		expect(test.request.method).toBe('GET');
	});
	it('targets the token instance_url once connected', () => {
		expect(
			resolveBase({
				oauthTokenData: { instance_url: 'https://acme.my.salesforce.com', access_token: 'x' },
				accessTokenUrl: 'https://login.salesforce.com/services/oauth2/token',
			}),
		).toBe('https://acme.my.salesforce.com');
	});
	it('targets the My Domain token host before the first client-credentials token', () => {
		expect(
			resolveBase({ accessTokenUrl: 'https://acme.my.salesforce.com/services/oauth2/token' }),
		).toBe('https://acme.my.salesforce.com');
	});
	it('explains what to check on 400/401/403/404', () => {
		const rules = (test.rules ?? []) as IAuthenticateRuleResponseCode[];
		expect(rules.map((r) => r.properties.value).sort()).toEqual([400, 401, 403, 404]);
		const on401 = rules.find((r) => r.properties.value === 401)!.properties.message;
		expect(on401).toMatch(/Callback URL/);
		expect(on401).toMatch(/10 minutes/);
		expect(on401).toMatch(/full/);
		expect(on401).toMatch(/refresh_token, offline_access/);
		expect(on401).toMatch(/Relax IP restrictions/);
		expect(on401).toMatch(/PKCE/);
		expect(rules.find((r) => r.properties.value === 403)!.properties.message).toMatch(
			/API Enabled/,
		);
	});
});

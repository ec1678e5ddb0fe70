import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import {
	ACCESS_TOKEN_URL_EXPRESSION,
	AUTH_URL_EXPRESSION,
	CREDENTIAL_TEST_MESSAGES,
	DEFAULT_API_VERSION,
	DEFAULT_USER_SCOPE,
	SCOPE_EXPRESSION,
	TEST_BASE_URL_EXPRESSION,
} from '../nodes/shared/salesforceUrls';

/**
 * OAuth2 connection to a Salesforce org, made from a Connected App or an External Client App
 * (the seed's "managed authentication": callback URL, consumer key, consumer secret,
 * authorization URL, token URL, scopes).
 *
 * The URLs and the scope are hidden fields computed by n8n from the visible ones (expressions
 * built in nodes/shared/salesforceUrls.ts, unit-tested there). The test calls the REST API root
 * of the org with the stored token (n8n refreshes it on 401), and its failure messages list what
 * to check on the Salesforce side.
 */
export class SkeepersSalesforceOAuth2Api implements ICredentialType {
	name = 'skeepersSalesforceOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Skeepers Salesforce OAuth2 API';

	icon: Icon = {
		light: 'file:skeepersSalesforce.svg',
		dark: 'file:skeepersSalesforce.dark.svg',
	};

	documentationUrl =
		'https://github.com/skeepers-n8n/n8n-nodes-skeepers/blob/main/docs/salesforce-setup.md#salesforce-setup';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: 'Log in at login.salesforce.com',
				},
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: 'Log in at test.salesforce.com',
				},
				{
					name: 'My Domain',
					value: 'myDomain',
					description: "Log in at the org's own host, e.g. acme.my.salesforce.com",
				},
			],
			default: 'production',
		},
		{
			displayName: 'My Domain Host',
			name: 'myDomainHost',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acme.my.salesforce.com',
			description:
				'Setup → My Domain → Current My Domain URL (Paramétrage → Mon domaine). A sandbox looks like acme--uat.sandbox.my.salesforce.com.',
			displayOptions: { show: { environment: ['myDomain'] } },
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{
					name: 'Authorization Code with PKCE',
					value: 'pkce',
					description:
						'A user logs in once; recommended, and required when the app has "Require PKCE"',
				},
				{
					name: 'Authorization Code',
					value: 'authorizationCode',
					description: 'A user logs in once; for apps without PKCE',
				},
				{
					name: 'Client Credentials',
					value: 'clientCredentials',
					description: "No login: runs as the app's integration (Run As) user; needs My Domain",
				},
			],
			default: 'pkce',
		},
		{
			displayName:
				'Client credentials must use the My Domain token URL: choose My Domain above (or set a custom token URL on your My Domain host), and set a "Run As" user in the app\'s Client Credentials Flow settings.',
			name: 'clientCredentialsNotice',
			type: 'notice',
			default: '',
			displayOptions: {
				show: { grantType: ['clientCredentials'], environment: ['production', 'sandbox'] },
			},
		},
		{
			displayName: 'Consumer Key',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Salesforce "Consumer Key" (Clé consommateur): the client ID of the Connected App / External Client App',
		},
		{
			displayName: 'Consumer Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Salesforce "Consumer Secret" (Secret consommateur): the client secret of the Connected App / External Client App',
		},
		{
			displayName: 'Scope',
			name: 'oauthScope',
			type: 'string',
			default: DEFAULT_USER_SCOPE,
			description:
				'Space-separated OAuth scopes. "full" = Full access (Obtenir un accès complet); "refresh_token offline_access" = Perform requests at any time (Exécuter des requêtes à tout moment). The app must allow them.',
			displayOptions: { show: { grantType: ['pkce', 'authorizationCode'] } },
		},
		{
			displayName: 'Custom OAuth URLs',
			name: 'customUrls',
			type: 'boolean',
			default: false,
			description:
				'Whether to enter the authorization and token URLs yourself instead of deriving them from the environment (e.g. a custom domain or an Experience Cloud site)',
		},
		{
			displayName: 'Authorization URL',
			name: 'customAuthUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.my.salesforce.com/services/oauth2/authorize',
			displayOptions: { show: { customUrls: [true], grantType: ['pkce', 'authorizationCode'] } },
		},
		{
			displayName: 'Token URL',
			name: 'customAccessTokenUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.my.salesforce.com/services/oauth2/token',
			displayOptions: { show: { customUrls: [true] } },
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: AUTH_URL_EXPRESSION,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: ACCESS_TOKEN_URL_EXPRESSION,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: SCOPE_EXPRESSION,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Salesforce documents client_id / client_secret in the token request body.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: TEST_BASE_URL_EXPRESSION,
			url: `/services/data/v${DEFAULT_API_VERSION}/`,
			method: 'GET',
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: CREDENTIAL_TEST_MESSAGES[401] } },
			{ type: 'responseCode', properties: { value: 400, message: CREDENTIAL_TEST_MESSAGES[400] } },
			{ type: 'responseCode', properties: { value: 403, message: CREDENTIAL_TEST_MESSAGES[403] } },
			{ type: 'responseCode', properties: { value: 404, message: CREDENTIAL_TEST_MESSAGES[404] } },
		],
	};
}

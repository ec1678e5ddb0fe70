import {
	instanceUrlFromUserinfo,
	planInstanceUrl,
} from '../../../nodes/SkeepersFeedApplication/salesforce/instanceUrl';

describe('planInstanceUrl', () => {
	it('uses the token instance_url first (path and slash dropped)', () => {
		expect(
			planInstanceUrl({
				oauthTokenData: { instance_url: 'https://acme.my.salesforce.com/' },
				environment: 'myDomain',
				myDomainHost: 'other.my.salesforce.com',
			}),
		).toEqual({
			kind: 'known',
			url: 'https://acme.my.salesforce.com',
			source: 'token',
		});
	});
	it('falls back to the My Domain host when the refresh dropped instance_url', () => {
		expect(
			planInstanceUrl({
				oauthTokenData: { access_token: 'x' },
				environment: 'myDomain',
				myDomainHost: 'acme.my.salesforce.com',
			}),
		).toEqual({
			kind: 'known',
			url: 'https://acme.my.salesforce.com',
			source: 'myDomain',
		});
	});
	it('uses a custom token URL on an org host', () => {
		expect(
			planInstanceUrl({
				customUrls: true,
				accessTokenUrl: 'http://127.0.0.1:4010/services/oauth2/token',
			}),
		).toEqual({
			kind: 'known',
			url: 'http://127.0.0.1:4010',
			source: 'tokenUrl',
		});
	});
	it('asks userinfo on the production login host', () => {
		expect(
			planInstanceUrl({
				oauthTokenData: {},
				environment: 'production',
				accessTokenUrl: 'https://login.salesforce.com/services/oauth2/token',
			}),
		).toEqual({
			kind: 'userinfo',
			userinfoUrl: 'https://login.salesforce.com/services/oauth2/userinfo',
		});
	});
	it('asks userinfo on the sandbox login host (even without a resolved token URL)', () => {
		expect(planInstanceUrl({ environment: 'sandbox' })).toEqual({
			kind: 'userinfo',
			userinfoUrl: 'https://test.salesforce.com/services/oauth2/userinfo',
		});
	});
	it('ignores an instance_url that is not a URL', () => {
		expect(
			planInstanceUrl({ oauthTokenData: { instance_url: 'nope' }, environment: 'sandbox' }).kind,
		).toBe('userinfo');
	});
});

describe('instanceUrlFromUserinfo', () => {
	it('prefers urls.custom_domain', () => {
		expect(
			instanceUrlFromUserinfo({
				urls: {
					custom_domain: 'https://acme.my.salesforce.com',
					rest: 'https://na1.salesforce.com/services/data/v{version}/',
				},
			}),
		).toBe('https://acme.my.salesforce.com');
	});
	it('else the origin of urls.rest', () => {
		expect(
			instanceUrlFromUserinfo({
				urls: { rest: 'https://acme.my.salesforce.com/services/data/v{version}/' },
			}),
		).toBe('https://acme.my.salesforce.com');
	});
	it('undefined when nothing usable', () => {
		expect(instanceUrlFromUserinfo({ sub: 'x' })).toBeUndefined();
		expect(instanceUrlFromUserinfo('html')).toBeUndefined();
	});
});

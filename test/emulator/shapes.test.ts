/**
 * Response shapes compared with the examples in Salesforce's documentation (REST API Developer
 * Guide: dome_upsert, resources_composite_sobjects_collections_create, errorcodes, dome_query;
 * Bulk API 2.0: create_job, get_job_successful_results; OAuth web server flow token response).
 * Each example below is the documented shape with its values replaced by their types.
 */
import type { Emulator } from '../../emulator';
import { api, emulator } from './helpers';

type Shape = string | Shape[] | { [k: string]: Shape };

/** The "type skeleton" of a value: same keys, leaves replaced by typeof; arrays of scalars are just 'array'. */
function shape(v: unknown): Shape {
	if (Array.isArray(v))
		return v.length && typeof v[0] === 'object' && v[0] !== null ? [shape(v[0])] : 'array';
	if (v && typeof v === 'object')
		return Object.fromEntries(
			Object.entries(v)
				.map(([k, x]) => [k, shape(x)])
				.sort(([a], [b]) => String(a).localeCompare(String(b))),
		);
	return v === null ? 'null' : typeof v;
}

const DOCUMENTED = {
	create: { id: '001D000000IqhSLIAZ', errors: [], success: true },
	upsertCreated: { id: '00190000001pPvHAAU', errors: [], success: true, created: true },
	upsertBadField: [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }],
	collectionsCreate: [{ id: '001RM000003oLnnYAE', success: true, errors: [] }],
	collectionsError: {
		success: false,
		errors: [
			{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] },
		],
	},
	query: {
		totalSize: 1,
		done: true,
		records: [
			{
				attributes: {
					type: 'Account',
					url: '/services/data/v66.0/sobjects/Account/001D000000IRFmaIAH',
				},
				Name: 'Test 1',
			},
		],
	},
	token: {
		access_token:
			'00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoWr78nt1u44zU31IbYNNJguseu',
		refresh_token:
			'5Aep861KIwKdekr90I4iHdtDgWwRoG7O_6uHrgJ.yVtMS0UaGxRYypz6VCRb7rAhm_p0tXrb6RDYGSLkIRa5jwPLK',
		signature: 'CMJ4l+CCaPQiKjoOEwEig9H4wqhpuLSk4J2urAe+fVg=',
		scope: 'refresh_token full',
		instance_url: 'https://MyDomainName.my.salesforce.com',
		id: 'https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001Sv6AAAS',
		token_type: 'Bearer',
		issued_at: '1278448101416',
	},
	bulkCreateJob: {
		id: '7505fEXAMPLE4C2AAM',
		operation: 'insert',
		object: 'Account',
		createdById: '0055fEXAMPLEtG4AAM',
		createdDate: '2022-01-02T21:33:43.000+0000',
		systemModstamp: '2022-01-02T21:33:43.000+0000',
		state: 'Open',
		concurrencyMode: 'Parallel',
		contentType: 'CSV',
		apiVersion: 66.0,
		contentUrl: 'services/data/v66.0/jobs/ingest/7505fEXAMPLE4C2AAM/batches',
		lineEnding: 'LF',
		columnDelimiter: 'COMMA',
	},
	limits: { DailyApiRequests: { Max: 15000, Remaining: 14998 } },
};

describe("response shapes match Salesforce's documented examples", () => {
	let emu: Emulator;
	let token: string;
	let tokenResponse: Record<string, unknown>;
	beforeAll(async () => {
		emu = await emulator();
		const res = await fetch(
			`${emu.url}/services/oauth2/authorize?response_type=code&client_id=skeepers-demo-client&redirect_uri=${encodeURIComponent('http://localhost:1/cb')}&scope=refresh_token%20full&auto_approve=true`,
			{ redirect: 'manual' },
		);
		const code = new URL(res.headers.get('location')!).searchParams.get('code')!;
		const tok = await fetch(`${emu.url}/services/oauth2/token`, {
			method: 'POST',
			body: new URLSearchParams({
				grant_type: 'authorization_code',
				code,
				client_id: 'skeepers-demo-client',
				client_secret: 'skeepers-demo-secret',
				redirect_uri: 'http://localhost:1/cb',
			}),
		});
		tokenResponse = (await tok.json()) as Record<string, unknown>;
		token = String(tokenResponse.access_token);
	});
	afterAll(() => emu.stop());

	test('OAuth token response (web server flow): same fields, no expires_in', () => {
		expect(shape(tokenResponse)).toEqual(shape(DOCUMENTED.token));
		expect(tokenResponse.scope).toBe('refresh_token full');
	});

	test('create', async () => {
		const r = await api(emu, token, 'POST', '/sobjects/Account', { Name: 'Acme' });
		expect(r.status).toBe(201);
		expect(shape(r.json)).toEqual(shape(DOCUMENTED.create));
	});

	test('upsert (created) and upsert with an unknown external ID field', async () => {
		const r = await api(emu, token, 'PATCH', '/sobjects/Account/Skeepers_Account_Id__c/11999', {
			Name: 'California Wheat Corporation',
			Type: 'Customer - Direct',
		});
		expect(r.status).toBe(201);
		expect(shape(r.json)).toEqual(shape(DOCUMENTED.upsertCreated));
		const bad = await api(emu, token, 'PATCH', '/sobjects/Account/customExtIdField__c/11999', {
			Name: 'x',
		});
		expect(bad.status).toBe(404);
		expect(bad.json).toEqual(DOCUMENTED.upsertBadField);
	});

	test('sObject Collections create: success and per-record error (statusCode)', async () => {
		const r = await api(emu, token, 'POST', '/composite/sobjects', {
			allOrNone: false,
			records: [
				{ attributes: { type: 'Account' }, Name: 'example.com', BillingCity: 'San Francisco' },
				{ attributes: { type: 'Account' }, BillingCity: 'no name' },
			],
		});
		const body = r.json as unknown[];
		expect(shape([body[0]])).toEqual(shape(DOCUMENTED.collectionsCreate));
		expect(shape(body[1])).toEqual(shape(DOCUMENTED.collectionsError));
	});

	test('query', async () => {
		const r = await api(
			emu,
			token,
			'GET',
			`/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name = 'Acme'")}`,
		);
		expect(shape(r.json)).toEqual(shape(DOCUMENTED.query));
	});

	test('Bulk API 2.0 create job', async () => {
		const r = await api(emu, token, 'POST', '/jobs/ingest', {
			object: 'Account',
			contentType: 'CSV',
			operation: 'insert',
			lineEnding: 'LF',
		});
		expect(shape(r.json)).toEqual(shape(DOCUMENTED.bulkCreateJob));
	});

	test('limits (DailyApiRequests)', async () => {
		const r = await api(emu, token, 'GET', '/limits');
		expect(
			shape({ DailyApiRequests: (r.json as Record<string, unknown>).DailyApiRequests }),
		).toEqual(shape(DOCUMENTED.limits));
	});
});

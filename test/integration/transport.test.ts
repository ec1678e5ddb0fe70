/**
 * The transport against a real local HTTP server, through a fake n8n context whose
 * `httpRequestWithAuthentication` behaves like n8n-core's (requestOAuth2 + httpRequest):
 * Bearer signing, `returnFullResponse`, `ignoreHttpStatusErrors` (boolean or {ignore, except}),
 * refresh-once-and-replay when the request *throws* 401, errors wrapped in NodeApiError.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { NodeApiError } from 'n8n-workflow';
import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import {
	describeGlobal,
	describeSObject,
} from '../../nodes/SkeepersFeedApplication/salesforce/describe';
import { SalesforceRequestError } from '../../nodes/SkeepersFeedApplication/salesforce/errors';
import { createSalesforceApi } from '../../nodes/SkeepersFeedApplication/salesforce/transport';
import type { SalesforceApiOptions } from '../../nodes/SkeepersFeedApplication/salesforce/transport';

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

let server: http.Server;
let base: string;
let handlers: Handler[] = [];
let fallback: Handler | undefined;
let seen: Seen[] = [];

beforeAll(async () => {
	server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			const handler = handlers.shift() ?? fallback;
			if (!handler) {
				res.writeHead(500).end('no handler');
				return;
			}
			handler(req, body, res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
	handlers = [];
	fallback = undefined;
	seen = [];
});

const json =
	(status: number, body: unknown, headers: Record<string, string> = {}): Handler =>
	(_req, _body, res) => {
		res.writeHead(status, {
			'Content-Type': 'application/json',
			'Sforce-Limit-Info': 'api-usage=42/15000',
			...headers,
		});
		res.end(body === undefined ? '' : JSON.stringify(body));
	};
const hangUp: Handler = (req) => req.socket.destroy();

// ---- a fake n8n context -------------------------------------------------------------------------

const node: INode = {
	id: '1',
	name: 'Feed',
	type: 'x.feed',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

interface FakeOptions {
	credential?: Record<string, unknown>;
	/** Simulate an older n8n: any truthy ignoreHttpStatusErrors ignores every status. */
	legacyIgnore?: boolean;
	withRefreshHelper?: boolean;
	/** n8n's unsigned `helpers.httpRequest`, with which the transport signs calls itself. */
	withHttpRequest?: boolean;
}

function rawHttp(
	options: IHttpRequestOptions,
	token: string | undefined,
): Promise<{ statusCode: number; headers: http.IncomingHttpHeaders; body: unknown }> {
	return new Promise((resolve, reject) => {
		const url = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
		const headers: Record<string, string> =
			token === undefined ? {} : { Authorization: `Bearer ${token}` };
		for (const [k, v] of Object.entries(options.headers ?? {})) headers[k] = String(v);
		let payload: string | undefined;
		if (typeof options.body === 'string') payload = options.body;
		else if (options.body !== undefined) payload = JSON.stringify(options.body);
		const req = http.request(
			url,
			{ method: options.method ?? 'GET', headers, timeout: options.timeout },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let body: unknown = text;
					if (options.encoding !== 'text' && text) {
						try {
							body = JSON.parse(text);
						} catch {
							body = text;
						}
					}
					resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body });
				});
			},
		);
		req.on('timeout', () =>
			req.destroy(Object.assign(new Error('timeout'), { code: 'ECONNABORTED' })),
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

function makeContext(fake: FakeOptions = {}) {
	const state = { token: 'T1', refreshes: 0, credentialReads: 0, signedByN8n: 0 };
	const refresh = () => {
		state.refreshes++;
		state.token = `T${state.refreshes + 1}`;
	};
	// signed: as n8n's httpRequestWithAuthentication signs with the stored token; else the headers as given
	const httpRequest = async (options: IHttpRequestOptions, signed = true) => {
		const res = await rawHttp(options, signed ? state.token : undefined);
		const ignore = options.ignoreHttpStatusErrors;
		let ok = res.statusCode < 300;
		if (ignore === true || (fake.legacyIgnore && ignore)) ok = true;
		else if (ignore && typeof ignore === 'object') ok = !ignore.except.includes(res.statusCode);
		if (!ok) {
			throw Object.assign(new Error(`Request failed with status code ${res.statusCode}`), {
				name: 'AxiosError',
				code: 'ERR_BAD_REQUEST',
				config: { headers: { Authorization: `Bearer ${state.token}` } },
				response: { status: res.statusCode, data: res.body, headers: res.headers },
			});
		}
		return options.returnFullResponse
			? { statusCode: res.statusCode, headers: res.headers, body: res.body }
			: res.body;
	};
	const helpers: Record<string, unknown> = {
		async httpRequestWithAuthentication(_type: string, options: IHttpRequestOptions) {
			state.signedByN8n++;
			try {
				return await httpRequest(options).catch(
					async (error: { response?: { status?: number } }) => {
						if (error.response?.status === 401) {
							refresh();
							return await httpRequest(options);
						}
						throw error;
					},
				);
			} catch (error) {
				throw new NodeApiError(node, error as never);
			}
		},
	};
	if (fake.withRefreshHelper)
		helpers.refreshOAuth2Token = async () => {
			refresh();
			return {};
		};
	if (fake.withHttpRequest)
		helpers.httpRequest = async (options: IHttpRequestOptions) => await httpRequest(options, false);
	const ctx = {
		getNode: () => node,
		getCredentials: async () => {
			state.credentialReads++;
			return (
				fake.credential ?? { oauthTokenData: { access_token: state.token, instance_url: base } }
			);
		},
		helpers,
	} as unknown as IExecuteFunctions;
	return { ctx, state };
}

const sleeps: number[] = [];
function api(fake: FakeOptions = {}, options: SalesforceApiOptions = {}) {
	sleeps.length = 0;
	const { ctx, state } = makeContext(fake);
	const sf = createSalesforceApi(ctx, {
		sleep: async (ms) => {
			sleeps.push(ms);
		},
		retry: { random: () => 0, baseDelayMs: 10 },
		timeoutMs: 2000,
		...options,
	});
	return { sf, state };
}

// ---- tests ----------------------------------------------------------------------------------------

describe('transport over HTTP', () => {
	it('builds the versioned URL from instance_url, returns the body and reads Sforce-Limit-Info', async () => {
		handlers.push(json(200, { totalSize: 0, done: true, records: [] }));
		const { sf } = api();
		const res = await sf.request<{ done: boolean }>({
			method: 'GET',
			path: '/query',
			qs: { q: "SELECT Id FROM Contact WHERE Email = 'a@b.c'" },
			retry: 'idempotent',
		});
		expect(res.status).toBe(200);
		expect(res.body.done).toBe(true);
		expect(seen[0].url).toBe(
			`/services/data/v66.0/query?${new URLSearchParams({ q: "SELECT Id FROM Contact WHERE Email = 'a@b.c'" }).toString()}`,
		);
		expect(seen[0].headers.authorization).toBe('Bearer T1');
		expect(sf.usage).toEqual({ used: 42, max: 15000 });
		expect(sf.stats).toEqual({ calls: 1, retries: 0 });
	});

	it('paths under /services/ are relative to the instance; the version is overridable', async () => {
		handlers.push(json(200, { done: true }));
		const { sf } = api({}, { apiVersion: 'v61' });
		expect(sf.apiVersion).toBe('61.0');
		await sf.request({
			method: 'GET',
			path: '/services/data/v61.0/query/01gXX-2000',
			retry: 'idempotent',
		});
		expect(seen[0].url).toBe('/services/data/v61.0/query/01gXX-2000');
	});

	it('retries 503 then succeeds, with backoff through the injected sleep', async () => {
		handlers.push(
			json(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]),
			json(201, { id: '003X', success: true, errors: [] }),
		);
		const { sf } = api();
		const res = await sf.request({
			method: 'POST',
			path: '/sobjects/Contact',
			body: { LastName: 'A' },
			retry: 'non-idempotent',
		});
		expect(res.status).toBe(201);
		expect(sf.stats).toEqual({ calls: 2, retries: 1 });
		expect(sleeps).toEqual([5]);
		expect(JSON.parse(seen[1].body)).toEqual({ LastName: 'A' });
	});

	it('tells the request’s onPushback before each retry of a pushback (503, concurrency limit), not of other failures', async () => {
		handlers.push(
			json(503, [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }]),
			json(403, [
				{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' },
			]),
			json(502, { message: 'bad gateway' }),
			json(200, []),
		);
		const { sf } = api();
		let told = 0;
		const res = await sf.request({
			method: 'PATCH',
			path: '/composite/sobjects',
			body: { records: [] },
			retry: 'idempotent',
			onPushback: () => told++,
		});
		expect(res.status).toBe(200);
		expect(sf.stats.retries).toBe(3);
		expect(told).toBe(2);
	});

	it('retries UNABLE_TO_LOCK_ROW, even for a create', async () => {
		handlers.push(
			json(400, [
				{
					errorCode: 'UNABLE_TO_LOCK_ROW',
					message: 'unable to obtain exclusive access to this record',
					fields: [],
				},
			]),
			json(201, { id: '500X', success: true, errors: [] }),
		);
		const { sf } = api();
		await expect(
			sf.request({
				method: 'POST',
				path: '/sobjects/Case',
				body: { Subject: 'x' },
				retry: 'non-idempotent',
			}),
		).resolves.toMatchObject({ status: 201 });
		expect(seen).toHaveLength(2);
	});

	it('does NOT retry a create after a socket hang-up (it may have been applied)', async () => {
		handlers.push(hangUp, json(201, { id: 'never' }));
		const { sf } = api();
		const error = await sf
			.request({
				method: 'POST',
				path: '/composite/sobjects',
				body: { allOrNone: false, records: [] },
				retry: 'non-idempotent',
			})
			.catch((e: unknown) => e);
		expect(error).toBeInstanceOf(SalesforceRequestError);
		expect((error as SalesforceRequestError).networkCode).toBe('ECONNRESET');
		expect((error as SalesforceRequestError).detail).toMatch(/may already have been applied/);
		expect(seen).toHaveLength(1);
		expect(sf.stats).toEqual({ calls: 1, retries: 0 });
	});

	it('retries an idempotent update after a socket hang-up', async () => {
		handlers.push(hangUp, json(200, [{ id: '003X', success: true, errors: [] }]));
		const { sf } = api();
		await expect(
			sf.request({
				method: 'PATCH',
				path: '/composite/sobjects',
				body: { records: [] },
				retry: 'idempotent',
			}),
		).resolves.toMatchObject({ status: 200 });
		expect(seen).toHaveLength(2);
	});

	it('retries a create when the connection is refused (never sent), up to maxAttempts', async () => {
		const { sf } = api(
			{ credential: { oauthTokenData: { instance_url: 'http://127.0.0.1:1' } } },
			{ retry: { maxAttempts: 3, random: () => 0, baseDelayMs: 10 } },
		);
		const error = (await sf
			.request({ method: 'POST', path: '/sobjects/Lead', body: {}, retry: 'non-idempotent' })
			.catch((e: unknown) => e)) as SalesforceRequestError;
		expect(error.networkCode).toBe('ECONNREFUSED');
		expect(error.attempts).toBe(3);
		expect(sf.stats).toEqual({ calls: 3, retries: 2 });
		expect(sleeps).toEqual([5, 10]);
	});

	it('a validation error is thrown at once with errorCode, message and fields', async () => {
		handlers.push(
			json(400, [
				{
					errorCode: 'REQUIRED_FIELD_MISSING',
					message: 'Required fields are missing: [LastName]',
					fields: ['LastName'],
				},
			]),
		);
		const { sf } = api();
		const error = (await sf
			.request({ method: 'POST', path: '/sobjects/Contact', body: {}, retry: 'non-idempotent' })
			.catch((e: unknown) => e)) as SalesforceRequestError;
		expect(error.status).toBe(400);
		expect(error.errors).toEqual([
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [LastName]',
				fields: ['LastName'],
			},
		]);
		expect(error.requestPath).toBe('/services/data/v66.0/sobjects/Contact');
		expect(seen).toHaveLength(1);
		expect(sf.usage).toEqual({ used: 42, max: 15000 });
	});

	it('the daily limit is not retried; a concurrency limit is', async () => {
		handlers.push(
			json(403, [
				{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
			]),
		);
		const { sf } = api();
		await expect(
			sf.request({ method: 'GET', path: '/sobjects', retry: 'idempotent' }),
		).rejects.toMatchObject({ status: 403 });
		expect(seen).toHaveLength(1);

		handlers.push(
			json(403, [
				{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' },
			]),
			json(200, { sobjects: [] }),
		);
		await expect(
			sf.request({ method: 'GET', path: '/sobjects', retry: 'idempotent' }),
		).resolves.toMatchObject({ status: 200 });
	});

	it('upsert answering 300 is an error naming the matches', async () => {
		handlers.push(
			json(300, [
				'/services/data/v66.0/sobjects/Contact/003A',
				'/services/data/v66.0/sobjects/Contact/003B',
			]),
		);
		const { sf } = api();
		await expect(
			sf.request({
				method: 'PATCH',
				path: '/sobjects/Contact/Email__c/a@b.c',
				body: {},
				retry: 'idempotent',
			}),
		).rejects.toMatchObject({ status: 300, errorCode: 'MULTIPLE_CHOICES' });
	});
});

describe('401 and n8n token refresh', () => {
	it('n8n 2.x: 401 is excepted from ignored statuses, so n8n refreshes once and replays', async () => {
		handlers.push(
			json(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]),
			json(200, { ok: true }),
		);
		const { sf, state } = api();
		await expect(
			sf.request({ method: 'GET', path: '/limits', retry: 'idempotent' }),
		).resolves.toMatchObject({ body: { ok: true } });
		expect(state.refreshes).toBe(1);
		expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer T1', 'Bearer T2']);
		expect(sf.stats.retries).toBe(0);
	});

	it('a second 401 after the refresh fails with INVALID_SESSION_ID, no more refreshes', async () => {
		fallback = json(401, [
			{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
		]);
		const { sf, state } = api();
		const error = (await sf
			.request({ method: 'GET', path: '/limits', retry: 'idempotent' })
			.catch((e: unknown) => e)) as SalesforceRequestError;
		expect(error.status).toBe(401);
		expect(error.errorCode).toBe('INVALID_SESSION_ID');
		expect(state.refreshes).toBe(1);
		expect(seen).toHaveLength(2);
		expect(error.message).not.toMatch(/Bearer|T1|T2/);
	});

	it('older n8n (ignores every status): the transport replays strictly so n8n refreshes', async () => {
		fallback = (req, b, res) =>
			req.headers.authorization === 'Bearer T2'
				? json(200, { ok: 1 })(req, b, res)
				: json(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'expired' }])(req, b, res);
		const { sf, state } = api({ legacyIgnore: true });
		await expect(
			sf.request({ method: 'GET', path: '/limits', retry: 'idempotent' }),
		).resolves.toMatchObject({ body: { ok: 1 } });
		expect(state.refreshes).toBe(1);
		// ignored 401, strict replay (401 thrown → n8n refreshes), n8n's replay with the new token
		expect(seen.map((s) => s.headers.authorization)).toEqual([
			'Bearer T1',
			'Bearer T1',
			'Bearer T2',
		]);
	});

	it('older n8n with helpers.refreshOAuth2Token: refreshed once through it', async () => {
		fallback = (req, b, res) =>
			req.headers.authorization === 'Bearer T2'
				? json(200, { ok: 2 })(req, b, res)
				: json(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'expired' }])(req, b, res);
		const { sf, state } = api({ legacyIgnore: true, withRefreshHelper: true });
		await expect(
			sf.request({ method: 'GET', path: '/limits', retry: 'idempotent' }),
		).resolves.toMatchObject({ body: { ok: 2 } });
		expect(state.refreshes).toBe(1);
	});
});

describe('bulk CSV and text answers', () => {
	it('uploads text/csv verbatim and reads a CSV answer as text', async () => {
		handlers.push((_req, _body, res) => {
			res.writeHead(201).end();
		});
		handlers.push((_req, _body, res) => {
			res
				.writeHead(200, { 'Content-Type': 'text/csv' })
				.end('"sf__Id","sf__Created"\n"003A","true"\n');
		});
		const { sf } = api();
		const csv = 'LastName,Email\n"Doe, J",j@d.fr\n';
		await sf.request({
			method: 'PUT',
			path: '/jobs/ingest/750X/batches',
			text: csv,
			retry: 'idempotent',
		});
		expect(seen[0].headers['content-type']).toBe('text/csv');
		expect(seen[0].body).toBe(csv);
		const res = await sf.request<string>({
			method: 'GET',
			path: '/jobs/ingest/750X/successfulResults/',
			responseType: 'text',
			retry: 'idempotent',
		});
		expect(res.body).toBe('"sf__Id","sf__Created"\n"003A","true"\n');
	});
});

describe('instance URL fallback', () => {
	it('asks userinfo when the token lost instance_url, once per transport', async () => {
		fallback = (req, _b, res) => {
			if (req.url === '/services/oauth2/userinfo')
				json(200, { urls: { rest: `${base}/services/data/v{version}/` } })(req, _b, res);
			else json(200, { sobjects: [{ name: 'Contact' }] })(req, _b, res);
		};
		const { sf } = api({
			credential: {
				oauthTokenData: { access_token: 'T1' },
				environment: 'production',
				accessTokenUrl: `${base}/services/oauth2/token`,
			},
		});
		await sf.request({ method: 'GET', path: '/sobjects', retry: 'idempotent' });
		await sf.request({ method: 'GET', path: '/sobjects', retry: 'idempotent' });
		expect(seen.map((s) => s.url)).toEqual([
			'/services/oauth2/userinfo',
			'/services/data/v66.0/sobjects',
			'/services/data/v66.0/sobjects',
		]);
		expect(await sf.getInstanceUrl()).toBe(base);
	});

	it('says what to do when userinfo does not name the org', async () => {
		handlers.push(json(200, { sub: 'x' }));
		const { sf } = api({
			credential: { oauthTokenData: {}, accessTokenUrl: `${base}/services/oauth2/token` },
		});
		await expect(
			sf.request({ method: 'GET', path: '/sobjects', retry: 'idempotent' }),
		).rejects.toMatchObject({ errorCode: 'INSTANCE_URL_UNKNOWN' });
	});
});

describe('describe cache', () => {
	it('one HTTP call per object per transport, shared by concurrent callers; failures are not cached', async () => {
		fallback = (req, _b, res) => {
			if (req.url?.endsWith('/sobjects'))
				json(200, { sobjects: [{ name: 'Contact', label: 'Contact' }] })(req, _b, res);
			else json(200, { name: 'Contact', fields: [{ name: 'Email' }] })(req, _b, res);
		};
		const { sf } = api();
		const [a, b] = await Promise.all([
			describeSObject(sf, 'Contact'),
			describeSObject(sf, 'contact'),
		]);
		expect(a).toBe(b);
		expect(a.fields[0].name).toBe('Email');
		await describeGlobal(sf);
		await describeGlobal(sf);
		expect(seen.map((s) => s.url)).toEqual([
			'/services/data/v66.0/sobjects/Contact/describe',
			'/services/data/v66.0/sobjects',
		]);

		const { sf: other } = api();
		handlers.push(
			json(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]),
		);
		await expect(describeSObject(other, 'Nope__c')).rejects.toMatchObject({
			errorCode: 'NOT_FOUND',
		});
		handlers.push(json(200, { name: 'Nope__c', fields: [] }));
		await expect(describeSObject(other, 'Nope__c')).resolves.toMatchObject({ name: 'Nope__c' });
	});
});

describe('signing with the token read once (n8n’s helpers.httpRequest)', () => {
	const call = async (sf: ReturnType<typeof api>['sf']) =>
		await sf.request({ method: 'GET', path: '/limits', retry: 'idempotent' });

	it('every call carries the credential’s token, read once for the transport; n8n signs none', async () => {
		fallback = json(200, { ok: true });
		const { sf, state } = api({ withHttpRequest: true });
		await Promise.all([call(sf), call(sf), call(sf), call(sf), call(sf)]);
		// one read for the instance URL, one for the token, whatever the number of calls
		expect(state.credentialReads).toBe(2);
		await Promise.all([call(sf), call(sf), call(sf)]);
		expect(state.credentialReads).toBe(2);
		expect(state.signedByN8n).toBe(0);
		expect(seen.map((s) => s.headers.authorization)).toEqual(new Array(8).fill('Bearer T1'));
		expect(sf.stats).toEqual({ calls: 8, retries: 0 });
	});

	it('a 401 is replayed signed by n8n, which refreshes the token; the next call reads it again and carries the new one', async () => {
		fallback = (req, b, res) =>
			req.headers.authorization === `Bearer T2`
				? json(200, { ok: 1 })(req, b, res)
				: json(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired' }])(req, b, res);
		const { sf, state } = api({ withHttpRequest: true });
		await expect(call(sf)).resolves.toMatchObject({ body: { ok: 1 } });
		expect(state.refreshes).toBe(1);
		// ours (401), n8n's with the stored token (401 → refresh), n8n's replay
		expect(seen.map((s) => s.headers.authorization)).toEqual([
			'Bearer T1',
			'Bearer T1',
			'Bearer T2',
		]);
		const reads = state.credentialReads;
		await expect(call(sf)).resolves.toMatchObject({ body: { ok: 1 } });
		expect(state.credentialReads).toBe(reads + 1);
		expect(seen.at(-1)?.headers.authorization).toBe('Bearer T2');
		expect(state.signedByN8n).toBe(1);
		expect(state.refreshes).toBe(1);
	});

	it('a credential without a token (not connected yet): n8n signs the call', async () => {
		fallback = json(200, { ok: true });
		const { sf, state } = api({
			withHttpRequest: true,
			credential: { oauthTokenData: { instance_url: base } },
		});
		await call(sf);
		expect(state.signedByN8n).toBe(1);
		expect(seen[0].headers.authorization).toBe('Bearer T1');
	});

	it('a failure on a call it signed names no token', async () => {
		fallback = json(500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }]);
		const { sf } = api({ withHttpRequest: true }, { retry: { maxAttempts: 1 } });
		const error = (await call(sf).catch((e: unknown) => e)) as SalesforceRequestError;
		expect(error.errorCode).toBe('UNKNOWN_EXCEPTION');
		expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/Bearer|T1/);
	});
});

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { post, startTrigger, type Harness, type HarnessOptions } from './trigger-harness';

const SECRET = 'integration-secret-4f1c9a7e';
const PAYLOADS = path.join(__dirname, '../../examples/payloads');
const file = (name: string) => readFileSync(path.join(PAYLOADS, name));
const sign = (body: Buffer | string, secret = SECRET, ts?: string) =>
	'sha256=' +
	createHmac('sha256', secret)
		.update(
			ts === undefined
				? Buffer.from(body)
				: Buffer.concat([Buffer.from(`${ts}.`), Buffer.from(body)]),
		)
		.digest('hex');
const JSON_TYPE = { 'Content-Type': 'application/json' };
const credential = (over: Record<string, unknown> = {}) => ({
	secret: SECRET,
	mode: 'hmac',
	...over,
});

let harness: Harness | undefined;
async function start(options: HarnessOptions = {}) {
	harness = await startTrigger({ credentials: credential(), ...options });
	return harness;
}
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

const items = (h: Harness, call = 0) =>
	(h.calls[call].result?.workflowData?.[0] ?? []).map((i) => i.json);

describe('accepted deliveries', () => {
	it('a signed JSON event: 200 {"received":1}, one item with the normalized view and the raw event', async () => {
		const h = await start();
		const body = file('detractor-with-comment.json');
		const answer = await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Signature': sign(body) });
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ received: 1, accepted: 1 });
		expect(h.calls[0].nodeAnswered).toBe(true);
		expect(h.calls[0].result?.noWebhookResponse).toBe(true);
		const [item] = items(h);
		expect(item).toMatchObject({
			eventType: 'response.completed',
			eventId: 'evt_20250314_0003',
			respondent: {
				id: 'R-1003',
				email: 'lea.dubois@example.fr',
				firstName: 'Léa',
				lastName: 'Dubois',
			},
			nps: { score: 3, category: 'detractor' },
			flags: ['callback_requested'],
			delivery: {
				index: 0,
				batchSize: 1,
				contentType: 'application/json',
				format: 'json',
				verification: 'hmac',
			},
		});
		expect(item.raw).toEqual(JSON.parse(body.toString('utf8')));
		expect(typeof item.receivedAt).toBe('string');
		expect(Object.keys(item)).toEqual([
			'eventType',
			'eventId',
			'eventIdSource',
			'occurredAt',
			'receivedAt',
			'campaign',
			'respondent',
			'attributes',
			'labels',
			'flags',
			'answers',
			'nps',
			'comment',
			'recognition',
			'delivery',
			'raw',
		]);
		expect(item.recognition).toMatchObject({
			found: {
				'respondent.email': 'respondent.email',
				'nps.score': 'answers[0].value',
				comment: 'answers[1].value',
			},
			missing: [],
		});
	});

	it('a batch gives one item per event', async () => {
		const h = await start();
		const body = file('batch.json');
		const answer = await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Signature': sign(body) });
		expect(answer.json).toEqual({ received: 3, accepted: 3 });
		expect(items(h).map((i) => (i.respondent as IDataObject).id)).toEqual([
			'R-1007',
			'R-1008',
			'R-1009',
		]);
		expect(items(h).map((i) => (i.delivery as IDataObject).index)).toEqual([0, 1, 2]);
	});

	it('a form-encoded body, signed over its exact bytes', async () => {
		const h = await start();
		const body = file('form-encoded.form');
		const answer = await post(h.url, body, {
			'Content-Type': 'application/x-www-form-urlencoded',
			'X-Skeepers-Signature': sign(body),
		});
		expect(answer.status).toBe(200);
		expect(items(h)[0]).toMatchObject({
			respondent: { id: 'R-1006' },
			nps: { score: 5 },
			delivery: { format: 'form' },
		});
	});

	it('non-ASCII bodies: the signature covers the UTF-8 bytes', async () => {
		const h = await start();
		const body = file('non-ascii-names.json');
		const answer = await post(h.url, body, {
			'Content-Type': 'application/json; charset=utf-8',
			'X-Skeepers-Signature': sign(body),
		});
		expect(answer.status).toBe(200);
		expect(items(h).map((i) => (i.respondent as IDataObject).lastName)).toEqual([
			'Ærøskøbing',
			'李',
		]);
	});

	it('reads the body through readRawBody() when n8n did not pre-read it', async () => {
		const h = await start({ rawBody: 'lazy' });
		const body = file('promoter.json');
		const answer = await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Signature': sign(body) });
		expect(answer.status).toBe(200);
		expect(items(h)).toHaveLength(1);
	});

	it('token in a header, token in the query string, timestamped HMAC', async () => {
		let h = await start({ credentials: credential({ mode: 'tokenHeader' }) });
		const body = file('promoter.json');
		expect((await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Token': SECRET })).status).toBe(
			200,
		);
		expect((await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Token': 'nope' })).status).toBe(
			401,
		);
		await h.close();

		h = await start({ credentials: credential({ mode: 'tokenQuery' }) });
		expect((await post(`${h.url}?token=${SECRET}`, body, JSON_TYPE)).status).toBe(200);
		expect((await post(`${h.url}?token=nope`, body, JSON_TYPE)).status).toBe(401);
		expect(h.calls.map((c) => c.result?.workflowData !== undefined)).toEqual([true, false]);
		await h.close();

		h = await start({ credentials: credential({ useTimestamp: true }) });
		const ts = String(Math.floor(Date.now() / 1000));
		const ok = await post(h.url, body, {
			...JSON_TYPE,
			'X-Skeepers-Timestamp': ts,
			'X-Skeepers-Signature': sign(body, SECRET, ts),
		});
		expect(ok.status).toBe(200);
		const stale = String(Math.floor(Date.now() / 1000) - 3600);
		const old = await post(h.url, body, {
			...JSON_TYPE,
			'X-Skeepers-Timestamp': stale,
			'X-Skeepers-Signature': sign(body, SECRET, stale),
		});
		expect(old.status).toBe(401);
		expect(old.json).toEqual({
			error: 'unauthorized: timestamp is older than the 300 s tolerance',
		});
	});

	it('authentication "none" accepts unsigned deliveries', async () => {
		const h = await start({ parameters: { authentication: 'none' }, credentials: null });
		const answer = await post(h.url, file('passive.json'), JSON_TYPE);
		expect(answer.status).toBe(200);
		expect(items(h)[0]).toMatchObject({ delivery: { verification: 'none' } });
	});
});

describe('refused deliveries: the node answers, nothing runs', () => {
	const refused = (h: Harness) => {
		expect(h.calls).toHaveLength(1);
		expect(h.calls[0].result).toEqual({ noWebhookResponse: true });
		expect(h.calls[0].nodeAnswered).toBe(true);
	};

	it('401 for a wrong signature, without echoing the secret or the signature', async () => {
		const h = await start();
		const body = file('promoter.json');
		const wrong = sign(body, 'not-the-secret-at-all');
		const answer = await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Signature': wrong });
		expect(answer.status).toBe(401);
		expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
		expect(answer.json).toEqual({ error: 'unauthorized: signature does not match' });
		expect(answer.body).not.toContain(SECRET);
		expect(answer.body).not.toContain(wrong.slice(7));
		refused(h);
	});

	it('401 for a tampered body', async () => {
		const h = await start();
		const body = file('promoter.json');
		const tampered = Buffer.from(body.toString('utf8').replace('"value": 10', '"value": 0'));
		expect(tampered.equals(body)).toBe(false);
		const answer = await post(h.url, tampered, {
			...JSON_TYPE,
			'X-Skeepers-Signature': sign(body),
		});
		expect(answer.status).toBe(401);
		refused(h);
	});

	it('401 for a missing signature, checked before the body is parsed', async () => {
		const h = await start();
		const answer = await post(h.url, '{not json', JSON_TYPE);
		expect(answer.status).toBe(401);
		expect(answer.json).toEqual({ error: 'unauthorized: missing X-Skeepers-Signature header' });
		refused(h);
	});

	it('400 for malformed JSON, with where it breaks', async () => {
		const h = await start();
		const body = '{"event": "response.completed", "id": }';
		const answer = await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Signature': sign(body) });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error:
				"malformed JSON at line 1 column 39 (position 38): unexpected character '}', expected a value",
		});
		refused(h);
	});

	it('400 for an empty body', async () => {
		const h = await start();
		const answer = await post(h.url, '', { ...JSON_TYPE, 'X-Skeepers-Signature': sign('') });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({ error: 'empty body: expected one event or an array of events' });
		refused(h);
	});

	it('415 for an unsupported content type', async () => {
		const h = await start();
		const body = '<event id="1"/>';
		const answer = await post(h.url, body, {
			'Content-Type': 'application/xml',
			'X-Skeepers-Signature': sign(body),
		});
		expect(answer.status).toBe(415);
		expect((answer.json as { error: string }).error).toMatch(
			/^unsupported content type "application\/xml"/,
		);
		refused(h);
	});

	it('400, not a 500, for an event without id nested 50,000 levels deep (signed)', async () => {
		const h = await start();
		const body =
			'{"event":"response.completed","data":' +
			'{"a":'.repeat(50_000) +
			'1' +
			'}'.repeat(50_000) +
			'}';
		const answer = await post(h.url, body, { ...JSON_TYPE, 'X-Skeepers-Signature': sign(body) });
		expect(answer.status).toBe(400);
		expect(answer.json).toEqual({
			error: "the body nests objects or arrays deeper than 64 levels (the trigger's limit)",
		});
		expect(h.calls[0].error).toBeUndefined();
		refused(h);
	});

	it('400 naming the limit and the count for 1,001 events, 400 for an event over 1 MiB (signed)', async () => {
		const h = await start();
		const batch = JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ eventId: `e-${i}` })));
		const many = await post(h.url, batch, { ...JSON_TYPE, 'X-Skeepers-Signature': sign(batch) });
		expect(many.status).toBe(400);
		expect(many.json).toEqual({
			error:
				"the delivery holds 1,001 events, over the trigger's limit of 1,000 events per delivery",
		});
		refused(h);
		await h.close();
		const h2 = await start();
		const big = JSON.stringify({ eventId: 'big', comment: 'x'.repeat(1024 * 1024) });
		const large = await post(h2.url, big, { ...JSON_TYPE, 'X-Skeepers-Signature': sign(big) });
		expect(large.status).toBe(400);
		expect((large.json as { error: string }).error).toMatch(
			/^event #1 is 1,048,60\d bytes as JSON, over the trigger's limit of 1,048,576 bytes \(1 MiB\) per event$/,
		);
		refused(h2);
	});

	it('500 when the credential cannot be read (misconfiguration), nothing runs', async () => {
		const h = await start({ credentials: null });
		const answer = await post(h.url, file('promoter.json'), JSON_TYPE);
		expect(answer.status).toBe(500);
		expect(answer.json).toEqual({
			error: 'Skeepers Trigger is misconfigured: its credential could not be read',
		});
		refused(h);
	});
});

describe('filters and responses', () => {
	it('filters drop events; when none is left, 200 and no execution', async () => {
		const h = await start({
			parameters: { authentication: 'none', filters: { campaignIds: 'CMP-CART-2025' } },
		});
		const none = await post(h.url, file('promoter.json'), JSON_TYPE);
		expect(none.json).toEqual({ received: 1, accepted: 0 });
		expect(h.calls[0].result).toEqual({ noWebhookResponse: true });
		const cart = await post(h.url, file('abandoned-cart.json'), JSON_TYPE);
		expect(cart.json).toEqual({ received: 1, accepted: 1 });
		expect(items(h, 1)).toHaveLength(1);
	});

	it('a flag filter keeps only matching events of a batch, with their batch index', async () => {
		const h = await start({
			parameters: { authentication: 'none', filters: { flags: 'callback_requested' } },
		});
		const batch = JSON.stringify([
			JSON.parse(file('promoter.json').toString('utf8')),
			JSON.parse(file('labels-and-flags.json').toString('utf8')),
		]);
		const answer = await post(h.url, batch, JSON_TYPE);
		expect(answer.json).toEqual({ received: 2, accepted: 1 });
		expect(items(h)[0]).toMatchObject({
			respondent: { id: 'R-1005' },
			delivery: { index: 1, batchSize: 2 },
		});
	});

	it('204 No Content', async () => {
		const h = await start({
			parameters: { authentication: 'none', options: { response: 'noContent' } },
		});
		const answer = await post(h.url, file('promoter.json'), JSON_TYPE);
		expect(answer.status).toBe(204);
		expect(answer.body).toBe('');
		expect(items(h)).toHaveLength(1);
	});

	it('custom status and JSON; invalid custom JSON is a 500 and nothing runs', async () => {
		let h = await start({
			parameters: {
				authentication: 'none',
				options: { response: 'custom', responseCode: 202, responseBody: '{"ok":true,"by":"n8n"}' },
			},
		});
		const answer = await post(h.url, file('promoter.json'), JSON_TYPE);
		expect(answer.status).toBe(202);
		expect(answer.json).toEqual({ ok: true, by: 'n8n' });
		await h.close();
		h = await start({
			parameters: {
				authentication: 'none',
				options: { response: 'custom', responseBody: '{oops' },
			},
		});
		const bad = await post(h.url, file('promoter.json'), JSON_TYPE);
		expect(bad.status).toBe(500);
		expect(h.calls[0].result).toEqual({ noWebhookResponse: true });
	});

	it('include headers: request headers without the secret-bearing ones', async () => {
		const h = await start({ parameters: { options: { includeHeaders: true } } });
		const body = file('promoter.json');
		await post(h.url, body, {
			...JSON_TYPE,
			'X-Skeepers-Signature': sign(body),
			'X-Request-Id': 'req-1',
			Cookie: 'a=b',
		});
		const headers = (items(h)[0].delivery as IDataObject).headers as IDataObject;
		expect(headers['x-request-id']).toBe('req-1');
		expect(headers['content-type']).toBe('application/json');
		expect(headers).not.toHaveProperty('x-skeepers-signature');
		expect(headers).not.toHaveProperty('cookie');
	});
});

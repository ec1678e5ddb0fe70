import { createHmac } from 'crypto';

import {
	computeSignature,
	DEFAULT_VERIFY_CONFIG,
	decodeSignature,
	getHeader,
	parseTimestampMs,
	safeEqualStrings,
	verifyDelivery,
	type VerifyConfig,
} from '../../../nodes/SkeepersTrigger/signature';

const SECRET = 'test-secret-0123456789abcdef';
const BODY = Buffer.from(
	'{"event":"response.completed","id":"evt_1","respondent":{"first_name":"Zoë"}}',
	'utf8',
);
const NOW = 1_741_944_000_000; // 2025-03-14T09:20:00Z

const config = (over: Partial<VerifyConfig> = {}): VerifyConfig => ({
	...DEFAULT_VERIFY_CONFIG,
	secret: SECRET,
	...over,
});
const hmacHex = (payload: string | Buffer, secret = SECRET) =>
	createHmac('sha256', secret).update(payload).digest('hex');
const verify = (
	cfg: VerifyConfig,
	headers: Record<string, string>,
	body = BODY,
	query: Record<string, unknown> = {},
	nowMs = NOW,
) => verifyDelivery(cfg, { headers, query, rawBody: body, nowMs });

describe('HMAC-SHA256 signature', () => {
	it('accepts the signature of the exact body, with or without the sha256= prefix, any header case', () => {
		const sig = hmacHex(BODY);
		expect(verify(config(), { 'x-skeepers-signature': `sha256=${sig}` })).toEqual({ ok: true });
		expect(verify(config(), { 'X-Skeepers-Signature': sig })).toEqual({ ok: true });
		expect(verify(config(), { 'x-skeepers-signature': `SHA256=${sig.toUpperCase()}` })).toEqual({
			ok: true,
		});
	});

	it('computeSignature matches an independent HMAC (what replay sends)', () => {
		expect(computeSignature(SECRET, BODY)).toBe(hmacHex(BODY));
		expect(computeSignature(SECRET, BODY, 'hex', '1741944000')).toBe(
			hmacHex(Buffer.concat([Buffer.from('1741944000.'), BODY])),
		);
	});

	it('refuses a tampered body', () => {
		const sig = hmacHex(BODY);
		const tampered = Buffer.from(BODY.toString('utf8').replace('evt_1', 'evt_2'));
		expect(verify(config(), { 'x-skeepers-signature': `sha256=${sig}` }, tampered)).toEqual({
			ok: false,
			reason: 'signature does not match',
		});
	});

	it('refuses a signature made with another secret', () => {
		const sig = hmacHex(BODY, 'another-secret-0123456789');
		expect(verify(config(), { 'x-skeepers-signature': sig })).toMatchObject({
			ok: false,
			reason: 'signature does not match',
		});
	});

	it('refuses a missing signature header, naming the header', () => {
		expect(verify(config(), {})).toEqual({
			ok: false,
			reason: 'missing X-Skeepers-Signature header',
		});
	});

	it('refuses a signature in the wrong encoding as malformed', () => {
		const base64 = createHmac('sha256', SECRET).update(BODY).digest('base64');
		const r = verify(config(), { 'x-skeepers-signature': `sha256=${base64}` });
		expect(r.ok).toBe(false);
		expect(!r.ok && r.reason).toMatch(/^malformed X-Skeepers-Signature/);
		// and hex when base64 is configured
		const r2 = verify(config({ signatureEncoding: 'base64' }), {
			'x-skeepers-signature': hmacHex(BODY),
		});
		expect(!r2.ok && r2.reason).toMatch(/^malformed/);
	});

	it('accepts base64 (standard and URL-safe) when configured', () => {
		const base64 = createHmac('sha256', SECRET).update(BODY).digest('base64');
		const urlSafe = base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
		const cfg = config({ signatureEncoding: 'base64' });
		expect(verify(cfg, { 'x-skeepers-signature': `sha256=${base64}` })).toEqual({ ok: true });
		expect(verify(cfg, { 'x-skeepers-signature': urlSafe })).toEqual({ ok: true });
	});

	it('only strips the configured prefix', () => {
		const sig = hmacHex(BODY);
		expect(verify(config(), { 'x-skeepers-signature': `sha1=${sig}` }).ok).toBe(false);
		expect(
			verify(config({ signaturePrefix: 'v1=' }), { 'x-skeepers-signature': `v1=${sig}` }),
		).toEqual({ ok: true });
		expect(
			verify(config({ signaturePrefix: '' }), { 'x-skeepers-signature': `sha256=${sig}` }).ok,
		).toBe(false);
	});

	it('accepts one matching signature among several (secret rotation)', () => {
		const good = hmacHex(BODY);
		const old = hmacHex(BODY, 'old-secret-000000000000');
		expect(verify(config(), { 'x-skeepers-signature': `sha256=${old}, sha256=${good}` })).toEqual({
			ok: true,
		});
		expect(verify(config(), { 'x-skeepers-signature': `sha256=${old}, sha256=${old}` }).ok).toBe(
			false,
		);
	});

	it('uses a custom signature header', () => {
		const cfg = config({ signatureHeader: 'X-Hub-Signature-256' });
		expect(verify(cfg, { 'x-hub-signature-256': `sha256=${hmacHex(BODY)}` })).toEqual({ ok: true });
		expect(verify(cfg, { 'x-skeepers-signature': `sha256=${hmacHex(BODY)}` }).ok).toBe(false);
	});

	it('never puts the secret or a signature in a failure reason', () => {
		const wrong = hmacHex(BODY, 'nope-nope-nope-nope');
		const reasons = [
			verify(config(), { 'x-skeepers-signature': wrong }),
			verify(config(), { 'x-skeepers-signature': 'sha256=zz' + wrong }),
			verify(config({ mode: 'tokenHeader' }), { 'x-skeepers-token': 'guess-guess' }),
		].map((r) => (r.ok ? '' : r.reason));
		for (const reason of reasons) {
			expect(reason).not.toContain(SECRET);
			expect(reason).not.toContain(wrong);
			expect(reason).not.toContain(hmacHex(BODY));
			expect(reason).not.toContain('guess-guess');
		}
	});
});

describe('timestamp window', () => {
	const cfg = config({ timestampHeader: 'X-Skeepers-Timestamp', toleranceSeconds: 300 });
	const signed = (ts: string, body = BODY) => ({
		'x-skeepers-timestamp': ts,
		'x-skeepers-signature': `sha256=${hmacHex(Buffer.concat([Buffer.from(`${ts}.`), body]))}`,
	});

	it('accepts a fresh timestamp in seconds or milliseconds; the signature covers "<ts>.<body>"', () => {
		expect(verify(cfg, signed(String(NOW / 1000 - 60)))).toEqual({ ok: true });
		expect(verify(cfg, signed(String(NOW + 120_000)))).toEqual({ ok: true });
	});

	it('refuses a signature of the body alone when a timestamp is required', () => {
		expect(
			verify(cfg, {
				'x-skeepers-timestamp': String(NOW / 1000),
				'x-skeepers-signature': hmacHex(BODY),
			}),
		).toEqual({ ok: false, reason: 'signature does not match' });
	});

	it('refuses a changed timestamp (the signature binds it)', () => {
		const headers = signed(String(NOW / 1000));
		headers['x-skeepers-timestamp'] = String(NOW / 1000 - 1);
		expect(verify(cfg, headers).ok).toBe(false);
	});

	it('refuses a stale timestamp and a future one beyond the tolerance', () => {
		expect(verify(cfg, signed(String(NOW / 1000 - 301)))).toEqual({
			ok: false,
			reason: 'timestamp is older than the 300 s tolerance',
		});
		expect(verify(cfg, signed(String(NOW / 1000 + 301)))).toEqual({
			ok: false,
			reason: 'timestamp is more than 300 s in the future',
		});
		expect(verify(cfg, signed(String(NOW / 1000 - 300))).ok).toBe(true);
	});

	it('refuses a missing or unreadable timestamp', () => {
		expect(verify(cfg, { 'x-skeepers-signature': hmacHex(BODY) })).toEqual({
			ok: false,
			reason: 'missing X-Skeepers-Timestamp header',
		});
		expect(verify(cfg, signed('2025-03-14T09:20:00Z'))).toEqual({
			ok: false,
			reason: 'X-Skeepers-Timestamp is not a unix timestamp',
		});
	});

	it('applies to token modes too', () => {
		const tokenCfg = config({ mode: 'tokenHeader', timestampHeader: 'X-Skeepers-Timestamp' });
		expect(
			verify(tokenCfg, { 'x-skeepers-token': SECRET, 'x-skeepers-timestamp': String(NOW / 1000) }),
		).toEqual({ ok: true });
		expect(
			verify(tokenCfg, {
				'x-skeepers-token': SECRET,
				'x-skeepers-timestamp': String(NOW / 1000 - 3600),
			}).ok,
		).toBe(false);
	});

	it('parseTimestampMs reads seconds, milliseconds and fractions; refuses text', () => {
		expect(parseTimestampMs('1741944000')).toBe(1_741_944_000_000);
		expect(parseTimestampMs('1741944000123')).toBe(1_741_944_000_123);
		expect(parseTimestampMs(' 1741944000.5 ')).toBe(1_741_944_000_500);
		expect(parseTimestampMs('-5')).toBeUndefined();
		expect(parseTimestampMs('abc')).toBeUndefined();
	});
});

describe('tokens', () => {
	it('header token: exact match, Bearer form, wrong and missing', () => {
		const cfg = config({ mode: 'tokenHeader' });
		expect(verify(cfg, { 'x-skeepers-token': SECRET })).toEqual({ ok: true });
		expect(
			verify(config({ mode: 'tokenHeader', headerName: 'Authorization' }), {
				authorization: `Bearer ${SECRET}`,
			}),
		).toEqual({ ok: true });
		expect(verify(cfg, { 'x-skeepers-token': `${SECRET}x` })).toEqual({
			ok: false,
			reason: 'token does not match',
		});
		expect(verify(cfg, { 'x-skeepers-token': SECRET.slice(0, -1) })).toEqual({
			ok: false,
			reason: 'token does not match',
		});
		expect(verify(cfg, {})).toEqual({ ok: false, reason: 'missing token (X-Skeepers-Token)' });
	});

	it('query token', () => {
		const cfg = config({ mode: 'tokenQuery' });
		expect(verify(cfg, {}, BODY, { token: SECRET })).toEqual({ ok: true });
		expect(verify(cfg, {}, BODY, { token: [SECRET, 'x'] })).toEqual({ ok: true });
		expect(verify(cfg, {}, BODY, { token: 'wrong' })).toEqual({
			ok: false,
			reason: 'token does not match',
		});
		expect(verify(cfg, {}, BODY, {})).toEqual({
			ok: false,
			reason: 'missing token (query parameter "token")',
		});
	});

	it('an empty configured secret refuses everything', () => {
		expect(verify(config({ secret: '', mode: 'tokenHeader' }), { 'x-skeepers-token': '' })).toEqual(
			{
				ok: false,
				reason: 'the credential has no secret',
			},
		);
	});
});

describe('helpers', () => {
	it('safeEqualStrings compares strings of any length', () => {
		expect(safeEqualStrings('abc', 'abc')).toBe(true);
		expect(safeEqualStrings('abc', 'abcd')).toBe(false);
		expect(safeEqualStrings('', '')).toBe(true);
	});

	it('decodeSignature checks length and alphabet', () => {
		expect(decodeSignature('ab'.repeat(32), 'hex')?.length).toBe(32);
		expect(decodeSignature('ab'.repeat(31), 'hex')).toBeUndefined();
		expect(decodeSignature('zz'.repeat(32), 'hex')).toBeUndefined();
		expect(decodeSignature(Buffer.alloc(31).toString('base64'), 'base64')).toBeUndefined();
	});

	it('getHeader is case-insensitive and joins repeated headers', () => {
		expect(getHeader({ 'X-A': '1' }, 'x-a')).toBe('1');
		expect(getHeader({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1, 2');
		expect(getHeader({}, 'x-a')).toBeUndefined();
	});
});

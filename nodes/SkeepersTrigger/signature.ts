// Verifies that a delivery comes from Skeepers: a shared token (header or query string) or an
// HMAC-SHA256 signature of the raw body, with an optional timestamp window against replays.
// Pure: no n8n context; the caller passes headers, query, raw body and the clock.
//
// HMAC scheme (what the sender computes):
//   payload   = raw body bytes                                 (no timestamp header configured)
//   payload   = <timestamp header value, as sent> + "." + raw body bytes   (timestamp header configured)
//   signature = HMAC-SHA256(secret, payload), encoded hex (lower or upper case) or base64
//               (standard or URL-safe, padding optional)
//   header    = [<prefix>]<signature>, e.g. "X-Skeepers-Signature: sha256=9f86d0…"; the prefix
//               ("sha256=" by default) is optional on receipt. Several comma-separated
//               signatures are accepted (secret rotation): one match is enough.
// Timestamp: unix seconds or milliseconds (values above 10^11 are read as milliseconds); the
// delivery is refused when it is further than the tolerance from the receiver's clock, in
// either direction. In token modes the timestamp is checked too (but not bound to the body).
//
// Every comparison of secret material is constant-time (crypto.timingSafeEqual on equal-length
// digests), and no failure reason ever contains the secret, the token or a signature.
import { createHash, createHmac, timingSafeEqual } from 'crypto';

type AuthMode = 'tokenHeader' | 'tokenQuery' | 'hmac';
export type SignatureEncoding = 'hex' | 'base64';

export interface VerifyConfig {
	mode: AuthMode;
	secret: string;
	/** token-in-header mode: header carrying the token (`Authorization: Bearer …` also works). */
	headerName: string;
	/** token-in-query mode: query parameter carrying the token. */
	queryParameter: string;
	/** hmac mode: header carrying the signature. */
	signatureHeader: string;
	signatureEncoding: SignatureEncoding;
	/** Optional prefix before the signature, such as `sha256=`. */
	signaturePrefix: string;
	/** Empty: no timestamp required. */
	timestampHeader: string;
	toleranceSeconds: number;
}

export const DEFAULT_VERIFY_CONFIG: Omit<VerifyConfig, 'secret'> = {
	mode: 'hmac',
	headerName: 'X-Skeepers-Token',
	queryParameter: 'token',
	signatureHeader: 'X-Skeepers-Signature',
	signatureEncoding: 'hex',
	signaturePrefix: 'sha256=',
	timestampHeader: '',
	toleranceSeconds: 300,
};

export type HeaderBag = Record<string, string | string[] | undefined>;

export interface VerifyInput {
	headers: HeaderBag;
	query: Record<string, unknown>;
	rawBody: Buffer;
	/** Receiver clock, milliseconds since the epoch. */
	nowMs: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): VerifyResult => ({ ok: false, reason });

/** A header value by case-insensitive name; repeated headers are joined with ", ". */
export function getHeader(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.trim().toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value.join(', ') : value;
	}
	return undefined;
}

/** Parses a unix timestamp in seconds or milliseconds; returns milliseconds or undefined. */
export function parseTimestampMs(value: string): number | undefined {
	const text = value.trim();
	if (!/^\d{1,16}(\.\d+)?$/.test(text)) return undefined;
	const n = Number(text);
	if (!Number.isFinite(n)) return undefined;
	return n > 1e11 ? Math.floor(n) : Math.floor(n * 1000);
}

const sha256 = (data: string | Buffer): Buffer => createHash('sha256').update(data).digest();

/** Constant-time equality of two strings of any length (compares their SHA-256 digests). */
export function safeEqualStrings(a: string, b: string): boolean {
	return timingSafeEqual(sha256(Buffer.from(a, 'utf8')), sha256(Buffer.from(b, 'utf8')));
}

/** Decodes one signature as sent into the 32 digest bytes, or undefined when malformed. */
export function decodeSignature(value: string, encoding: SignatureEncoding): Buffer | undefined {
	const text = value.trim();
	if (encoding === 'hex') {
		if (!/^[0-9a-fA-F]{64}$/.test(text)) return undefined;
		return Buffer.from(text, 'hex');
	}
	if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)) return undefined;
	const decoded = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
	return decoded.length === 32 ? decoded : undefined;
}

/** Computes the signature a sender puts in the header (without the prefix). */
export function computeSignature(
	secret: string,
	rawBody: Buffer | string,
	encoding: SignatureEncoding = 'hex',
	timestamp?: string,
): string {
	const hmac = createHmac('sha256', secret);
	if (timestamp !== undefined) hmac.update(`${timestamp}.`, 'utf8');
	hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
	return hmac.digest(encoding);
}

function stripPrefix(value: string, prefix: string): string {
	const text = value.trim();
	if (prefix && text.toLowerCase().startsWith(prefix.toLowerCase())) {
		return text.slice(prefix.length).trim();
	}
	return text;
}

function checkTimestamp(
	config: VerifyConfig,
	input: VerifyInput,
): VerifyResult & { value?: string } {
	const value = getHeader(input.headers, config.timestampHeader);
	if (value === undefined || value.trim() === '') {
		return fail(`missing ${config.timestampHeader} header`);
	}
	const ms = parseTimestampMs(value);
	if (ms === undefined) return fail(`${config.timestampHeader} is not a unix timestamp`);
	const skewSeconds = (input.nowMs - ms) / 1000;
	if (skewSeconds > config.toleranceSeconds) {
		return fail(`timestamp is older than the ${config.toleranceSeconds} s tolerance`);
	}
	if (-skewSeconds > config.toleranceSeconds) {
		return fail(`timestamp is more than ${config.toleranceSeconds} s in the future`);
	}
	return { ok: true, value: value.trim() };
}

function verifyToken(presented: string | undefined, secret: string, where: string): VerifyResult {
	if (presented === undefined || presented.trim() === '') return fail(`missing token (${where})`);
	let token = presented.trim();
	if (/^bearer\s+/i.test(token)) token = token.replace(/^bearer\s+/i, '');
	return safeEqualStrings(token, secret) ? { ok: true } : fail('token does not match');
}

function firstQueryValue(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	return undefined;
}

/** Checks one delivery against the configuration. */
export function verifyDelivery(config: VerifyConfig, input: VerifyInput): VerifyResult {
	if (!config.secret) return fail('the credential has no secret');

	let timestamp: string | undefined;
	if (config.timestampHeader.trim() !== '') {
		const checked = checkTimestamp(config, input);
		if (!checked.ok) return checked;
		timestamp = checked.value;
	}

	if (config.mode === 'tokenHeader') {
		return verifyToken(
			getHeader(input.headers, config.headerName),
			config.secret,
			config.headerName,
		);
	}
	if (config.mode === 'tokenQuery') {
		return verifyToken(
			firstQueryValue(input.query[config.queryParameter]),
			config.secret,
			`query parameter "${config.queryParameter}"`,
		);
	}

	const header = getHeader(input.headers, config.signatureHeader);
	if (header === undefined || header.trim() === '') {
		return fail(`missing ${config.signatureHeader} header`);
	}
	const expected = Buffer.from(
		computeSignature(config.secret, input.rawBody, 'hex', timestamp),
		'hex',
	);
	let wellFormed = false;
	let matched = false;
	for (const part of header.split(',')) {
		const decoded = decodeSignature(
			stripPrefix(part, config.signaturePrefix),
			config.signatureEncoding,
		);
		if (!decoded) continue;
		wellFormed = true;
		// Compare every candidate (no early exit) so timing does not reveal which one matched.
		if (timingSafeEqual(decoded, expected)) matched = true;
	}
	if (!wellFormed) {
		return fail(
			`malformed ${config.signatureHeader} (expected ${config.signaturePrefix || ''}<${
				config.signatureEncoding === 'hex' ? '64 hex characters' : 'base64 of 32 bytes'
			}>)`,
		);
	}
	return matched ? { ok: true } : fail('signature does not match');
}

const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const text = (value: unknown, fallback: string): string =>
	typeof value === 'string'
		? value.trim()
		: value === undefined || value === null
			? fallback
			: String(value);

/** Reads the Skeepers Webhook API credential's fields into a verification config. */
export function verifyConfigFromCredential(data: Record<string, unknown>): VerifyConfig {
	const d = DEFAULT_VERIFY_CONFIG;
	const mode = data.mode === 'tokenHeader' || data.mode === 'tokenQuery' ? data.mode : 'hmac';
	const tolerance = Number(data.toleranceSeconds ?? d.toleranceSeconds);
	return {
		mode,
		secret: typeof data.secret === 'string' ? data.secret : '',
		headerName: text(data.headerName, d.headerName) || d.headerName,
		queryParameter: text(data.queryParameter, d.queryParameter) || d.queryParameter,
		signatureHeader: text(data.signatureHeader, d.signatureHeader) || d.signatureHeader,
		signatureEncoding: data.signatureEncoding === 'base64' ? 'base64' : 'hex',
		signaturePrefix: text(data.signaturePrefix, d.signaturePrefix),
		timestampHeader:
			data.useTimestamp === true ? text(data.timestampHeader, 'X-Skeepers-Timestamp') : '',
		toleranceSeconds: Number.isFinite(tolerance) && tolerance > 0 ? tolerance : d.toleranceSeconds,
	};
}

/** What is wrong with a configuration, in words a user can act on (empty: fine). */
export function configProblems(config: VerifyConfig): string[] {
	const problems: string[] = [];
	if (config.secret.length === 0) problems.push('the secret is empty');
	else if (config.secret.length < 16) problems.push('the secret is shorter than 16 characters');
	const headers: Array<[string, string]> = [];
	if (config.mode === 'tokenHeader') headers.push(['Header Name', config.headerName]);
	if (config.mode === 'hmac') headers.push(['Signature Header', config.signatureHeader]);
	if (config.timestampHeader !== '') headers.push(['Timestamp Header', config.timestampHeader]);
	for (const [label, value] of headers) {
		if (!TOKEN_CHARS.test(value))
			problems.push(`${label} "${value}" is not a valid HTTP header name`);
	}
	if (config.mode === 'tokenQuery' && !/^[A-Za-z0-9._~-]+$/.test(config.queryParameter)) {
		problems.push(
			`Query Parameter "${config.queryParameter}" should use only letters, digits and . _ ~ -`,
		);
	}
	if (config.timestampHeader !== '' && config.toleranceSeconds > 86400) {
		problems.push('the tolerance is longer than a day, which makes replays easy');
	}
	return problems;
}

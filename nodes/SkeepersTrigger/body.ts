// Turns the raw bytes of a delivery into events: content type, charset, JSON or form parsing,
// one event or a batch. Pure; every refusal carries the HTTP status to answer and a reason
// safe to send back (it never quotes more than the offending position of the body).

export type BodyKind = 'json' | 'form';

export interface ParsedContentType {
	/** Lower-case media type without parameters, '' when the header is absent. */
	mediaType: string;
	/** Lower-case charset parameter, 'utf-8' when absent. */
	charset: string;
}

export type BodyResult =
	| {
			ok: true;
			kind: BodyKind;
			/** The parsed body as received (object, array, or form fields). */
			body: unknown;
			/** One entry per event (an array body is a batch). */
			events: unknown[];
			mediaType: string;
			charset: string;
	  }
	| { ok: false; status: 400 | 415; error: string };

const refuse = (status: 400 | 415, error: string): BodyResult => ({ ok: false, status, error });

export function parseContentType(header: string | undefined): ParsedContentType {
	if (!header) return { mediaType: '', charset: 'utf-8' };
	const [type, ...params] = header.split(';');
	let charset = 'utf-8';
	for (const param of params) {
		const eq = param.indexOf('=');
		if (eq < 0) continue;
		if (param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
		charset = param
			.slice(eq + 1)
			.trim()
			.replace(/^"(.*)"$/, '$1')
			.toLowerCase();
	}
	return { mediaType: type.trim().toLowerCase(), charset };
}

const CHARSETS: Record<string, string> = {
	'utf-8': 'utf-8',
	utf8: 'utf-8',
	'us-ascii': 'utf-8',
	ascii: 'utf-8',
	'iso-8859-1': 'latin1',
	'iso-8859-15': 'iso-8859-15',
	latin1: 'latin1',
	'windows-1252': 'windows-1252',
	'utf-16le': 'utf-16le',
	'utf-16': 'utf-16le',
};

function isJsonType(mediaType: string): boolean {
	return (
		mediaType === 'application/json' ||
		mediaType === 'text/json' ||
		/^application\/[a-z0-9.+-]*\+json$/.test(mediaType)
	);
}

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Which parser a media type selects: 'sniff' looks at the first character. */
export function classifyMediaType(mediaType: string): BodyKind | 'sniff' | undefined {
	if (isJsonType(mediaType)) return 'json';
	if (mediaType === FORM_TYPE) return 'form';
	if (mediaType === '' || mediaType === 'text/plain') return 'sniff';
	return undefined;
}

function decode(bytes: Uint8Array, encoding: string): string | undefined {
	try {
		return new TextDecoder(encoding, { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

/** JSON.parse with a readable reason: line, column and position of the error. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const match = /position (\d+)/.exec(message);
		const position = match ? Number(match[1]) : text.length;
		const before = text.slice(0, position);
		const line = before.split('\n').length;
		const column = position - before.lastIndexOf('\n');
		// V8 messages may quote a slice of the body: keep only the part before it.
		const reason = message
			.replace(/, "[\s\S]*$/, '')
			.replace(/ in JSON at position \d+.*$/, '')
			.replace(/\s*\(line \d+ column \d+\)$/, '');
		const where = match ? `at line ${line} column ${column} (position ${position})` : 'at the end of the body';
		return { ok: false, error: `malformed JSON ${where}: ${reason}` };
	}
}

function percentDecode(bytes: Uint8Array): Uint8Array | undefined {
	const out: number[] = [];
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i];
		if (b === 0x2b) {
			out.push(0x20);
		} else if (b === 0x25) {
			const hex = String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0);
			if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
			out.push(parseInt(hex, 16));
			i += 2;
		} else {
			out.push(b);
		}
	}
	return Uint8Array.from(out);
}

function splitBytes(bytes: Uint8Array, separator: number): Uint8Array[] {
	const parts: Uint8Array[] = [];
	let start = 0;
	for (let i = 0; i <= bytes.length; i++) {
		if (i === bytes.length || bytes[i] === separator) {
			parts.push(bytes.subarray(start, i));
			start = i + 1;
		}
	}
	return parts;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	v !== null && typeof v === 'object' && !Array.isArray(v);


function addValue(node: Record<string, unknown>, key: string, value: string): void {
	const existing = node[key];
	node[key] =
		existing === undefined ? value : Array.isArray(existing) ? [...(existing as unknown[]), value] : [existing, value];
}

/**
 * Sets `a[b]`, `a[]` and `a[0][b]` style keys into nested objects and arrays; repeated keys
 * become arrays. Keys it cannot nest safely are kept literally.
 */
function assignField(target: Record<string, unknown>, key: string, value: string): void {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
	const path = match ? [match[1], ...match[2].slice(1, -1).split('][')] : [key];
	if (path.some((segment) => UNSAFE_KEYS.has(segment))) return;
	let node: Record<string, unknown> = target;
	for (let i = 0; i < path.length - 1; i++) {
		const segment = path[i];
		if (path[i + 1] === '' && i + 2 === path.length) {
			const existing = node[segment];
			if (existing === undefined || Array.isArray(existing)) {
				node[segment] = [...((existing as unknown[] | undefined) ?? []), value];
				return;
			}
			break;
		}
		if (segment === '') break;
		const child = node[segment];
		if (child === undefined) node[segment] = {};
		else if (!isPlainObject(child)) break;
		node = node[segment] as Record<string, unknown>;
		if (i === path.length - 2) {
			addValue(node, path[path.length - 1], value);
			return;
		}
	}
	addValue(target, key, value);
}

/** Objects whose keys are all array indexes (`answers[0][…]`) become arrays. */
function indexedToArrays(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(indexedToArrays);
	if (!isPlainObject(value)) return value;
	const keys = Object.keys(value);
	const converted: Record<string, unknown> = {};
	for (const k of keys) converted[k] = indexedToArrays(value[k]);
	if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
		return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]);
	}
	return converted;
}

/** Parses `application/x-www-form-urlencoded` bytes, decoding text with the given charset. */
export function parseForm(
	bytes: Uint8Array,
	encoding: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
	const fields: Record<string, unknown> = {};
	let index = 0;
	for (const pair of splitBytes(bytes, 0x26)) {
		index++;
		if (pair.length === 0) continue;
		const eq = pair.indexOf(0x3d);
		const rawKey = eq < 0 ? pair : pair.subarray(0, eq);
		const rawValue = eq < 0 ? new Uint8Array() : pair.subarray(eq + 1);
		const keyBytes = percentDecode(rawKey);
		const valueBytes = percentDecode(rawValue);
		if (!keyBytes || !valueBytes) {
			return { ok: false, error: `malformed form field #${index}: invalid percent-encoding` };
		}
		const key = decode(keyBytes, encoding);
		const value = decode(valueBytes, encoding);
		if (key === undefined || value === undefined) {
			return { ok: false, error: `malformed form field #${index}: not valid ${encoding} text` };
		}
		if (key === '') continue;
		assignField(fields, key, value);
	}
	return { ok: true, value: indexedToArrays(fields) as Record<string, unknown> };
}

/** Form fields that may carry the whole event as JSON (`payload={...}`). */
const JSON_ENVELOPE_FIELDS = ['payload', 'data', 'json', 'event', 'body'];

function looksLikeEvents(value: unknown): boolean {
	if (Array.isArray(value)) return value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
	return value !== null && typeof value === 'object';
}

/** Splits a parsed body into events: an array is a batch; `{ "events": [...] }` too. */
export function toEvents(body: unknown): { ok: true; events: unknown[] } | { ok: false; error: string } {
	let events: unknown[];
	if (Array.isArray(body)) {
		events = body;
	} else if (
		isPlainObject(body) &&
		Array.isArray(body.events) &&
		Object.keys(body).every((k) => ['events', 'count', 'batch_id', 'batchId', 'sent_at', 'sentAt'].includes(k))
	) {
		events = body.events as unknown[];
	} else {
		events = [body];
	}
	const bad = events.findIndex((e) => !isPlainObject(e));
	if (bad >= 0) {
		return {
			ok: false,
			error: Array.isArray(body)
				? `event #${bad + 1} of the batch is not a JSON object`
				: 'the body must be a JSON object or an array of objects',
		};
	}
	return { ok: true, events };
}

/** Parses a delivery. `rawBody` is exactly the bytes received. */
export function parseDelivery(rawBody: Uint8Array | undefined, contentTypeHeader: string | undefined): BodyResult {
	const { mediaType, charset } = parseContentType(contentTypeHeader);
	let kind = classifyMediaType(mediaType);
	if (kind === undefined) {
		return refuse(
			415,
			`unsupported content type "${mediaType}": send application/json or application/x-www-form-urlencoded`,
		);
	}
	const encoding = CHARSETS[charset];
	if (encoding === undefined) return refuse(415, `unsupported charset "${charset}"`);

	let bytes = rawBody ?? new Uint8Array();
	// A UTF-8 byte-order mark is not part of the content.
	if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
	const text = decode(bytes, encoding);
	if (text === undefined) return refuse(400, `the body is not valid ${charset} text`);
	if (text.trim() === '') return refuse(400, 'empty body: expected one event or an array of events');

	if (kind === 'sniff') {
		kind = /^\s*[[{]/.test(text) ? 'json' : /^[^=&\s]+=/.test(text) ? 'form' : undefined;
		if (kind === undefined) {
			return refuse(
				415,
				`cannot tell the format of a ${mediaType || 'body without content type'}: send application/json or application/x-www-form-urlencoded`,
			);
		}
	}

	let body: unknown;
	if (kind === 'json') {
		const parsed = parseJson(text);
		if (!parsed.ok) return refuse(400, parsed.error);
		body = parsed.value;
	} else {
		const parsed = parseForm(bytes, encoding);
		if (!parsed.ok) return refuse(400, parsed.error);
		body = parsed.value;
		const keys = Object.keys(parsed.value);
		if (keys.length === 1 && JSON_ENVELOPE_FIELDS.includes(keys[0].toLowerCase())) {
			const inner = parsed.value[keys[0]];
			if (typeof inner === 'string' && /^\s*[[{]/.test(inner)) {
				const json = parseJson(inner);
				if (!json.ok) return refuse(400, `form field "${keys[0]}": ${json.error}`);
				if (looksLikeEvents(json.value)) body = json.value;
			}
		}
	}

	const split = toEvents(body);
	if (!split.ok) return refuse(400, split.error);
	return { ok: true, kind, body, events: split.events, mediaType, charset };
}

// Turns the raw bytes of a delivery into events: content type, charset, JSON or form parsing,
// one event or a batch. Pure; every refusal carries the HTTP status to answer and a reason
// safe to send back (it never quotes more than the offending position of the body).
import { MAX_NESTING_DEPTH, nestsDeeperThan, tooDeep } from './limits';

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

/**
 * Finds where and why a JSON text is invalid (JSON.parse messages differ between Node versions
 * and may quote the body). A small recursive-descent scan, used only after JSON.parse failed.
 */
function locateJsonError(text: string): { position: number; reason: string } {
	let i = 0;
	const ws = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
	};
	const describe = (at: number) => {
		if (at >= text.length) return 'unexpected end of input';
		const code = text.charCodeAt(at);
		const shown =
			code < 0x20 || code === 0x7f
				? `U+${code.toString(16).padStart(4, '0').toUpperCase()}`
				: `'${text[at]}'`;
		return `unexpected character ${shown}`;
	};
	class Stop {
		constructor(
			readonly position: number,
			readonly reason: string,
		) {}
	}
	const expectChar = (c: string, what: string) => {
		ws();
		if (text[i] !== c) throw new Stop(i, `${describe(i)}, expected ${what}`);
		i++;
	};
	const string = () => {
		i++; // opening quote
		while (i < text.length) {
			const c = text[i];
			if (c === '"') {
				i++;
				return;
			}
			if (c === '\\') {
				const e = text[i + 1];
				if (e === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
						throw new Stop(i, 'invalid \\u escape in a string');
					i += 6;
					continue;
				}
				if (e === undefined || !'"\\/bfnrt'.includes(e))
					throw new Stop(i, 'invalid escape in a string');
				i += 2;
				continue;
			}
			if (c.charCodeAt(0) < 0x20) throw new Stop(i, 'control character in a string (escape it)');
			i++;
		}
		throw new Stop(i, 'unterminated string');
	};
	const value = (): void => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') {
				i++;
				return;
			}
			for (;;) {
				ws();
				if (text[i] !== '"')
					throw new Stop(i, `${describe(i)}, expected a property name in double quotes`);
				string();
				expectChar(':', "':'");
				value();
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === '}') {
					i++;
					return;
				}
				throw new Stop(i, `${describe(i)}, expected ',' or '}'`);
			}
		}
		if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') {
				i++;
				return;
			}
			for (;;) {
				value();
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === ']') {
					i++;
					return;
				}
				throw new Stop(i, `${describe(i)}, expected ',' or ']'`);
			}
		}
		if (c === '"') return string();
		const literal = /^(true|false|null)/.exec(text.slice(i, i + 5));
		if (literal) {
			i += literal[1].length;
			return;
		}
		const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
		if (number && number[0] !== '-' && number[0] !== '') {
			i += number[0].length;
			return;
		}
		throw new Stop(i, `${describe(i)}, expected a value`);
	};
	try {
		value();
		ws();
		if (i < text.length)
			return { position: i, reason: `${describe(i)} after the end of the JSON value` };
		return { position: text.length, reason: 'invalid JSON' };
	} catch (error) {
		if (error instanceof Stop) return { position: error.position, reason: error.reason };
		return { position: i, reason: 'invalid JSON' };
	}
}

/** JSON.parse with a readable reason: line, column and position of the error. */
export function parseJson(
	text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		const { position, reason } = locateJsonError(text);
		const before = text.slice(0, position);
		const line = before.split('\n').length;
		const column = position - before.lastIndexOf('\n');
		return {
			ok: false,
			error: `malformed JSON at line ${line} column ${column} (position ${position}): ${reason}`,
		};
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
		existing === undefined
			? value
			: Array.isArray(existing)
				? [...(existing as unknown[]), value]
				: [existing, value];
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
		// `a[b][c]…`: each bracket is one more level; refused before anything nests.
		if (key.split('[').length > MAX_NESTING_DEPTH) return { ok: false, error: tooDeep() };
		assignField(fields, key, value);
	}
	return { ok: true, value: indexedToArrays(fields) as Record<string, unknown> };
}

/** Form fields that may carry the whole event as JSON (`payload={...}`). */
const JSON_ENVELOPE_FIELDS = ['payload', 'data', 'json', 'event', 'body'];

function looksLikeEvents(value: unknown): boolean {
	if (Array.isArray(value))
		return value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
	return value !== null && typeof value === 'object';
}

/** Splits a parsed body into events: an array is a batch; `{ "events": [...] }` too. */
function toEvents(body: unknown): { ok: true; events: unknown[] } | { ok: false; error: string } {
	let events: unknown[];
	if (Array.isArray(body)) {
		events = body;
	} else if (
		isPlainObject(body) &&
		Array.isArray(body.events) &&
		Object.keys(body).every((k) =>
			['events', 'count', 'batch_id', 'batchId', 'sent_at', 'sentAt'].includes(k),
		)
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
export function parseDelivery(
	rawBody: Uint8Array | undefined,
	contentTypeHeader: string | undefined,
): BodyResult {
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
	if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
		bytes = bytes.subarray(3);
	const text = decode(bytes, encoding);
	if (text === undefined) return refuse(400, `the body is not valid ${charset} text`);
	if (text.trim() === '')
		return refuse(400, 'empty body: expected one event or an array of events');

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

	if (nestsDeeperThan(body, MAX_NESTING_DEPTH)) return refuse(400, tooDeep());
	const split = toEvents(body);
	if (!split.ok) return refuse(400, split.error);
	return { ok: true, kind, body, events: split.events, mediaType, charset };
}

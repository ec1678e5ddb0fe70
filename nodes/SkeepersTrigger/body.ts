// Turns the raw bytes of a delivery into events: content type, charset, the JSON (json.ts) or
// form (form.ts) parser, one event or a batch, within the limits of limits.ts (body size, depth,
// event count, event size). Pure; every refusal carries the HTTP status to answer and a reason
// safe to send back (it never quotes more than the offending position of the body).
import { decode, parseForm } from './form';
import { parseJson } from './json';
import {
	eventBytes,
	eventTooLarge,
	MAX_BODY_BYTES,
	MAX_EVENT_BYTES,
	MAX_EVENTS_PER_DELIVERY,
	tooLarge,
	tooManyEvents,
} from './limits';
import { isObj } from './lookup';

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

/** Form fields that may carry the whole event as JSON (`payload={...}`). */
const JSON_ENVELOPE_FIELDS = ['payload', 'data', 'json', 'event', 'body'];

function looksLikeEvents(value: unknown): boolean {
	if (Array.isArray(value))
		return value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
	return value !== null && typeof value === 'object';
}

/**
 * Splits a parsed body into events: an array is a batch; `{ "events": [...] }` too. Within the
 * limits of limits.ts: at most MAX_EVENTS_PER_DELIVERY events (counted before anything else is
 * looked at), each at most MAX_EVENT_BYTES.
 */
function toEvents(body: unknown): { ok: true; events: unknown[] } | { ok: false; error: string } {
	let events: unknown[];
	if (Array.isArray(body)) {
		events = body;
	} else if (
		isObj(body) &&
		Array.isArray(body.events) &&
		Object.keys(body).every((k) =>
			['events', 'count', 'batch_id', 'batchId', 'sent_at', 'sentAt'].includes(k),
		)
	) {
		events = body.events as unknown[];
	} else {
		events = [body];
	}
	if (events.length > MAX_EVENTS_PER_DELIVERY)
		return { ok: false, error: tooManyEvents(events.length) };
	const bad = events.findIndex((e) => !isObj(e));
	if (bad >= 0) {
		return {
			ok: false,
			error: Array.isArray(body)
				? `event #${bad + 1} of the batch is not a JSON object`
				: 'the body must be a JSON object or an array of objects',
		};
	}
	for (let i = 0; i < events.length; i++) {
		const bytes = eventBytes(events[i]);
		if (bytes > MAX_EVENT_BYTES) return { ok: false, error: eventTooLarge(i, bytes) };
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
	// Before decoding or parsing anything: the bound on everything that follows.
	if (bytes.length > MAX_BODY_BYTES) return refuse(400, tooLarge(bytes.length));
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
		const parsed = parseJson(text, MAX_EVENTS_PER_DELIVERY);
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
				const json = parseJson(inner, MAX_EVENTS_PER_DELIVERY);
				if (!json.ok) return refuse(400, `form field "${keys[0]}": ${json.error}`);
				if (looksLikeEvents(json.value)) body = json.value;
			}
		}
	}

	// Depth is already bounded: parseJson refuses a text nesting deeper than MAX_NESTING_DEPTH
	// before parsing it, parseForm a key with more levels.
	const split = toEvents(body);
	if (!split.ok) return refuse(400, split.error);
	return { ok: true, kind, body, events: split.events, mediaType, charset };
}

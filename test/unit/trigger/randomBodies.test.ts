// Property-based checks (fast-check) over random JSON and form bodies, nested and wide: the
// trigger's pure functions never throw; a delivery is accepted (one normalised event per event,
// the events deep-equal to what was sent, `raw` the event itself and untouched, `recognition`
// accounting for every field, NPS 0..10 or null) or refused with a 4xx and a reason; bodies over
// a limit of limits.ts are always refused with 400. Fixed seeds: the same cases every run, and a
// failure prints its counterexample and the seed and path to replay it.
import fc from 'fast-check';

import { parseDelivery } from '../../../nodes/SkeepersTrigger/body';
import { FIELDS, normalizeEvent } from '../../../nodes/SkeepersTrigger/event';
import { NO_FILTERS } from '../../../nodes/SkeepersTrigger/filters';
import {
	MAX_EVENTS_PER_DELIVERY,
	MAX_FORM_FIELDS,
	MAX_NESTING_DEPTH,
	tooDeep,
} from '../../../nodes/SkeepersTrigger/limits';
import { readEvents } from '../../../nodes/SkeepersTrigger/readEvents';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const run = (seed: number, numRuns: number) => ({ seed, numRuns });

/** Keys the recognition looks for, and keys that have bitten parsers before. */
const KEYS = [
	'id',
	'event_id',
	'eventId',
	'data',
	'event',
	'event_data',
	'payload',
	'respondent',
	'contact',
	'customer',
	'person',
	'email',
	'nps',
	'score',
	'answers',
	'question',
	'value',
	'type',
	'title',
	'comment',
	'attributes',
	'traits',
	'hidden',
	'form_response',
	'name',
	'labels',
	'flags',
	'campaign',
	'count',
	'__proto__',
	'constructor',
	'prototype',
	'toString',
	'é',
	'',
	'a.b',
	'[0]',
	'x'.repeat(300),
] as const;

const key = fc.oneof(
	{ weight: 3, arbitrary: fc.constantFrom(...KEYS) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
	{ weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

/** Scalars a sender may put where a score, date, e-mail or id is expected, and any other. */
const scalar = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.constantFrom<unknown>(
			null,
			true,
			false,
			0,
			-0,
			-1,
			7,
			10,
			11,
			10.5,
			1e308,
			-1e-7,
			'',
			' ',
			'9',
			'9/10',
			'10 ',
			'NaN',
			'x@y.z',
			'ü😀',
			'\u0000',
			'\ud800',
			'1741944000',
			'2025-03-14T09:20:00Z',
		),
	},
	{ weight: 1, arbitrary: fc.integer({ min: -20, max: 20 }) },
	{ weight: 1, arbitrary: fc.double({ noDefaultInfinity: true, noNaN: true }) },
	{ weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** JSON-like values, nested (up to `maxDepth`) and now and then wide. */
const valueOf = (maxDepth: number) =>
	fc.letrec<{ value: unknown }>((tie) => ({
		value: fc.oneof(
			{ depthSize: 'small', maxDepth },
			{ weight: 3, arbitrary: scalar },
			{ weight: 2, arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 6 }) },
			{ weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 6 }) },
			{ weight: 1, arbitrary: fc.array(scalar, { minLength: 50, maxLength: 300 }) },
			{ weight: 1, arbitrary: fc.dictionary(key, scalar, { minKeys: 30, maxKeys: 120 }) },
		),
	})).value;

const event = fc.dictionary(key, valueOf(4), { maxKeys: 10 });

/** A body as a sender may send it: one event, a batch, an `events` envelope, or anything. */
const jsonBody = fc.oneof(
	{ weight: 3, arbitrary: event },
	{ weight: 2, arbitrary: fc.array(event, { maxLength: 12 }) },
	{ weight: 1, arbitrary: fc.record({ events: fc.array(event, { maxLength: 5 }) }) },
	{
		weight: 1,
		arbitrary: fc.record({ events: fc.array(event, { maxLength: 5 }), count: fc.nat(9) }),
	},
	{ weight: 1, arbitrary: fc.jsonValue({ maxDepth: 6 }) },
	{ weight: 1, arbitrary: valueOf(8) },
);

/** The events a body carries, by the documented rule (trigger.md): the oracle. */
function expectedEvents(body: unknown): unknown[] {
	if (Array.isArray(body)) return body;
	if (
		body !== null &&
		typeof body === 'object' &&
		Array.isArray((body as { events?: unknown }).events) &&
		Object.keys(body).every((k) =>
			['events', 'count', 'batch_id', 'batchId', 'sent_at', 'sentAt'].includes(k),
		)
	)
		return (body as { events: unknown[] }).events;
	return [body];
}

const isEventObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What every accepted event must satisfy once normalised (`raw` is the event, untouched). */
function checkNormalized(event: unknown, deeperThanJson = false): void {
	// (JSON.stringify itself overflows the stack on events thousands of levels deep.)
	const snapshot = deeperThanJson ? undefined : JSON.stringify(event);
	const normalized = normalizeEvent(event as Record<string, unknown>, 'now');
	expect(normalized.raw).toBe(event);
	if (!deeperThanJson) expect(JSON.stringify(normalized.raw)).toBe(snapshot);
	const { found, missing } = normalized.recognition;
	// found ∪ missing = every field, and no field is both.
	expect([...Object.keys(found), ...missing].sort()).toEqual([...FIELDS].sort());
	expect(normalized.eventId.length).toBeGreaterThan(0);
	const score = normalized.nps.score;
	expect(score === null || (Number.isInteger(score) && score >= 0 && score <= 10)).toBe(true);
}

/** Parses `bytes` the way a delivery is read and checks the verdict and every event. */
function checkDelivery(
	bytes: Buffer,
	contentType: string,
	sent?: unknown[],
): ReturnType<typeof parseDelivery> {
	const parsed = parseDelivery(bytes, contentType);
	const read = readEvents(
		{ headers: { 'content-type': contentType } },
		{ bytes, exact: true },
		NO_FILTERS,
	);
	if (!parsed.ok) {
		expect([400, 415]).toContain(parsed.status);
		expect(parsed.error.length).toBeGreaterThan(0);
		expect(read).toEqual(parsed);
		return parsed;
	}
	if (sent !== undefined) expect(parsed.events).toEqual(sent);
	for (const event of parsed.events) checkNormalized(event);
	// One normalised item per event, in order, each keeping its event.
	expect(read.ok).toBe(true);
	if (read.ok) {
		expect(read.normalized.map((n) => n.raw)).toEqual(parsed.events);
		expect(read.kept).toHaveLength(parsed.events.length);
	}
	return parsed;
}

describe('random JSON bodies', () => {
	it('accepted with one event per element, deep-equal to what was sent, or refused 400', () => {
		fc.assert(
			fc.property(jsonBody, (value) => {
				const text = JSON.stringify(value) ?? 'null';
				const sent = JSON.parse(text) as unknown;
				const events = expectedEvents(sent);
				const valid = events.length <= MAX_EVENTS_PER_DELIVERY && events.every(isEventObject);
				const parsed = checkDelivery(utf8(text), JSON_TYPE, valid ? events : undefined);
				// Valid bodies (all well under the size limits) are accepted; the others refused 400.
				expect(parsed.ok).toBe(valid);
				if (!parsed.ok) expect(parsed.status).toBe(400);
			}),
			run(1, 200),
		);
	});

	it('any text, any declared type: never throws; 2xx-able, or 400 / 415 with a reason', () => {
		const text = fc.oneof(
			fc.string({ unit: 'grapheme', maxLength: 60 }),
			fc.json({ maxDepth: 4 }),
			// JSON cut or damaged somewhere.
			fc
				.tuple(fc.json({ maxDepth: 4 }), fc.nat(), fc.string({ maxLength: 3 }))
				.map(([json, at, junk]) => json.slice(0, at % (json.length + 1)) + junk),
		);
		const type = fc.constantFrom(
			JSON_TYPE,
			'application/json; charset=iso-8859-1',
			'application/vnd.x+json',
			'text/plain',
			'',
			FORM_TYPE,
			'application/xml',
			'application/json; charset=klingon',
		);
		fc.assert(
			fc.property(text, type, (body, contentType) => {
				checkDelivery(utf8(body), contentType);
			}),
			run(2, 400),
		);
	});

	it('random bytes: never throws', () => {
		fc.assert(
			fc.property(
				fc.uint8Array({ maxLength: 200 }),
				fc.constantFrom(JSON_TYPE, FORM_TYPE, 'text/plain'),
				(bytes, contentType) => {
					checkDelivery(Buffer.from(bytes), contentType);
				},
			),
			run(3, 300),
		);
	});

	it(`wide batches: up to ${MAX_EVENTS_PER_DELIVERY} events accepted one item each, more refused 400`, () => {
		const small = fc.dictionary(fc.constantFrom('id', 'nps', 'email', 'x'), scalar, {
			maxKeys: 3,
		});
		fc.assert(
			fc.property(
				fc.integer({ min: MAX_EVENTS_PER_DELIVERY - 3, max: MAX_EVENTS_PER_DELIVERY + 3 }),
				small,
				(n, one) => {
					const batch = Array.from({ length: n }, (_, i) => ({ ...one, i }));
					const parsed = checkDelivery(
						utf8(JSON.stringify(batch)),
						JSON_TYPE,
						n <= MAX_EVENTS_PER_DELIVERY ? batch : undefined,
					);
					expect(parsed.ok).toBe(n <= MAX_EVENTS_PER_DELIVERY);
					if (!parsed.ok) expect(parsed.error).toMatch(/^the delivery holds [\d,]+ events/);
				},
			),
			run(4, 6),
		);
	});
});

describe('nesting', () => {
	/** `levels` levels of single-key objects and one-element arrays around an empty one. */
	const nestedText = (wrappers: boolean[]) =>
		wrappers.map((array) => (array ? '[' : '{"a":')).join('') +
		'{}' +
		[...wrappers]
			.reverse()
			.map((array) => (array ? ']' : '}'))
			.join('');

	it(`bodies up to ${MAX_NESTING_DEPTH} levels are read; deeper ones are always a 400 with the reason`, () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.integer({ min: 1, max: MAX_NESTING_DEPTH }),
					fc.integer({ min: MAX_NESTING_DEPTH + 1, max: 10_000 }),
				),
				fc.boolean(),
				fc.infiniteStream(fc.boolean()),
				(levels, inEnvelope, kinds) => {
					const wrappers = [...kinds.take(levels - 1)];
					const text = nestedText(wrappers);
					// Inside an event (an id-less one: its hash walks every level), or the body itself.
					const body = inEnvelope ? `{"event":"x","data":${text}}` : text;
					const depth = levels + (inEnvelope ? 1 : 0);
					const parsed = checkDelivery(utf8(body), JSON_TYPE);
					if (depth > MAX_NESTING_DEPTH) {
						expect(parsed).toEqual({ ok: false, status: 400, error: tooDeep() });
					} else if (inEnvelope || !wrappers[0]) {
						expect(parsed.ok).toBe(true);
					}
				},
			),
			run(5, 120),
		);
	});

	it('deep and unbalanced or damaged JSON: never throws, always 400', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: MAX_NESTING_DEPTH + 1, max: 20_000 }),
				fc.constantFrom('[', '{"a":', '{"a":[', '["\\"",'),
				fc.string({ maxLength: 4 }),
				(levels, open, tail) => {
					const parsed = checkDelivery(utf8(open.repeat(levels) + tail), JSON_TYPE);
					expect(parsed).toMatchObject({ ok: false, status: 400 });
				},
			),
			run(6, 60),
		);
	});

	it('normalizeEvent alone never throws on an event nested thousands of levels deep', () => {
		fc.assert(
			fc.property(fc.integer({ min: 100, max: 20_000 }), fc.boolean(), (levels, arrays) => {
				let inner: unknown = { nps: 3 };
				for (let i = 0; i < levels; i++) inner = arrays ? [inner] : { data: inner };
				checkNormalized({ event: 'x', data: inner }, true);
			}),
			run(7, 20),
		);
	});
});

describe('random form bodies', () => {
	const word = fc.constantFrom('a', 'b', 'email', 'nps', 'answers', 'respondent', 'x y', 'é', '');
	const segment = fc.oneof(
		fc.constant('[]'),
		fc.nat(3).map((i) => `[${i}]`),
		word.map((w) => `[${w}]`),
	);
	/** A key with brackets (`a[b][0]`, `a[]`), or none; repeated keys are likely (small pool). */
	const formKey = fc
		.tuple(word, fc.array(segment, { maxLength: 4 }))
		.map(([head, path]) => head + path.join(''));
	const formValue = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('9', '10', 'a@b.c', ''));
	/** Percent-encodes a text, with `+` for spaces or `%20`, in upper or lower case hex. */
	const encoded = (text: string, plus: boolean, lower: boolean) =>
		Array.from(Buffer.from(text, 'utf8'))
			.map((b) => {
				if (b === 0x20 && plus) return '+';
				if (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b))) return String.fromCharCode(b);
				const hex = b.toString(16).padStart(2, '0');
				return `%${lower ? hex : hex.toUpperCase()}`;
			})
			.join('');
	const formOf = (keys: fc.Arbitrary<string>) =>
		fc
			.tuple(fc.array(fc.tuple(keys, formValue), { maxLength: 25 }), fc.boolean(), fc.boolean())
			.map(([pairs, plus, lower]) => ({
				pairs,
				text: pairs
					.map(([k, v]) => `${encoded(k, plus, lower)}=${encoded(v, plus, lower)}`)
					.join('&'),
			}));

	it('never throws; one event holding every plain field (repeated ones as lists, in order)', () => {
		// Keys with brackets, or plain keys only (where the oracle below covers every field).
		fc.assert(
			fc.property(fc.oneof(formOf(formKey), formOf(word)), ({ pairs, text }) => {
				const parsed = checkDelivery(utf8(text), FORM_TYPE);
				if (text === '') return;
				expect(parsed.ok).toBe(true);
				if (!parsed.ok) return;
				expect(parsed.events).toHaveLength(1);
				const event = parsed.events[0] as Record<string, unknown>;
				// The fields without brackets: the oracle is plain (a list when repeated).
				const plain = new Map<string, string[]>();
				for (const [k, v] of pairs) {
					if (k === '' || /[[\]]/.test(k)) continue;
					plain.set(k, [...(plain.get(k) ?? []), v]);
				}
				for (const [k, values] of plain) {
					if (pairs.some(([other]) => other !== k && other.startsWith(`${k}[`))) continue;
					expect(event[k]).toEqual(values.length === 1 ? values[0] : values);
				}
			}),
			run(8, 300),
		);
	});

	it('raw form bytes, bad percent-encoding, keys deeper than the limit: never throws, 400 with a reason', () => {
		const hostile = fc.oneof(
			fc.string({ maxLength: 40 }),
			fc.constantFrom('a=%', 'a=%G1', '%zz=1', 'a[=1', 'a]=1', '=1', '&&&', 'a[b]c=1', 'a[][]=1'),
			fc
				.integer({ min: MAX_NESTING_DEPTH - 2, max: 5000 })
				.map((levels) => 'a' + '[b]'.repeat(levels) + '=1'),
		);
		fc.assert(
			fc.property(hostile, (text) => {
				const parsed = checkDelivery(utf8(text), FORM_TYPE);
				const levels = text.split('[').length;
				if (levels > MAX_NESTING_DEPTH)
					expect(parsed).toEqual({ ok: false, status: 400, error: tooDeep() });
			}),
			run(9, 300),
		);
	});

	it('a JSON batch in a payload= field: its events, deep-equal', () => {
		fc.assert(
			fc.property(fc.array(event, { minLength: 1, maxLength: 8 }), (batch) => {
				const text = JSON.stringify(batch);
				checkDelivery(
					utf8('payload=' + encodeURIComponent(text)),
					FORM_TYPE,
					JSON.parse(text) as unknown[],
				);
			}),
			run(10, 80),
		);
	});

	it(`wide forms: up to ${MAX_FORM_FIELDS} fields read, more refused 400`, () => {
		fc.assert(
			fc.property(
				fc.integer({ min: MAX_FORM_FIELDS - 2, max: MAX_FORM_FIELDS + 2 }),
				fc.boolean(),
				(n, repeated) => {
					const text = Array.from({ length: n }, (_, i) => `${repeated ? 'k' : `k${i}`}=${i}`).join(
						'&',
					);
					const parsed = checkDelivery(utf8(text), FORM_TYPE);
					expect(parsed.ok).toBe(n <= MAX_FORM_FIELDS);
				},
			),
			run(11, 8),
		);
	});
});

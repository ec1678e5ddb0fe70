import {
	classifyMediaType,
	parseContentType,
	parseDelivery,
} from '../../../nodes/SkeepersTrigger/body';
import { parseForm } from '../../../nodes/SkeepersTrigger/form';
import { parseJson } from '../../../nodes/SkeepersTrigger/json';
import {
	eventBytes,
	MAX_BODY_BYTES,
	MAX_EVENT_BYTES,
	MAX_EVENTS_PER_DELIVERY,
	MAX_FORM_FIELDS,
	MAX_NESTING_DEPTH,
	nestsDeeperThan,
} from '../../../nodes/SkeepersTrigger/limits';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('content type', () => {
	it('reads the media type and charset parameter, case-insensitively and quoted', () => {
		expect(parseContentType('Application/JSON; Charset="UTF-8"')).toEqual({
			mediaType: 'application/json',
			charset: 'utf-8',
		});
		expect(parseContentType('application/x-www-form-urlencoded;charset=ISO-8859-1')).toEqual({
			mediaType: 'application/x-www-form-urlencoded',
			charset: 'iso-8859-1',
		});
		expect(parseContentType(undefined)).toEqual({ mediaType: '', charset: 'utf-8' });
	});

	it('selects a parser per media type', () => {
		expect(classifyMediaType('application/json')).toBe('json');
		expect(classifyMediaType('application/vnd.skeepers.event+json')).toBe('json');
		expect(classifyMediaType('application/x-www-form-urlencoded')).toBe('form');
		expect(classifyMediaType('text/plain')).toBe('sniff');
		expect(classifyMediaType('')).toBe('sniff');
		expect(classifyMediaType('application/xml')).toBeUndefined();
		expect(classifyMediaType('multipart/form-data')).toBeUndefined();
	});
});

describe('parseDelivery', () => {
	it('parses one JSON event', () => {
		const r = parseDelivery(utf8('{"event":"response.completed","id":"e1"}'), 'application/json');
		expect(r).toMatchObject({
			ok: true,
			kind: 'json',
			events: [{ event: 'response.completed', id: 'e1' }],
		});
	});

	it('splits a JSON array into one event per element', () => {
		const r = parseDelivery(
			utf8('[{"id":"a"},{"id":"b"},{"id":"c"}]'),
			'application/json; charset=utf-8',
		);
		expect(r.ok && r.events).toEqual([{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
	});

	it('unwraps an { "events": [...] } envelope, but not an event that has other fields', () => {
		const env = parseDelivery(
			utf8('{"events":[{"id":"a"},{"id":"b"}],"count":2}'),
			'application/json',
		);
		expect(env.ok && env.events).toEqual([{ id: 'a' }, { id: 'b' }]);
		const single = parseDelivery(utf8('{"id":"x","events":[{"id":"a"}]}'), 'application/json');
		expect(single.ok && single.events).toEqual([{ id: 'x', events: [{ id: 'a' }] }]);
	});

	it('an empty array is a valid batch of zero events', () => {
		expect(parseDelivery(utf8('[]'), 'application/json')).toMatchObject({ ok: true, events: [] });
	});

	it('refuses an empty or blank body with 400', () => {
		for (const body of ['', '   \n', undefined]) {
			const r = parseDelivery(body === undefined ? undefined : utf8(body), 'application/json');
			expect(r).toEqual({
				ok: false,
				status: 400,
				error: 'empty body: expected one event or an array of events',
			});
		}
	});

	it('refuses malformed JSON with 400 and the line, column and position', () => {
		const r = parseDelivery(utf8('{\n  "event": "x",\n  "id": }'), 'application/json');
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.status).toBe(400);
		expect(r.error).toBe(
			"malformed JSON at line 3 column 9 (position 26): unexpected character '}', expected a value",
		);
		const truncated = parseDelivery(utf8('{"event": "x"'), 'application/json');
		expect(!truncated.ok && truncated.error).toBe(
			"malformed JSON at line 1 column 14 (position 13): unexpected end of input, expected ',' or '}'",
		);
		const trailing = parseDelivery(utf8('{"a":1} x'), 'application/json');
		expect(!trailing.ok && trailing.error).toContain(
			"position 8): unexpected character 'x' after the end of the JSON value",
		);
	});

	it('does not quote the body back in a JSON error', () => {
		const r = parseDelivery(utf8('{"secretish": "do-not-echo-me" oops}'), 'application/json');
		expect(!r.ok && r.error).not.toContain('do-not-echo-me');
	});

	it('refuses JSON that is not an object or an array of objects', () => {
		expect(parseDelivery(utf8('42'), 'application/json')).toEqual({
			ok: false,
			status: 400,
			error: 'the body must be a JSON object or an array of objects',
		});
		expect(parseDelivery(utf8('[{"id":1}, "x"]'), 'application/json')).toEqual({
			ok: false,
			status: 400,
			error: 'event #2 of the batch is not a JSON object',
		});
	});

	it('refuses an unsupported content type with 415', () => {
		const r = parseDelivery(utf8('<event/>'), 'application/xml');
		expect(r).toMatchObject({ ok: false, status: 415 });
		expect(!r.ok && r.error).toContain('application/xml');
		expect(parseDelivery(utf8('{}'), 'multipart/form-data; boundary=x')).toMatchObject({
			ok: false,
			status: 415,
		});
	});

	it('refuses an unknown charset with 415 and invalid bytes with 400', () => {
		expect(parseDelivery(utf8('{}'), 'application/json; charset=ebcdic')).toEqual({
			ok: false,
			status: 415,
			error: 'unsupported charset "ebcdic"',
		});
		expect(parseDelivery(Buffer.from([0x7b, 0xff, 0x7d]), 'application/json')).toMatchObject({
			ok: false,
			status: 400,
		});
	});

	it('decodes the declared charset (latin1) and strips a UTF-8 BOM', () => {
		const latin1 = Buffer.from('{"prenom":"Zoë"}', 'latin1');
		expect(parseDelivery(latin1, 'application/json; charset=ISO-8859-1')).toMatchObject({
			ok: true,
			events: [{ prenom: 'Zoë' }],
		});
		const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('{"nom":"李"}')]);
		expect(parseDelivery(bom, 'application/json')).toMatchObject({
			ok: true,
			events: [{ nom: '李' }],
		});
	});

	it('sniffs text/plain and a missing content type: JSON, form, or 415', () => {
		expect(parseDelivery(utf8('{"id":"a"}'), 'text/plain')).toMatchObject({
			ok: true,
			kind: 'json',
		});
		expect(parseDelivery(utf8('id=a&event=x'), undefined)).toMatchObject({
			ok: true,
			kind: 'form',
			events: [{ id: 'a', event: 'x' }],
		});
		expect(parseDelivery(utf8('hello world'), 'text/plain')).toMatchObject({
			ok: false,
			status: 415,
		});
	});

	it('parses form-encoded bodies with nesting, arrays and UTF-8', () => {
		const body =
			'event=response.completed&respondent%5Bfirst_name%5D=Zo%C3%AB&respondent[last_name]=%C3%86r%C3%B8sk%C3%B8bing' +
			'&labels[]=a&labels[]=b&flags=vip&flags=cart&answers[0][question]=NPS+%3F&answers[0][value]=9&answers[1][question]=Q2&answers[1][value]=';
		const r = parseDelivery(utf8(body), 'application/x-www-form-urlencoded');
		expect(r).toMatchObject({ ok: true, kind: 'form' });
		expect(r.ok && r.events[0]).toEqual({
			event: 'response.completed',
			respondent: { first_name: 'Zoë', last_name: 'Ærøskøbing' },
			labels: ['a', 'b'],
			flags: ['vip', 'cart'],
			answers: [
				{ question: 'NPS ?', value: '9' },
				{ question: 'Q2', value: '' },
			],
		});
	});

	it('reads a form whose single field carries the JSON event (payload=...)', () => {
		const json = JSON.stringify([{ id: 'a' }, { id: 'b' }]);
		const r = parseDelivery(
			utf8(`payload=${encodeURIComponent(json)}`),
			'application/x-www-form-urlencoded',
		);
		expect(r.ok && r.events).toEqual([{ id: 'a' }, { id: 'b' }]);
		const bad = parseDelivery(utf8('payload=%7B%22id%22%3A'), 'application/x-www-form-urlencoded');
		expect(bad).toMatchObject({ ok: false, status: 400 });
		expect(!bad.ok && bad.error).toMatch(/^form field "payload": malformed JSON/);
	});

	it('refuses bad percent-encoding with 400', () => {
		expect(parseDelivery(utf8('a=%zz&b=1'), 'application/x-www-form-urlencoded')).toEqual({
			ok: false,
			status: 400,
			error: 'malformed form field #1: invalid percent-encoding',
		});
	});
});

describe('parseForm / parseJson details', () => {
	it('ignores prototype-polluting keys', () => {
		const r = parseForm(utf8('__proto__[x]=1&constructor[prototype][y]=2&ok=1'), 'utf-8');
		expect(r).toEqual({ ok: true, value: { ok: '1' } });
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});

	it('keeps keys it cannot nest literally, and repeated scalars as arrays', () => {
		const r = parseForm(utf8('a=1&a[b]=2&x=1&x=2&x=3'), 'utf-8');
		expect(r).toEqual({ ok: true, value: { a: '1', 'a[b]': '2', x: ['1', '2', '3'] } });
	});

	it('parseJson returns the value or a reason', () => {
		expect(parseJson('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
		expect(parseJson('{"a":}')).toMatchObject({ ok: false });
		expect(parseJson('{a:1}')).toEqual({
			ok: false,
			error:
				"malformed JSON at line 1 column 2 (position 1): unexpected character 'a', expected a property name in double quotes",
		});
		expect(parseJson('{"a":"\\q"}')).toMatchObject({
			ok: false,
			error: expect.stringContaining('invalid escape in a string'),
		});
		expect(parseJson('"abc')).toMatchObject({
			ok: false,
			error: expect.stringContaining('unterminated string'),
		});
		expect(parseJson('[1,2,]')).toMatchObject({
			ok: false,
			error: expect.stringContaining("(position 5): unexpected character ']'"),
		});
	});
});

describe('nesting limit', () => {
	const nested = (levels: number) => '{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);

	it(`accepts ${MAX_NESTING_DEPTH} levels, refuses one more with a 400 and the reason`, () => {
		expect(parseDelivery(utf8(nested(MAX_NESTING_DEPTH)), 'application/json').ok).toBe(true);
		expect(parseDelivery(utf8(nested(MAX_NESTING_DEPTH + 1)), 'application/json')).toEqual({
			ok: false,
			status: 400,
			error: `the body nests objects or arrays deeper than ${MAX_NESTING_DEPTH} levels (the trigger's limit)`,
		});
	});

	it('a body nested thousands of levels deep (JSON, arrays, form keys, form payload field) is a 400', () => {
		const deepJson = '{"data":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
		expect(parseDelivery(utf8(deepJson), 'application/json')).toMatchObject({
			ok: false,
			status: 400,
		});
		const deepKey = 'a' + '[b]'.repeat(5000) + '=1';
		expect(parseDelivery(utf8(deepKey), 'application/x-www-form-urlencoded')).toMatchObject({
			ok: false,
			status: 400,
		});
		const envelope = 'payload=' + encodeURIComponent(nested(5000));
		expect(parseDelivery(utf8(envelope), 'application/x-www-form-urlencoded')).toMatchObject({
			ok: false,
			status: 400,
		});
	});

	it('nestsDeeperThan counts the top level as 1 and ignores scalars', () => {
		expect(nestsDeeperThan(1, 0)).toBe(false);
		expect(nestsDeeperThan({}, 1)).toBe(false);
		expect(nestsDeeperThan({ a: [] }, 1)).toBe(true);
		expect(nestsDeeperThan({ a: [1, 'x', null] }, 2)).toBe(false);
	});
});

describe('size and count limits (each at the limit, then one over)', () => {
	const JSON_TYPE = 'application/json';
	const FORM_TYPE = 'application/x-www-form-urlencoded';
	/** One event whose compact JSON is exactly `bytes` long. */
	const eventOf = (bytes: number) => `{"c":"${'x'.repeat(bytes - 8)}"}`;
	const refused = (error: string) => ({ ok: false, status: 400, error });

	it(`a body of ${MAX_BODY_BYTES} bytes is read; one byte more is a 400 before parsing`, () => {
		// 16 events of under 1 MiB, padded with whitespace to the exact size.
		const events = Array.from({ length: 16 }, () => eventOf(MAX_EVENT_BYTES - 100));
		const text = `[${events.join(',')}]`;
		const atLimit = text + ' '.repeat(MAX_BODY_BYTES - text.length);
		const parsed = parseDelivery(utf8(atLimit), JSON_TYPE);
		expect(parsed.ok && parsed.events.length).toBe(16);
		expect(parseDelivery(utf8(atLimit + ' '), JSON_TYPE)).toEqual(
			refused(
				"the body is 16,777,217 bytes, over the trigger's limit of 16,777,216 bytes (16 MiB)",
			),
		);
		// Counted on the bytes received, whatever they hold.
		expect(parseDelivery(Buffer.alloc(MAX_BODY_BYTES + 1, 0xff), JSON_TYPE)).toMatchObject({
			status: 400,
			error: expect.stringMatching(/^the body is 16,777,217 bytes/),
		});
	});

	it(`${MAX_EVENTS_PER_DELIVERY} events in a delivery are read; one more is a 400`, () => {
		const batch = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i })));
		const envelope = (n: number) => JSON.stringify({ events: JSON.parse(batch(n)) as unknown });
		const tooMany =
			"the delivery holds 1,001 events, over the trigger's limit of 1,000 events per delivery";
		for (const body of [batch, envelope]) {
			const parsed = parseDelivery(utf8(body(MAX_EVENTS_PER_DELIVERY)), JSON_TYPE);
			expect(parsed.ok && parsed.events.length).toBe(MAX_EVENTS_PER_DELIVERY);
			expect(parseDelivery(utf8(body(MAX_EVENTS_PER_DELIVERY + 1)), JSON_TYPE)).toEqual(
				refused(tooMany),
			);
		}
		// In a form's JSON field too; and the count comes before what the items are.
		const form = 'payload=' + encodeURIComponent(batch(MAX_EVENTS_PER_DELIVERY + 1));
		expect(parseDelivery(utf8(form), FORM_TYPE)).toEqual(
			refused(`form field "payload": ${tooMany}`),
		);
		expect(parseDelivery(utf8(JSON.stringify(Array(100_000).fill(1))), JSON_TYPE)).toEqual(
			refused(
				"the delivery holds 100,000 events, over the trigger's limit of 1,000 events per delivery",
			),
		);
	});

	it(`an event of ${MAX_EVENT_BYTES} bytes as JSON is read; one byte more is a 400 naming it`, () => {
		expect(eventBytes(JSON.parse(eventOf(MAX_EVENT_BYTES)))).toBe(MAX_EVENT_BYTES);
		expect(parseDelivery(utf8(eventOf(MAX_EVENT_BYTES)), JSON_TYPE).ok).toBe(true);
		expect(parseDelivery(utf8(eventOf(MAX_EVENT_BYTES + 1)), JSON_TYPE)).toEqual(
			refused(
				"event #1 is 1,048,577 bytes as JSON, over the trigger's limit of 1,048,576 bytes (1 MiB) per event",
			),
		);
		const batch = `[{"id":1},${eventOf(MAX_EVENT_BYTES + 1)}]`;
		expect(parseDelivery(utf8(batch), JSON_TYPE)).toMatchObject({
			status: 400,
			error: expect.stringMatching(/^event #2 is 1,048,577 bytes as JSON/),
		});
		// Measured as `raw` holds it: UTF-8 bytes of the compact JSON, not the body's text.
		const spaced = `{ "c" : "${'é'.repeat((MAX_EVENT_BYTES - 8) / 2)}" }`;
		expect(parseDelivery(utf8(spaced), JSON_TYPE).ok).toBe(true);
		// A form body is one event.
		const form = (bytes: number) => 'c=' + 'x'.repeat(bytes - 8);
		expect(parseDelivery(utf8(form(MAX_EVENT_BYTES)), FORM_TYPE).ok).toBe(true);
		expect(parseDelivery(utf8(form(MAX_EVENT_BYTES + 1)), FORM_TYPE)).toMatchObject({
			status: 400,
			error: expect.stringMatching(/^event #1 is 1,048,577 bytes as JSON/),
		});
	});

	it(`a form of ${MAX_FORM_FIELDS} fields is read; one more is a 400 (empty fields do not count)`, () => {
		const form = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=${i}`).join('&');
		const parsed = parseDelivery(utf8(form(MAX_FORM_FIELDS) + '&&'), FORM_TYPE);
		expect(parsed.ok && Object.keys(parsed.events[0] as object)).toHaveLength(MAX_FORM_FIELDS);
		expect(parseDelivery(utf8(form(MAX_FORM_FIELDS + 1)), FORM_TYPE)).toEqual(
			refused("the form has 10,001 fields, over the trigger's limit of 10,000 fields"),
		);
	});

	// (their cost is linear now: 40,000 repeats took 136 s when each repeat copied the array;
	// a correctness test, not a timing one)
	it('10,000 repeated form keys, plain and with [], keep every value', () => {
		const parsed = parseDelivery(utf8('a=1&'.repeat(MAX_FORM_FIELDS)), FORM_TYPE);
		expect(parsed.ok && (parsed.events[0] as { a: string[] }).a).toHaveLength(MAX_FORM_FIELDS);
		const brackets = parseDelivery(utf8('a[]=1&'.repeat(MAX_FORM_FIELDS)), FORM_TYPE);
		expect(brackets.ok && (brackets.events[0] as { a: string[] }).a).toHaveLength(MAX_FORM_FIELDS);
	});

	it('16 MB of "[" or of "{}," is refused before JSON.parse runs', () => {
		const parse = jest.spyOn(JSON, 'parse');
		expect(parseDelivery(utf8('['.repeat(MAX_BODY_BYTES)), JSON_TYPE)).toEqual(
			refused(
				`the body nests objects or arrays deeper than ${MAX_NESTING_DEPTH} levels (the trigger's limit)`,
			),
		);
		const objects = '[' + '{},'.repeat(MAX_BODY_BYTES / 4) + '{}]';
		expect(parseDelivery(utf8(objects), JSON_TYPE)).toMatchObject({
			status: 400,
			error: expect.stringMatching(/^the delivery holds 4,194,305 events/),
		});
		expect(parse).not.toHaveBeenCalled();
		parse.mockRestore();
	});
});

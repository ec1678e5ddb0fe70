// Property-style checks over random JSON and form bodies, nested and wide (a seeded generator:
// the same cases every run, no dependency): the trigger's pure functions never throw, a body is
// accepted or refused with a 4xx, one normalised event per event, `raw` is the event untouched,
// and `recognition` accounts for every field.
import { parseDelivery } from '../../../nodes/SkeepersTrigger/body';
import { FIELDS, normalizeEvent } from '../../../nodes/SkeepersTrigger/event';
import { MAX_NESTING_DEPTH } from '../../../nodes/SkeepersTrigger/limits';

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const KEYS = [
	'id',
	'event_id',
	'data',
	'event',
	'respondent',
	'contact',
	'email',
	'nps',
	'score',
	'answers',
	'question',
	'value',
	'type',
	'comment',
	'attributes',
	'traits',
	'hidden',
	'form_response',
	'person',
	'name',
	'labels',
	'flags',
	'campaign',
	'__proto__',
	'constructor',
	'é',
	'',
	'a.b',
	'[0]',
	'x'.repeat(300),
];

function randomValue(
	rand: () => number,
	depth: number,
	maxDepth: number,
	budget = { left: 1500 },
): unknown {
	const pickOne = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
	const roll = rand();
	budget.left--;
	if (depth >= maxDepth || budget.left <= 0 || roll < 0.35) {
		return pickOne<unknown>([
			null,
			true,
			false,
			0,
			-1,
			7,
			10,
			11,
			1e308,
			0.5,
			'',
			'9',
			'9/10',
			'x@y.z',
			'ü😀',
			' ',
			'1741944000',
		]);
	}
	const width = depth < 2 && rand() < 0.1 ? 200 : Math.floor(rand() * 6);
	if (roll < 0.6)
		return Array.from({ length: width }, () => randomValue(rand, depth + 1, maxDepth, budget));
	const obj: Record<string, unknown> = {};
	for (let i = 0; i < width; i++)
		obj[pickOne(KEYS)] = randomValue(rand, depth + 1, maxDepth, budget);
	return obj;
}

/** A random value wrapped in `levels` single-key objects or one-element arrays. */
function nested(rand: () => number, levels: number): unknown {
	let value = randomValue(rand, 0, 3);
	for (let i = 0; i < levels; i++)
		value = rand() < 0.5 ? [value] : { [KEYS[Math.floor(rand() * KEYS.length)]]: value };
	return { event_id: 'deep', data: value };
}

function toForm(value: unknown, prefix = '', out: string[] = []): string[] {
	if (value !== null && typeof value === 'object') {
		for (const [k, v] of Object.entries(value))
			toForm(v, prefix === '' ? k : `${prefix}[${k}]`, out);
	} else if (prefix !== '') {
		out.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`);
	}
	return out;
}

const CASES = 400;

describe('random bodies', () => {
	it.each([
		['JSON, shallow', 1, 4],
		['JSON, deep', 2, 80],
		['form, nested', 3, 6],
	])(
		'%s: never throws; 2xx-able or 4xx; one event each; raw untouched',
		(_name, seed, maxDepth) => {
			const rand = prng(seed);
			for (let n = 0; n < CASES; n++) {
				const value =
					maxDepth > 10
						? nested(rand, Math.floor(rand() * maxDepth))
						: randomValue(rand, 0, maxDepth);
				const form = seed === 3;
				const text = form ? toForm(value).join('&') : JSON.stringify(value);
				const parsed = parseDelivery(
					Buffer.from(text, 'utf8'),
					form ? 'application/x-www-form-urlencoded' : 'application/json',
				);
				if (!parsed.ok) {
					expect([400, 415]).toContain(parsed.status);
					expect(typeof parsed.error).toBe('string');
					continue;
				}
				for (const event of parsed.events) {
					const snapshot = JSON.stringify(event);
					const normalized = normalizeEvent(event as Record<string, unknown>, 'now');
					expect(normalized.raw).toBe(event);
					expect(JSON.stringify(normalized.raw)).toBe(snapshot);
					expect(
						Object.keys(normalized.recognition.found).length +
							normalized.recognition.missing.length,
					).toBe(FIELDS.length);
					expect(normalized.eventId.length).toBeGreaterThan(0);
					const score = normalized.nps.score;
					expect(score === null || (Number.isInteger(score) && score >= 0 && score <= 10)).toBe(
						true,
					);
				}
			}
		},
	);

	it(`bodies deeper than ${MAX_NESTING_DEPTH} levels are always refused with 400`, () => {
		const rand = prng(4);
		for (let n = 0; n < 50; n++) {
			const depth = MAX_NESTING_DEPTH + 1 + Math.floor(rand() * 5000);
			const open = rand() < 0.5 ? '{"a":' : '[';
			const close = open === '[' ? ']' : '}';
			const text = open.repeat(depth - 1) + '{}' + close.repeat(depth - 1);
			expect(parseDelivery(Buffer.from(text), 'application/json')).toMatchObject({
				ok: false,
				status: 400,
			});
		}
	});
});

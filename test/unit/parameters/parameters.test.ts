/**
 * The fast per-item parameter reader (nodes/SkeepersFeedApplication/run/n8nInternals.ts)
 * returns exactly what n8n's getNodeParameter returns, item by item: a table of raw expressions
 * × item values, mapping rows mixing fast and complex expressions, and generated inputs, each
 * resolved by n8n-workflow's real expression engine (the dev dependency, 2.41.0: the version
 * n8n 2.41.1 ships) under both its engines — `legacy` (tournament in-process) and `vm` (the
 * isolated-vm isolate, n8n 2.x's default) — and by the reader. Results are compared with
 * util.isDeepStrictEqual (-0 ≠ 0, NaN = NaN, prototypes count), errors by message. The
 * reader's counters prove which values it built itself.
 */
import { isDeepStrictEqual, inspect } from 'node:util';

import type { IDataObject } from 'n8n-workflow';

import {
	compile,
	compileExpression,
	evaluate,
	feedItemParameters,
	itemParameter,
	NEEDS_N8N,
	parseReference,
	type ReaderStats,
} from '../../../nodes/SkeepersFeedApplication/run/n8nInternals';
import { realContext, stopEngines, useEngine, type Engine, type RealContext } from './n8n-context';

class Thing {
	a = 1;
}
const nullProto = Object.assign(Object.create(null) as Record<string, unknown>, { w: 'x' });
// eslint-disable-next-line no-sparse-arrays
const sparse = [, 1];

/** Item values: every type an item's JSON can hold in n8n's memory. */
const VALUES: Array<[string, unknown]> = [
	['string', 'Léa'],
	['empty string', ''],
	['spaces', '  padded  '],
	['quotes', 'a"b\'c`d'],
	['braces', '{{ $json.x }} }} {{'],
	['unicode', 'Ærøskøbing 😀 中文'],
	['lone surrogate', '\ud800x'],
	['newline', 'line\nbreak\r\n\ttab'],
	['equals', '=not an expression'],
	['digits', '0612345603'],
	['"null"', 'null'],
	['long string', 'x'.repeat(20_000)],
	['0', 0],
	['-0', -0],
	['1', 1],
	['-1', -1],
	['3.14', 3.14],
	['1e21', 1e21],
	['1e-7', 1e-7],
	['2^53+2', 2 ** 53 + 2],
	['MAX_VALUE', Number.MAX_VALUE],
	['NaN', NaN],
	['Infinity', Infinity],
	['-Infinity', -Infinity],
	['true', true],
	['false', false],
	['null', null],
	['undefined', undefined],
	['{}', {}],
	['object', { w: 'x', n: { m: 2 } }],
	['[]', []],
	['strings', ['a', 'b']],
	['scalars', [1, 'a', true, null, false, 0]],
	['[-0]', [-0]],
	['[NaN]', [NaN]],
	['nested array', [1, [2]]],
	['objects', [{ w: 1 }]],
	['sparse', sparse],
	['Date', new Date(0)],
	['null prototype', nullProto],
	['class instance', new Thing()],
];

/** Item JSON for one value: under `v`, under awkward keys, and nested. */
function itemFor(value: unknown): IDataObject {
	return {
		v: value,
		'a b': value,
		'a.b': value,
		'a[0]': value,
		'': value,
		é: value,
		class: value,
		_id: value,
		$: value,
		length: value,
		o: { p: value, q: [value] },
	} as IDataObject;
}

/** Expressions the reader builds itself (when the value's type is proven). */
const FAST = [
	'={{ $json.v }}',
	'={{$json.v}}',
	'={{ \n\t$json.v  }}',
	'={{ $json["v"] }}',
	"={{ $json['v'] }}",
	'={{ $json[ "v" ] }}',
	'={{ $json["a b"] }}',
	'={{ $json["a.b"] }}',
	'={{ $json["a[0]"] }}',
	'={{ $json[""] }}',
	'={{ $json.class }}',
	'={{ $json._id }}',
	'={{ $json.$ }}',
	'={{ $json.o.p }}',
	'={{ $json.o["p"] }}',
	'={{ $json.o.q[0] }}',
	'={{ $json.o.q[1] }}',
	'={{ $json.v.w }}',
	'={{ $json.v[0] }}',
	'={{ $json.v[1] }}',
	'={{ $json.missing }}',
	'={{ $json.missing.deeper }}',
	'={{ $json.v.length }}',
	'={{ $json.length }}',
	'=x{{ $json.v }}y',
	'={{ $json.v }}{{ $json.v }}',
	'= {{ $json.v }}',
	'={{ $json.v }}\n',
	'=NPS {{ $json.v }}/10 from {{ $json.missing }} ({{ $json.o.p }})',
	'=a {b} }} c {{ $json.v }}',
	'={{ $json.v }} }}',
	'={{ $json.v }}}',
	'="{{ $json.v }}"',
	'=plain text',
	'=',
	'=é 😀 {{ $json.v }}',
	'plain literal',
	'{{ $json.v }} (no = sign: a literal)',
	'',
];

/** Expressions left to n8n whatever the item. */
const COMPLEX = [
	'={{ ($json.v) }}', // the e2e suite relies on this form going to n8n
	'=x {{ ($json.v) }}',
	'={{ $json.v.toString() }}',
	'={{ $json.v || "none" }}',
	'={{ $json.v ?? "none" }}',
	'={{ $json?.v }}',
	'={{ $json . v }}',
	'={{ $json.v + "" }}',
	'={{ String($json.v) }}',
	'={{ $json.constructor }}',
	'={{ $json["constructor"] }}',
	'={{ $json.constructorId }}',
	'=a.constructor {{ $json.v }}',
	'={{ $json.__proto__ }}',
	'={{ $json.toString }}',
	'={{ $json.hasOwnProperty }}',
	'={{ $json.isProxy }}',
	'={{ $json.é }}',
	'={{ $json["v"+""] }}',
	'={{ $json[0] }}',
	'={{ $json.v[01] }}',
	'={{ $json }}',
	'={{ $input.item.json.v }}',
	"={{ $('Trigger').item.json.v }}",
	'={{ $json.v }',
	'={{ $json.v',
	'=\\{{ $json.v }}',
	'={{ "\\}}" }}',
	'={{ {{ $json.v }} }}',
	'={{ }}',
	'={{ $itemIndex }}',
	'={{ $json.v === 0 ? "zero" : $json.v }}',
];

type Outcome = { value: unknown } | { error: string };
const outcome = (fn: () => unknown): Outcome => {
	try {
		return { value: fn() };
	} catch (error) {
		return { error: (error as Error).message };
	}
};
const show = (o: Outcome) =>
	'error' in o ? `throws ${o.error}` : inspect(o.value, { depth: 4, maxStringLength: 60 });

interface Case {
	raw: unknown;
	item: string;
	fast: Outcome;
	n8n: Outcome;
	n8nCalls: number;
}

/** Resolves `matchValue` = raw for every item of the context, through n8n and through the reader. */
function compareOne(real: RealContext, raw: unknown, names: string[]): Case[] {
	real.setParameter('matchValue', raw);
	const stats: ReaderStats = { fast: 0, n8n: 0 };
	const read = itemParameter(real.ctx, 'matchValue', '', { stats });
	return names.map((name, i) => {
		const before = stats.n8n;
		const fast = outcome(() => read(i));
		const n8n = outcome(() => real.ctx.getNodeParameter('matchValue', i, ''));
		return { raw, item: name, fast, n8n, n8nCalls: stats.n8n - before };
	});
}

/** Every raw value × every item, one isolate held throughout (as during one node run). */
function compareAll(raws: unknown[], items: Array<[string, IDataObject]>): Promise<Case[]> {
	const real = realContext(
		{ operation: 'upsert', matchField: 'Email', matchValue: '' },
		items.map(([, json]) => json),
	);
	return real.withIsolate(() =>
		raws.flatMap((raw) =>
			compareOne(
				real,
				raw,
				items.map(([name]) => name),
			),
		),
	);
}

const mismatches = (cases: Case[]) =>
	cases
		.filter((c) => !isDeepStrictEqual(c.fast, c.n8n))
		.map(
			(c) => `${JSON.stringify(c.raw)} on ${c.item}: reader ${show(c.fast)}, n8n ${show(c.n8n)}`,
		);

const isProvenScalar = (v: unknown) =>
	v === null ||
	v === undefined ||
	typeof v === 'string' ||
	typeof v === 'boolean' ||
	typeof v === 'number';

/** Seeded PRNG (mulberry32): the generated cases are the same on every run. */
function prng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	const pick = <T>(list: readonly T[]): T => list[int(list.length)];
	return { next, int, pick };
}

const KEYS = [
	'a',
	'b',
	'name',
	'a b',
	'a.b',
	'x-y',
	'',
	'0',
	'é',
	'class',
	'length',
	'constructor',
	'__proto__',
	'toString',
	'valueOf',
	'isProxy',
	'then',
	'$',
	'_id',
	'Email__c',
];
const SCALARS: unknown[] = [
	'',
	'Léa',
	' x ',
	'{{',
	'}}',
	'a"b',
	"a'b",
	'é😀',
	'\n',
	'0',
	'false',
	0,
	-0,
	1,
	-2.5,
	1e21,
	NaN,
	Infinity,
	true,
	false,
	null,
	undefined,
];
const TEXTS = [
	'',
	' ',
	'NPS ',
	'/10',
	' from ',
	'{',
	'}',
	'"',
	"'",
	'é',
	'\n',
	'$json',
	'a.b',
	'=',
	'{ }',
];

function genValue(r: ReturnType<typeof prng>, depth: number): unknown {
	const k = r.int(depth > 2 ? 1 : 10);
	if (k <= 5) return r.pick(SCALARS);
	if (k <= 7) {
		const o: Record<string, unknown> = {};
		for (let n = r.int(4); n > 0; n--) {
			const key = r.pick(KEYS);
			if (key === '__proto__') continue; // would set the prototype, not a key
			o[key] = genValue(r, depth + 1);
		}
		return o;
	}
	if (k === 8) return Array.from({ length: r.int(4) }, () => genValue(r, depth + 1));
	return r.pick([new Date(86_400_000), nullProto, [1, 'a'], ['x']]);
}

function accessor(r: ReturnType<typeof prng>, key: string | number): string {
	if (typeof key === 'number') return `[${key}]`;
	const c = r.int(3);
	if (c === 0 && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return `.${key}`;
	return c === 1 ? `['${key}']` : `["${key}"]`;
}

/** A path of 1–3 keys: half of the time one that exists in one of the items, else random keys. */
function genPath(r: ReturnType<typeof prng>, jsons: IDataObject[]): string {
	const keys: Array<string | number> = [];
	if (r.int(2)) {
		let cur: unknown = r.pick(jsons);
		for (let depth = 1 + r.int(3); depth > 0 && cur && typeof cur === 'object'; depth--) {
			const own = Array.isArray(cur) ? cur.map((_, k) => k) : Object.keys(cur);
			if (!own.length) break;
			const key = r.pick(own as Array<string | number>);
			keys.push(key);
			cur = (cur as Record<string | number, unknown>)[key];
		}
	}
	if (!keys.length)
		for (let n = 1 + r.int(3); n > 0; n--) keys.push(r.int(5) ? r.pick(KEYS) : r.int(3));
	return keys.map((k) => accessor(r, k)).join('');
}

function genRef(r: ReturnType<typeof prng>, jsons: IDataObject[]): string {
	const ws = () => r.pick(['', ' ', '  ', '\n']);
	const tail = r.int(8) === 0 ? r.pick(['.toString()', ' || "-"', '?.x', ' + 1']) : '';
	return `{{${ws()}$json${genPath(r, jsons)}${tail}${ws()}}}`;
}

function genExpression(r: ReturnType<typeof prng>, jsons: IDataObject[]): string {
	if (r.int(3) === 0) return `=${genRef(r, jsons)}`;
	let s = '=';
	for (let n = 1 + r.int(4); n > 0; n--) s += r.int(2) ? r.pick(TEXTS) : genRef(r, jsons);
	return s;
}

afterAll(async () => {
	await stopEngines();
});

describe('classification (pure)', () => {
	it('parses plain $json references and nothing else', () => {
		expect(parseReference(' $json.a.b ')).toEqual(['a', 'b']);
		expect(parseReference('$json["a b"][0][\'c\']')).toEqual(['a b', 0, 'c']);
		expect(parseReference('$json[ 12 ]')).toEqual([12]);
		for (const code of [
			'$json',
			'$json.a()',
			'$json.a + 1',
			'$json[01]',
			'$json[-1]',
			'$json?.a',
			'$jsonx.a',
			'$json.constructor',
			'$json["__x"]',
			'$input.item.json.a',
			'$json["a\\"b"]',
		]) {
			expect([code, parseReference(code)]).toEqual([code, undefined]);
		}
	});
	it('splits templates into text and references, and leaves the rest to n8n', () => {
		expect(compileExpression('{{ $json.a }}')).toEqual({ kind: 'ref', path: ['a'] });
		expect(compileExpression('NPS {{ $json.nps }} from {{ $json.id }}')).toEqual({
			kind: 'template',
			parts: ['NPS ', ['nps'], ' from ', ['id']],
		});
		expect(compileExpression('{{ $json.a }}{{ $json.b }}')).toEqual({
			kind: 'template',
			parts: [['a'], ['b']],
		});
		expect(compileExpression('text only')).toEqual({ kind: 'template', parts: ['text only'] });
		for (const body of [
			'{{ $json.a',
			'{{ $json.a.trim() }}',
			'\\{{ $json.a }}',
			'x.constructor {{ $json.a }}',
			'{{ $now }}',
		]) {
			expect([body, compileExpression(body).kind]).toEqual([body, 'n8n']);
		}
	});
	it('keeps literals, walks collections, and gives up on what is not JSON', () => {
		expect(evaluate(compile({ a: ['x', 1, null, true] }), {})).toEqual({ a: ['x', 1, null, true] });
		expect(
			evaluate(compile([{ internalEntity: '={{ $json.e }}', remoteField: 'Email' }]), {
				e: 'a@b.c',
			}),
		).toEqual([{ internalEntity: 'a@b.c', remoteField: 'Email' }]);
		expect(compile([{ a: '={{ $json.e.trim() }}' }]).kind).toBe('n8n');
		expect(compile(() => 1).kind).toBe('n8n');
		expect(evaluate(compile('={{ $json.d }}'), { d: new Date(0) })).toBe(NEEDS_N8N);
		expect(evaluate(compile('={{ $json.a.b }}'), { a: null })).toBe(NEEDS_N8N);
		expect(evaluate(compile('={{ $json.a.b }}'), { a: 'text' })).toBe(NEEDS_N8N);
	});
});

describe.each<Engine>(['legacy', 'vm'])('n8n-workflow expression engine "%s"', (engine) => {
	beforeAll(async () => {
		await useEngine(engine);
	});

	const tableItems: Array<[string, IDataObject]> = VALUES.map(([name, value]) => [
		name,
		itemFor(value),
	]);

	it('a table of raw expressions × item values: the reader returns what n8n returns', async () => {
		const cases = await compareAll([...FAST, ...COMPLEX, 42, true, null], tableItems);
		expect(mismatches(cases)).toEqual([]);
		expect(cases.length).toBe((FAST.length + COMPLEX.length + 3) * VALUES.length);

		// complex expressions always go to n8n
		for (const c of cases.filter((x) => COMPLEX.includes(x.raw as string)))
			expect([c.raw, c.item, c.n8nCalls]).toEqual([c.raw, c.item, 1]);
		// literals never do
		for (const c of cases.filter((x) => typeof x.raw !== 'string' || !x.raw.startsWith('=')))
			expect([c.raw, c.item, c.n8nCalls]).toEqual([c.raw, c.item, 0]);
		// plain references to strings, numbers, booleans, null, missing keys are built by the reader
		const proven = new Set(VALUES.filter(([, v]) => isProvenScalar(v)).map(([name]) => name));
		const direct = [
			'={{ $json.v }}',
			'={{ $json["a b"] }}',
			'={{ $json.o.p }}',
			'={{ $json.o.q[0] }}',
			'=x{{ $json.v }}y',
			'=NPS {{ $json.v }}/10 from {{ $json.missing }} ({{ $json.o.p }})',
		];
		const built = cases.filter((c) => direct.includes(c.raw as string) && proven.has(c.item));
		expect(built.length).toBe(direct.length * proven.size);
		for (const c of built) expect([c.raw, c.item, c.n8nCalls]).toEqual([c.raw, c.item, 0]);
		// objects, arrays and Dates go to n8n
		for (const item of ['object', 'scalars', '[]', 'Date', 'class instance', 'null prototype']) {
			expect(cases.find((c) => c.raw === '={{ $json.v }}' && c.item === item)?.n8nCalls).toBe(1);
		}
	}, 120_000);

	it('mapping rows mixing fast and complex expressions: same rows, only the complex rows go to n8n', async () => {
		const rows = [
			{
				internalEntity: '={{ $json.respondent.email }}',
				remoteField: 'Email',
				transformation: 'lowercase',
			},
			{
				internalEntity: '=NPS {{ $json.nps }} from {{ $json.respondent.id }}',
				remoteField: 'Subject',
				transformation: 'none',
			},
			{
				internalEntity: '={{ $json.respondent.lastName.toUpperCase() }}',
				remoteField: 'LastName',
				transformation: 'none',
			},
			{
				internalEntity: "={{ $('Trigger').item.json.nps }}",
				remoteField: 'NPS_Score__c',
				transformation: 'number',
			},
			{
				internalEntity: 'Skeepers',
				remoteField: 'LeadSource',
				transformation: 'none',
				transformationParameter: '',
			},
			{
				internalEntity: '={{ $json.tags }}',
				remoteField: 'Tags__c',
				transformation: 'multiSelect',
			},
			{
				internalEntity: '={{ $json.respondent.phone }}',
				remoteField: '={{ $json.phoneField }}',
				transformation: 'phoneFr',
			},
			{ internalEntity: '={{ $json.answers }}', remoteField: 'Answers__c', transformation: 'none' },
			{
				internalEntity: '={{ String($json.nps).toNumber() }}',
				remoteField: 'Score__c',
				transformation: 'none',
			},
		];
		const jsons: IDataObject[] = [
			{
				respondent: {
					email: 'Lea@Example.fr',
					id: 'R-1',
					lastName: 'Dubois',
					phone: '+33612345603',
				},
				nps: 3,
				tags: ['a', 'b'],
				phoneField: 'MobilePhone',
				answers: [{ q: 1 }],
			},
			{
				respondent: { email: null, id: 42, lastName: 'Ærø', phone: '' },
				nps: 0,
				tags: [],
				phoneField: 'Phone',
				answers: { q: 2 },
			},
			{ respondent: { id: 'R-3', lastName: 'x' }, nps: -0, phoneField: 'Phone' },
			{ respondent: { lastName: 5 }, nps: 'nine' }, // the last row throws in n8n (cannot convert to number)
		];
		const real = realContext(
			{
				operation: 'upsert',
				matchField: 'Email',
				mapping: { rows },
				matchValue: '={{ $json.respondent.id }}',
				options: { dedupKey: "={{ $json.respondent.id + '-' + $json.nps }}" },
			},
			jsons,
		);
		await real.withIsolate(() => {
			const stats: ReaderStats = { fast: 0, n8n: 0 };
			const p = feedItemParameters(real.ctx, stats);
			const perItem: number[] = [];
			jsons.forEach((_, i) => {
				const before = stats.n8n;
				for (const [read, name, fb] of [
					[p.rows, 'mapping.rows', []],
					[p.matchValue, 'matchValue', ''],
					[p.dedupKey, 'options.dedupKey', ''],
				] as const) {
					const fast = outcome(() => read(i));
					const n8n = outcome(() => real.ctx.getNodeParameter(name, i, fb));
					expect([name, i, show(fast)]).toEqual([name, i, show(n8n)]);
					expect(isDeepStrictEqual(fast, n8n)).toBe(true);
				}
				perItem.push(stats.n8n - before);
			});
			// n8n resolves rows 3, 4 and 9 (methods, another node) and the dedup key for every
			// item, rows 6 and 8 when they hold an array or object (items 1 and 2); the rest is
			// built here
			expect(perItem).toEqual([3 + 2 + 1, 3 + 2 + 1, 3 + 1, 3 + 1]);
			// item 4: n8n fails on row 9, and so does the reader, with n8n's error
			expect(outcome(() => p.rows(3))).toEqual({ error: 'cannot convert to number' });
		});
	}, 60_000);

	it('generated items × generated expressions (seeded): the reader returns what n8n returns', async () => {
		const r = prng(engine === 'vm' ? 7 : 11);
		const items: Array<[string, IDataObject]> = Array.from({ length: 30 }, (_, i) => {
			const json: Record<string, unknown> = {};
			for (let n = 1 + r.int(6); n > 0; n--) {
				const key = r.pick(KEYS);
				if (key !== '__proto__') json[key] = genValue(r, 0);
			}
			return [`generated item ${i}`, json as IDataObject];
		});
		const cases = await compareAll(
			Array.from({ length: 80 }, () =>
				genExpression(
					r,
					items.map(([, json]) => json),
				),
			),
			items,
		);
		expect(mismatches(cases)).toEqual([]);
		// the generator reaches both paths: values built here and values n8n resolved
		const fast = cases.filter((c) => c.n8nCalls === 0).length;
		expect(fast).toBeGreaterThan(cases.length / 5);
		expect(cases.length - fast).toBeGreaterThan(cases.length / 5);
	}, 180_000);
});

/**
 * Where the Feed Application leans on how n8n works inside, beyond its public node API. Both
 * couplings live here and nowhere else; test/unit/parameters checks the first one against both
 * n8n expression engines. (Over 300 lines: one job, the reader is most of it.)
 *
 * 1. The fast reader of per-item parameters, `feedItemParameters`.
 *    SWITCH: set `FAST_PARAMETERS` to false and every value is read with plain
 *    `getNodeParameter(name, i)` (n8n's own resolution: slower, same results).
 * 2. The error output: a failed result carries its n8n error as a NON-enumerable `error`
 *    property (`withErrorOutput`, below).
 *
 * ---- 1. The fast reader
 *
 * Per-item parameters of the Feed Application (mapping rows, match value, dedup key), read
 * without paying n8n's expression engine for the expressions it would only use to copy a field
 * of the item.
 *
 * n8n resolves every `{{ }}` of a parameter for every item; in n8n 2.x each one runs in an
 * isolate (`N8N_EXPRESSION_ENGINE=vm`), which was 97 % of the node's CPU. Most mapping
 * expressions are plain references to the item (`={{ $json.respondent.email }}`) or text around
 * them (`=NPS {{ $json.nps }}`). So the raw parameters are read once per run and each value is
 * classified:
 *
 * - a literal (no leading `=`, or a number, boolean, null) → itself, for every item;
 * - `={{ $json.a.b }}` / `={{ $json["a b"][0] }}` (a plain reference, nothing else in the
 *   braces) → read from the item's JSON here;
 * - literal text and such references → the string built here, the way n8n joins it;
 * - anything else (methods, operators, other nodes, `$now`, …) → n8n resolves it.
 *
 * Per item, a reference whose value is not of a type whose result is proven identical to n8n's
 * (test/unit/parameters: both n8n engines) goes to n8n too: objects, arrays, Dates, a path
 * through a missing or non-plain value, keys n8n treats specially. n8n's own call is then exactly the one
 * the node made before (`getNodeParameter(name, i)`, or `mapping.rows[k]` for one row, which n8n
 * resolves the same way as that row inside `mapping.rows`), so errors stay per item.
 *
 * Holds while these properties declare no `validateType` (n8n checks such values after
 * resolving them; the values built here would skip that check).
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/** The switch: false reads every per-item parameter with plain `getNodeParameter`. */
const FAST_PARAMETERS = true;

/** A property name or an array index on the way from `$json` to the value. */
export type PathKey = string | number;

export type Compiled =
	| { kind: 'literal'; value: string | number | boolean | null }
	| { kind: 'ref'; path: PathKey[] }
	| { kind: 'template'; parts: Array<string | PathKey[]> }
	| { kind: 'list'; items: Compiled[] }
	| { kind: 'record'; entries: Array<[string, Compiled]> }
	| { kind: 'n8n' };

/** Returned by evaluate() when n8n has to resolve the value for this item. */
export const NEEDS_N8N: unique symbol = Symbol('needs n8n');

const N8N: Compiled = { kind: 'n8n' };

/**
 * Property names left to n8n: everything on Object.prototype (n8n blocks or special-cases most
 * of them), the names n8n's sandbox refuses, and names its proxies answer themselves.
 */
const RESERVED_KEYS = new Set<string>([
	...Object.getOwnPropertyNames(Object.prototype),
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
	'isProxy',
	'toJSON',
	'then',
]);

const isReservedKey = (key: string) => RESERVED_KEYS.has(key) || key.startsWith('__');

// `$json` then one or more accessors: `.name`, `["text"]`, `['text']`, `[0]`.
const IDENT = '[A-Za-z_$][A-Za-z0-9_$]*';
const STRING_KEY = `"[^"\\\\\\r\\n\\u2028\\u2029]*"|'[^'\\\\\\r\\n\\u2028\\u2029]*'`;
const INDEX = '0|[1-9][0-9]{0,8}';
const ACCESSOR = `\\.${IDENT}|\\[\\s*(?:${STRING_KEY}|${INDEX})\\s*\\]`;
const REF = new RegExp(`^\\s*\\$json((?:${ACCESSOR})+)\\s*$`);
const ACCESSOR_G = new RegExp(
	`\\.(${IDENT})|\\[\\s*(?:"([^"]*)"|'([^']*)'|(${INDEX}))\\s*\\]`,
	'g',
);

/** The path of a plain `$json` reference (the text between `{{` and `}}`), or undefined. */
export function parseReference(code: string): PathKey[] | undefined {
	const m = REF.exec(code);
	if (!m) return undefined;
	const path: PathKey[] = [];
	for (const a of m[1].matchAll(ACCESSOR_G)) {
		const key = a[1] ?? a[2] ?? a[3];
		if (key !== undefined) {
			if (isReservedKey(key)) return undefined;
			path.push(key);
		} else path.push(Number(a[4]));
	}
	return path;
}

/**
 * Classifies an expression (the text after the leading `=`). It is split into text and `{{ }}`
 * chunks the way n8n splits it (first `{{`, then the first `}}`); a backslash anywhere (n8n's
 * escapes) or `.constructor` (n8n refuses the whole expression) leaves it to n8n.
 */
export function compileExpression(body: string): Compiled {
	if (body.includes('\\') || /\.\s*constructor/.test(body)) return N8N;
	const parts: Array<string | PathKey[]> = [];
	let pos = 0;
	while (pos < body.length) {
		const open = body.indexOf('{{', pos);
		if (open < 0) {
			parts.push(body.slice(pos));
			break;
		}
		if (open > pos) parts.push(body.slice(pos, open));
		const close = body.indexOf('}}', open + 2);
		if (close < 0) return N8N;
		const path = parseReference(body.slice(open + 2, close));
		if (!path) return N8N;
		parts.push(path);
		pos = close + 2;
	}
	// `={{ ref }}` alone keeps the value's type; anything else is a string
	if (parts.length === 1 && typeof parts[0] !== 'string' && body.startsWith('{{'))
		return { kind: 'ref', path: parts[0] };
	return { kind: 'template', parts };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
	if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
	const proto = Object.getPrototypeOf(v) as unknown;
	return proto === Object.prototype || proto === null;
};

/** Classifies a raw parameter value (as stored in the workflow). */
export function compile(raw: unknown): Compiled {
	if (typeof raw === 'string')
		return raw.charAt(0) === '='
			? compileExpression(raw.slice(1))
			: { kind: 'literal', value: raw };
	if (raw === null || typeof raw === 'number' || typeof raw === 'boolean')
		return { kind: 'literal', value: raw };
	if (Array.isArray(raw)) {
		const items = raw.map(compile);
		return items.some((c) => c.kind === 'n8n') ? N8N : { kind: 'list', items };
	}
	if (isPlainObject(raw)) {
		const entries = Object.entries(raw).map(([k, v]): [string, Compiled] => [k, compile(v)]);
		return entries.some(([, c]) => c.kind === 'n8n') ? N8N : { kind: 'record', entries };
	}
	return N8N;
}

const hasOwn = (o: object, k: PathKey) => Object.prototype.hasOwnProperty.call(o, k);

/** The value at `path` in the item's JSON; NEEDS_N8N when the way there is not a plain one. */
function lookup(json: unknown, path: PathKey[]): unknown {
	let cur: unknown = json;
	for (const key of path) {
		if (typeof key === 'number') {
			if (!Array.isArray(cur)) return NEEDS_N8N;
			if (key >= cur.length) cur = undefined;
			else if (hasOwn(cur, key)) cur = cur[key];
			else return NEEDS_N8N; // a hole
		} else {
			if (!isPlainObject(cur)) return NEEDS_N8N;
			if (hasOwn(cur, key)) cur = cur[key];
			else if (key in cur) return NEEDS_N8N;
			else cur = undefined;
		}
	}
	return cur;
}

const isScalar = (v: unknown) =>
	typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null;

/**
 * `={{ ref }}`: n8n returns the value itself. Proven for scalars and missing keys. Arrays and
 * objects are not built here: the legacy engine returns the item's own object, the VM engine a
 * copy made by the isolate, so n8n hands them over.
 */
function refValue(v: unknown): unknown {
	return v === undefined || isScalar(v) ? v : NEEDS_N8N;
}

/** One `{{ ref }}` inside text: n8n keeps v when `v || v === 0 || v === false`, else '', and joins. */
function templatePart(v: unknown): string | typeof NEEDS_N8N {
	if (v === undefined || v === null) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean')
		return v || v === 0 || v === false ? String(v) : '';
	return NEEDS_N8N;
}

/** The value n8n would resolve for this item, or NEEDS_N8N. */
export function evaluate(c: Compiled, json: unknown): unknown {
	switch (c.kind) {
		case 'literal':
			return c.value;
		case 'ref': {
			const v = lookup(json, c.path);
			return v === NEEDS_N8N ? v : refValue(v);
		}
		case 'template': {
			let out = '';
			for (const p of c.parts) {
				if (typeof p === 'string') {
					out += p;
					continue;
				}
				const v = lookup(json, p);
				const s = v === NEEDS_N8N ? v : templatePart(v);
				if (s === NEEDS_N8N) return s;
				out += s;
			}
			return out;
		}
		case 'list': {
			const out: unknown[] = [];
			for (const item of c.items) {
				const v = evaluate(item, json);
				if (v === NEEDS_N8N) return v;
				out.push(v);
			}
			return out;
		}
		case 'record': {
			const out: Record<string, unknown> = {};
			for (const [k, item] of c.entries) {
				const v = evaluate(item, json);
				if (v === NEEDS_N8N) return v;
				out[k] = v;
			}
			return out;
		}
		default:
			return NEEDS_N8N;
	}
}

export interface ReaderStats {
	/** values built here */
	fast: number;
	/** values n8n resolved */
	n8n: number;
}

/**
 * A per-item reader of one parameter, for the node's input items: `read(i)` returns what
 * `getNodeParameter(name, i, fallback)` returns. With `perElement`, an array parameter (the
 * mapping rows) goes to n8n one element at a time (`name[k]`), so one complex row does not
 * cost the others.
 */
export function itemParameter(
	ctx: IExecuteFunctions,
	name: string,
	fallback: unknown,
	opts: { perElement?: boolean; stats?: ReaderStats } = {},
): (itemIndex: number) => unknown {
	const stats = opts.stats ?? { fast: 0, n8n: 0 };
	const items = ctx.getInputData();
	const viaN8n = (path: string, i: number, fb?: unknown) => {
		stats.n8n++;
		return fb === undefined ? ctx.getNodeParameter(path, i) : ctx.getNodeParameter(path, i, fb);
	};
	if (!FAST_PARAMETERS) return (i) => viaN8n(name, i, fallback);
	let raw: unknown;
	try {
		raw = ctx.getNodeParameter(name, 0, fallback, { rawExpressions: true });
	} catch {
		return (i) => viaN8n(name, i, fallback);
	}
	const run = (c: Compiled, i: number, path: string, fb?: unknown) => {
		const v = c.kind === 'n8n' ? NEEDS_N8N : evaluate(c, items[i]?.json);
		if (v === NEEDS_N8N) return viaN8n(path, i, fb);
		stats.fast++;
		return v;
	};
	if (opts.perElement && Array.isArray(raw)) {
		const elements = raw.map(compile);
		return (i) => elements.map((c, k) => run(c, i, `${name}[${k}]`));
	}
	const compiled = compile(raw);
	return (i) => run(compiled, i, name, fallback);
}

/** The per-item parameters of the Feed Application, each read the fast way. */
export function feedItemParameters(ctx: IExecuteFunctions, stats?: ReaderStats) {
	return {
		rows: itemParameter(ctx, 'mapping.rows', [], { perElement: true, stats }),
		matchValue: itemParameter(ctx, 'matchValue', '', { stats }),
		moreMatchKeys: itemParameter(ctx, 'moreMatchKeys.keys', [], { perElement: true, stats }),
		dedupKey: itemParameter(ctx, 'options.dedupKey', '', { stats }),
	};
}

// ---- 2. The error output

/**
 * With On Error → Continue (using error output), a failed result also gets the item's n8n error
 * as `error`, which is what makes n8n route it to the error output (n8n-core
 * workflow-execute.js, handleNodeErrorOutput: an item with a top-level `error`, or whose json
 * holds only error/message/details). The property is NOT enumerable, on purpose: n8n builds the
 * error-output item as `{ ...item, json: { ...inputJson, ...item.json } }` (so the result's
 * fields win over the input's), and afterwards replaces the json of every item still carrying an
 * `error` by `{ error: message }` (normalizeNodeErrors; same in 1.x). Not copied by the spread,
 * the error routes the item and the result json survives, merged over the input's.
 */
export function withErrorOutput(item: INodeExecutionData, error: Error): INodeExecutionData {
	Object.defineProperty(item, 'error', {
		value: error,
		enumerable: false,
		writable: true,
		configurable: true,
	});
	return item;
}

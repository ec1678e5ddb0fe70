/**
 * Parsing SOQL (run.ts runs a parsed query). A SOQL subset: SELECT f1, f2 | COUNT() FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], ...]
 * [LIMIT n] [OFFSET n]. Conditions: = != <> < <= > >= IN NOT IN LIKE, AND OR NOT, parentheses;
 * literals: 'strings' (backslash escapes), numbers, true/false, null, unquoted dates/date-times.
 */
import { httpError, type HttpError } from '../errors';
import { setupObject } from '../org';
import { findField, findObject, type EmuObject } from '../schema';
import { formatDateTime } from '../validation';

type Tok =
	| { t: 'id'; v: string; pos: number }
	| { t: 'str'; v: string; like: string; pos: number }
	| { t: 'num'; v: number; pos: number }
	| { t: 'date'; v: string; pos: number }
	| { t: 'op'; v: string; pos: number };

export type Value = string | number | boolean | null;

export type Cond =
	| { k: 'and' | 'or'; a: Cond; b: Cond }
	| { k: 'not'; c: Cond }
	| { k: 'cmp'; field: string; op: string; value: Value }
	| { k: 'in'; field: string; values: Value[]; negate: boolean }
	| { k: 'like'; field: string; re: RegExp };

export interface SoqlQuery {
	object: EmuObject;
	fields: string[] | 'COUNT';
	where?: Cond;
	orderBy: Array<{ field: string; desc: boolean; nullsLast: boolean }>;
	limit?: number;
	offset?: number;
}

const malformed = (msg: string): HttpError => httpError(400, 'MALFORMED_QUERY', msg);

const ESCAPES: Record<string, string> = {
	n: '\n',
	r: '\r',
	t: '\t',
	b: '\b',
	f: '\f',
	'"': '"',
	"'": "'",
	'\\': '\\',
};
const reEscape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function tokenize(q: string): Tok[] {
	const toks: Tok[] = [];
	let i = 0;
	while (i < q.length) {
		const c = q[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		const pos = i;
		if (c === "'") {
			let v = '';
			let like = '';
			i++;
			for (;;) {
				if (i >= q.length)
					throw malformed(`line 1:${pos} mismatched character '<EOF>' expecting '''`);
				const ch = q[i];
				if (ch === "'") break;
				if (ch === '\\') {
					const e = q[i + 1];
					if (e === undefined) throw malformed(`line 1:${i} mismatched character '<EOF>'`);
					if (e in ESCAPES) {
						v += ESCAPES[e];
						like += reEscape(ESCAPES[e]);
					} else if (e === '_' || e === '%') {
						v += '\\' + e;
						like += reEscape(e);
					} else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(q.slice(i + 2, i + 6))) {
						const u = String.fromCharCode(parseInt(q.slice(i + 2, i + 6), 16));
						v += u;
						like += reEscape(u);
						i += 4;
					} else {
						throw malformed(
							`Invalid string literal '${q.slice(pos, i + 2)}'. Illegal character sequence '\\${e}' in string literal.`,
						);
					}
					i += 2;
					continue;
				}
				v += ch;
				like += ch === '%' ? '.*' : ch === '_' ? '.' : reEscape(ch);
				i++;
			}
			i++;
			toks.push({ t: 'str', v, like, pos });
			continue;
		}
		const date = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?/.exec(
			q.slice(i),
		);
		if (date) {
			toks.push({ t: 'date', v: date[0], pos });
			i += date[0].length;
			continue;
		}
		const num = /^-?\d+(\.\d+)?/.exec(q.slice(i));
		if (num) {
			toks.push({ t: 'num', v: Number(num[0]), pos });
			i += num[0].length;
			continue;
		}
		const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
		if (ident) {
			toks.push({ t: 'id', v: ident[0], pos });
			i += ident[0].length;
			continue;
		}
		const op = /^(!=|<>|<=|>=|[=<>(),])/.exec(q.slice(i));
		if (op) {
			toks.push({ t: 'op', v: op[0], pos });
			i += op[0].length;
			continue;
		}
		throw malformed(`line 1:${i} no viable alternative at character '${c}'`);
	}
	return toks;
}

class Parser {
	private i = 0;
	constructor(
		private toks: Tok[],
		private q: string,
	) {}

	peek(): Tok | undefined {
		return this.toks[this.i];
	}
	isKw(kw: string, at = 0): boolean {
		const t = this.toks[this.i + at];
		return t?.t === 'id' && t.v.toUpperCase() === kw;
	}
	isOp(op: string): boolean {
		const t = this.peek();
		return t?.t === 'op' && t.v === op;
	}
	fail(): never {
		const t = this.peek();
		if (!t) throw malformed('unexpected token: <EOF>');
		const shown = this.q.slice(t.pos).split(/\s/)[0] || String(t.v);
		throw malformed(
			`\n${this.q}\n${' '.repeat(t.pos)}^\nERROR at Row:1:Column:${t.pos + 1}\nunexpected token: '${shown}'`,
		);
	}
	kw(kw: string): void {
		if (!this.isKw(kw)) this.fail();
		this.i++;
	}
	op(op: string): void {
		if (!this.isOp(op)) this.fail();
		this.i++;
	}
	ident(): string {
		const t = this.peek();
		if (t?.t !== 'id') this.fail();
		this.i++;
		return t.v;
	}
	done(): boolean {
		return this.i >= this.toks.length;
	}

	value(): Value {
		const t = this.peek();
		if (!t) this.fail();
		this.i++;
		if (t.t === 'str') return t.v;
		if (t.t === 'num') return t.v;
		if (t.t === 'date') return t.v.length === 10 ? t.v : formatDateTime(new Date(t.v));
		if (t.t === 'id') {
			const u = t.v.toUpperCase();
			if (u === 'NULL') return null;
			if (u === 'TRUE') return true;
			if (u === 'FALSE') return false;
		}
		this.i--;
		return this.fail();
	}

	condition(): Cond {
		let left = this.conjunction();
		while (this.isKw('OR')) {
			this.i++;
			left = { k: 'or', a: left, b: this.conjunction() };
		}
		return left;
	}
	conjunction(): Cond {
		let left = this.unary();
		while (this.isKw('AND')) {
			this.i++;
			left = { k: 'and', a: left, b: this.unary() };
		}
		return left;
	}
	unary(): Cond {
		if (this.isKw('NOT')) {
			this.i++;
			return { k: 'not', c: this.unary() };
		}
		if (this.isOp('(')) {
			this.i++;
			const c = this.condition();
			this.op(')');
			return c;
		}
		const field = this.ident();
		if (this.isKw('LIKE')) {
			this.i++;
			const t = this.peek();
			if (t?.t !== 'str') this.fail();
			this.i++;
			return { k: 'like', field, re: new RegExp(`^${t.like}$`, 'is') };
		}
		let negate = false;
		if (this.isKw('NOT') && this.isKw('IN', 1)) {
			negate = true;
			this.i++;
		}
		if (this.isKw('IN')) {
			this.i++;
			this.op('(');
			const values = [this.value()];
			while (this.isOp(',')) {
				this.i++;
				values.push(this.value());
			}
			this.op(')');
			return { k: 'in', field, values, negate };
		}
		const t = this.peek();
		if (t?.t !== 'op' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(t.v)) this.fail();
		this.i++;
		return { k: 'cmp', field, op: t.v === '<>' ? '!=' : t.v, value: this.value() };
	}
}

function invalidField(o: EmuObject, name: string): HttpError {
	return httpError(
		400,
		'INVALID_FIELD',
		`No such column '${name}' on entity '${o.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
	);
}

export function parseSoql(q: string): SoqlQuery {
	const p = new Parser(tokenize(q), q);
	p.kw('SELECT');
	let fields: string[] | 'COUNT';
	if (p.isKw('COUNT')) {
		p.ident();
		p.op('(');
		p.op(')');
		fields = 'COUNT';
	} else {
		fields = [p.ident()];
		while (p.isOp(',')) {
			p.op(',');
			fields.push(p.ident());
		}
	}
	p.kw('FROM');
	const objName = p.ident();
	const object = findObject(objName) ?? setupObject(objName);
	if (!object)
		throw httpError(
			400,
			'INVALID_TYPE',
			`\n${q}\n^\nERROR at Row:1:Column:1\nsObject type '${objName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
		);
	const resolve = (n: string): string => {
		const f = findField(object, n);
		if (!f) throw invalidField(object, n);
		return f.name;
	};
	if (fields !== 'COUNT') fields = [...new Set(fields.map(resolve))];
	const query: SoqlQuery = { object, fields, orderBy: [] };
	if (p.isKw('WHERE')) {
		p.kw('WHERE');
		query.where = p.condition();
		const check = (c: Cond): void => {
			if (c.k === 'and' || c.k === 'or') {
				check(c.a);
				check(c.b);
			} else if (c.k === 'not') check(c.c);
			else if (c.k === 'cmp' || c.k === 'in' || c.k === 'like') c.field = resolve(c.field);
		};
		check(query.where);
	}
	if (p.isKw('ORDER')) {
		p.kw('ORDER');
		p.kw('BY');
		do {
			if (p.isOp(',')) p.op(',');
			const field = resolve(p.ident());
			let desc = false;
			if (p.isKw('ASC')) p.kw('ASC');
			else if (p.isKw('DESC')) {
				p.kw('DESC');
				desc = true;
			}
			let nullsLast = desc;
			if (p.isKw('NULLS')) {
				p.kw('NULLS');
				if (p.isKw('FIRST')) {
					p.kw('FIRST');
					nullsLast = false;
				} else {
					p.kw('LAST');
					nullsLast = true;
				}
			}
			query.orderBy.push({ field, desc, nullsLast });
		} while (p.isOp(','));
	}
	for (const kw of ['LIMIT', 'OFFSET'] as const) {
		if (p.isKw(kw)) {
			p.kw(kw);
			const t = p.peek();
			if (t?.t !== 'num' || !Number.isInteger(t.v) || t.v < 0) return p.fail();
			const n = t.v;
			p.value();
			if (kw === 'LIMIT') query.limit = n;
			else query.offset = n;
		}
	}
	if (!p.done()) p.fail();
	return query;
}

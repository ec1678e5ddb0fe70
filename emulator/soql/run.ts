/**
 * Running a parsed SOQL query (parse.ts) over an object's records: the WHERE conditions as
 * Salesforce compares values (Ids on their 15-character prefix, text case-insensitively), ORDER
 * BY, LIMIT and OFFSET.
 */
import type { Rec } from '../store';
import type { Cond, SoqlQuery, Value } from './parse';

function norm(v: unknown): unknown {
	return typeof v === 'string' ? v.toLowerCase() : v;
}

function compare(a: unknown, b: unknown): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
	const x = String(norm(a));
	const y = String(norm(b));
	return x < y ? -1 : x > y ? 1 : 0;
}

function sameValue(fieldValue: unknown, lit: Value): boolean {
	if (lit === null) return fieldValue === null || fieldValue === undefined;
	if (fieldValue === null || fieldValue === undefined) return false;
	if (typeof fieldValue === 'string' && typeof lit === 'string') {
		// Ids compare on their 15-char case-sensitive part.
		if (/^[a-zA-Z0-9]{18}$/.test(fieldValue) && /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(lit))
			return fieldValue.slice(0, 15) === lit.slice(0, 15);
		return fieldValue.toLowerCase() === lit.toLowerCase();
	}
	return compare(fieldValue, lit) === 0;
}

const ID_SHAPED = /^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/;

/**
 * An IN list's string values indexed as sameValue() compares them (an 18-character Id on its
 * 15-character prefix, case-sensitive; other text case-insensitive), so a query with hundreds of
 * values does not compare each record with each value. Built once per parsed condition.
 */
interface InIndex {
	idPrefixes: Set<string>;
	lowerNonId: Set<string>;
	lowerAll: Set<string>;
	/** Values that are not strings (null, numbers, booleans): compared one by one. */
	others: Value[];
}

const inIndexes = new WeakMap<Extract<Cond, { k: 'in' }>, InIndex>();

function inIndex(c: Extract<Cond, { k: 'in' }>): InIndex {
	let index = inIndexes.get(c);
	if (!index) {
		index = { idPrefixes: new Set(), lowerNonId: new Set(), lowerAll: new Set(), others: [] };
		for (const v of c.values) {
			if (typeof v !== 'string') {
				index.others.push(v);
				continue;
			}
			index.lowerAll.add(v.toLowerCase());
			if (ID_SHAPED.test(v)) index.idPrefixes.add(v.slice(0, 15));
			else index.lowerNonId.add(v.toLowerCase());
		}
		inIndexes.set(c, index);
	}
	return index;
}

/** Whether a record's value is in the IN list: sameValue() against each value, through the index. */
function inList(c: Extract<Cond, { k: 'in' }>, fieldValue: unknown): boolean {
	if (typeof fieldValue !== 'string') return c.values.some((v) => sameValue(fieldValue, v));
	const index = inIndex(c);
	const lower = fieldValue.toLowerCase();
	const hit = /^[a-zA-Z0-9]{18}$/.test(fieldValue)
		? index.idPrefixes.has(fieldValue.slice(0, 15)) || index.lowerNonId.has(lower)
		: index.lowerAll.has(lower);
	return hit || index.others.some((v) => sameValue(fieldValue, v));
}

function matches(c: Cond, r: Rec): boolean {
	switch (c.k) {
		case 'and':
			return matches(c.a, r) && matches(c.b, r);
		case 'or':
			return matches(c.a, r) || matches(c.b, r);
		case 'not':
			return !matches(c.c, r);
		case 'in': {
			const hit = inList(c, r[c.field]);
			return c.negate ? !hit && r[c.field] !== null && r[c.field] !== undefined : hit;
		}
		case 'like': {
			const v = r[c.field];
			return typeof v === 'string' && c.re.test(v);
		}
		case 'cmp': {
			const v = r[c.field];
			if (c.op === '=') return sameValue(v, c.value);
			if (c.op === '!=') return !sameValue(v, c.value);
			if (v === null || v === undefined || c.value === null) return false;
			const d = compare(v, c.value);
			return c.op === '<' ? d < 0 : c.op === '<=' ? d <= 0 : c.op === '>' ? d > 0 : d >= 0;
		}
	}
}

/** Runs the query over `rows`; returns the matching records (all pages). */
export function runSoql(q: SoqlQuery, rows: Rec[]): Rec[] {
	let out = q.where ? rows.filter((r) => matches(q.where!, r)) : [...rows];
	if (q.orderBy.length)
		out.sort((a, b) => {
			for (const o of q.orderBy) {
				const x = a[o.field];
				const y = b[o.field];
				const xn = x === null || x === undefined;
				const yn = y === null || y === undefined;
				if (xn || yn) {
					if (xn && yn) continue;
					return (xn ? -1 : 1) * (o.nullsLast ? -1 : 1);
				}
				const d = compare(x, y);
				if (d !== 0) return o.desc ? -d : d;
			}
			return 0;
		});
	if (q.offset) out = out.slice(q.offset);
	if (q.limit !== undefined) out = out.slice(0, q.limit);
	return out;
}

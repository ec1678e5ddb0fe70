/**
 * Which parent records a write request locks, per record: the values of the object's lookup
 * (reference) fields, from the request body and, for updates and deletes by Id, from the stored
 * record. Read from the request before it runs, so the lock model can fail records up front.
 */
import type { EmuRequest } from '../http-types';
import { isValidId, to18 } from '../ids';
import { resolveParents } from '../relationships';
import { findObject, objectByPrefix, type EmuObject } from '../schema';
import type { Rec, Store } from '../store';

export interface WriteShape {
	/** Records the request saves or deletes. */
	records: number;
	/** Parent Ids each record locks (18-char), in record order. */
	parents: string[][];
	/** A single-record call (`/sobjects/...`): a lock failure fails the whole call. */
	single: boolean;
}

function parse(body: string): unknown {
	try {
		return JSON.parse(body);
	} catch {
		return undefined;
	}
}

const asRec = (v: unknown): Rec =>
	v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : {};

function idOf(r: Rec): string | undefined {
	const k = Object.keys(r).find((x) => x.toLowerCase() === 'id');
	const v = k ? r[k] : undefined;
	return typeof v === 'string' && isValidId(v) ? to18(v) : undefined;
}

function parentsOf(store: Store, o: EmuObject | undefined, body: Rec, id?: string): string[] {
	if (!o) return [];
	// a parent named by its external ID locks like one named by its Id
	const r = resolveParents(store, o, body, 'json').input;
	const stored = id ? store.get(o.name, id) : undefined;
	const out = new Set<string>();
	for (const f of o.fields) {
		if (f.type !== 'reference') continue;
		const key = Object.keys(r).find((k) => k.toLowerCase() === f.name.toLowerCase());
		const v = key !== undefined ? r[key] : stored?.[f.name];
		if (typeof v === 'string' && isValidId(v)) out.add(to18(v));
	}
	return [...out];
}

/** The records a write request touches and their parents; undefined for reads and unknown paths. */
export function writeShape(store: Store, req: EmuRequest, seg: string[]): WriteShape | undefined {
	const m = req.method;
	const [a, b, c, d] = seg;
	if (a === 'sobjects' && b && c !== 'describe') {
		const o = findObject(b);
		if (m === 'POST' && !c) return one(parentsOf(store, o, asRec(parse(req.body))));
		if (m === 'PATCH' && c && !d) {
			const id = isValidId(c) ? to18(c) : undefined;
			return one(parentsOf(store, o, asRec(parse(req.body)), id));
		}
		if (m === 'DELETE' && c && !d)
			return one(parentsOf(store, o, {}, isValidId(c) ? to18(c) : undefined));
		if ((m === 'PATCH' || m === 'POST') && c && d) {
			const id = c.toLowerCase() === 'id' && isValidId(d) ? to18(d) : undefined;
			return one(parentsOf(store, o, asRec(parse(req.body)), id));
		}
		return undefined;
	}
	if (a !== 'composite' || b !== 'sobjects') return undefined;
	if (m === 'DELETE' && !c) {
		const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
		const parents = ids.map((x) =>
			isValidId(x) ? parentsOf(store, objectByPrefix(x), {}, to18(x)) : [],
		);
		return { records: ids.length, parents, single: false };
	}
	if (m !== 'POST' && m !== 'PATCH') return undefined;
	const records = asRec(parse(req.body)).records;
	if (!Array.isArray(records)) return undefined;
	const fixed = c ? findObject(c) : undefined;
	const parents = records.map((x) => {
		const r = asRec(x);
		const type = asRec(r.attributes).type;
		const o = fixed ?? (typeof type === 'string' ? findObject(type) : undefined);
		return parentsOf(store, o, r, m === 'PATCH' && !c ? idOf(r) : undefined);
	});
	return { records: records.length, parents, single: false };
}

const one = (parents: string[]): WriteShape => ({ records: 1, parents: [parents], single: true });

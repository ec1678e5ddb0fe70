/** In-memory record store with an undo journal (for allOrNone rollbacks) and JSON snapshots. */
import { makeId, to18 } from './ids';
import type { EmuObject } from './schema';

export type Rec = Record<string, unknown>;

interface JournalEntry {
	object: string;
	id: string;
	prev: Rec | undefined;
}

export interface StoreSnapshot {
	records: Record<string, Rec[]>;
	sequences: Record<string, number>;
}

export class Store {
	private tables = new Map<string, Map<string, Rec>>();
	private sequences = new Map<string, number>();
	private journal: JournalEntry[] | undefined;
	/** object → field → lower-cased value → Ids; built on first lookup, kept up to date after. */
	private indexes = new Map<string, Map<string, Map<unknown, Set<string>>>>();
	/** Called after every change (persistence hooks in here). */
	onChange: () => void = () => {};

	private table(object: string): Map<string, Rec> {
		let t = this.tables.get(object);
		if (!t) {
			t = new Map();
			this.tables.set(object, t);
		}
		return t;
	}

	nextSequence(key: string): number {
		const n = (this.sequences.get(key) ?? 0) + 1;
		this.sequences.set(key, n);
		return n;
	}

	newId(o: EmuObject): string {
		// Start high enough that Ids have a realistic mix of digits and letters.
		return makeId(o.keyPrefix, 3_000_000 + this.nextSequence(`id:${o.keyPrefix}`) * 7919);
	}

	get(object: string, id: string): Rec | undefined {
		if (id.length !== 15 && id.length !== 18) return undefined;
		return this.table(object).get(to18(id));
	}

	all(object: string): Rec[] {
		return [...this.table(object).values()];
	}

	/** Records whose `field` equals `value` (strings compare case-insensitively, like external IDs). */
	findBy(object: string, field: string, value: unknown): Rec[] {
		if (value === null || value === undefined) return [];
		const ids = this.index(object, field).get(indexKey(value));
		if (!ids) return [];
		const t = this.table(object);
		return [...ids].map((id) => t.get(id)!).filter(Boolean);
	}

	private index(object: string, field: string): Map<unknown, Set<string>> {
		let byField = this.indexes.get(object);
		if (!byField) {
			byField = new Map();
			this.indexes.set(object, byField);
		}
		let idx = byField.get(field);
		if (!idx) {
			idx = new Map();
			for (const r of this.table(object).values()) addTo(idx, r[field], String(r.Id));
			byField.set(field, idx);
		}
		return idx;
	}

	private reindex(object: string, id: string, prev: Rec | undefined, next: Rec | undefined): void {
		const byField = this.indexes.get(object);
		if (!byField) return;
		for (const [field, idx] of byField) {
			if (prev) removeFrom(idx, prev[field], id);
			if (next) addTo(idx, next[field], id);
		}
	}

	put(object: string, rec: Rec): void {
		const id = String(rec.Id);
		const t = this.table(object);
		const prev = t.get(id);
		this.journal?.push({ object, id, prev });
		t.set(id, rec);
		this.reindex(object, id, prev, rec);
		this.onChange();
	}

	remove(object: string, id: string): boolean {
		const t = this.table(object);
		const prev = t.get(to18(id));
		if (!prev) return false;
		this.journal?.push({ object, id: to18(id), prev });
		t.delete(to18(id));
		this.reindex(object, to18(id), prev, undefined);
		this.onChange();
		return true;
	}

	/** Runs `fn`; if it returns false every change it made is undone. */
	transaction<T>(fn: () => { commit: boolean; value: T }): T {
		const outer = this.journal;
		this.journal = [];
		try {
			let result: { commit: boolean; value: T };
			try {
				result = fn();
			} catch (e) {
				this.rollback(this.journal);
				throw e;
			}
			if (!result.commit) this.rollback(this.journal);
			else outer?.push(...this.journal);
			return result.value;
		} finally {
			this.journal = outer;
		}
	}

	private rollback(entries: JournalEntry[]): void {
		for (const e of [...entries].reverse()) {
			const t = this.table(e.object);
			this.reindex(e.object, e.id, t.get(e.id), e.prev);
			if (e.prev) t.set(e.id, e.prev);
			else t.delete(e.id);
		}
		this.onChange();
	}

	clear(): void {
		this.tables.clear();
		this.indexes.clear();
		this.onChange();
	}

	snapshot(): StoreSnapshot {
		const records: Record<string, Rec[]> = {};
		for (const [name, t] of this.tables) if (t.size) records[name] = [...t.values()];
		return { records, sequences: Object.fromEntries(this.sequences) };
	}

	load(s: StoreSnapshot): void {
		this.tables.clear();
		this.indexes.clear();
		for (const [name, recs] of Object.entries(s.records ?? {})) {
			const t = this.table(name);
			for (const r of recs) t.set(String(r.Id), r);
		}
		this.sequences = new Map(Object.entries(s.sequences ?? {}));
	}
}

const indexKey = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v);

function addTo(idx: Map<unknown, Set<string>>, v: unknown, id: string): void {
	if (v === null || v === undefined) return;
	const k = indexKey(v);
	let set = idx.get(k);
	if (!set) {
		set = new Set();
		idx.set(k, set);
	}
	set.add(id);
}

function removeFrom(idx: Map<unknown, Set<string>>, v: unknown, id: string): void {
	if (v === null || v === undefined) return;
	const k = indexKey(v);
	const set = idx.get(k);
	set?.delete(id);
	if (set && set.size === 0) idx.delete(k);
}

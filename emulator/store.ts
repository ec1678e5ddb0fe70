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
		const want = typeof value === 'string' ? value.toLowerCase() : value;
		return this.all(object).filter((r) => {
			const v = r[field];
			return (typeof v === 'string' ? v.toLowerCase() : v) === want && v !== null && v !== undefined;
		});
	}

	put(object: string, rec: Rec): void {
		const id = String(rec.Id);
		const t = this.table(object);
		this.journal?.push({ object, id, prev: t.get(id) });
		t.set(id, rec);
		this.onChange();
	}

	remove(object: string, id: string): boolean {
		const t = this.table(object);
		const prev = t.get(to18(id));
		if (!prev) return false;
		this.journal?.push({ object, id: to18(id), prev });
		t.delete(to18(id));
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
			if (e.prev) t.set(e.id, e.prev);
			else t.delete(e.id);
		}
		this.onChange();
	}

	clear(): void {
		this.tables.clear();
		this.onChange();
	}

	snapshot(): StoreSnapshot {
		const records: Record<string, Rec[]> = {};
		for (const [name, t] of this.tables) if (t.size) records[name] = [...t.values()];
		return { records, sequences: Object.fromEntries(this.sequences) };
	}

	load(s: StoreSnapshot): void {
		this.tables.clear();
		for (const [name, recs] of Object.entries(s.records ?? {})) {
			const t = this.table(name);
			for (const r of recs) t.set(String(r.Id), r);
		}
		this.sequences = new Map(Object.entries(s.sequences ?? {}));
	}
}

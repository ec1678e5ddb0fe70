/**
 * Duplicate match keys within one run.
 *
 * Salesforce refuses two records with the same external ID in one upsert call (both fail
 * with DUPLICATE_EXTERNAL_ID), and two updates of the same Id in one call race each other.
 * Dropping the later item or failing it would lose data the user asked to write, so:
 *
 *   **Rule: items sharing a match key are written in input order, in successive waves.**
 *   Wave 0 holds every item with a unique (or no) key and the first item of each shared key;
 *   wave 1 the second item of each shared key, and so on. A wave starts only after the
 *   previous one has finished. Within a key the last item in the input wins (its values are
 *   written last), and every item reports its own result — typically success with the same
 *   record Id. For Create or Update, the first item creates the record and the next ones
 *   update it, so a run never creates two records for one key.
 *
 * Keys are compared after trimming and ignoring case, the widest notion of "same record"
 * Salesforce may apply (SOQL and case-insensitive external IDs ignore case). Grouping two keys
 * that Salesforce would have kept apart only costs an extra wave, never a wrong write.
 *
 * Writers using a lookup (match on a non-external-ID field such as Email): an item of wave
 * n > 0 whose key found no record must reuse the Id created in an earlier wave for the same
 * key (`previous` points at that item), rather than create again.
 *
 * Several match keys per item (Match On plus More Match Keys, plan/matchKeys.ts): an item is
 * given all its keys, and goes one wave after the latest earlier item sharing ANY of them, so two
 * items that may resolve to the same record are never in one call. With one key per item this is
 * exactly the rule above.
 */

export interface KeyPlan {
	/** Item indexes per wave, in input order. Empty input → no waves. */
	waves: number[][];
	/** Per item: 0 for the first item with its key, 1 for the second... (0 when no key). */
	occurrence: number[];
	/** Per item: index of the latest earlier item sharing a key, if any. */
	previous: Array<number | undefined>;
	/** Normalised key → item indexes, for keys used by more than one item. */
	duplicates: Map<string, number[]>;
}

function normaliseKey(key: string): string {
	return key.trim().toLowerCase();
}

type KeyValue = string | undefined | null;

function present(raw: KeyValue): raw is string {
	return raw !== undefined && raw !== null && raw.trim() !== '';
}

/** `keys[i]`: item i's key, or its keys (several match keys; distinct fields must not collide). */
export function planKeys(keys: ReadonlyArray<KeyValue | readonly KeyValue[]>): KeyPlan {
	const occurrence: number[] = [];
	const previous: Array<number | undefined> = [];
	/** key → wave and index of the latest item holding it */
	const latest = new Map<string, { wave: number; index: number }>();
	const groups = new Map<string, number[]>();
	const waves: number[][] = [];

	keys.forEach((raw, index) => {
		const own = [...new Set((Array.isArray(raw) ? raw : [raw]).filter(present).map(normaliseKey))];
		let wave = 0;
		let prev: { wave: number; index: number } | undefined;
		for (const key of own) {
			const last = latest.get(key);
			if (last && last.wave + 1 > wave) wave = last.wave + 1;
			if (last && (!prev || last.index > prev.index)) prev = last;
		}
		for (const key of own) {
			latest.set(key, { wave, index });
			const group = groups.get(key) ?? [];
			group.push(index);
			groups.set(key, group);
		}
		previous.push(prev?.index);
		occurrence.push(wave);
		while (waves.length <= wave) waves.push([]);
		waves[wave].push(index);
	});

	const duplicates = new Map<string, number[]>();
	for (const [key, group] of groups) if (group.length > 1) duplicates.set(key, group);
	return { waves, occurrence, previous, duplicates };
}

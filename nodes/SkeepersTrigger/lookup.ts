// Looking a field up under several names: keys compare after folding case, separators and
// accents (`First_Name`, `firstName`, `prénom` → `firstname`, `prenom`).

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
	v !== null && typeof v === 'object' && !Array.isArray(v);

const folded = new Map<string, string>();

/** `First_Name`, `firstName`, `prénom` → `firstname`, `prenom` (memoised: keys repeat). */
export function normalizeKey(key: string): string {
	let k = folded.get(key);
	if (k !== undefined) return k;
	k = key
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
	if (folded.size >= 10_000) folded.clear();
	folded.set(key, k);
	return k;
}

/**
 * Folded key → first original key, per object. Recognition looks the same objects up dozens of
 * times per event; events are not modified while they are read.
 */
const indexes = new WeakMap<Obj, Map<string, string>>();

function keyIndex(obj: Obj): Map<string, string> {
	let index = indexes.get(obj);
	if (index) return index;
	index = new Map<string, string>();
	for (const key of Object.keys(obj)) {
		const k = normalizeKey(key);
		if (!index.has(k)) index.set(k, key);
	}
	indexes.set(obj, index);
	return index;
}

/** The first key of `obj` that matches one of `names` (in order of `names`), with its value. */
export function pickEntry(
	obj: unknown,
	names: readonly string[],
): { key: string; value: unknown } | undefined {
	if (!isObj(obj)) return undefined;
	const byKey = keyIndex(obj);
	for (const name of names) {
		const key = byKey.get(normalizeKey(name));
		if (key === undefined) continue;
		const value = obj[key];
		if (value !== undefined && value !== null && value !== '') return { key, value };
	}
	return undefined;
}

/** The value of the first key of `obj` that matches one of `names` (in order of `names`). */
export function pick(obj: unknown, names: readonly string[]): unknown {
	return pickEntry(obj, names)?.value;
}

export function asText(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return null;
}

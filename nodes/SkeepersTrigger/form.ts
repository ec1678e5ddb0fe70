// Form-encoded bodies (`application/x-www-form-urlencoded`): percent-decoding, the text in the
// declared charset, and `a[b][0]` keys nested into objects and arrays (never `__proto__`). Pure.
import { MAX_FORM_FIELDS, MAX_NESTING_DEPTH, tooDeep, tooManyFields } from './limits';
import { isObj } from './lookup';

const decoders = new Map<string, InstanceType<typeof TextDecoder>>();

/** Bytes → text in `encoding`, or undefined when they are not valid in it. */
export function decode(bytes: Uint8Array, encoding: string): string | undefined {
	try {
		// One decoder per encoding, reused: a form body decodes two texts per field.
		let decoder = decoders.get(encoding);
		if (decoder === undefined) {
			decoder = new TextDecoder(encoding, { fatal: true });
			decoders.set(encoding, decoder);
		}
		return decoder.decode(bytes);
	} catch {
		decoders.delete(encoding); // a fresh one next time, whatever state the error left
		return undefined;
	}
}

/** The value of an ASCII hex digit, -1 for anything else (or nothing). */
function hexValue(b: number | undefined): number {
	if (b === undefined) return -1;
	if (b >= 0x30 && b <= 0x39) return b - 0x30;
	if (b >= 0x41 && b <= 0x46) return b - 0x37;
	if (b >= 0x61 && b <= 0x66) return b - 0x57;
	return -1;
}

function percentDecode(bytes: Uint8Array): Uint8Array | undefined {
	if (!bytes.includes(0x25) && !bytes.includes(0x2b)) return bytes; // nothing to decode
	const out = new Uint8Array(bytes.length);
	let n = 0;
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i];
		if (b === 0x2b) {
			out[n++] = 0x20;
		} else if (b === 0x25) {
			const hi = hexValue(bytes[i + 1]);
			const lo = hexValue(bytes[i + 2]);
			if (hi < 0 || lo < 0) return undefined;
			out[n++] = hi * 16 + lo;
			i += 2;
		} else {
			out[n++] = b;
		}
	}
	return out.subarray(0, n);
}

function splitBytes(bytes: Uint8Array, separator: number): Uint8Array[] {
	const parts: Uint8Array[] = [];
	let start = 0;
	for (let i = 0; i <= bytes.length; i++) {
		if (i === bytes.length || bytes[i] === separator) {
			parts.push(bytes.subarray(start, i));
			start = i + 1;
		}
	}
	return parts;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A repeated key appends to the array it already holds, in place: copying it on each repeat made
 * a body of n repeats cost n² (40,000 `a=1&` took minutes).
 */
function addValue(node: Record<string, unknown>, key: string, value: string): void {
	const existing = node[key];
	if (existing === undefined) node[key] = value;
	else if (Array.isArray(existing)) existing.push(value);
	else node[key] = [existing, value];
}

/**
 * Sets `a[b]`, `a[]` and `a[0][b]` style keys into nested objects and arrays; repeated keys
 * become arrays. Keys it cannot nest safely are kept literally.
 */
function assignField(target: Record<string, unknown>, key: string, value: string): void {
	const match = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(key);
	const path = match ? [match[1], ...match[2].slice(1, -1).split('][')] : [key];
	if (path.some((segment) => UNSAFE_KEYS.has(segment))) return;
	let node: Record<string, unknown> = target;
	for (let i = 0; i < path.length - 1; i++) {
		const segment = path[i];
		if (path[i + 1] === '' && i + 2 === path.length) {
			const existing = node[segment];
			if (existing === undefined) {
				node[segment] = [value];
				return;
			}
			if (Array.isArray(existing)) {
				existing.push(value);
				return;
			}
			break;
		}
		if (segment === '') break;
		const child = node[segment];
		if (child === undefined) node[segment] = {};
		else if (!isObj(child)) break;
		node = node[segment] as Record<string, unknown>;
		if (i === path.length - 2) {
			addValue(node, path[path.length - 1], value);
			return;
		}
	}
	addValue(target, key, value);
}

/** Objects whose keys are all array indexes (`answers[0][…]`) become arrays. */
function indexedToArrays(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(indexedToArrays);
	if (!isObj(value)) return value;
	const keys = Object.keys(value);
	const converted: Record<string, unknown> = {};
	for (const k of keys) converted[k] = indexedToArrays(value[k]);
	if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
		return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]);
	}
	return converted;
}

/** Parses `application/x-www-form-urlencoded` bytes, decoding text with the given charset. */
export function parseForm(
	bytes: Uint8Array,
	encoding: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
	// Counted before anything is split or decoded: the bound on the work that follows.
	let count = 0;
	for (let i = 0; i < bytes.length; i++) {
		if (bytes[i] !== 0x26 && (i === 0 || bytes[i - 1] === 0x26)) count++;
	}
	if (count > MAX_FORM_FIELDS) return { ok: false, error: tooManyFields(count) };
	const fields: Record<string, unknown> = {};
	let index = 0;
	for (const pair of splitBytes(bytes, 0x26)) {
		index++;
		if (pair.length === 0) continue;
		const eq = pair.indexOf(0x3d);
		const rawKey = eq < 0 ? pair : pair.subarray(0, eq);
		const rawValue = eq < 0 ? new Uint8Array() : pair.subarray(eq + 1);
		const keyBytes = percentDecode(rawKey);
		const valueBytes = percentDecode(rawValue);
		if (!keyBytes || !valueBytes) {
			return { ok: false, error: `malformed form field #${index}: invalid percent-encoding` };
		}
		const key = decode(keyBytes, encoding);
		const value = decode(valueBytes, encoding);
		if (key === undefined || value === undefined) {
			return { ok: false, error: `malformed form field #${index}: not valid ${encoding} text` };
		}
		if (key === '') continue;
		// `a[b][c]…`: each bracket is one more level; refused before anything nests.
		if (key.split('[').length > MAX_NESTING_DEPTH) return { ok: false, error: tooDeep() };
		assignField(fields, key, value);
	}
	return { ok: true, value: indexedToArrays(fields) as Record<string, unknown> };
}

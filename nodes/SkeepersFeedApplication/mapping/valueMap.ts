/**
 * The Value Map transformation's table: `key=value` pairs or a JSON object, `*` as the default.
 */
import { TransformationError } from './types';

interface ValueTable {
	entries: Map<string, unknown>;
	/** Lower-cased keys, for a case-insensitive second chance. */
	folded: Map<string, unknown>;
	fallback?: { value: unknown };
}

const VALUE_MAP_FORM =
	'a table like "detractor=Detractor, passive=Passive, *=Other" or a JSON object {"detractor":"Detractor"}';

/**
 * Reads the value-map parameter: `key=value` pairs separated by commas, semicolons or new
 * lines, or a JSON object. `*` is the default for unmatched values. Keys are trimmed and
 * matched exactly first, then ignoring case.
 */
function parseValueTable(parameter: string | undefined): ValueTable {
	const text = (parameter ?? '').trim();
	if (text === '') {
		throw new TransformationError('valueMap', VALUE_MAP_FORM, {
			parameterError: true,
			detail: 'the value map is empty',
		});
	}
	const table: ValueTable = { entries: new Map(), folded: new Map() };
	const put = (key: string, value: unknown) => {
		const k = key.trim();
		if (k === '*') {
			table.fallback = { value };
			return;
		}
		table.entries.set(k, value);
		if (!table.folded.has(k.toLowerCase())) table.folded.set(k.toLowerCase(), value);
	};
	if (text.startsWith('{')) {
		let parsed: unknown;
		let parses = true;
		try {
			parsed = JSON.parse(text);
		} catch {
			parses = false;
		}
		if (!parses) {
			throw new TransformationError('valueMap', VALUE_MAP_FORM, {
				parameterError: true,
				detail: 'the value map looks like JSON but does not parse',
			});
		}
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
			throw new TransformationError('valueMap', VALUE_MAP_FORM, {
				parameterError: true,
				detail: 'the JSON is not an object',
			});
		}
		for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) put(k, v);
		return table;
	}
	for (const pair of text.split(/[,;\n]/)) {
		if (pair.trim() === '') continue;
		const eq = pair.indexOf('=');
		if (eq < 0) {
			throw new TransformationError('valueMap', VALUE_MAP_FORM, {
				parameterError: true,
				detail: `"${pair.trim()}" has no "="`,
			});
		}
		put(pair.slice(0, eq), pair.slice(eq + 1).trim());
	}
	return table;
}

export function applyValueMap(value: unknown, parameter: string | undefined): unknown {
	const table = parseValueTable(parameter);
	const key = typeof value === 'string' ? value.trim() : String(value);
	if (table.entries.has(key)) return table.entries.get(key);
	if (table.folded.has(key.toLowerCase())) return table.folded.get(key.toLowerCase());
	if (table.fallback) return table.fallback.value;
	const keys = [...table.entries.keys()];
	const shown = keys.slice(0, 10).join(', ') + (keys.length > 10 ? ', ...' : '');
	throw new TransformationError(
		'valueMap',
		`one of the values of the map (${shown}), or add a default "*=..."`,
	);
}

// JSON bodies: JSON.parse, and when it fails, where and why (line, column, position, reason)
// without quoting the body; nothing nested deeper than the trigger's limit is parsed. Pure.
import { MAX_NESTING_DEPTH, tooDeep, tooManyEvents } from './limits';

/**
 * Finds where and why a JSON text is invalid (JSON.parse messages differ between Node versions
 * and may quote the body). A small recursive-descent scan, used only after JSON.parse failed.
 */
function locateJsonError(text: string): { position: number; reason: string } {
	let i = 0;
	const ws = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
	};
	const describe = (at: number) => {
		if (at >= text.length) return 'unexpected end of input';
		const code = text.charCodeAt(at);
		const shown =
			code < 0x20 || code === 0x7f
				? `U+${code.toString(16).padStart(4, '0').toUpperCase()}`
				: `'${text[at]}'`;
		return `unexpected character ${shown}`;
	};
	class Stop {
		constructor(
			readonly position: number,
			readonly reason: string,
		) {}
	}
	const expectChar = (c: string, what: string) => {
		ws();
		if (text[i] !== c) throw new Stop(i, `${describe(i)}, expected ${what}`);
		i++;
	};
	const string = () => {
		i++; // opening quote
		while (i < text.length) {
			const c = text[i];
			if (c === '"') {
				i++;
				return;
			}
			if (c === '\\') {
				const e = text[i + 1];
				if (e === 'u') {
					if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
						throw new Stop(i, 'invalid \\u escape in a string');
					i += 6;
					continue;
				}
				if (e === undefined || !'"\\/bfnrt'.includes(e))
					throw new Stop(i, 'invalid escape in a string');
				i += 2;
				continue;
			}
			if (c.charCodeAt(0) < 0x20) throw new Stop(i, 'control character in a string (escape it)');
			i++;
		}
		throw new Stop(i, 'unterminated string');
	};
	const value = (): void => {
		ws();
		const c = text[i];
		if (c === '{') {
			i++;
			ws();
			if (text[i] === '}') {
				i++;
				return;
			}
			for (;;) {
				ws();
				if (text[i] !== '"')
					throw new Stop(i, `${describe(i)}, expected a property name in double quotes`);
				string();
				expectChar(':', "':'");
				value();
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === '}') {
					i++;
					return;
				}
				throw new Stop(i, `${describe(i)}, expected ',' or '}'`);
			}
		}
		if (c === '[') {
			i++;
			ws();
			if (text[i] === ']') {
				i++;
				return;
			}
			for (;;) {
				value();
				ws();
				if (text[i] === ',') {
					i++;
					continue;
				}
				if (text[i] === ']') {
					i++;
					return;
				}
				throw new Stop(i, `${describe(i)}, expected ',' or ']'`);
			}
		}
		if (c === '"') return string();
		const literal = /^(true|false|null)/.exec(text.slice(i, i + 5));
		if (literal) {
			i += literal[1].length;
			return;
		}
		const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
		if (number && number[0] !== '-' && number[0] !== '') {
			i += number[0].length;
			return;
		}
		throw new Stop(i, `${describe(i)}, expected a value`);
	};
	try {
		value();
		ws();
		if (i < text.length)
			return { position: i, reason: `${describe(i)} after the end of the JSON value` };
		return { position: text.length, reason: 'invalid JSON' };
	} catch (error) {
		if (error instanceof Stop) return { position: error.position, reason: error.reason };
		return { position: i, reason: 'invalid JSON' };
	}
}

/**
 * One pass over the text, no recursion, valid JSON or not: whether it opens objects / arrays
 * (outside strings) more than `limit` levels deep, and how many items a top-level array holds.
 * JSON.parse never sees a deeper text (refusing 16 MB of `[` after parsing it took seconds), nor
 * a top-level array over `maxItems` (16 MB of `{},` took seconds to parse), and locateJsonError's
 * recursion stays within `limit` levels.
 */
function scan(text: string, limit: number): { deeper: boolean; topItems: number } {
	let depth = 0;
	let inString = false;
	let topItems = 0;
	let topArray = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c)
				i++; // backslash: the next character is escaped
			else if (c === 0x22) inString = false;
			continue;
		}
		if (depth === 1 && topArray && topItems === 0 && c > 0x20 && c !== 0x5d) topItems = 1;
		if (c === 0x22) {
			inString = true;
		} else if (c === 0x5b || c === 0x7b) {
			if (depth === 0 && c === 0x5b) topArray = true;
			if (++depth > limit) return { deeper: true, topItems };
		} else if (c === 0x5d || c === 0x7d) {
			depth--;
		} else if (c === 0x2c && depth === 1 && topArray) {
			topItems++;
		}
	}
	return { deeper: false, topItems };
}

/**
 * JSON.parse with a readable reason: line, column and position of the error. A text nesting
 * deeper than MAX_NESTING_DEPTH, or a top-level array of more than `maxItems` items, is refused
 * before it is parsed.
 */
export function parseJson(
	text: string,
	maxItems = Infinity,
): { ok: true; value: unknown } | { ok: false; error: string } {
	const { deeper, topItems } = scan(text, MAX_NESTING_DEPTH);
	if (deeper) return { ok: false, error: tooDeep() };
	if (topItems > maxItems) return { ok: false, error: tooManyEvents(topItems) };
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		const { position, reason } = locateJsonError(text);
		const before = text.slice(0, position);
		const line = before.split('\n').length;
		const column = position - before.lastIndexOf('\n');
		return {
			ok: false,
			error: `malformed JSON at line ${line} column ${column} (position ${position}): ${reason}`,
		};
	}
}

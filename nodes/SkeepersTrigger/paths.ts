// Paths into an event, as the trigger writes them (`recognition.found`) and as the user types
// them (Field Paths): `data.respondent.mail`, `answers[2].value`, `hidden["e-mail"]`.
// A leading `raw.` or `$.` is accepted (the item shows the event under `raw`).

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/;

/** `['data', 'answers', 2, 'value']` → `data.answers[2].value`. */
export function formatPath(segments: readonly PathSegment[]): string {
	let out = '';
	for (const segment of segments) {
		if (typeof segment === 'number') out += `[${segment}]`;
		else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
		else out += `[${JSON.stringify(segment)}]`;
	}
	return out;
}

/** Splits a typed path into segments; undefined when it cannot be read. */
export function parsePath(text: string): PathSegment[] | undefined {
	let rest = text.trim().replace(/^(\$\.|raw\.)/, '');
	if (rest === '' || rest === '$' || rest === 'raw') return [];
	const segments: PathSegment[] = [];
	let first = true;
	while (rest !== '') {
		let m: RegExpExecArray | null;
		if ((m = /^\[(\d+)\]/.exec(rest))) {
			segments.push(Number(m[1]));
		} else if ((m = /^\[\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\]/.exec(rest))) {
			const quoted = m[1];
			segments.push(
				quoted.startsWith('"')
					? (JSON.parse(quoted) as string)
					: quoted.slice(1, -1).replace(/\\'/g, "'"),
			);
		} else if ((m = (first ? /^([^.[\]]+)/ : /^\.([^.[\]]+)/).exec(rest))) {
			segments.push(m[1].trim());
		} else {
			return undefined;
		}
		rest = rest.slice(m[0].length);
		first = false;
	}
	return segments;
}

/** The value at `segments` in `root`, or undefined. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
	let node: unknown = root;
	for (const segment of segments) {
		if (node === null || typeof node !== 'object') return undefined;
		if (Array.isArray(node)) {
			if (typeof segment !== 'number') return undefined;
			node = node[segment];
		} else {
			if (!Object.prototype.hasOwnProperty.call(node, String(segment))) return undefined;
			node = (node as Record<string, unknown>)[String(segment)];
		}
	}
	return node;
}

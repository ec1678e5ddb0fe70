/**
 * The Owner option as a workflow stores it: `user:<Username>` or `queue:<Queue API name>` (the
 * editor's dropdown), or a bare name: a username has an `@`, anything else names a queue.
 */
export type OwnerName = { kind: 'user' | 'queue'; name: string };

export function parseOwnerName(value: string): OwnerName | undefined {
	const text = value.trim();
	const m = /^(user|queue):(.*)$/i.exec(text);
	if (m) {
		const name = m[2].trim();
		return name ? { kind: m[1].toLowerCase() as OwnerName['kind'], name } : undefined;
	}
	if (!text) return undefined;
	return { kind: text.includes('@') ? 'user' : 'queue', name: text };
}

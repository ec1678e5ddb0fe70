// The trigger's documented input limits (docs/trigger.md, "Limits"). A delivery over one is
// answered 400 with the reason: never a 500, never a stack overflow in n8n or in this package.

/** Deepest nesting of objects and arrays accepted in a delivery (the top-level body is level 1). */
export const MAX_NESTING_DEPTH = 64;

/**
 * Whether `value` nests objects / arrays deeper than `limit` levels. Iterative: it cannot
 * overflow the stack whatever the input.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
	const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
	while (stack.length > 0) {
		const { value: current, depth } = stack.pop()!;
		if (current === null || typeof current !== 'object') continue;
		if (depth > limit) return true;
		const children = Array.isArray(current) ? current : Object.values(current as object);
		for (const child of children) {
			if (child !== null && typeof child === 'object')
				stack.push({ value: child, depth: depth + 1 });
		}
	}
	return false;
}

export const tooDeep = (limit = MAX_NESTING_DEPTH) =>
	`the body nests objects or arrays deeper than ${limit} levels (the trigger's limit)`;

// The trigger's documented input limits (docs/trigger-payloads.md, "Limits"; docs/trigger.md,
// response codes). A delivery over one is answered 400 with the reason, naming the limit and what
// was found: never a 500, never a stack overflow, and the work a delivery costs stays bounded.

/** Deepest nesting of objects and arrays accepted in a delivery (the top-level body is level 1). */
export const MAX_NESTING_DEPTH = 64;

/**
 * Largest body, in bytes as the trigger receives them (after n8n's decompression): n8n's own
 * default `N8N_PAYLOAD_SIZE_MAX` (16 MiB), so the bound still holds where that setting is raised.
 */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Most events one delivery may carry (an array body, or `{ "events": [...] }`). */
export const MAX_EVENTS_PER_DELIVERY = 1000;

/**
 * Most fields a form-encoded body may have (`a=1&b=2` has 2; empty ones do not count). Express's
 * form parser stops at 1,000 by default; a form-encoded event has tens.
 */
export const MAX_FORM_FIELDS = 10_000;

/** Largest event, in bytes of its compact JSON in UTF-8: what an item's `raw` holds. */
export const MAX_EVENT_BYTES = 1024 * 1024;

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

/**
 * Size of an event as `raw` holds it: its compact JSON in UTF-8 bytes. Only called on values
 * already checked against MAX_NESTING_DEPTH, so JSON.stringify cannot overflow the stack.
 */
export function eventBytes(event: unknown): number {
	return Buffer.byteLength(JSON.stringify(event) ?? '', 'utf8');
}

const count = (n: number) => n.toLocaleString('en-US');
const mib = (bytes: number) => `${count(bytes)} bytes (${bytes / (1024 * 1024)} MiB)`;

export const tooDeep = (limit = MAX_NESTING_DEPTH) =>
	`the body nests objects or arrays deeper than ${limit} levels (the trigger's limit)`;

export const tooLarge = (bytes: number) =>
	`the body is ${count(bytes)} bytes, over the trigger's limit of ${mib(MAX_BODY_BYTES)}`;

export const tooManyEvents = (events: number) =>
	`the delivery holds ${count(events)} events, over the trigger's limit of ${count(MAX_EVENTS_PER_DELIVERY)} events per delivery`;

export const tooManyFields = (fields: number) =>
	`the form has ${count(fields)} fields, over the trigger's limit of ${count(MAX_FORM_FIELDS)} fields`;

/** `index` counts from 0; the reason counts from 1, as the other batch reasons do. */
export const eventTooLarge = (index: number, bytes: number) =>
	`event #${index + 1} is ${count(bytes)} bytes as JSON, over the trigger's limit of ${mib(MAX_EVENT_BYTES)} per event`;

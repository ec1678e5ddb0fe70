// Step 2 of a delivery: from bytes to events. Parses the body (body.ts), normalises each event
// (event.ts) and keeps those that pass the node's filters (filters.ts).
import { parseDelivery, type BodyKind } from './body';
import { normalizeEvent, type FieldPaths, type NormalizedEvent } from './event';
import { applyFilters, type EventFilters } from './filters';
import type { DeliveryRequest, RawBody } from './request';
import { getHeader } from './signature';

export type ReadEvents =
	| {
			ok: true;
			/** Every event of the delivery, normalised, in order. */
			normalized: NormalizedEvent[];
			/** Those that passed the filters. */
			kept: NormalizedEvent[];
			mediaType: string;
			format: BodyKind;
	  }
	| { ok: false; status: number; error: string };

export function readEvents(
	req: DeliveryRequest,
	body: RawBody,
	filters: EventFilters,
	fieldPaths: FieldPaths = {},
): ReadEvents {
	if (body.refusal !== undefined) return { ok: false, status: 400, error: body.refusal };
	const contentType = getHeader(req.headers, 'content-type');
	const parsed = parseDelivery(
		body.bytes,
		body.serialized === true ? 'application/json' : contentType,
	);
	if (!parsed.ok) return parsed;

	const receivedAt = new Date().toISOString();
	const normalized = parsed.events.map((event) =>
		normalizeEvent(event as Record<string, unknown>, receivedAt, fieldPaths),
	);
	return {
		ok: true,
		normalized,
		kept: applyFilters(normalized, filters),
		mediaType: parsed.mediaType,
		format: parsed.kind,
	};
}

// Required Fields: an event the trigger could not fully recognise never starts the workflow
// silently. Either the delivery is refused (422, naming the fields: the sender can retry) or
// the event leaves on the second output, Unrecognized.
import type { FieldName, NormalizedEvent } from './event';
import type { RequiredFields } from './settings';

interface MissingInEvent {
	/** The event's position in the delivery (0-based). */
	index: number;
	eventId: string;
	missing: FieldName[];
}

export type RequiredCheck =
	| { ok: true; recognized: NormalizedEvent[]; unrecognized: NormalizedEvent[] }
	| { ok: false; status: 422; error: string; events: MissingInEvent[] };

export function checkRequired(
	all: NormalizedEvent[],
	kept: NormalizedEvent[],
	required: RequiredFields,
): RequiredCheck {
	if (required.fields.length === 0) return { ok: true, recognized: kept, unrecognized: [] };
	const misses: MissingInEvent[] = [];
	const recognized: NormalizedEvent[] = [];
	const unrecognized: NormalizedEvent[] = [];
	for (const event of kept) {
		const missing = required.fields.filter((f) => event.recognition.missing.includes(f));
		if (missing.length === 0) {
			recognized.push(event);
			continue;
		}
		unrecognized.push(event);
		misses.push({ index: all.indexOf(event), eventId: event.eventId, missing });
	}
	if (misses.length > 0 && required.onMissing === 'reject') {
		const first = misses[0];
		const which = all.length > 1 ? `event #${first.index + 1} of the batch` : 'the event';
		return {
			ok: false,
			status: 422,
			error: `${which} misses required field${first.missing.length > 1 ? 's' : ''} ${first.missing.join(', ')}: nothing was started (set Field Paths in the trigger, or send them)`,
			events: misses,
		};
	}
	return { ok: true, recognized, unrecognized };
}

// Optional filters that keep noise out before a workflow starts. The business IF/THEN logic
// belongs to n8n's IF / Switch nodes; these only drop events the workflow never wants.
import type { NormalizedEvent } from './event';

export interface EventFilters {
	/** Keep events of these campaigns (by id). Empty: all campaigns. */
	campaignIds: string[];
	/** Keep events carrying at least one (`any`) or all (`all`) of these flags. Empty: no flag filter. */
	flags: string[];
	flagsMatch: 'any' | 'all';
	/** Keep events of these types (e.g. `response.completed`). Empty: all types. */
	eventTypes: string[];
}

export const NO_FILTERS: EventFilters = {
	campaignIds: [],
	flags: [],
	flagsMatch: 'any',
	eventTypes: [],
};

/** Splits a user-typed list: commas, semicolons or new lines; trims; drops empties. */
export function parseList(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(parseList);
	if (typeof value === 'number') return [String(value)];
	if (typeof value !== 'string') return [];
	return value
		.split(/[,;\n]/)
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

const fold = (text: string) => text.trim().toLowerCase();

/** Why an event is dropped, or undefined when it passes. */
export function rejectionReason(event: NormalizedEvent, filters: EventFilters): string | undefined {
	if (filters.campaignIds.length > 0) {
		const id = event.campaign.id;
		if (id === null || !filters.campaignIds.some((wanted) => wanted.trim() === id)) {
			return 'campaign not selected';
		}
	}
	if (filters.eventTypes.length > 0) {
		const type = event.eventType === null ? null : fold(event.eventType);
		if (type === null || !filters.eventTypes.some((wanted) => fold(wanted) === type)) {
			return 'event type not selected';
		}
	}
	if (filters.flags.length > 0) {
		const have = new Set(event.flags.map(fold));
		const hits = filters.flags.filter((flag) => have.has(fold(flag))).length;
		const pass = filters.flagsMatch === 'all' ? hits === filters.flags.length : hits > 0;
		if (!pass) return 'flags do not match';
	}
	return undefined;
}

export function applyFilters(events: NormalizedEvent[], filters: EventFilters): NormalizedEvent[] {
	return events.filter((event) => rejectionReason(event, filters) === undefined);
}

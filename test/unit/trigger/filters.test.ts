import { normalizeEvent } from '../../../nodes/SkeepersTrigger/event';
import {
	applyFilters,
	NO_FILTERS,
	parseList,
	rejectionReason,
} from '../../../nodes/SkeepersTrigger/filters';

const AT = '2025-03-14T18:00:00.000Z';
const ev = (campaign: string | null, flags: string[], type = 'response.completed') =>
	normalizeEvent(
		{ event: type, campaign: campaign === null ? undefined : { id: campaign }, flags },
		AT,
	);

describe('filters', () => {
	it('parseList splits on commas, semicolons and new lines', () => {
		expect(parseList(' a, b;c\n\n d ,')).toEqual(['a', 'b', 'c', 'd']);
		expect(parseList(undefined)).toEqual([]);
		expect(parseList(12)).toEqual(['12']);
	});

	it('no filters keep everything', () => {
		const events = [ev('A', []), ev(null, ['x'])];
		expect(applyFilters(events, NO_FILTERS)).toEqual(events);
	});

	it('campaign ids: exact match; an event without campaign is dropped', () => {
		const f = { ...NO_FILTERS, campaignIds: ['A', 'B'] };
		expect(rejectionReason(ev('A', []), f)).toBeUndefined();
		expect(rejectionReason(ev('C', []), f)).toBe('campaign not selected');
		expect(rejectionReason(ev(null, []), f)).toBe('campaign not selected');
		expect(rejectionReason(ev('a', []), f)).toBe('campaign not selected');
	});

	it('flags: any (default) or all, case-insensitive', () => {
		const any = { ...NO_FILTERS, flags: ['VIP', 'abandoned_cart'] };
		expect(rejectionReason(ev(null, ['vip']), any)).toBeUndefined();
		expect(rejectionReason(ev(null, ['other']), any)).toBe('flags do not match');
		const all = { ...any, flagsMatch: 'all' as const };
		expect(rejectionReason(ev(null, ['vip']), all)).toBe('flags do not match');
		expect(rejectionReason(ev(null, ['abandoned_cart', 'vip']), all)).toBeUndefined();
	});

	it('event types, case-insensitive', () => {
		const f = { ...NO_FILTERS, eventTypes: ['Response.Completed'] };
		expect(rejectionReason(ev(null, []), f)).toBeUndefined();
		expect(rejectionReason(ev(null, [], 'response.started'), f)).toBe('event type not selected');
	});
});

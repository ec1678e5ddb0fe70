import { TtlCache } from '../../../nodes/shared/ttlCache';
import {
	initialAutoState,
	type AutoState,
} from '../../../nodes/SkeepersFeedApplication/salesforce/adaptiveConcurrency';
import {
	FLIGHT_MEMORY_MS,
	flightKey,
	keepFlight,
	recallFlight,
} from '../../../nodes/SkeepersFeedApplication/salesforce/flightMemory';

describe('Requests in Flight Auto: what it remembers of each org', () => {
	let now = 0;
	const memory = () => new TtlCache<AutoState>({ maxEntries: 10, now: () => now });
	const state = (limit: number): AutoState => ({ ...initialAutoState(), limit });

	it('keeps the last run’s state for 10 minutes, then forgets it', async () => {
		const m = memory();
		now = 1_000;
		const key = flightKey('cred-1', 'https://acme.my.salesforce.com');
		keepFlight(key, state(25), m);
		now += FLIGHT_MEMORY_MS;
		expect((await recallFlight(key, m))?.limit).toBe(25);
		now += 1;
		expect(await recallFlight(key, m)).toBeUndefined();
	});

	it('one org per credential and instance URL, whatever the object; the latest run wins', async () => {
		const m = memory();
		keepFlight(flightKey('cred-1', 'https://acme.my.salesforce.com/'), state(8), m);
		keepFlight(flightKey('cred-1', 'https://ACME.my.salesforce.com'), state(16), m);
		expect(
			(await recallFlight(flightKey('cred-1', 'https://acme.my.salesforce.com'), m))?.limit,
		).toBe(16);
		expect(
			await recallFlight(flightKey('cred-2', 'https://acme.my.salesforce.com'), m),
		).toBeUndefined();
		expect(
			await recallFlight(flightKey('cred-1', 'https://acme--uat.sandbox.my.salesforce.com'), m),
		).toBeUndefined();
	});

	it('no key (no credential id) or nothing to keep: nothing remembered', async () => {
		const m = memory();
		keepFlight(undefined, state(8), m);
		keepFlight(flightKey('cred-1', 'https://x'), undefined, m);
		expect(m.size).toBe(0);
		expect(await recallFlight(undefined, m)).toBeUndefined();
	});
});

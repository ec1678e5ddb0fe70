/** The Owner option as stored (plan/ownerName.ts). */
import { parseOwnerName } from '../../../nodes/SkeepersFeedApplication/plan/ownerName';

describe('Owner option', () => {
	it.each([
		['user:alice@acme.com', { kind: 'user', name: 'alice@acme.com' }],
		['QUEUE: Lead_Triage ', { kind: 'queue', name: 'Lead_Triage' }],
		['alice@acme.com', { kind: 'user', name: 'alice@acme.com' }],
		['Lead_Triage', { kind: 'queue', name: 'Lead_Triage' }],
		['', undefined],
		['  ', undefined],
		['user:', undefined],
	])('%j → %j', (value, expected) => {
		expect(parseOwnerName(value)).toEqual(expected);
	});
});

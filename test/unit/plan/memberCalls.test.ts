import { planMemberCalls } from '../../../nodes/SkeepersFeedApplication/plan/memberCalls';

const items = (from: number, n: number) =>
	Array.from({ length: n }, (_, k) => ({ itemIndex: from + k, id: null }));

describe('planMemberCalls', () => {
	it('per 200 written items: one query, one create and (Update Status) one update', () => {
		const { calls, callsByItem } = planMemberCalls([items(0, 450)], 'update');
		expect(calls.map((c) => `${c.method} ${c.path} ${c.records}`)).toEqual([
			'GET /query 200',
			'POST /composite/sobjects 200',
			'PATCH /composite/sobjects 200',
			'GET /query 200',
			'POST /composite/sobjects 200',
			'PATCH /composite/sobjects 200',
			'GET /query 50',
			'POST /composite/sobjects 50',
			'PATCH /composite/sobjects 50',
		]);
		expect(callsByItem.get(0)).toEqual([0, 1, 2]);
		expect(callsByItem.get(199)).toEqual([0, 1, 2]);
		expect(callsByItem.get(200)).toEqual([3, 4, 5]);
		expect(callsByItem.get(449)).toEqual([6, 7, 8]);
		expect(callsByItem.size).toBe(450);
	});

	it('Leave As Is: no update call', () => {
		const { calls, callsByItem } = planMemberCalls([items(0, 3)], 'leave');
		expect(calls.map((c) => c.method)).toEqual(['GET', 'POST']);
		expect(calls.map((c) => c.kind)).toEqual(['lookup', 'write']);
		expect(callsByItem.get(2)).toEqual([0, 1]);
	});

	it('each group (Contacts, then Leads) is batched on its own, in order', () => {
		const { calls, callsByItem } = planMemberCalls([items(0, 2), items(5, 1)], 'leave');
		expect(calls.map((c) => c.records)).toEqual([2, 2, 1, 1]);
		expect(callsByItem.get(5)).toEqual([2, 3]);
	});

	it('items naming the same record count as one record; a group with no written item plans nothing', () => {
		const same = [
			{ itemIndex: 0, id: '003000000000001AAA' },
			{ itemIndex: 1, id: '003000000000001AAA' },
			{ itemIndex: 2, id: null },
		];
		const { calls, callsByItem } = planMemberCalls([same, []], 'update');
		expect(calls.map((c) => c.records)).toEqual([2, 2, 2]);
		expect([...callsByItem.keys()]).toEqual([0, 1, 2]);
		expect(planMemberCalls([[]], 'update')).toEqual({ calls: [], callsByItem: new Map() });
	});
});

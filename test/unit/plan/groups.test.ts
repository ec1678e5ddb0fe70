import {
	groupBySettings,
	isExpression,
	type RunSettings,
} from '../../../nodes/SkeepersFeedApplication/plan/groups';

const contact: RunSettings = {
	object: 'Contact',
	operation: 'upsert',
	matchField: 'Skeepers_Respondent_Id__c',
	dedupKeyField: '',
};
const lead: RunSettings = { ...contact, object: 'Lead' };

describe('isExpression', () => {
	it.each([
		['={{ $json.kind }}', true],
		['=Contact', true],
		['Contact', false],
		['', false],
		[undefined, false],
		[42, false],
		[{ __rl: true, mode: 'list', value: 'Contact' }, false],
		[{ __rl: true, mode: 'name', value: "={{ $json.kind === 'b2b' ? 'Lead' : 'Contact' }}" }, true],
		[{ mode: 'list', value: '={{ 1 }}' }, false],
	])('%j → %s', (raw, expected) => {
		expect(isExpression(raw)).toBe(expected);
	});
});

describe('groupBySettings', () => {
	it('one group when every item has the same settings', () => {
		const groups = groupBySettings([contact, contact, { ...contact }]);
		expect(groups).toEqual([{ settings: contact, items: [0, 1, 2] }]);
	});

	it('groups in the order of their first item, items ascending within a group', () => {
		const groups = groupBySettings([lead, contact, lead, contact, contact]);
		expect(groups.map((g) => [g.settings.object, g.items])).toEqual([
			['Lead', [0, 2]],
			['Contact', [1, 3, 4]],
		]);
	});

	it('compares names without case and keeps the first spelling', () => {
		const groups = groupBySettings([
			{ ...contact, object: 'contact', matchField: 'skeepers_respondent_id__c' },
			contact,
		]);
		expect(groups).toHaveLength(1);
		expect(groups[0].settings.object).toBe('contact');
		expect(groups[0].items).toEqual([0, 1]);
	});

	it('splits on the operation, the match field and the Dedup Key Field', () => {
		const groups = groupBySettings([
			contact,
			{ ...contact, operation: 'update' },
			{ ...contact, matchField: 'Email' },
			{ ...contact, dedupKeyField: 'Skeepers_Event_Id__c' },
			{ ...contact, operation: 'create', matchField: undefined },
			contact,
		]);
		expect(groups.map((g) => g.items)).toEqual([[0, 5], [1], [2], [3], [4]]);
	});

	it('leaves out items whose settings could not be read', () => {
		expect(groupBySettings([undefined, contact, undefined, lead]).map((g) => g.items)).toEqual([
			[1],
			[3],
		]);
		expect(groupBySettings([undefined])).toEqual([]);
	});
});

import {
	chooseMemberStatus,
	memberField,
	planMembers,
	type MemberRow,
} from '../../../nodes/SkeepersFeedApplication/plan/campaignMembers';

const STATUSES = [
	{ Label: 'Sent', IsDefault: true },
	{ Label: 'Responded', IsDefault: false },
	{ Label: 'To call back', IsDefault: false },
];

describe('memberField', () => {
	it('Contact → ContactId, Lead → LeadId (any case), other objects cannot be members', () => {
		expect(memberField('Contact')).toBe('ContactId');
		expect(memberField('lead')).toBe('LeadId');
		expect(memberField('Case')).toBeUndefined();
	});
});

describe('chooseMemberStatus', () => {
	it("takes a status the campaign has (trimmed), or the campaign's default when empty", () => {
		expect(chooseMemberStatus(STATUSES, ' To call back ', 'C')).toEqual({ status: 'To call back' });
		expect(chooseMemberStatus(STATUSES, '', 'C')).toEqual({ status: 'Sent' });
	});

	it("refuses a status the campaign does not have, naming it and listing the campaign's", () => {
		expect(chooseMemberStatus(STATUSES, 'Referred a friend', 'Detractors')).toEqual({
			problem:
				'Member Status: campaign "Detractors" has no status "Referred a friend" (its statuses: "Sent", "Responded", "To call back")',
		});
		// labels compare exactly, as Salesforce does
		expect(chooseMemberStatus(STATUSES, 'sent', 'C')).toHaveProperty('problem');
		expect(chooseMemberStatus([], '', 'Empty')).toEqual({
			problem: 'Member Status: campaign "Empty" has no member statuses',
		});
	});
});

describe('planMembers', () => {
	const written = [
		{ itemIndex: 0, id: 'c1' },
		{ itemIndex: 1, id: 'c2' },
		{ itemIndex: 2, id: 'c3' },
		{ itemIndex: 3, id: 'c1' }, // the same Contact written by a second item
	];
	const existing: MemberRow[] = [
		{ Id: 'm2', ContactId: 'c2', Status: 'Sent' },
		{ Id: 'm3', ContactId: 'c3', Status: 'Responded' },
	];

	it('creates a member per record without one (once per record), updates existing members whose status differs', () => {
		const plan = planMembers(written, existing, 'ContactId', 'camp', 'Responded', 'update');
		expect(plan.creates).toEqual([
			{
				items: [0, 3],
				recordId: 'c1',
				body: {
					attributes: { type: 'CampaignMember' },
					CampaignId: 'camp',
					ContactId: 'c1',
					Status: 'Responded',
				},
			},
		]);
		expect(plan.updates).toEqual([
			{
				items: [1],
				recordId: 'c2',
				memberId: 'm2',
				body: { attributes: { type: 'CampaignMember' }, Id: 'm2', Status: 'Responded' },
			},
		]);
		// already at the status: nothing to send
		expect(plan.kept).toEqual([{ items: [2], memberId: 'm3', status: 'Responded' }]);
	});

	it('Leave As Is: existing members are kept with their status, only new ones are created', () => {
		const plan = planMembers(written, existing, 'ContactId', 'camp', 'To call back', 'leave');
		expect(plan.creates.map((c) => c.recordId)).toEqual(['c1']);
		expect(plan.updates).toEqual([]);
		expect(plan.kept).toEqual([
			{ items: [1], memberId: 'm2', status: 'Sent' },
			{ items: [2], memberId: 'm3', status: 'Responded' },
		]);
	});

	it('Leads: matched on LeadId, created with LeadId', () => {
		const plan = planMembers(
			[{ itemIndex: 0, id: 'l1' }],
			[{ Id: 'm9', LeadId: 'other', Status: 'Sent' }],
			'LeadId',
			'camp',
			'Sent',
			'update',
		);
		expect(plan.creates[0].body).toMatchObject({ LeadId: 'l1', CampaignId: 'camp' });
	});
});

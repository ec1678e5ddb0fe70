import { parentColumns } from '../../../nodes/SkeepersFeedApplication/codecs/relationshipColumns';

describe('parentColumns (Bulk API 2.0 relationship headers)', () => {
	it('turns nested parents into RelationshipName.Field and Type:RelationshipName.Field columns', () => {
		expect(
			parentColumns({
				Subject: 'x',
				Contact: { Skeepers_Respondent_Id__c: 'r-1' },
				Who: { attributes: { type: 'Lead' }, Email: 'a@b.c' },
				ContactId: null,
			}),
		).toEqual({
			Subject: 'x',
			'Contact.Skeepers_Respondent_Id__c': 'r-1',
			'Lead:Who.Email': 'a@b.c',
			ContactId: null,
		});
	});

	it('leaves dates, arrays and plain values alone', () => {
		const when = new Date('2026-01-02T03:04:05Z');
		expect(parentColumns({ A: when, B: ['x'], C: 1 })).toEqual({ A: when, B: ['x'], C: 1 });
	});
});

import {
	mapItem,
	rowNumbersByField,
	type MappingRow,
} from '../../../nodes/SkeepersFeedApplication/mapping/record';
import { CONTACT } from './fixtures';

const respondent = {
	email: 'Élodie.Lefèvre@Exemple.fr',
	phone: '+33 6 12 34 56 78',
	firstName: 'élodie',
	lastName: 'LEFÈVRE',
	nps: '4',
	optOut: 'non',
	birthdate: '14/07/1989',
	comment: '',
};

const rows: MappingRow[] = [
	{ field: 'Email', value: respondent.email, transformation: 'lowercase' },
	{ field: 'MobilePhone', value: respondent.phone, transformation: 'phoneFrNational' },
	{ field: 'FirstName', value: respondent.firstName, transformation: 'capitalize' },
	{ field: 'LastName', value: respondent.lastName, transformation: 'capitalize' },
	{ field: 'NPS_Category__c', value: respondent.nps, transformation: 'npsCategory' },
	{ field: 'HasOptedOutOfEmail', value: respondent.optOut, transformation: 'boolean' },
	{ field: 'Birthdate', value: respondent.birthdate, transformation: 'date' },
	{ field: 'Description', value: respondent.comment, transformation: 'trim' },
];

describe('mapItem', () => {
	it('builds the record from transformed values, remembering each field row', () => {
		const result = mapItem(rows, { itemIndex: 0, emptyValues: 'skip' });
		expect(result).toEqual({
			ok: true,
			record: {
				Email: 'élodie.lefèvre@exemple.fr',
				MobilePhone: '0612345678',
				FirstName: 'Élodie',
				LastName: 'Lefèvre',
				NPS_Category__c: 'Detractor',
				HasOptedOutOfEmail: false,
				Birthdate: '1989-07-14',
			},
			rowByField: {
				Email: 1,
				MobilePhone: 2,
				FirstName: 3,
				LastName: 4,
				NPS_Category__c: 5,
				HasOptedOutOfEmail: 6,
				Birthdate: 7,
			},
		});
	});

	it('skip leaves empty values out; null sends them as null to clear the field', () => {
		const emptyRows: MappingRow[] = [
			{ field: 'LastName', value: 'Dupont', transformation: 'none' },
			{ field: 'Description', value: '   ', transformation: 'none' },
			{ field: 'FirstName', value: undefined, transformation: 'capitalize' },
			{ field: 'Topics__c', value: [], transformation: 'multiPicklist' },
			{ field: 'MobilePhone', value: null, transformation: 'phoneFrNational' },
		];
		const skip = mapItem(emptyRows, { itemIndex: 0, emptyValues: 'skip', describe: CONTACT });
		expect(skip.ok && skip.record).toEqual({ LastName: 'Dupont' });
		const asNull = mapItem(emptyRows, { itemIndex: 0, emptyValues: 'null', describe: CONTACT });
		expect(asNull.ok && asNull.record).toEqual({
			LastName: 'Dupont',
			Description: null,
			FirstName: null,
			Topics__c: null,
			MobilePhone: null,
		});
	});

	it('a transformation that yields an empty list is empty too', () => {
		const r = mapItem([{ field: 'Topics__c', value: ' ; , ', transformation: 'multiPicklist' }], {
			itemIndex: 0,
			emptyValues: 'null',
		});
		expect(r.ok && r.record).toEqual({ Topics__c: null });
	});

	it('defaultWhenEmpty fills the value before the empty rule', () => {
		const r = mapItem(
			[
				{
					field: 'LeadSource',
					value: '',
					transformation: 'defaultWhenEmpty',
					parameter: 'Skeepers',
				},
			],
			{
				itemIndex: 0,
				emptyValues: 'skip',
			},
		);
		expect(r.ok && r.record).toEqual({ LeadSource: 'Skeepers' });
	});

	it('never sends null to a field that cannot be empty', () => {
		const r = mapItem(
			[
				{ field: 'Email', value: 'a@b.fr', transformation: 'none' },
				{ field: 'LastName', value: ' ', transformation: 'trim' },
			],
			{ itemIndex: 4, emptyValues: 'null', describe: CONTACT },
		);
		expect(r).toEqual({
			ok: false,
			error: expect.objectContaining({
				itemIndex: 4,
				row: 2,
				field: 'LastName',
				errorCode: 'REQUIRED_FIELD_MISSING',
				value: ' ',
			}),
		});
		expect(!r.ok && r.error.message).toMatch(
			/^Item 5, row 2 \(LastName\): the value is empty, and Last Name cannot be cleared/,
		);
	});

	it('with skip, an empty non-nillable field is simply left out', () => {
		const r = mapItem([{ field: 'LastName', value: '', transformation: 'none' }], {
			itemIndex: 0,
			emptyValues: 'skip',
			describe: CONTACT,
		});
		expect(r.ok && r.record).toEqual({});
	});

	it('uses the describe spelling of field names', () => {
		const r = mapItem([{ field: 'nps_category__C', value: 9, transformation: 'npsCategory' }], {
			itemIndex: 0,
			emptyValues: 'skip',
			describe: CONTACT,
		});
		expect(r.ok && r.record).toEqual({ NPS_Category__c: 'Promoter' });
	});

	it('refuses two rows for the same field (ignoring case), naming both rows', () => {
		const r = mapItem(
			[
				{ field: 'Email', value: 'a@b.fr', transformation: 'none' },
				{ field: 'LastName', value: 'Dupont', transformation: 'none' },
				{ field: 'email', value: 'c@d.fr', transformation: 'none' },
			],
			{ itemIndex: 2, emptyValues: 'skip' },
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error).toMatchObject({
			itemIndex: 2,
			row: 3,
			field: 'email',
			errorCode: 'DUPLICATE_FIELD_MAPPING',
		});
		expect(r.error.message).toContain('Item 3, row 3 (email)');
		expect(r.error.message).toContain('already mapped by row 1');
	});

	it('refuses a row without a field', () => {
		const r = mapItem([{ field: ' ', value: 'x', transformation: 'none' }], {
			itemIndex: 0,
			emptyValues: 'skip',
		});
		expect(!r.ok && r.error).toMatchObject({ row: 1, errorCode: 'MISSING_FIELD_MAPPING' });
	});

	it('refuses an unknown transformation', () => {
		const r = mapItem([{ field: 'Email', value: 'x', transformation: 'rot13' as never }], {
			itemIndex: 0,
			emptyValues: 'skip',
		});
		expect(!r.ok && r.error).toMatchObject({
			row: 1,
			field: 'Email',
			errorCode: 'UNKNOWN_TRANSFORMATION',
		});
	});

	it('reports a failed transformation with item, row, field, value and the expected form', () => {
		const r = mapItem(
			[
				{ field: 'LastName', value: 'Dupont', transformation: 'none' },
				{ field: 'MobilePhone', value: '+32 475 12 34 56', transformation: 'phoneFrNational' },
			],
			{ itemIndex: 2, emptyValues: 'skip' },
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error).toEqual({
			itemIndex: 2,
			row: 2,
			field: 'MobilePhone',
			value: '+32 475 12 34 56',
			errorCode: 'TRANSFORMATION_FAILED',
			message:
				'Item 3, row 2 (MobilePhone): "+32 475 12 34 56" could not be converted by "Phone to French National" (it is a Belgium (+32) number). Expected a French mobile or landline number like +33 6 12 34 56 78 or 06 12 34 56 78.',
		});
	});

	it('reports a bad parameter as a configuration error', () => {
		const r = mapItem(
			[
				{
					field: 'NPS_Category__c',
					value: 9,
					transformation: 'npsCategory',
					parameter: 'Bon,Mauvais',
				},
			],
			{
				itemIndex: 0,
				emptyValues: 'skip',
			},
		);
		expect(!r.ok && r.error.errorCode).toBe('INVALID_TRANSFORMATION_PARAMETER');
		expect(!r.ok && r.error.message).toContain('Its parameter must be three labels');
	});

	it('passes the field describe to truncate', () => {
		const r = mapItem(
			[{ field: 'Comment__c', value: 'Livraison très rapide', transformation: 'truncate' }],
			{
				itemIndex: 0,
				emptyValues: 'skip',
				describe: CONTACT,
			},
		);
		expect(r.ok && r.record).toEqual({ Comment__c: 'Livraison ' });
	});
});

describe('rowNumbersByField', () => {
	it('numbers rows from 1, first row winning', () => {
		expect(
			rowNumbersByField([
				{ field: 'Email', value: 1, transformation: 'none' },
				{ field: ' LastName ', value: 1, transformation: 'none' },
				{ field: 'Email', value: 1, transformation: 'none' },
			]),
		).toEqual({ Email: 1, LastName: 2 });
	});
});

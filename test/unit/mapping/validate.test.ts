import {
	validateRecord,
	type ValidateOptions,
} from '../../../nodes/SkeepersFeedApplication/mapping/validate';
import { CONTACT } from './fixtures';

const base = (extra: Partial<ValidateOptions> = {}): ValidateOptions => ({
	describe: CONTACT,
	operation: 'update',
	itemIndex: 2,
	rowByField: {},
	...extra,
});

/** Validates one field on update; returns its error codes. */
function codes(fieldName: string, value: unknown, extra: Partial<ValidateOptions> = {}): string[] {
	return validateRecord({ [fieldName]: value }, base(extra)).map((e) => e.errorCode);
}

describe('validateRecord', () => {
	it('accepts a well-formed Contact for create', () => {
		const record = {
			LastName: 'Lefèvre',
			FirstName: 'Élodie',
			Email: 'elodie.lefevre@exemple.fr',
			MobilePhone: '0612345678',
			Birthdate: '1989-07-14',
			HasOptedOutOfEmail: false,
			NPS_Score__c: 9,
			Survey_Count__c: '3',
			Last_Answer__c: '2024-05-31T12:30:00.000Z',
			NPS_Category__c: 'Promoter',
			Topics__c: 'Prix;Livraison',
			Source__c: 'Réseaux sociaux', // unrestricted picklist: any value
			AccountId: '0015g00000AbCdEAAV',
			Description: 'Très bon accueil 😀',
		};
		expect(validateRecord(record, base({ operation: 'create' }))).toEqual([]);
	});

	it('reports an unknown field as INVALID_FIELD with item, row and field', () => {
		const errors = validateRecord({ Loyalty__c: 'Gold' }, base({ rowByField: { Loyalty__c: 4 } }));
		expect(errors).toEqual([
			{
				itemIndex: 2,
				row: 4,
				field: 'Loyalty__c',
				value: 'Gold',
				errorCode: 'INVALID_FIELD',
				message: expect.stringMatching(
					/^Item 3, row 4 \(Loyalty__c\): Contact has no field named Loyalty__c/,
				),
			},
		]);
	});

	describe('writability', () => {
		it('create refuses fields that are not createable', () => {
			expect(codes('Name', 'Élodie Lefèvre', { operation: 'create' })).toContain(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
			);
			expect(codes('CreatedDate', '2024-01-01T00:00:00Z', { operation: 'create' })).toContain(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
			);
			expect(codes('Create_Only__c', 'x', { operation: 'create' })).not.toContain(
				'INVALID_FIELD_FOR_INSERT_UPDATE',
			);
		});

		it('update refuses fields that are not updateable', () => {
			expect(codes('Create_Only__c', 'x')).toEqual(['INVALID_FIELD_FOR_INSERT_UPDATE']);
			expect(codes('Name', 'x')).toEqual(['INVALID_FIELD_FOR_INSERT_UPDATE']);
		});

		it('upsert refuses only fields writable on neither path', () => {
			expect(codes('Create_Only__c', 'x', { operation: 'upsert' })).toEqual([]);
			expect(codes('Name', 'x', { operation: 'upsert' })).toEqual([
				'INVALID_FIELD_FOR_INSERT_UPDATE',
			]);
		});

		it('lets the Id and the match field through', () => {
			expect(codes('Id', '0035g00000AbCdEAAV')).toEqual([]);
			expect(codes('Id', '0035g00000AbCdE', { operation: 'upsert', matchField: 'Id' })).toEqual([]);
			expect(
				validateRecord(
					{ Id: '0035g00000AbCdE', LastName: 'Dupont' },
					base({ operation: 'create' }),
				).map((e) => e.errorCode),
			).toEqual(['INVALID_FIELD_FOR_INSERT_UPDATE']);
		});
	});

	describe('types', () => {
		it.each([
			['HasOptedOutOfEmail', 'oui'],
			['HasOptedOutOfEmail', 1],
			['NPS_Score__c', 'neuf'],
			['NPS_Score__c', '12,5'],
			['Survey_Count__c', 2.5],
			['Birthdate', '14/07/1989'],
			['Birthdate', '1989-02-30'],
			['Birthdate', 616377600],
			['Last_Answer__c', '31/05/2024 14:30'],
			['Last_Answer__c', '2024-05-31T25:00:00Z'],
			['FirstName', { first: 'Élodie' }],
			['Topics__c', ['Prix']],
		])('%s = %j is INVALID_TYPE_ON_FIELD_IN_RECORD', (fieldName, value) => {
			expect(codes(fieldName, value)).toEqual(['INVALID_TYPE_ON_FIELD_IN_RECORD']);
		});

		it.each([
			['HasOptedOutOfEmail', true],
			['NPS_Score__c', '12.5'],
			['NPS_Score__c', 10],
			['Survey_Count__c', 3],
			['Last_Answer__c', '2024-05-31T14:30:00+02:00'],
			['Last_Answer__c', new Date('2024-05-31T12:30:00Z')],
			['MobilePhone', 612345678],
		])('%s = %j is accepted', (fieldName, value) => {
			expect(codes(fieldName, value)).toEqual([]);
		});

		it('reports numbers with too many digits for the precision', () => {
			expect(codes('NPS_Score__c', 100)).toEqual(['NUMBER_OUTSIDE_VALID_RANGE']);
		});

		it.each([
			'elodie.lefevre@',
			'élodie lefevre@exemple.fr',
			'jean@exemple',
			'@exemple.fr',
			'.jean@exemple.fr',
			'jean@@exemple.fr',
			'jean@dupont@exemple.fr',
			'"jean dupont"@exemple.fr',
			'jean@exemple..fr',
			'jean@-exemple.fr',
			'jean@exemple-.fr',
			'jean@[192.168.0.1]',
			'jean,dupont@exemple.fr',
		])('%j is INVALID_EMAIL_ADDRESS', (email) => {
			expect(codes('Email', email)).toEqual(['INVALID_EMAIL_ADDRESS']);
		});

		// what Salesforce takes (its "Email Address Format Technical Standards" article): never refused before the write
		it.each([
			'elodie.lefevre@exemple.fr',
			'jean+avis@exemple.fr',
			"o'brien@exemple.ie",
			'a..a@test.jp',
			'a..@test.jp',
			'x!#$%&*/=?^_`{|}~-@exemple.fr',
			'élodie.lefèvre@exemple.fr',
			'josé@correo.es',
			'müller@bücher.de',
			'用户@例子.广告',
			'jean@mail.exemple-123.co.uk',
		])('%j passes pre-flight', (email) => {
			expect(codes('Email', email)).toEqual([]);
		});

		it.each(['0015g00000AbCd', '0015g00000AbCdEAAVX', '0015g00000AbCd-AAV', 15])(
			'AccountId %j is MALFORMED_ID',
			(id) => {
				const errors = validateRecord({ AccountId: id }, base({ rowByField: { AccountId: 6 } }));
				expect(errors.map((e) => e.errorCode)).toEqual(['MALFORMED_ID']);
				expect(errors[0].message).toContain('Account record');
			},
		);
	});

	describe('restricted picklists', () => {
		it('refuses a value outside the restricted picklist, with the message ops read', () => {
			const errors = validateRecord(
				{ NPS_Category__c: 'Neutral' },
				base({ rowByField: { NPS_Category__c: 2 } }),
			);
			expect(errors).toHaveLength(1);
			expect(errors[0]).toMatchObject({
				row: 2,
				field: 'NPS_Category__c',
				errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
			});
			expect(errors[0].message).toBe(
				'Item 3, row 2 (NPS_Category__c): "Neutral" is not a value of the restricted picklist NPS Category (Detractor, Passive, Promoter).',
			);
		});

		it('suggests the right case', () => {
			const [error] = validateRecord({ NPS_Category__c: 'promoter' }, base());
			expect(error.message).toContain('did you mean "Promoter"');
		});

		it('checks every value of a multi-select picklist, inactive values included', () => {
			expect(codes('Topics__c', 'Prix;Livraison')).toEqual([]);
			const [error] = validateRecord({ Topics__c: 'Prix;Qualité;Ancien' }, base());
			expect(error.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
			expect(error.message).toContain('"Qualité", "Ancien" are not values');
		});

		it('accepts anything in an unrestricted picklist', () => {
			expect(codes('Source__c', 'Salon')).toEqual([]);
		});
	});

	describe('length', () => {
		it('refuses text longer than the field, counted in characters', () => {
			expect(codes('Comment__c', 'Très bien!')).toEqual([]); // 10 characters, accents count once
			const [error] = validateRecord(
				{ Comment__c: 'Très bien !' },
				base({ rowByField: { Comment__c: 7 } }),
			);
			expect(error).toMatchObject({ row: 7, errorCode: 'STRING_TOO_LONG' });
			expect(error.message).toContain('11 characters long and Comment holds at most 10');
		});

		it('counts an emoji as two characters, as Salesforce does', () => {
			expect(codes('Comment__c', 'Super😀😀😀')).toEqual(['STRING_TOO_LONG']); // 8 symbols, 11 characters
			expect(codes('Comment__c', 'Super 😀!!')).toEqual([]);
		});
	});

	describe('required fields', () => {
		it('null for a non-nillable field is REQUIRED_FIELD_MISSING', () => {
			expect(codes('LastName', null)).toEqual(['REQUIRED_FIELD_MISSING']);
			expect(codes('FirstName', null)).toEqual([]);
		});

		it('create needs every createable, non-nillable field without default (checkboxes excluded)', () => {
			const errors = validateRecord({ FirstName: 'Élodie' }, base({ operation: 'create' }));
			expect(errors).toEqual([
				expect.objectContaining({
					field: 'LastName',
					errorCode: 'REQUIRED_FIELD_MISSING',
					message: expect.stringContaining('Item 3 (LastName): Last Name is required'),
				}),
			]);
			expect(errors[0].row).toBeUndefined();
		});

		it('update and upsert do not require absent fields', () => {
			expect(validateRecord({ FirstName: 'Élodie' }, base())).toEqual([]);
			expect(validateRecord({ FirstName: 'Élodie' }, base({ operation: 'upsert' }))).toEqual([]);
		});
	});

	it('reports every problem of the record, not only the first', () => {
		const errors = validateRecord(
			{ Email: 'pas-un-email', NPS_Category__c: 'Neutral', Foo__c: 1 },
			base({ rowByField: { Email: 1, NPS_Category__c: 2, Foo__c: 3 } }),
		);
		expect(errors.map((e) => [e.row, e.errorCode])).toEqual([
			[1, 'INVALID_EMAIL_ADDRESS'],
			[2, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'],
			[3, 'INVALID_FIELD'],
		]);
	});
});

import { mapItem, type MappingRow } from '../../../nodes/SkeepersFeedApplication/mapping/record';
import { relationshipRowErrors } from '../../../nodes/SkeepersFeedApplication/mapping/relationships';
import { CONTACT, field, objectDescribe, referenceField } from './fixtures';

const CASE = objectDescribe('Case', [
	field({ name: 'Subject' }),
	referenceField('ContactId', ['Contact'], 'Contact'),
	referenceField('Master__c', ['Contact'], 'Master__r', { nillable: false, updateable: false }),
]);
const row = (f: string, value: unknown, extra: Partial<MappingRow> = {}): MappingRow => ({
	field: f,
	value,
	transformation: 'none',
	...extra,
});
const map = (rows: MappingRow[], emptyValues: 'skip' | 'null' = 'skip') =>
	mapItem(rows, { itemIndex: 0, emptyValues, describe: CASE });

describe('mapItem with a parent by External ID', () => {
	it('puts the nested form under the relationship name, with its row number', () => {
		expect(
			map([
				row('Subject', 's'),
				row('contact.Skeepers_Respondent_Id__c', ' r-1 ', { transformation: 'trim' }),
			]),
		).toEqual({
			ok: true,
			record: { Subject: 's', Contact: { Skeepers_Respondent_Id__c: 'r-1' } },
			rowByField: { Subject: 1, Contact: 2 },
		});
	});

	it('two rows on one relationship are both kept, for pre-flight or Salesforce to refuse', () => {
		expect(
			map([row('Contact.Email', 'a@b.c'), row('Contact.Skeepers_Respondent_Id__c', 'r')]),
		).toMatchObject({
			ok: true,
			record: { Contact: { Email: 'a@b.c', Skeepers_Respondent_Id__c: 'r' } },
		});
	});

	it('an empty value is skipped, or clears the reference field when empty values are sent as null', () => {
		expect(map([row('Contact.Email', '')])).toMatchObject({ ok: true, record: {} });
		expect(map([row('Contact.Email', '')], 'null')).toMatchObject({
			ok: true,
			record: { ContactId: null },
		});
		expect(map([row('Master__r.Email', '')], 'null')).toMatchObject({
			ok: false,
			error: { errorCode: 'REQUIRED_FIELD_MISSING', row: 1, field: 'Master__r.Email' },
		});
	});
});

describe('relationshipRowErrors', () => {
	const check = (rows: MappingRow[], operation: 'create' | 'update' = 'create') =>
		relationshipRowErrors(rows, {
			describe: CASE,
			parents: new Map([['contact', CONTACT]]),
			operation,
			itemIndex: 4,
		});

	it('accepts an External ID or idLookup field of the parent', () => {
		expect(check([row('Contact.Skeepers_Respondent_Id__c', 'r'), row('Subject', 'x')])).toEqual([]);
	});

	it('names item, row and field for each refused row, with the code', () => {
		const errors = check(
			[
				row('Subject', 's'),
				row('Contact.LastName', 'x'),
				row('Master__r.Email', 'x'),
				row('ContactId', '003000000000001'),
				row('Contact.Email', 'x'),
				row('Contact.Skeepers_Respondent_Id__c', 'x', { writeMode: 'onlyIfEmpty' }),
			],
			'update',
		);
		expect(errors.map((e) => [e.row, e.errorCode])).toEqual([
			[2, 'INVALID_FIELD'],
			[3, 'INVALID_FIELD_FOR_INSERT_UPDATE'],
			[5, 'DUPLICATE_FIELD_MAPPING'],
			[6, 'INVALID_WRITE_MODE'],
		]);
		expect(errors[0].message).toMatch(
			/^Item 5, row 2 \(Contact\.LastName\): Contact\.LastName is neither/,
		);
	});

	it('leaves a parent whose describe was not read to Salesforce', () => {
		expect(
			relationshipRowErrors([row('Contact.Email', 'x')], {
				describe: CASE,
				parents: new Map(),
				operation: 'create',
				itemIndex: 0,
			}),
		).toEqual([]);
	});
});

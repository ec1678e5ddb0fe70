import {
	checkDedupField,
	dedupFieldRowError,
	dedupKeyFields,
	existingIdFromMessage,
	fieldNamedInMessage,
	keyDuplicate,
	uniqueFieldsIn,
} from '../../../nodes/SkeepersFeedApplication/plan/dedup';
import type {
	FieldDescribe,
	SObjectDescribe,
} from '../../../nodes/SkeepersFeedApplication/salesforce/types';
import { field as fixtureField } from '../mapping/fixtures';

const F = 'Skeepers_Event_Id__c';
// Salesforce's own wording (REST / collections / Apex DmlException / Bulk API 2.0 sf__Error)
const MSG = `duplicate value found: ${F} duplicates value on record with id: 5006g00000DklQA`;
const dupError = (message = MSG, fields: string[] = []) => ({
	errorCode: 'DUPLICATE_VALUE',
	message,
	fields,
});

const field = (name: string, o: Partial<FieldDescribe> = {}): FieldDescribe =>
	fixtureField({ name, label: name.replace(/__c$/, '').replace(/_/g, ' '), length: 64, ...o });

const describeCase: SObjectDescribe = {
	name: 'Case',
	label: 'Case',
	custom: false,
	createable: true,
	updateable: true,
	queryable: true,
	fields: [
		field('Id', { type: 'id', createable: false, updateable: false, idLookup: true }),
		field('Subject', { length: 255 }),
		field(F, { externalId: true, unique: true, idLookup: true }),
		field('Legacy_Key__c', { externalId: true, idLookup: true }), // external ID, NOT unique
		field('Ticket_Number__c', { unique: true, updateable: false }), // unique, create-only
		field('Other_Unique__c', { unique: true }),
	],
};

describe('existingIdFromMessage / fieldNamedInMessage', () => {
	it('reads the field and the 15- or 18-character Id Salesforce names', () => {
		expect(existingIdFromMessage(MSG)).toBe('5006g00000DklQA');
		expect(
			existingIdFromMessage(`${MSG.replace('5006g00000DklQA', '5006g00000DklQAAAZ')}: []`),
		).toBe('5006g00000DklQAAAZ');
		expect(fieldNamedInMessage(MSG)).toBe(F);
	});

	it('gives nothing for <unknown> or a blank field / id', () => {
		const unknown =
			'duplicate value found: <unknown> duplicates value on record with id: <unknown>';
		expect(existingIdFromMessage(unknown)).toBeNull();
		expect(fieldNamedInMessage(unknown)).toBeUndefined();
		const blank = 'duplicate value found: duplicates value on record with id: : []';
		expect(existingIdFromMessage(blank)).toBeNull();
		expect(fieldNamedInMessage(blank)).toBeUndefined();
		expect(existingIdFromMessage('record with id: 12345')).toBeNull();
	});
});

describe('keyDuplicate', () => {
	it('recognises DUPLICATE_VALUE on the field by `fields`, ignoring case', () => {
		expect(keyDuplicate([dupError(MSG, ['skeepers_event_id__c'])], F)).toEqual({
			field: F,
			existingId: '5006g00000DklQA',
		});
	});

	it('recognises it by the field named in the message when `fields` is empty', () => {
		expect(keyDuplicate([dupError(MSG, [])], F)).toEqual({
			field: F,
			existingId: '5006g00000DklQA',
		});
		// Bulk API 2.0: the text after the last colon (the fields) may be empty too
		expect(keyDuplicate([dupError(MSG, [''])], F)).toEqual({
			field: F,
			existingId: '5006g00000DklQA',
		});
	});

	it('is not a duplicate of the dedup field when Salesforce names another field', () => {
		expect(keyDuplicate([dupError(MSG, ['Other_Unique__c'])], F)).toBeUndefined();
		const other =
			'duplicate value found: Other_Unique__c duplicates value on record with id: 5006g00000DklQB';
		expect(keyDuplicate([dupError(other, [])], F)).toBeUndefined();
	});

	it('names no field: a duplicate only when the dedup field is the one unique field sent', () => {
		const unknown = dupError(
			'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
		);
		expect(keyDuplicate([unknown], F, [F])).toEqual({ field: F, existingId: null });
		expect(keyDuplicate([unknown], F, [F, 'Other_Unique__c'])).toBeUndefined();
		expect(keyDuplicate([unknown], F)).toBeUndefined();
	});

	it('any other error keeps the item a failure', () => {
		expect(keyDuplicate([], F)).toBeUndefined();
		expect(
			keyDuplicate([{ errorCode: 'STRING_TOO_LONG', message: 'too long', fields: ['Subject'] }], F),
		).toBeUndefined();
		expect(
			keyDuplicate(
				[
					dupError(MSG, [F]),
					{ errorCode: 'REQUIRED_FIELD_MISSING', message: 'x', fields: ['Subject'] },
				],
				F,
			),
		).toBeUndefined();
		// a duplicate rule is not the unique index
		expect(
			keyDuplicate([{ errorCode: 'DUPLICATES_DETECTED', message: MSG, fields: [] }], F),
		).toBeUndefined();
	});
});

describe('uniqueFieldsIn / dedupKeyFields', () => {
	it('lists the unique fields a record carries, as the describe names them', () => {
		expect(
			uniqueFieldsIn(
				{ attributes: {}, Subject: 'x', skeepers_event_id__c: 'e', Legacy_Key__c: 'l' },
				describeCase,
			),
		).toEqual([F]);
	});

	it('offers unique fields writable for the operation', () => {
		expect(dedupKeyFields(describeCase, 'create').map((f) => f.name)).toEqual([
			'Other_Unique__c',
			F,
			'Ticket_Number__c',
		]);
		expect(dedupKeyFields(describeCase, 'update').map((f) => f.name)).toEqual([
			'Other_Unique__c',
			F,
		]);
		expect(dedupKeyFields(describeCase, 'upsert').map((f) => f.name)).toEqual([
			'Other_Unique__c',
			F,
		]);
	});
});

describe('checkDedupField', () => {
	const ok = { operation: 'create' as const, dedupKeySet: true };

	it('accepts a unique writable field, returning its describe spelling', () => {
		expect(checkDedupField(describeCase, 'skeepers_event_id__c', ok)).toEqual({
			ok: true,
			field: F,
		});
	});

	it('refuses an unknown field', () => {
		const r = checkDedupField(describeCase, 'Nope__c', ok);
		expect(r.ok).toBe(false);
		expect(r.problem).toBe('Dedup Key Field: Case has no field "Nope__c"');
	});

	it('refuses a field that is not unique, saying why atomicity needs one', () => {
		const r = checkDedupField(describeCase, 'Legacy_Key__c', ok);
		expect(r.ok).toBe(false);
		expect(r.problem).toMatch(
			/Case\.Legacy_Key__c is not unique in Salesforce, so two executions writing the same key at the same moment would both create a record/,
		);
		expect(checkDedupField(describeCase, 'Subject', ok).problem).toMatch(/not unique/);
	});

	it('needs the Dedup Key', () => {
		expect(
			checkDedupField(describeCase, F, { operation: 'create', dedupKeySet: false }).problem,
		).toMatch(/Dedup Key is not/);
	});

	it('refuses a field the operation cannot write', () => {
		expect(
			checkDedupField(describeCase, 'Ticket_Number__c', { operation: 'create', dedupKeySet: true })
				.ok,
		).toBe(true);
		expect(
			checkDedupField(describeCase, 'Ticket_Number__c', {
				operation: 'update',
				dedupKeySet: true,
				matchField: 'Id',
			}).problem,
		).toMatch(/not updateable/);
		expect(
			checkDedupField(describeCase, 'Ticket_Number__c', {
				operation: 'upsert',
				dedupKeySet: true,
				matchField: 'Id',
			}).problem,
		).toMatch(/not createable and updateable/);
	});

	it('refuses the Match On field of an update or upsert', () => {
		const r = checkDedupField(describeCase, F, {
			operation: 'upsert',
			matchField: F,
			dedupKeySet: true,
		});
		expect(r.problem).toMatch(/also the Match On field/);
		expect(
			checkDedupField(describeCase, F, {
				operation: 'upsert',
				matchField: 'Other_Unique__c',
				dedupKeySet: true,
			}).ok,
		).toBe(true);
	});
});

describe('dedupFieldRowError', () => {
	it('a mapping row writing the Dedup Key Field is a DUPLICATE_FIELD_MAPPING naming item and row', () => {
		const e = dedupFieldRowError([{ field: 'Subject' }, { field: ' skeepers_event_id__c ' }], F, 2);
		expect(e).toMatchObject({
			itemIndex: 2,
			row: 2,
			field: F,
			errorCode: 'DUPLICATE_FIELD_MAPPING',
		});
		expect(e?.message).toMatch(
			/^Item 3, row 2 \(Skeepers_Event_Id__c\): the field Skeepers_Event_Id__c is the Dedup Key Field/,
		);
		expect(dedupFieldRowError([{ field: 'Subject' }], F, 0)).toBeUndefined();
	});
});

import {
	DEFAULT_SCHEMA_CACHE_SECONDS,
	describeGaps,
	fixedFieldNames,
	mentionsSchemaError,
	schemaCacheMaxAgeMs,
} from '../../../nodes/SkeepersFeedApplication/schema/cachePolicy';
import { describeKey } from '../../../nodes/SkeepersFeedApplication/salesforce/describe';
import { CONTACT } from '../mapping/fixtures';

describe('schema cache policy', () => {
	it('maps the option to a maximum age: default, 0 = per execution, capped at a day', () => {
		expect(schemaCacheMaxAgeMs(undefined)).toBe(DEFAULT_SCHEMA_CACHE_SECONDS * 1000);
		expect(schemaCacheMaxAgeMs(30)).toBe(30_000);
		expect(schemaCacheMaxAgeMs(0)).toBe(0);
		expect(schemaCacheMaxAgeMs(-5)).toBe(0);
		expect(schemaCacheMaxAgeMs('abc')).toBe(0);
		expect(schemaCacheMaxAgeMs(10 ** 9)).toBe(86_400_000);
	});

	it('keys a describe by credential, org, API version and object (case-insensitive)', () => {
		const base = {
			credentialId: '7',
			instanceUrl: 'https://acme.my.salesforce.com',
			apiVersion: '66.0',
			object: 'Contact',
		};
		expect(describeKey(base)).toBe(
			describeKey({ ...base, object: ' contact ', instanceUrl: 'https://ACME.my.salesforce.com/' }),
		);
		const others = [
			{ ...base, credentialId: '8' },
			{ ...base, instanceUrl: 'https://acme--uat.sandbox.my.salesforce.com' },
			{ ...base, apiVersion: '65.0' },
			{ ...base, object: 'Lead' },
		].map(describeKey);
		expect(new Set([describeKey(base), ...others]).size).toBe(5);
	});

	it('finds what a describe lacks for the mapping: missing, not writable, cannot match', () => {
		expect(
			describeGaps(CONTACT, {
				operation: 'upsert',
				fields: ['LastName', 'email', 'Id'],
				matchField: 'Skeepers_Respondent_Id__c',
			}),
		).toEqual([]);
		expect(
			describeGaps(CONTACT, { operation: 'create', fields: ['LastName', 'Loyalty__c'] }),
		).toEqual(['Loyalty__c: not in the describe']);
		expect(
			describeGaps(CONTACT, { operation: 'update', fields: ['Create_Only__c'], matchField: 'Id' }),
		).toEqual(['Create_Only__c: not writable']);
		expect(describeGaps(CONTACT, { operation: 'create', fields: ['Create_Only__c'] })).toEqual([]);
		expect(
			describeGaps(CONTACT, { operation: 'update', fields: [], matchField: 'FirstName' }),
		).toEqual(['FirstName: cannot match']);
	});

	it('a parent by External ID needs the relationship (its lookup field) in the describe', () => {
		expect(
			describeGaps(CONTACT, { operation: 'create', fields: ['Account.Skeepers_Account_Id__c'] }),
		).toEqual([]);
		expect(describeGaps(CONTACT, { operation: 'create', fields: ['Owner.Email'] })).toEqual([
			'Owner.Email: not in the describe',
		]);
	});

	it('reads fixed remote field names from raw mapping rows, leaving expressions out', () => {
		expect(
			fixedFieldNames([
				{ remoteField: 'LastName' },
				{ remoteField: '={{ $json.f }}' },
				{ remoteField: ' Email ' },
				{},
				null,
			]),
		).toEqual(['LastName', 'Email']);
		expect(fixedFieldNames(undefined)).toEqual([]);
	});

	it('recognizes schema errors in Salesforce answers (failures, collection results, Bulk API 2.0)', () => {
		const ev = (x: object) => ({ method: 'POST', path: '/x', status: 200, ...x });
		expect(
			mentionsSchemaError(
				ev({
					status: 400,
					errors: [{ errorCode: 'INVALID_FIELD', message: "No such column 'X__c'", fields: [] }],
				}),
			),
		).toBe(true);
		expect(
			mentionsSchemaError(
				ev({
					body: [
						{ success: true },
						{
							success: false,
							errors: [
								{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: 'm', fields: ['A'] },
							],
						},
					],
				}),
			),
		).toBe(true);
		expect(
			mentionsSchemaError(
				ev({
					body: {
						id: '750',
						state: 'Failed',
						errorMessage: 'InvalidBatch : Field name not found : Loyalty__c',
					},
				}),
			),
		).toBe(true);
		expect(
			mentionsSchemaError(
				ev({
					body: '"sf__Id","sf__Error",LastName\n"","STRING_TOO_LONG:Last Name: data value too large",x\n',
				}),
			),
		).toBe(true);
		expect(
			mentionsSchemaError(
				ev({
					status: 400,
					errors: [
						{
							errorCode: 'INVALID_TYPE',
							message: "sObject type 'Foo__c' is not supported.",
							fields: [],
						},
					],
				}),
			),
		).toBe(true);
		// not schema errors
		expect(
			mentionsSchemaError(
				ev({
					body: [
						{
							success: false,
							errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'm', fields: [] }],
						},
					],
				}),
			),
		).toBe(false);
		expect(
			mentionsSchemaError(
				ev({
					status: 503,
					errors: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'm', fields: [] }],
				}),
			),
		).toBe(false);
		expect(
			mentionsSchemaError(
				ev({ body: { id: '750', state: 'JobComplete', numberRecordsFailed: 0 } }),
			),
		).toBe(false);
		expect(
			mentionsSchemaError(
				ev({ body: '"sf__Id","sf__Created",LastName\n"003",true,"Invalid fieldwork"\n' }),
			),
		).toBe(false);
	});
});

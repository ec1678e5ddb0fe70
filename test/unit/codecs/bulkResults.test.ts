import {
	mapBulkResults,
	parseBulkError,
} from '../../../nodes/SkeepersFeedApplication/codecs/bulkResults';
import { csvColumns, parseCsv, toCsv } from '../../../nodes/SkeepersFeedApplication/codecs/csv';

/** Builds result CSV text the way Salesforce does: sf__ columns then the echoed input columns. */
function resultCsv(
	sfColumns: string[],
	rows: Array<{ sf: string[]; record: Record<string, unknown> }>,
	columns: string[],
): string {
	const header = [...sfColumns, ...columns];
	const records = rows.map((r) => {
		const out: Record<string, unknown> = {};
		sfColumns.forEach((c, i) => (out[c] = r.sf[i]));
		columns.forEach((c) => (out[c] = r.record[c]));
		return out;
	});
	return toCsv(records, header, 'LF');
}

const inputs = [
	{ LastName: 'Lefèvre', Email: 'elodie@exemple.fr', Description: 'Très bien,\n"merci"' },
	{ LastName: 'Martin', Email: 'pas-un-email', Description: null },
	{ LastName: 'Dupont', Email: 'jean@exemple.fr' },
	{ LastName: 'Dupont', Email: 'jean@exemple.fr' }, // identical to the previous one
	{ LastName: 'Bernard', Email: 'b@exemple.fr' },
];
const columns = csvColumns(inputs);

describe('mapBulkResults', () => {
	it('pairs shuffled success, failed and unprocessed rows to exact input indexes', () => {
		const success = parseCsv(
			resultCsv(
				['sf__Id', 'sf__Created'],
				[
					{ sf: ['003000000000003AAA', 'true'], record: inputs[3] },
					{ sf: ['003000000000001AAA', 'true'], record: inputs[0] },
					{ sf: ['003000000000002AAA', 'false'], record: inputs[2] },
				],
				columns,
			),
		);
		const failed = parseCsv(
			resultCsv(
				['sf__Id', 'sf__Error'],
				[
					{
						sf: ['', 'INVALID_EMAIL_ADDRESS:Email: invalid email address: pas-un-email:Email --'],
						record: inputs[1],
					},
				],
				columns,
			),
		);
		const unprocessed = parseCsv(toCsv([inputs[4]], columns));

		const { results, unpaired } = mapBulkResults(inputs, success, failed, unprocessed);
		expect(unpaired).toEqual([]);
		expect(results).toEqual([
			{ index: 0, status: 'success', id: '003000000000001AAA', created: true, errors: [] },
			{
				index: 1,
				status: 'failed',
				id: undefined,
				errors: [
					{
						errorCode: 'INVALID_EMAIL_ADDRESS',
						message: 'Email: invalid email address: pas-un-email',
						fields: ['Email'],
					},
				],
			},
			// identical inputs are taken in input order
			{ index: 2, status: 'success', id: '003000000000003AAA', created: true, errors: [] },
			{ index: 3, status: 'success', id: '003000000000002AAA', created: false, errors: [] },
			{
				index: 4,
				status: 'unprocessed',
				errors: [expect.objectContaining({ errorCode: 'BULK_RECORD_UNPROCESSED' })],
			},
		]);
	});

	it('matches echoed headers ignoring case', () => {
		const success = [
			{
				sf__Id: '003000000000009AAA',
				sf__Created: 'true',
				lastname: 'Bernard',
				EMAIL: 'b@exemple.fr',
				description: '',
			},
		];
		const { results } = mapBulkResults([inputs[4]], success, [], [], { columns });
		expect(results[0]).toMatchObject({ status: 'success', id: '003000000000009AAA' });
	});

	it('falls back on the key column when an echoed value differs, and reports what cannot be paired', () => {
		const upserts = [
			{ Skeepers_Respondent_Id__c: 'R-1', NPS_Score__c: 9.0 },
			{ Skeepers_Respondent_Id__c: 'R-2', NPS_Score__c: 3 },
			{ Skeepers_Respondent_Id__c: 'R-3', NPS_Score__c: 7 },
		];
		const success = [
			// Salesforce echoed "9.0" where we sent "9": content differs, the key pairs it.
			{
				sf__Id: 'a01000000000001AAA',
				sf__Created: 'false',
				Skeepers_Respondent_Id__c: 'r-1',
				NPS_Score__c: '9.0',
			},
			{
				sf__Id: 'a01000000000002AAA',
				sf__Created: 'true',
				Skeepers_Respondent_Id__c: 'R-2',
				NPS_Score__c: '3',
			},
			{
				sf__Id: 'a01000000000099AAA',
				sf__Created: 'true',
				Skeepers_Respondent_Id__c: 'R-99',
				NPS_Score__c: '1',
			},
		];
		const { results, unpaired } = mapBulkResults(upserts, success, [], [], {
			keyColumn: 'Skeepers_Respondent_Id__c',
		});
		expect(results.map((r) => [r.status, r.id])).toEqual([
			['success', 'a01000000000001AAA'],
			['success', 'a01000000000002AAA'],
			['unknown', undefined],
		]);
		expect(results[2].errors[0].errorCode).toBe('BULK_RESULT_NOT_FOUND');
		expect(unpaired).toEqual([{ kind: 'success', row: success[2] }]);
	});

	it('without a key column, content mismatches stay unknown, never assumed successful', () => {
		const { results, unpaired } = mapBulkResults(
			[{ A: '1' }],
			[{ sf__Id: 'x', sf__Created: 'true', A: '01' }],
			[],
			[],
		);
		expect(results[0].status).toBe('unknown');
		expect(unpaired).toHaveLength(1);
	});
});

describe('parseBulkError', () => {
	it.each([
		[
			'REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --',
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [LastName]',
				fields: ['LastName'],
			},
		],
		[
			'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:NPS Category: bad value for restricted picklist field: Neutral:NPS_Category__c --',
			{
				errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
				message: 'NPS Category: bad value for restricted picklist field: Neutral',
				fields: ['NPS_Category__c'],
			},
		],
		[
			'DUPLICATE_VALUE:duplicate value found: Email:--',
			{ errorCode: 'DUPLICATE_VALUE', message: 'duplicate value found: Email', fields: [] },
		],
		[
			'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record',
			{
				errorCode: 'UNABLE_TO_LOCK_ROW',
				message: 'unable to obtain exclusive access to this record',
				fields: [],
			},
		],
		['oops', { errorCode: 'UNKNOWN_EXCEPTION', message: 'oops', fields: [] }],
	])('%j', (text, error) => {
		expect(parseBulkError(text)).toEqual(error);
	});
});

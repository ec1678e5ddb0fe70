/**
 * Duplicate and assignment rules, pure parts: reading a `duplicateResult` (Collections save
 * result, REST top-level error, a Bulk row's sf__Error), the headers and Bulk job property
 * each option sends.
 */
import { parseBulkError } from '../../../nodes/SkeepersFeedApplication/codecs/bulkResults';
import {
	bulkJobRuleProperties,
	ruleHeaders,
} from '../../../nodes/SkeepersFeedApplication/salesforce/assignment';
import {
	errorsOf,
	parseSalesforceErrors,
	saveResultOf,
} from '../../../nodes/SkeepersFeedApplication/salesforce/errors';

const duplicateError = (ids: string[]) => ({
	statusCode: 'DUPLICATES_DETECTED',
	message: 'Use one of these records?',
	fields: [],
	duplicateResult: {
		allowSave: true,
		duplicateRule: 'Standard_Contact_Duplicate_Rule',
		duplicateRuleEntityType: 'Contact',
		matchResults: [
			{
				entityType: 'Contact',
				matchRecords: ids.map((Id) => ({ matchConfidence: 100, record: { attributes: {}, Id } })),
				rule: 'Standard_Contact_Match_Rule_v1_1',
				size: ids.length,
				success: true,
			},
		],
	},
});

describe('DUPLICATES_DETECTED: the rule and the matched Ids', () => {
	it('an sObject Collections save result names the rule and lists the matches in its message', () => {
		const r = saveResultOf({ success: false, errors: [duplicateError(['003A', '003B'])] });
		expect(r.errors).toEqual([
			{
				errorCode: 'DUPLICATES_DETECTED',
				message:
					'Use one of these records? (duplicate rule Standard_Contact_Duplicate_Rule matched 003A, 003B)',
				fields: [],
				duplicateRule: 'Standard_Contact_Duplicate_Rule',
				matchedIds: ['003A', '003B'],
			},
		]);
	});

	it('a REST top-level error (errorCode) reads the same, and errorsOf keeps it as it is', () => {
		const [e] = parseSalesforceErrors(
			[{ ...duplicateError(['003A']), statusCode: undefined, errorCode: 'DUPLICATES_DETECTED' }],
			400,
		);
		expect(e).toMatchObject({ errorCode: 'DUPLICATES_DETECTED', matchedIds: ['003A'] });
		const again = errorsOf({ status: 400, errors: [e] }).errors[0];
		expect(again).toEqual(e);
	});

	it('a duplicateResult without matches still names the rule', () => {
		const r = saveResultOf({ success: false, errors: [duplicateError([])] });
		expect(r.errors[0].message).toContain('Standard_Contact_Duplicate_Rule');
		expect(r.errors[0].matchedIds).toEqual([]);
	});

	it('other errors are left alone', () => {
		const r = saveResultOf({
			success: false,
			errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'm', fields: ['X'] }],
		});
		expect(r.errors).toEqual([
			{ errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', message: 'm', fields: ['X'] },
		]);
	});

	it('a Bulk API 2.0 row carries the code and message but no matches', () => {
		expect(parseBulkError('DUPLICATES_DETECTED:Use one of these records?:--')).toEqual({
			errorCode: 'DUPLICATES_DETECTED',
			message: 'Use one of these records?',
			fields: [],
		});
	});
});

describe('the headers and job property of each option', () => {
	it.each([
		[{}, { 'Sforce-Auto-Assign': 'FALSE' }],
		[{ assignmentRules: 'orgDefault' as const }, {}],
		[{ assignmentRules: 'active' as const }, { 'Sforce-Auto-Assign': 'TRUE' }],
		[
			{ assignmentRules: 'specific' as const, assignmentRuleId: '01Q000000000001AAA' },
			{ 'Sforce-Auto-Assign': '01Q000000000001AAA' },
		],
		[
			{ duplicateRules: 'allowSave' as const, assignmentRules: 'orgDefault' as const },
			{ 'Sforce-Duplicate-Rule-Header': 'allowSave=true' },
		],
		[{ duplicateRules: 'useMatched' as const, assignmentRules: 'orgDefault' as const }, {}],
	])('%j → %j', (options, headers) => {
		expect(ruleHeaders(options)).toEqual(headers);
	});

	it('Bulk: only Active Rule (looked up) and Specific Rule name an assignmentRuleId', async () => {
		const lookUp = jest.fn(async () => await Promise.resolve('01QACTIVE'));
		expect(await bulkJobRuleProperties({}, lookUp)).toEqual({});
		expect(await bulkJobRuleProperties({ assignmentRules: 'orgDefault' }, lookUp)).toEqual({});
		expect(lookUp).not.toHaveBeenCalled();
		expect(await bulkJobRuleProperties({ assignmentRules: 'active' }, lookUp)).toEqual({
			assignmentRuleId: '01QACTIVE',
		});
		expect(
			await bulkJobRuleProperties(
				{ assignmentRules: 'specific', assignmentRuleId: '01QX' },
				lookUp,
			),
		).toEqual({ assignmentRuleId: '01QX' });
		const none = async () => await Promise.resolve(undefined);
		expect(await bulkJobRuleProperties({ assignmentRules: 'active' }, none)).toEqual({});
	});
});

// Pre-flight of the rows' Write Modes (mapping/writeModeCheck.ts): a mode the field cannot take
// is INVALID_WRITE_MODE naming the item, the row and the field; the modes kept are those of the
// fields the record carries, named as the describe spells them.
import type { MappingRow } from '../../../nodes/SkeepersFeedApplication/mapping/record';
import { writeModesOf } from '../../../nodes/SkeepersFeedApplication/mapping/writeModeCheck';
import { CONTACT } from './fixtures';

const row = (field: string, writeMode?: string): MappingRow => ({
	field,
	value: 'x',
	transformation: 'none',
	...(writeMode ? { writeMode: writeMode as MappingRow['writeMode'] } : {}),
});

test('Add to Multi-Select on a field that is not a multi-select picklist: INVALID_WRITE_MODE naming row and field', () => {
	const result = writeModesOf(
		[row('LastName'), row('NPS_Category__c', 'addToMultiSelect')],
		{ LastName: 'x', NPS_Category__c: 'x' },
		CONTACT,
		2,
	);
	expect(result).toEqual({
		ok: false,
		error: expect.objectContaining({
			itemIndex: 2,
			row: 2,
			field: 'NPS_Category__c',
			errorCode: 'INVALID_WRITE_MODE',
		}),
	});
	if (!result.ok)
		expect(result.error.message).toBe(
			'Item 3, row 2 (NPS_Category__c): "Add to Multi-Select" applies to multi-select picklist fields only, and NPS_Category__c is a picklist field. Use Overwrite or Only If Empty.',
		);
});

test('Only If Empty on a checkbox (never empty in Salesforce) is refused', () => {
	const result = writeModesOf(
		[row('hasoptedoutofemail', 'onlyIfEmpty')],
		{ HasOptedOutOfEmail: true },
		CONTACT,
		0,
	);
	expect(result.ok).toBe(false);
	if (!result.ok) {
		expect(result.error).toMatchObject({ row: 1, field: 'HasOptedOutOfEmail' });
		expect(result.error.message).toContain('a checkbox is never empty');
	}
});

test('an unknown mode (a hand-edited workflow) is refused', () => {
	const result = writeModesOf([row('Title', 'append')], { Title: 'x' }, CONTACT, 0);
	expect(result.ok).toBe(false);
	if (!result.ok) expect(result.error.message).toContain('unknown Write Mode "append"');
});

test('valid modes: kept for the fields the record carries (describe spelling), Overwrite and skipped fields left out', () => {
	expect(
		writeModesOf(
			[
				row('topics__c', 'addToMultiSelect'),
				row('Description', 'onlyIfEmpty'),
				row('FirstName', 'onlyIfEmpty'),
				row('LastName', 'overwrite'),
				row('Email'),
			],
			{ Topics__c: 'A', Description: 'd', LastName: 'x', Email: 'a@b.fr' },
			CONTACT,
			0,
		),
	).toEqual({ ok: true, modes: { Topics__c: 'addToMultiSelect', Description: 'onlyIfEmpty' } });
	expect(writeModesOf([row('LastName')], { LastName: 'x' }, CONTACT, 0)).toEqual({
		ok: true,
		modes: undefined,
	});
});

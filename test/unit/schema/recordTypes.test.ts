/** Record types by developer name, from a describe's recordTypeInfos (schema/recordTypes.ts). */
import {
	recordTypeIdFor,
	usableRecordTypes,
} from '../../../nodes/SkeepersFeedApplication/schema/recordTypes';
import type {
	RecordTypeInfo,
	SObjectDescribe,
} from '../../../nodes/SkeepersFeedApplication/salesforce/types';
import { CONTACT } from '../mapping/fixtures';

const info = (developerName: string, x: Partial<RecordTypeInfo> = {}): RecordTypeInfo => ({
	recordTypeId: `012${developerName.padEnd(15, '0').slice(0, 15)}`,
	developerName,
	name: developerName.replace(/_/g, ' '),
	available: true,
	active: true,
	master: false,
	...x,
});
const CASE: SObjectDescribe = {
	...CONTACT,
	name: 'Case',
	recordTypeInfos: [
		info('Detractor_Follow_Up'),
		info('Legacy', { active: false, available: false }),
		info('Partner_Escalation', { available: false }),
		info('Master', { master: true, recordTypeId: '012000000000000AAA' }),
	],
};

describe('record types by developer name', () => {
	it('lists the active, available ones, never Master', () => {
		expect(usableRecordTypes(CASE).map((r) => r.developerName)).toEqual(['Detractor_Follow_Up']);
		expect(usableRecordTypes(CONTACT)).toEqual([]);
	});

	it('resolves a name in any case to its Id', () => {
		expect(recordTypeIdFor(CASE, ' detractor_follow_up ')).toEqual({
			id: CASE.recordTypeInfos?.[0].recordTypeId,
		});
	});

	it.each([
		['Nope', /Case has no record type named "Nope" \(its record types: Detractor_Follow_Up\)/],
		['Master', /no record type named "Master"/],
		['Legacy', /"Legacy" of Case is inactive/],
		['Partner_Escalation', /"Partner_Escalation" of Case is not available to the integration user/],
	])('%s cannot be used', (name, problem) => {
		const found = recordTypeIdFor(CASE, name);
		expect('problem' in found && found.problem).toMatch(problem);
	});

	it('an object without record types says so', () => {
		const found = recordTypeIdFor(CONTACT, 'Any');
		expect('problem' in found && found.problem).toMatch(/it has no record types/);
	});
});

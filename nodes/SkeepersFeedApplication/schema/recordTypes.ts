/**
 * Record types by developer name, from the object's describe (`recordTypeInfos`): the names a
 * workflow stores (the same in a sandbox and in production) and the Id each stands for in this
 * org. Master is left out: it is what a record gets without a record type.
 */
import type { RecordTypeInfo, SObjectDescribe } from '../salesforce/types';

const custom = (d: SObjectDescribe): RecordTypeInfo[] =>
	(d.recordTypeInfos ?? []).filter((r) => !r.master);

/** The record types the integration user can give a record: active and available. */
export function usableRecordTypes(describe: SObjectDescribe): RecordTypeInfo[] {
	return custom(describe).filter((r) => r.available && r.active !== false);
}

/** The Id of the record type `developerName` (any case), or why it cannot be used. */
export function recordTypeIdFor(
	describe: SObjectDescribe,
	developerName: string,
): { id: string } | { problem: string } {
	const wanted = developerName.trim().toLowerCase();
	const found = custom(describe).find((r) => r.developerName.toLowerCase() === wanted);
	const object = describe.name;
	if (!found) {
		const names = usableRecordTypes(describe).map((r) => r.developerName);
		return {
			problem: `${object} has no record type named "${developerName}"${names.length ? ` (its record types: ${names.join(', ')})` : ' (it has no record types)'}`,
		};
	}
	if (found.active === false)
		return { problem: `Record type "${found.developerName}" of ${object} is inactive` };
	if (!found.available)
		return {
			problem: `Record type "${found.developerName}" of ${object} is not available to the integration user (assign it to the user's profile or a permission set)`,
		};
	return { id: found.recordTypeId };
}

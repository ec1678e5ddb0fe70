/**
 * Field-level security of the profile the API users have: fields they can read but not edit.
 * The describe shows them `createable: false, updateable: false`, and a write that sets one is
 * refused with INVALID_FIELD_FOR_INSERT_UPDATE (emulator/validation.ts).
 */
import type { EmuObject } from '../schema';
import type { OrgConfig } from './index';

const READ_ONLY: Record<string, string[]> = {
	Contact: ['Lifetime_Value__c'],
};

export function readOnlyFields(org: OrgConfig, o: EmuObject): string[] {
	return org.fieldSecurity ? (READ_ONLY[o.name] ?? []) : [];
}

/**
 * Setup records a workflow names instead of their Ids (Ids differ between a sandbox and
 * production): record types (prefix 012), users (005) and campaigns (701). All are queryable
 * with SOQL, none writable. Writes check them as Salesforce does:
 * - `RecordTypeId`: a record type of the object that is active and available to the API users'
 *   profile, or the object's Master record type; anything else fails with
 *   INVALID_CROSS_REFERENCE_KEY "Record Type ID: this ID value isn't valid for the user: <Id>";
 * - `OwnerId`: a user of the org or a queue; an inactive user fails with INACTIVE_OWNER_OR_USER.
 * The sObject describe of Case and Lead lists the record types in `recordTypeInfos`.
 */
import { sfError, type SfError } from '../errors';
import { INTEGRATION_USER_ID, makeId, to18, USER_ID } from '../ids';
import { f, obj, type EmuField, type EmuObject } from '../schema';
import type { Rec } from '../store';
import { isQueueId, setupAudit } from './assignmentRules';

const ro = { createable: false, updateable: false } as const;

const RECORD_TYPE = obj('RecordType', 'Record Type', 'Record Types', '012', [
	f.string('Name', 'Name', 80, { ...ro, nameField: true }),
	f.string('DeveloperName', 'Record Type Name', 80, ro),
	f.string('SobjectType', 'SObject Type Name', 40, ro),
	f.boolean('IsActive', 'Active', ro),
	f.string('Description', 'Description', 255, ro),
]);

const USER = obj('User', 'User', 'Users', '005', [
	f.string('Username', 'Username', 80, ro),
	f.email('Email', 'Email', ro),
	f.string('FirstName', 'First Name', 40, ro),
	f.string('LastName', 'Last Name', 80, ro),
	f.string('Name', 'Full Name', 121, { ...ro, nameField: true }),
	f.boolean('IsActive', 'Active', ro),
]);

const CAMPAIGN = obj('Campaign', 'Campaign', 'Campaigns', '701', [
	f.string('Name', 'Name', 80, { ...ro, nameField: true }),
	f.boolean('IsActive', 'Active', ro),
	f.string('Status', 'Status', 40, ro),
]);

/** The Master record type's Id (the same in every org). */
const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

interface RecordTypeSeed {
	row: Rec;
	/** Assigned to the API users' profile (describe `available`; an inactive one never is). */
	available: boolean;
	/** The profile's default for the object. */
	default: boolean;
}

const recordType = (
	n: number,
	sobjectType: string,
	developerName: string,
	name: string,
	active: boolean,
	available: boolean,
	isDefault = false,
): RecordTypeSeed => ({
	row: {
		Id: makeId('012', n),
		Name: name,
		DeveloperName: developerName,
		SobjectType: sobjectType,
		IsActive: active,
		Description: null,
	},
	available: active && available,
	default: isDefault,
});

const RECORD_TYPES: RecordTypeSeed[] = [
	recordType(1, 'Case', 'Detractor_Follow_Up', 'Detractor Follow-Up', true, true, true),
	recordType(2, 'Case', 'Support', 'Support', true, true),
	recordType(3, 'Case', 'Legacy', 'Legacy', false, false),
	recordType(4, 'Case', 'Partner_Escalation', 'Partner Escalation', true, false),
	recordType(5, 'Lead', 'Survey_Lead', 'Survey Lead', true, true, true),
];

const user = (id: string, first: string, last: string, login: string, active: boolean): Rec => ({
	Id: id,
	Username: `${login}@skeepers-emulator.example`,
	Email: `${login}@skeepers-emulator.example`,
	FirstName: first,
	LastName: last,
	Name: `${first} ${last}`,
	IsActive: active,
});

const USERS: Rec[] = [
	user(USER_ID, 'Demo', 'Admin', 'demo.admin', true),
	user(INTEGRATION_USER_ID, 'Integration', 'User', 'integration', true),
	user(makeId('005', 3), 'Alice', 'Agent', 'alice.agent', true),
	user(makeId('005', 4), 'Former', 'Agent', 'former.agent', false),
];

const CAMPAIGNS: Rec[] = [
	{ Id: makeId('701', 1), Name: 'Detractors follow-up', IsActive: true, Status: 'In Progress' },
	{ Id: makeId('701', 2), Name: 'Promoters referral', IsActive: true, Status: 'Planned' },
	{ Id: makeId('701', 3), Name: 'Spring survey 2024', IsActive: false, Status: 'Completed' },
];

const OBJECTS = [RECORD_TYPE, USER, CAMPAIGN];

/** The setup objects of this file (`RecordType`, `User`, `Campaign`), by name (any case). */
export function namedObject(name: string): EmuObject | undefined {
	const n = name.toLowerCase();
	return OBJECTS.find((o) => o.name.toLowerCase() === n);
}

/** The rows of one of these objects, or undefined for another object. */
export function namedRows(name: string): Rec[] | undefined {
	if (name === RECORD_TYPE.name) return RECORD_TYPES.map((r) => setupAudit(r.row));
	if (name === USER.name) return USERS.map(setupAudit);
	if (name === CAMPAIGN.name) return CAMPAIGNS.map(setupAudit);
	return undefined;
}

/** A user of the org, by Id (15 or 18 characters). */
export function userById(id: string): Rec | undefined {
	return USERS.find((u) => u.Id === to18(id));
}

/** The sObject describe's `recordTypeInfos` of an object: its record types and Master (none without record types). */
export function recordTypeInfos(object: string, version: string): Rec[] {
	const types = RECORD_TYPES.filter((r) => r.row.SobjectType === object);
	if (!types.length) return [];
	const info = (id: string, developerName: string, name: string, x: Partial<Rec>): Rec => ({
		active: true,
		available: true,
		defaultRecordTypeMapping: false,
		developerName,
		master: false,
		name,
		recordTypeId: id,
		urls: { layout: `/services/data/v${version}/sobjects/${object}/describe/layouts/${id}` },
		...x,
	});
	return [
		...types.map((r) =>
			info(String(r.row.Id), String(r.row.DeveloperName), String(r.row.Name), {
				active: r.row.IsActive,
				available: r.available,
				defaultRecordTypeMapping: r.default,
			}),
		),
		info(MASTER_RECORD_TYPE_ID, 'Master', 'Master', { master: true }),
	];
}

/**
 * The save errors of a reference to one of these records (`RecordTypeId`, a user as `OwnerId`, a
 * queue), or undefined when the field references something else (a schema object).
 */
export function namedReferenceErrors(
	field: EmuField,
	id: string,
	object: string,
): SfError[] | undefined {
	if (field.referenceTo.includes('RecordType')) {
		const usable =
			to18(id) === MASTER_RECORD_TYPE_ID ||
			RECORD_TYPES.some(
				(r) => r.row.Id === to18(id) && r.row.SobjectType === object && r.available,
			);
		return usable
			? []
			: [
					sfError(
						'INVALID_CROSS_REFERENCE_KEY',
						`Record Type ID: this ID value isn't valid for the user: ${id}`,
						[field.name],
					),
				];
	}
	if (field.referenceTo.includes('User') && id.startsWith('005')) {
		const u = userById(id);
		if (!u)
			return [sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name])];
		return u.IsActive
			? []
			: [sfError('INACTIVE_OWNER_OR_USER', 'operation performed with inactive user', [field.name])];
	}
	if (field.referenceTo.includes('Campaign'))
		return CAMPAIGNS.some((c) => c.Id === to18(id))
			? []
			: [sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name])];
	if (field.referenceTo.includes('Group') && id.startsWith('00G'))
		return isQueueId(id)
			? []
			: [sfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [field.name])];
	return undefined;
}

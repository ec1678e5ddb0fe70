/**
 * The seeded org schema: which objects exist and their fields, written to be read by humans.
 * `f.*` helpers build a full Salesforce field describe from a few facts; everything the
 * emulator validates (types, lengths, required, picklists, uniqueness, writability) comes from here.
 */
import type {
	FieldDescribe,
	PicklistValue,
} from '../nodes/SkeepersFeedApplication/salesforce/types';

export interface EmuField extends FieldDescribe {
	/** Auto-number fields get their value from the emulator (e.g. CaseNumber). */
	autoNumber: boolean;
	/** Value used on create when the field is not given (checkbox defaults, Status...). */
	defaultValue: unknown;
	calculated: boolean;
	nameField: boolean;
}

export interface EmuObject {
	name: string;
	label: string;
	labelPlural: string;
	keyPrefix: string;
	custom: boolean;
	fields: EmuField[];
}

type Opts = Partial<EmuField> & { required?: boolean; values?: string[]; restricted?: boolean };

function field(name: string, label: string, type: string, length: number, o: Opts = {}): EmuField {
	const { required, values, restricted, ...rest } = o;
	const picklistValues: PicklistValue[] = (values ?? []).map((v) => ({
		value: v,
		label: v,
		active: true,
		defaultValue: o.defaultValue === v,
	}));
	return {
		name,
		label,
		type,
		length,
		nillable: !required && type !== 'boolean',
		createable: true,
		updateable: true,
		custom: name.endsWith('__c'),
		externalId: false,
		idLookup: false,
		unique: false,
		picklistValues,
		restrictedPicklist: restricted ?? false,
		referenceTo: [],
		relationshipName: null,
		defaultedOnCreate: type === 'boolean',
		autoNumber: false,
		defaultValue: type === 'boolean' ? false : null,
		calculated: false,
		nameField: false,
		...rest,
	};
}

const readOnly = { createable: false, updateable: false, defaultedOnCreate: true } as const;

export const f = {
	string: (name: string, label: string, length = 255, o: Opts = {}) =>
		field(name, label, 'string', length, o),
	textarea: (name: string, label: string, length = 32000, o: Opts = {}) =>
		field(name, label, 'textarea', length, o),
	email: (name: string, label: string, o: Opts = {}) => field(name, label, 'email', 80, o),
	phone: (name: string, label: string, o: Opts = {}) => field(name, label, 'phone', 40, o),
	url: (name: string, label: string, o: Opts = {}) => field(name, label, 'url', 255, o),
	picklist: (name: string, label: string, values: string[], o: Opts = {}) =>
		field(name, label, 'picklist', 255, { values, ...o }),
	multipicklist: (name: string, label: string, values: string[], o: Opts = {}) =>
		field(name, label, 'multipicklist', 4099, { values, ...o }),
	boolean: (name: string, label: string, o: Opts = {}) => field(name, label, 'boolean', 0, o),
	double: (name: string, label: string, precision = 18, scale = 2, o: Opts = {}) =>
		field(name, label, 'double', 0, { precision, scale, ...o }),
	int: (name: string, label: string, o: Opts = {}) =>
		field(name, label, 'int', 0, { precision: 9, ...o }),
	currency: (name: string, label: string, o: Opts = {}) =>
		field(name, label, 'currency', 0, { precision: 18, scale: 2, ...o }),
	date: (name: string, label: string, o: Opts = {}) => field(name, label, 'date', 0, o),
	datetime: (name: string, label: string, o: Opts = {}) => field(name, label, 'datetime', 0, o),
	reference: (name: string, label: string, to: string, relationshipName: string, o: Opts = {}) =>
		field(name, label, 'reference', 18, { referenceTo: [to], relationshipName, ...o }),
	/** A writable external ID: unique, indexed (idLookup), usable for upserts. */
	externalId: (name: string, label: string, length = 255) =>
		field(name, label, 'string', length, { externalId: true, unique: true, idLookup: true }),
};

/** Fields every object has: Id and the audit fields, never writable. */
function systemFields(): EmuField[] {
	return [
		field('Id', 'Record ID', 'id', 18, { ...readOnly, nillable: false, idLookup: true }),
		f.boolean('IsDeleted', 'Deleted', { ...readOnly }),
		field('CreatedDate', 'Created Date', 'datetime', 0, { ...readOnly, nillable: false }),
		field('LastModifiedDate', 'Last Modified Date', 'datetime', 0, {
			...readOnly,
			nillable: false,
		}),
		field('SystemModstamp', 'System Modstamp', 'datetime', 0, { ...readOnly, nillable: false }),
	];
}

const LEAD_SOURCES = [
	'Web',
	'Phone Inquiry',
	'Partner Referral',
	'Purchased List',
	'Other',
	'Skeepers Survey',
];
const NPS_CATEGORY = f.picklist(
	'NPS_Category__c',
	'NPS Category',
	['Detractor', 'Passive', 'Promoter'],
	{ restricted: true },
);
const SKEEPERS_FLAGS = ['VIP', 'To call back', 'Complaint', 'Newsletter', 'Ambassador'];
/** Polymorphic owner (a user or a queue); the API user when not given (emulator/records.ts). */
const OWNER = field('OwnerId', 'Owner ID', 'reference', 18, {
	referenceTo: ['Group', 'User'],
	relationshipName: 'Owner',
	nillable: false,
	defaultedOnCreate: true,
});
/** Objects with record types (emulator/org/namedRecords.ts): Case and Lead. */
const RECORD_TYPE_ID = f.reference('RecordTypeId', 'Record Type ID', 'RecordType', 'RecordType');

export function obj(
	name: string,
	label: string,
	labelPlural: string,
	keyPrefix: string,
	fields: EmuField[],
): EmuObject {
	return {
		name,
		label,
		labelPlural,
		keyPrefix,
		custom: name.endsWith('__c'),
		fields: [...systemFields(), ...fields],
	};
}

export const SCHEMA: EmuObject[] = [
	obj('Account', 'Account', 'Accounts', '001', [
		f.string('Name', 'Account Name', 255, { required: true, nameField: true }),
		f.picklist('Type', 'Account Type', [
			'Prospect',
			'Customer - Direct',
			'Customer - Channel',
			'Partner',
			'Other',
		]),
		f.picklist('Industry', 'Industry', ['Retail', 'Banking', 'Hospitality', 'Technology', 'Other']),
		f.phone('Phone', 'Account Phone'),
		f.url('Website', 'Website'),
		f.string('BillingCity', 'Billing City', 40),
		f.string('BillingCountry', 'Billing Country', 80),
		f.textarea('Description', 'Account Description'),
		f.int('NumberOfEmployees', 'Employees', { precision: 8 }),
		f.externalId('Skeepers_Account_Id__c', 'Skeepers Account Id', 64),
	]),
	obj('Contact', 'Contact', 'Contacts', '003', [
		f.string('FirstName', 'First Name', 40),
		f.string('LastName', 'Last Name', 80, { required: true }),
		field('Name', 'Full Name', 'string', 121, { ...readOnly, nameField: true }),
		f.string('Salutation', 'Salutation', 40),
		f.email('Email', 'Email', { idLookup: true }),
		f.phone('Phone', 'Business Phone'),
		f.phone('MobilePhone', 'Mobile Phone'),
		f.reference('AccountId', 'Account ID', 'Account', 'Account'),
		f.date('Birthdate', 'Birthdate'),
		f.string('Title', 'Title', 128),
		f.textarea('Description', 'Contact Description'),
		f.boolean('HasOptedOutOfEmail', 'Email Opt Out'),
		f.picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
		f.string('MailingCity', 'Mailing City', 40),
		f.string('MailingPostalCode', 'Mailing Zip/Postal Code', 20),
		f.string('MailingCountry', 'Mailing Country', 80),
		f.externalId('Skeepers_Respondent_Id__c', 'Skeepers Respondent Id', 64),
		f.double('NPS_Score__c', 'NPS Score', 3, 0),
		NPS_CATEGORY,
		f.multipicklist('Skeepers_Flags__c', 'Skeepers Flags', SKEEPERS_FLAGS),
		f.datetime('Last_Survey_Date__c', 'Last Survey Date'),
		f.currency('Lifetime_Value__c', 'Lifetime Value'),
	]),
	obj('Lead', 'Lead', 'Leads', '00Q', [
		f.string('FirstName', 'First Name', 40),
		f.string('LastName', 'Last Name', 80, { required: true }),
		field('Name', 'Full Name', 'string', 121, { ...readOnly, nameField: true }),
		f.string('Company', 'Company', 255, { required: true }),
		f.email('Email', 'Email', { idLookup: true }),
		f.phone('Phone', 'Phone'),
		f.phone('MobilePhone', 'Mobile Phone'),
		f.picklist(
			'Status',
			'Status',
			[
				'Open - Not Contacted',
				'Working - Contacted',
				'Closed - Converted',
				'Closed - Not Converted',
			],
			{
				restricted: true,
				defaultValue: 'Open - Not Contacted',
				defaultedOnCreate: true,
				nillable: false,
			},
		),
		f.picklist('LeadSource', 'Lead Source', LEAD_SOURCES),
		f.string('City', 'City', 40),
		f.string('Country', 'Country', 80),
		f.textarea('Description', 'Description'),
		f.boolean('HasOptedOutOfEmail', 'Email Opt Out'),
		f.externalId('Skeepers_Respondent_Id__c', 'Skeepers Respondent Id', 64),
		f.double('NPS_Score__c', 'NPS Score', 3, 0),
		NPS_CATEGORY,
		f.multipicklist('Skeepers_Flags__c', 'Skeepers Flags', SKEEPERS_FLAGS),
		OWNER,
		RECORD_TYPE_ID,
	]),
	obj('Case', 'Case', 'Cases', '500', [
		field('CaseNumber', 'Case Number', 'string', 30, {
			...readOnly,
			autoNumber: true,
			nameField: true,
			idLookup: true,
		}),
		f.string('Subject', 'Subject', 255),
		f.textarea('Description', 'Description'),
		f.picklist('Status', 'Status', ['New', 'Working', 'Escalated', 'Closed'], {
			defaultValue: 'New',
			defaultedOnCreate: true,
		}),
		f.picklist('Priority', 'Priority', ['High', 'Medium', 'Low'], {
			defaultValue: 'Medium',
			defaultedOnCreate: true,
		}),
		f.picklist('Origin', 'Case Origin', ['Phone', 'Email', 'Web', 'Skeepers Survey']),
		f.picklist('Type', 'Case Type', ['Question', 'Problem', 'Feature Request', 'Complaint']),
		f.picklist('Reason', 'Case Reason', [
			'Installation',
			'Equipment Complexity',
			'Performance',
			'Breakdown',
			'Feedback',
			'Other',
		]),
		f.reference('ContactId', 'Contact ID', 'Contact', 'Contact'),
		f.reference('AccountId', 'Account ID', 'Account', 'Account'),
		f.email('SuppliedEmail', 'Web Email'),
		f.string('SuppliedName', 'Web Name', 80),
		f.phone('SuppliedPhone', 'Web Phone'),
		f.externalId('Skeepers_Event_Id__c', 'Skeepers Event Id', 64),
		f.double('NPS_Score__c', 'NPS Score', 3, 0),
		OWNER,
		RECORD_TYPE_ID,
	]),
	obj('Task', 'Task', 'Tasks', '00T', [
		f.string('Subject', 'Subject', 255),
		f.textarea('Description', 'Description'),
		f.picklist(
			'Status',
			'Status',
			['Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'],
			{
				restricted: true,
				defaultValue: 'Not Started',
				defaultedOnCreate: true,
				nillable: false,
			},
		),
		f.picklist('Priority', 'Priority', ['High', 'Normal', 'Low'], {
			restricted: true,
			defaultValue: 'Normal',
			defaultedOnCreate: true,
			nillable: false,
		}),
		f.date('ActivityDate', 'Due Date Only'),
		field('WhoId', 'Name ID', 'reference', 18, {
			referenceTo: ['Contact', 'Lead'],
			relationshipName: 'Who',
		}),
		field('WhatId', 'Related To ID', 'reference', 18, {
			referenceTo: ['Account', 'Opportunity', 'Case'],
			relationshipName: 'What',
		}),
	]),
	obj('Opportunity', 'Opportunity', 'Opportunities', '006', [
		f.string('Name', 'Name', 120, { required: true, nameField: true }),
		f.picklist(
			'StageName',
			'Stage',
			['Prospecting', 'Qualification', 'Proposal/Price Quote', 'Closed Won', 'Closed Lost'],
			{ required: true, restricted: true },
		),
		f.date('CloseDate', 'Close Date', { required: true }),
		f.currency('Amount', 'Amount'),
		f.reference('AccountId', 'Account ID', 'Account', 'Account'),
		f.textarea('Description', 'Description'),
	]),
	obj('Skeepers_Feedback__c', 'Skeepers Feedback', 'Skeepers Feedbacks', 'a0X', [
		field('Name', 'Feedback Name', 'string', 80, { nameField: true, defaultedOnCreate: true }),
		f.externalId('Event_Id__c', 'Event Id', 64),
		f.string('Campaign__c', 'Campaign', 255),
		f.string('Respondent_Id__c', 'Respondent Id', 64),
		f.double('NPS_Score__c', 'NPS Score', 3, 0),
		NPS_CATEGORY,
		field('Comment__c', 'Comment', 'textarea', 32768, {}),
		field('Raw_Payload__c', 'Raw Payload', 'textarea', 131072, {}),
		f.datetime('Submitted_At__c', 'Submitted At'),
		f.reference('Contact__c', 'Contact', 'Contact', 'Contact__r'),
	]),
	// one per campaign and Contact or Lead; Status from the campaign's (emulator/org/campaignMembers.ts)
	obj('CampaignMember', 'Campaign Member', 'Campaign Members', '00v', [
		f.reference('CampaignId', 'Campaign ID', 'Campaign', 'Campaign', {
			required: true,
			updateable: false,
		}),
		f.reference('ContactId', 'Contact ID', 'Contact', 'Contact', { updateable: false }),
		f.reference('LeadId', 'Lead ID', 'Lead', 'Lead', { updateable: false }),
		f.picklist('Status', 'Status', [], { length: 40 }),
		f.boolean('HasResponded', 'Responded', { createable: false, updateable: false }),
	]),
];

/**
 * Objects a real org lists in its global describe (`GET /sobjects`) that nobody can write
 * (field history): listed there as `createable: false, updateable: false`, nothing else
 * (no describe, no records), so the object picker can be shown to leave them out.
 */
export const READ_ONLY_OBJECTS: Array<
	Pick<EmuObject, 'name' | 'label' | 'labelPlural' | 'keyPrefix' | 'custom'>
> = [
	{
		name: 'ContactHistory',
		label: 'Contact History',
		labelPlural: 'Contact History',
		keyPrefix: '017',
		custom: false,
	},
	{
		name: 'CaseHistory',
		label: 'Case History',
		labelPlural: 'Case History',
		keyPrefix: '017',
		custom: false,
	},
];

/** Case-insensitive lookups, like the API. */
export function findObject(name: string): EmuObject | undefined {
	const n = name.toLowerCase();
	return SCHEMA.find((o) => o.name.toLowerCase() === n);
}

export function findField(o: EmuObject, name: string): EmuField | undefined {
	const n = name.toLowerCase();
	return o.fields.find((x) => x.name.toLowerCase() === n);
}

/**
 * Schema changes as an admin makes them in Setup (tests: a field added or deleted while n8n
 * runs). The schema is module-level, so this affects every emulator of the process; returns
 * an undo function.
 */
export function addField(objectName: string, added: EmuField): () => void {
	const o = findObject(objectName);
	if (!o) throw new Error(`Unknown object ${objectName}`);
	if (findField(o, added.name)) throw new Error(`${o.name}.${added.name} exists already`);
	o.fields.push(added);
	return () => {
		const i = o.fields.indexOf(added);
		if (i >= 0) o.fields.splice(i, 1);
	};
}

export function objectByPrefix(id: string): EmuObject | undefined {
	const p = id.slice(0, 3);
	return SCHEMA.find((o) => o.keyPrefix === p);
}

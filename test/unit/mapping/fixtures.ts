import type {
	FieldDescribe,
	SObjectDescribe,
} from '../../../nodes/SkeepersFeedApplication/salesforce/types';

export function field(partial: Partial<FieldDescribe> & { name: string }): FieldDescribe {
	return {
		label: partial.name,
		type: 'string',
		length: 255,
		nillable: true,
		createable: true,
		updateable: true,
		custom: partial.name.endsWith('__c'),
		externalId: false,
		idLookup: false,
		unique: false,
		picklistValues: [],
		restrictedPicklist: false,
		referenceTo: [],
		relationshipName: null,
		defaultedOnCreate: false,
		...partial,
	};
}

const pick = (...values: string[]) =>
	values.map((value) => ({ value, label: value, active: true }));

/** A Contact as a Skeepers org would describe it (subset). */
export const CONTACT: SObjectDescribe = {
	name: 'Contact',
	label: 'Contact',
	custom: false,
	createable: true,
	updateable: true,
	queryable: true,
	fields: [
		field({
			name: 'Id',
			label: 'Contact ID',
			type: 'id',
			length: 18,
			nillable: false,
			createable: false,
			updateable: false,
			idLookup: true,
			defaultedOnCreate: true,
		}),
		field({ name: 'FirstName', label: 'First Name', length: 40 }),
		field({ name: 'LastName', label: 'Last Name', length: 80, nillable: false }),
		field({
			name: 'Name',
			label: 'Full Name',
			length: 121,
			nillable: false,
			createable: false,
			updateable: false,
		}),
		field({ name: 'Email', label: 'Email', type: 'email', length: 80, idLookup: true }),
		field({ name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40 }),
		field({ name: 'Birthdate', label: 'Birthdate', type: 'date', length: 0 }),
		field({
			name: 'HasOptedOutOfEmail',
			label: 'Email Opt Out',
			type: 'boolean',
			length: 0,
			nillable: false,
			defaultedOnCreate: true,
		}),
		field({
			name: 'AccountId',
			label: 'Account ID',
			type: 'reference',
			length: 18,
			referenceTo: ['Account'],
			relationshipName: 'Account',
		}),
		field({
			name: 'CreatedDate',
			label: 'Created Date',
			type: 'datetime',
			length: 0,
			nillable: false,
			createable: false,
			updateable: false,
			defaultedOnCreate: true,
		}),
		field({ name: 'Description', label: 'Contact Description', type: 'textarea', length: 32000 }),
		field({
			name: 'NPS_Score__c',
			label: 'NPS Score',
			type: 'double',
			length: 0,
			precision: 2,
			scale: 0,
		}),
		field({ name: 'Survey_Count__c', label: 'Survey Count', type: 'int', length: 0, precision: 0 }),
		field({ name: 'Last_Answer__c', label: 'Last Answer', type: 'datetime', length: 0 }),
		field({
			name: 'NPS_Category__c',
			label: 'NPS Category',
			type: 'picklist',
			length: 255,
			restrictedPicklist: true,
			picklistValues: pick('Detractor', 'Passive', 'Promoter'),
		}),
		field({
			name: 'Topics__c',
			label: 'Topics',
			type: 'multipicklist',
			length: 4099,
			restrictedPicklist: true,
			picklistValues: [
				...pick('Prix', 'Livraison', 'Service client'),
				{ value: 'Ancien', label: 'Ancien', active: false },
			],
		}),
		field({
			name: 'Source__c',
			label: 'Source',
			type: 'picklist',
			length: 255,
			picklistValues: pick('Web', 'Magasin'),
		}),
		field({
			name: 'Skeepers_Respondent_Id__c',
			label: 'Skeepers Respondent Id',
			length: 64,
			externalId: true,
			idLookup: true,
			unique: true,
		}),
		field({ name: 'Create_Only__c', label: 'Create Only', length: 20, updateable: false }),
		field({ name: 'Comment__c', label: 'Comment', length: 10 }),
	],
};

/** A describe of `name` holding `fields` (createable, updateable, queryable). */
export const objectDescribe = (name: string, fields: FieldDescribe[]): SObjectDescribe => ({
	name,
	label: name,
	custom: name.endsWith('__c'),
	createable: true,
	updateable: true,
	queryable: true,
	fields,
});

/** A lookup field to `referenceTo` (several targets: polymorphic) through `relationshipName`. */
export const referenceField = (
	name: string,
	referenceTo: string[],
	relationshipName: string,
	extra: Partial<FieldDescribe> = {},
): FieldDescribe =>
	field({ name, type: 'reference', length: 18, referenceTo, relationshipName, ...extra });

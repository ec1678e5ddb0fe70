/**
 * Parameters of the Skeepers Feed Application node, as the n8n editor shows them. Internal
 * `name`s are a public contract: workflows (examples/, users' exports) refer to them. Change a
 * name only with a new node version. The Options collection is in descriptions/options.ts, Find's
 * own parameters in descriptions/find.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { findProperties } from './descriptions/find';
import { optionsProperty } from './descriptions/options';
import { transformationOptions, transformationsWithParameter } from './mapping/transformations';

export const OPERATION_LABELS: Record<string, string> = {
	create: 'Create',
	update: 'Update',
	upsert: 'Create or Update',
	find: 'Find',
};

const objectLocator: INodeProperties = {
	displayName: 'Object',
	name: 'object',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The Salesforce object (standard or custom) to write to. An expression may choose it per item (e.g. Lead for business respondents, Contact for the others): the items are then written object by object.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an object...',
			typeOptions: {
				searchListMethod: 'searchObjects',
				searchable: true,
				searchFilterRequired: false,
			},
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. Contact or Skeepers_Feedback__c',
		},
	],
};

export const nodeProperties: INodeProperties[] = [
	objectLocator,
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create one record per item',
				action: 'Create records',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update records',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Update the record that matches each item; an item without a match fails',
				action: 'Update records',
			},
			{
				name: 'Find',
				value: 'find',
				description: 'Find the record that matches each item and return its fields; writes nothing',
				action: 'Find records',
			},
		],
		default: 'create',
	},
	{
		displayName: 'Match On Name or ID',
		name: 'matchField',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getMatchFields',
			loadOptionsDependsOn: ['object.value'],
		},
		required: true,
		default: 'Id',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: 'The record ID, an external ID field, or any lookup field such as Email (looked up in bulk with SOQL)',
		displayOptions: { show: { operation: ['update', 'upsert', 'find'] } },
	},
	{
		displayName: 'Match Value',
		name: 'matchValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.respondent.email }}',
		description:
			'Value of the match field for this item. With Create or Update, an empty value creates a new record.',
		displayOptions: { show: { operation: ['update', 'upsert', 'find'] } },
	},
	{
		displayName: 'More Match Keys',
		name: 'moreMatchKeys',
		type: 'fixedCollection',
		placeholder: 'Add Match Key',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		description:
			'Further fields to find the record on, tried in order for the items that Match On did not find (e.g. Skeepers_Respondent_Id__c, then Email). An item matches on the first key that finds exactly one record; several records on a key fail it (MULTIPLE_MATCHES). The result says which field matched (matchedOn).',
		displayOptions: { show: { operation: ['update', 'upsert', 'find'] } },
		options: [
			{
				displayName: 'Key',
				name: 'keys',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getMatchFields',
							loadOptionsDependsOn: ['object.value'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.respondent.email }}',
						description: 'Value of this field for the item; an empty value skips this key',
					},
				],
			},
		],
	},
	...findProperties,
	{
		displayName: 'Mapping',
		name: 'mapping',
		displayOptions: { hide: { operation: ['find'] } },
		type: 'fixedCollection',
		placeholder: 'Add Mapping Row',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		description:
			'Rows of internal entity (a Skeepers value or any expression) → remote field (Salesforce) → transformation',
		options: [
			{
				displayName: 'Row',
				name: 'rows',
				values: [
					{
						displayName: 'Internal Entity',
						name: 'internalEntity',
						type: 'string',
						default: '',
						placeholder: 'e.g. {{ $json.respondent.email }}',
						description:
							'The value to send: an attribute, label, flag or answer from Skeepers, or any expression',
					},
					{
						displayName: 'Remote Field Name or ID',
						name: 'remoteField',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getWritableFields',
							loadOptionsDependsOn: ['object.value', 'operation'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Transformation',
						name: 'transformation',
						type: 'options',
						options: transformationOptions(),
						default: 'none',
						description: 'How to reshape the value before it is sent',
					},
					{
						displayName: 'Transformation Parameter',
						name: 'transformationParameter',
						type: 'string',
						default: '',
						placeholder: 'e.g. oui=true,non=false',
						displayOptions: { show: { transformation: transformationsWithParameter() } },
						description:
							'Only for transformations that take one: the value map (key=value, …), the default value, the date format, the maximum length…',
					},
					{
						displayName: 'Write Mode',
						name: 'writeMode',
						type: 'options',
						options: [
							{
								name: 'Add to Multi-Select',
								value: 'addToMultiSelect',
								description:
									'Multi-select picklists: add the values to the current selection (kept, in its order), without repeats',
							},
							{
								name: 'Only If Empty',
								value: 'onlyIfEmpty',
								description:
									'Write only where the field is empty in Salesforce (always on a new record)',
							},
							{
								name: 'Overwrite',
								value: 'overwrite',
								description: "Replace the field's value",
							},
						],
						default: 'overwrite',
						description:
							'How the value meets what the record holds. Only If Empty and Add to Multi-Select read the current values first (with the lookup, or one query per batch).',
					},
				],
			},
		],
	},
	optionsProperty,
];

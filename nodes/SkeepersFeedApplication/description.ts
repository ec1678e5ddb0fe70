/**
 * Parameters of the Skeepers Feed Application node, as the n8n editor shows them. Internal
 * `name`s are a public contract: workflows (examples/, users' exports) refer to them. Change a
 * name only with a new node version. (Over 400 lines, one job: the node's one list of properties,
 * most of it help text; the options collection is the part to move to its own file when it grows.)
 */
import type { INodeProperties } from 'n8n-workflow';

import { findProperties } from './descriptions/find';
import { transformationOptions, transformationsWithParameter } from './mapping/transformations';
import {
	campaignMemberOptions,
	campaignOption,
	ownerOption,
	recordTypeOption,
} from './namedOptionProperties';

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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		displayOptions: { hide: { operation: ['find'] } },
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'All or None',
				name: 'allOrNone',
				type: 'boolean',
				default: false,
				description:
					'Whether one failed record rolls back the other records of the same API call (up to Batch Size records). Bulk API 2.0 has no rollback, so Auto never picks it when this is on.',
			},
			{
				displayName: 'API Version',
				name: 'apiVersion',
				type: 'string',
				default: '',
				placeholder: 'e.g. 66.0',
				description: 'Salesforce REST API version. Empty uses the package default.',
			},
			{
				displayName: 'Assignment Rule Name or ID',
				name: 'assignmentRuleId',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getAssignmentRules',
					loadOptionsDependsOn: ['object.value'],
				},
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: "Used when Assignment Rules is Specific Rule: one of the object's assignment rules (Leads, Cases, Accounts)",
			},
			{
				displayName: 'Assignment Rules',
				name: 'assignmentRules',
				type: 'options',
				options: [
					{
						name: 'Active Rule',
						value: 'active',
						description:
							"Run the object's active assignment rule on every create and update (both paths)",
					},
					{
						name: "Don't Run",
						value: 'none',
						description: 'Never run assignment rules: the owner is the one mapped, or the API user',
					},
					{
						name: 'Org Default',
						value: 'orgDefault',
						description:
							'Send no instruction: Salesforce runs the active rule through sObject Collections, none through Bulk API 2.0',
					},
					{
						name: 'Specific Rule',
						value: 'specific',
						description: 'Run the rule chosen in Assignment Rule Name or ID',
					},
				],
				default: 'none',
				description:
					"Whether Salesforce's assignment rules choose the owner of Leads, Cases and Accounts written by the node",
			},
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 200 },
				default: 200,
				description: 'Records per sObject Collections call (Salesforce allows up to 200)',
			},
			{
				displayName: 'Bulk API 2.0',
				name: 'bulkMode',
				type: 'options',
				options: [
					{
						name: 'Auto',
						value: 'auto',
						description:
							'Use Bulk API 2.0 when it costs less than sObject Collections in API calls and time, or from the Bulk Threshold when one is set',
					},
					{
						name: 'Always',
						value: 'always',
						description: 'Always write through Bulk API 2.0 jobs',
					},
					{
						name: 'Never',
						value: 'never',
						description: 'Always write through sObject Collections',
					},
				],
				default: 'auto',
			},
			{
				displayName: 'Bulk Max Wait (Seconds)',
				name: 'bulkMaxWaitSeconds',
				type: 'number',
				typeOptions: { minValue: 10 },
				default: 600,
				description:
					'How long to wait for a Bulk API 2.0 job to finish before the node fails (naming the job ID)',
			},
			{
				displayName: 'Bulk Threshold',
				name: 'bulkThreshold',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 2000,
				description:
					'With Bulk API 2.0 on Auto: number of records from which Bulk API 2.0 is used. Without it, Auto weighs the API calls and the time of each path.',
			},
			...campaignMemberOptions,
			campaignOption,
			{
				displayName: 'Dedup Key',
				name: 'dedupKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.eventId }}',
				description:
					"Skip items whose key was already fed successfully by this workflow. The key alone is checked in n8n's deduplication store, which is not atomic across queue-mode workers; set Dedup Key Field too and Salesforce's unique index guarantees one record per key.",
			},
			{
				displayName: 'Dedup Key Field Name or ID',
				name: 'dedupKeyField',
				type: 'options',
				typeOptions: {
					loadOptionsMethod: 'getDedupKeyFields',
					loadOptionsDependsOn: ['object.value', 'operation'],
				},
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'A unique field of the object (e.g. an External ID marked Unique, such as Case.Skeepers_Event_Id__c) that receives the Dedup Key: a second record with the same key is refused by Salesforce and its item comes out skipped',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description:
					'Whether to output the exact records and API calls the node would send, without writing anything',
			},
			{
				displayName: 'Duplicate Rules',
				name: 'duplicateRules',
				type: 'options',
				options: [
					{
						name: 'Block',
						value: 'block',
						description:
							'Salesforce decides: a record its duplicate rules match fails with DUPLICATES_DETECTED and the matched record IDs',
					},
					{
						name: 'Save Anyway',
						value: 'allowSave',
						description:
							'Save records that a duplicate rule with an alert matches (rules that block still block)',
					},
					{
						name: 'Use the Matched Record',
						value: 'useMatched',
						description:
							'When a new record matches exactly one existing record, update that record instead',
					},
				],
				default: 'block',
				description: "What to do when Salesforce's duplicate rules match a record being created",
			},
			{
				displayName: 'Empty Values',
				name: 'emptyValues',
				type: 'options',
				options: [
					{
						name: 'Skip the Field',
						value: 'skip',
						description: 'Leave the Salesforce field unchanged',
					},
					{ name: 'Send Null', value: 'null', description: 'Clear the Salesforce field' },
				],
				default: 'skip',
				description: 'What to do with a mapping row whose value is empty',
			},
			{
				displayName: 'Include Sent Record',
				name: 'includeRecord',
				type: 'boolean',
				default: false,
				description: 'Whether to add the record sent to Salesforce to each output item',
			},
			{
				displayName: 'Link to First Match Key',
				name: 'linkFirstMatchKey',
				type: 'boolean',
				default: false,
				displayOptions: { show: { '/operation': ['update', 'upsert'] } },
				description:
					"Whether a record found by one of More Match Keys also gets the Match On value (e.g. the Contact found by Email gets the respondent's ID). A unique field already held by another record fails the item with Salesforce's error.",
			},
			{
				displayName: 'Missing Parents',
				name: 'missingParents',
				type: 'options',
				options: [
					{
						name: 'Fail the Item',
						value: 'fail',
						description:
							'Salesforce finds each parent named by its External ID (no extra call) and refuses a record whose parent does not exist (INVALID_FIELD)',
					},
					{
						name: 'Leave the Lookup Empty',
						value: 'leaveEmpty',
						description:
							'The parents are looked up first (one query per parent field per batch): a record whose parent does not exist is written without that link, and its result lists it in parentsNotFound',
					},
				],
				default: 'fail',
				description:
					'What happens to a record whose parent, named by an External ID or idLookup field (e.g. Contact.Skeepers_Respondent_Id__c), does not exist',
			},
			ownerOption,
			{
				displayName: 'Pre-Flight Validation',
				name: 'preflight',
				type: 'options',
				options: [
					{
						name: 'Stop on First Invalid Item',
						value: 'stop',
						description:
							'Check every item against the object description; write nothing if one is invalid',
					},
					{
						name: 'Report per Item',
						value: 'perItem',
						description: 'Invalid items become error results; the valid ones are written',
					},
					{ name: 'Off', value: 'off', description: 'Let Salesforce judge every record' },
				],
				default: 'stop',
			},
			recordTypeOption,
			{
				displayName: 'Requests in Flight',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 25 },
				default: 0,
				description:
					'How many Salesforce API calls may run at the same time. 0 is Auto: starts at 2, grows while Salesforce answers as fast, halves when it pushes back (limits, row locks, 503), never above 25, nor above 10 while calls take 5 s or more. 1 to 25: that fixed number.',
			},
			{
				displayName: 'Schema Cache (Seconds)',
				name: 'schemaCacheSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 86400 },
				default: 600,
				description:
					"How long this n8n process may reuse the object's describe (its fields) across executions, saving one API call per execution. A field the mapping names that the cached describe lacks, an item that fails pre-flight, or a schema error from Salesforce makes the node describe the object again. 0 describes once per execution.",
			},
		],
	},
];

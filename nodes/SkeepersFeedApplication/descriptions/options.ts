/**
 * The Feed Application's Options collection (description.ts lists it after the mapping): the
 * write options, each with its help text. Internal `name`s are a public contract, as in
 * description.ts: workflows refer to them; the options are sorted by display name (n8n's lint).
 */
import type { INodeProperties } from 'n8n-workflow';

import {
	campaignMemberOptions,
	campaignOption,
	ownerOption,
	recordTypeOption,
} from '../namedOptionProperties';

export const optionsProperty: INodeProperties = {
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
				'How many Salesforce API calls may run at the same time. 0 is Auto: starts at 2 (or where the last run on the same org, within 10 minutes, left off), grows while Salesforce answers as fast, halves when it pushes back (limits, row locks, 503), never above 25, nor above 10 while calls take 5 s or more. 1 to 25: that fixed number.',
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
};

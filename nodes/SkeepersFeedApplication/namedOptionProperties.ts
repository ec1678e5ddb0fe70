/**
 * The Options entries a workflow stores by name, not by Id (Ids differ between a sandbox and
 * production): Campaign (with its member options), Owner, Record Type. Placed in the Options
 * collection (descriptions/options.ts), each in its alphabetical place.
 */
import type { INodeProperties } from 'n8n-workflow';

export const campaignOption: INodeProperties = {
	displayName: 'Campaign Name or ID',
	name: 'campaign',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getCampaigns' },
	default: '',
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: 'Stored by campaign name and looked up when the workflow runs; every result shows the campaign (ID and name). Contacts and Leads the node writes join it (see Campaign Member Status and Campaign Existing Member).',
};

export const ownerOption: INodeProperties = {
	displayName: 'Owner Name or ID',
	name: 'owner',
	type: 'options',
	typeOptions: {
		loadOptionsMethod: 'getOwners',
		loadOptionsDependsOn: ['object.value'],
	},
	default: '',
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: 'Sets OwnerId on every record: an active user (stored as user:<username>) or a queue that supports the object (queue:<API name>), looked up when the workflow runs. A mapped OwnerId wins.',
};

export const recordTypeOption: INodeProperties = {
	displayName: 'Record Type Name or ID',
	name: 'recordType',
	type: 'options',
	typeOptions: {
		loadOptionsMethod: 'getRecordTypes',
		loadOptionsDependsOn: ['object.value'],
	},
	default: '',
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: "Sets RecordTypeId on every record: one of the object's record types, stored by developer name and looked up when the workflow runs. A mapped RecordTypeId wins.",
};

/** With Campaign: how the written Contacts and Leads join it (run/campaignMembership.ts). */
export const campaignMemberOptions: INodeProperties[] = [
	{
		displayName: 'Campaign Existing Member',
		name: 'campaignExistingMember',
		type: 'options',
		options: [
			{
				name: 'Update Status',
				value: 'update',
				description: 'Set the Member Status on a record that is already a member',
			},
			{
				name: 'Leave As Is',
				value: 'leave',
				description: 'Keep the membership of a record that is already a member unchanged',
			},
		],
		default: 'update',
		description:
			'With Campaign: what happens to a written Contact or Lead that is already a member',
	},
	{
		displayName: 'Campaign Member Status Name or ID',
		name: 'campaignMemberStatus',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getCampaignMemberStatuses',
			loadOptionsDependsOn: ['options.campaign'],
		},
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		hint: "With Campaign: the status the written Contacts and Leads get, one of the campaign's own (stored by label). Empty: the campaign's default status.",
	},
];

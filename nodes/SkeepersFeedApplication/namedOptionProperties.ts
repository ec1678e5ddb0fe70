/**
 * The Options entries a workflow stores by name, not by Id (Ids differ between a sandbox and
 * production): Campaign, Owner, Record Type. Spread into the Options collection of
 * description.ts, each in its alphabetical place.
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
	hint: 'Stored by campaign name and looked up when the workflow runs; every result shows the campaign (ID and name). Records are not added to it yet.',
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

/**
 * The Skeepers Feed Application node: its description (description.ts), its editor-time
 * methods (methods/) and execute(), which runs the pipeline in run/execute.ts.
 */
import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeFeed } from './run/execute';
import { nodeProperties } from './description';
import {
	getAssignmentRules,
	getCampaignMemberStatuses,
	getCampaigns,
	getOwners,
	getRecordTypes,
	getDedupKeyFields,
	getFilterableFields,
	getFindFields,
	getMatchFields,
	getWritableFields,
	searchObjects,
} from './methods';

export class SkeepersFeedApplication implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Skeepers Feed Application',
		name: 'skeepersFeedApplication',
		icon: {
			light: 'file:skeepersFeedApplication.svg',
			dark: 'file:skeepersFeedApplication.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle:
			'={{ ({ create: "Create", update: "Update", upsert: "Create or Update", find: "Find" })[$parameter["operation"]] + ": " + ($parameter["object"] ? ($parameter["object"].value || $parameter["object"]) : "") }}',
		description:
			'Feed Salesforce from Skeepers feedback through a mapping (Create, Update, Create or Update), in batches, or find records by their match keys',
		defaults: {
			name: 'Skeepers Feed Application',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'skeepersSalesforceOAuth2Api',
				required: true,
			},
		],
		properties: nodeProperties,
	};

	methods = {
		loadOptions: {
			getAssignmentRules,
			getCampaignMemberStatuses,
			getCampaigns,
			getDedupKeyFields,
			getFilterableFields,
			getFindFields,
			getMatchFields,
			getOwners,
			getRecordTypes,
			getWritableFields,
		},
		listSearch: { searchObjects },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeFeed.call(this);
	}
}

/**
 * Dropdowns of the options a workflow stores by name (run/resolveNames.ts resolves them when it
 * runs): the object's record types, the owners (active users, queues that support the object),
 * the active campaigns.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { describeSObject } from '../salesforce/describe';
import { listActiveCampaigns, listActiveUsers, listQueues } from '../salesforce/namedRecords';
import { usableRecordTypes } from '../schema/recordTypes';
import { apiFor, currentObject } from './context';

/** Record Type: the object's active record types available to the integration user, by developer name. */
export async function getRecordTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const object = currentObject(this);
	if (!object) return [];
	const describe = await describeSObject(apiFor(this), object);
	return usableRecordTypes(describe).map((r) => ({
		name: `${r.name} (${r.developerName})`,
		value: r.developerName,
		description: `${object} record type ${r.recordTypeId} in this org${r.defaultRecordTypeMapping ? ", the user's default" : ''}`,
	}));
}

/** Owner: active users by username, then the queues that may own the object's records. */
export async function getOwners(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const object = currentObject(this);
	const api = apiFor(this);
	const [users, queues] = await Promise.all([
		listActiveUsers(api),
		object ? listQueues(api, object) : Promise.resolve([]),
	]);
	return [
		...users.map((u) => ({
			name: `${u.Name ?? u.Username} (${u.Username})`,
			value: `user:${u.Username}`,
			description: `User ${u.Id} in this org`,
		})),
		...queues.map((q) => ({
			name: `Queue: ${q.Name} (${q.DeveloperName})`,
			value: `queue:${q.DeveloperName}`,
			description: `Queue ${q.Id} in this org`,
		})),
	];
}

/** Campaign: the active campaigns, by name. */
export async function getCampaigns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const campaigns = await listActiveCampaigns(apiFor(this));
	return campaigns.map((c) => ({
		name: c.Name,
		value: c.Name,
		description: `Campaign ${c.Id} in this org`,
	}));
}

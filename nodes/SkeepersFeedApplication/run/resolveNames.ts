/**
 * Record Type, Owner and Campaign: stored in the workflow by name (developer name, username or
 * queue API name, campaign name), so a workflow moves between a sandbox and production; resolved
 * here to this org's Ids once per run, before anything is written (a dry run too):
 * - Record Type: from each object's describe (`recordTypeInfos`), no query; a name the describe
 *   does not offer is checked once more against a describe fetched now (the run's may be cached);
 * - Owner: one query for a user, two for a queue (the queue, then the objects it supports);
 * - Campaign: one query. It is not written yet: each result shows it (`campaign`).
 * A name that is unknown, inactive or not usable fails the run with a NodeOperationError naming
 * it. The Ids are set as `RecordTypeId` / `OwnerId` on every record (both paths), unless the
 * mapping sets that field itself.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { parseOwnerName } from '../plan/ownerName';
import { fetchDescribe } from '../salesforce/describe';
import { findCampaign, findQueue, findUser, queueObjects } from '../salesforce/namedRecords';
import { toNodeApiError } from '../salesforce/nodeError';
import type { SalesforceApi } from '../salesforce/types';
import { recordTypeIdFor } from '../schema/recordTypes';
import type { GroupPlan } from './groups';
import type { ItemState } from './prepare';
import type { FeedOptions } from './settings';

/** What a group's records get. */
interface NamedIds {
	RecordTypeId?: string;
	OwnerId?: string;
}

/** The campaign the run resolved (each result shows it). */
export interface Campaign {
	id: string;
	name: string;
}

const NOTHING_WRITTEN =
	'Nothing was written to Salesforce. Choose another value in Options (the dropdown lists what this org offers), or remove the option.';

/** Resolves the options for every group, then sets the Ids on the items' records. */
export async function applyNamedOptions(
	ctx: IExecuteFunctions,
	api: SalesforceApi,
	planned: readonly GroupPlan[],
	states: ItemState[],
	options: FeedOptions,
): Promise<Campaign | undefined> {
	const recordType = (options.recordType ?? '').trim();
	const owner = parseOwnerName(options.owner ?? '');
	const campaignName = (options.campaign ?? '').trim();
	if (!recordType && !owner && !campaignName) return undefined;
	const node = ctx.getNode();
	const fail = (message: string, itemIndex: number): never => {
		throw new NodeOperationError(node, message, { itemIndex, description: NOTHING_WRITTEN });
	};
	const ask = async <T>(itemIndex: number, call: () => Promise<T>): Promise<T> => {
		try {
			return await call();
		} catch (error) {
			throw toNodeApiError(node, error, itemIndex);
		}
	};
	const firstItem = planned[0]?.items[0] ?? 0;

	// ---- Owner: once per run
	let ownerId: string | undefined;
	let supports: Set<string> | undefined;
	if (owner) {
		if (owner.kind === 'user') {
			const user = await ask(firstItem, async () => await findUser(api, owner.name));
			if (!user) fail(`Owner: no user has the username "${owner.name}"`, firstItem);
			else if (!user.IsActive)
				fail(
					`Owner: user "${owner.name}" is inactive (Salesforce refuses it: INACTIVE_OWNER_OR_USER)`,
					firstItem,
				);
			else ownerId = user.Id;
		} else {
			const queue = await ask(firstItem, async () => await findQueue(api, owner.name));
			if (!queue) fail(`Owner: no queue is named "${owner.name}"`, firstItem);
			else {
				ownerId = queue.Id;
				supports = await ask(firstItem, async () => await queueObjects(api, queue.Id));
			}
		}
	}

	// ---- Campaign: once per run
	let campaign: Campaign | undefined;
	if (campaignName) {
		const row = await ask(firstItem, async () => await findCampaign(api, campaignName));
		if (!row) fail(`Campaign: no campaign is named "${campaignName}"`, firstItem);
		else if (!row.IsActive) fail(`Campaign: "${row.Name}" is inactive`, firstItem);
		else campaign = { id: row.Id, name: row.Name };
	}

	// ---- per object: the record type, and whether the queue may own its records
	const byGroup = new Map<GroupPlan, NamedIds>();
	for (const group of planned) {
		const itemIndex = group.items[0];
		const ids: NamedIds = {};
		if (recordType) {
			let found = recordTypeIdFor(group.describe, recordType);
			if ('problem' in found) {
				const fresh = await ask(itemIndex, async () => await fetchDescribe(api, group.object));
				found = recordTypeIdFor(fresh, recordType);
			}
			if ('problem' in found) fail(`Record Type: ${found.problem}`, itemIndex);
			else ids.RecordTypeId = found.id;
		}
		if (owner && ownerId) {
			if (supports && !supports.has(group.object.toLowerCase()))
				fail(
					`Owner: queue "${owner.name}" cannot own ${group.object} records (add ${group.object} to the queue's Supported Objects)`,
					itemIndex,
				);
			ids.OwnerId = ownerId;
		}
		byGroup.set(group, ids);
	}
	setNamedIds(states, byGroup);
	return campaign;
}

/** Sets each ready item's Ids, unless its mapping sets the field (the mapping wins). */
function setNamedIds(states: ItemState[], byGroup: Map<GroupPlan, NamedIds>): void {
	for (const s of states) {
		const ids = s.group && s.input ? byGroup.get(s.group) : undefined;
		if (!ids || !s.input) continue;
		const mapped = new Set(Object.keys(s.input.record).map((k) => k.toLowerCase()));
		for (const [field, id] of Object.entries(ids) as Array<[string, string | undefined]>)
			if (id && !mapped.has(field.toLowerCase())) s.input.record[field] = id;
	}
}

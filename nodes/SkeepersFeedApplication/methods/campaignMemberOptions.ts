/** Member Status dropdown: the statuses of the campaign chosen in Options → Campaign, by label. */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { listMemberStatuses } from '../salesforce/campaignMembers';
import { findCampaign } from '../salesforce/namedRecords';
import { apiFor } from './context';

export async function getCampaignMemberStatuses(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const options = (this.getCurrentNodeParameter('options') ?? {}) as { campaign?: string };
	const name = (options.campaign ?? '').trim();
	if (!name) return [];
	const api = apiFor(this);
	const campaign = await findCampaign(api, name);
	if (!campaign) return [];
	const statuses = await listMemberStatuses(api, campaign.Id);
	return statuses.map((s) => ({
		name: s.IsDefault ? `${s.Label} (default)` : s.Label,
		value: s.Label,
		description: `Member status of campaign "${campaign.Name}"`,
	}));
}

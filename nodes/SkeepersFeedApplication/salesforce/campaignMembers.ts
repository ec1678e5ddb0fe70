/**
 * Campaign membership reads (SOQL): a campaign's member statuses (the Member Status dropdown and
 * the run's check), and the memberships a campaign already has for some Contacts or Leads.
 */
import type { MemberRow, MemberStatusRow } from '../plan/campaignMembers';
import { buildLookupQueries, soqlString } from '../plan/soql';
import { queryRows } from './query';
import type { SalesforceApi } from './types';

/** The campaign's member statuses, in their order. */
export async function listMemberStatuses(
	api: SalesforceApi,
	campaignId: string,
): Promise<MemberStatusRow[]> {
	return await queryRows<MemberStatusRow>(
		api,
		`SELECT Label, IsDefault FROM CampaignMemberStatus WHERE CampaignId = ${soqlString(campaignId)} ORDER BY SortOrder`,
	);
}

/**
 * The campaign's memberships of these records (`field`: ContactId or LeadId): one query for up
 * to 200 Ids (a record is a member once per campaign, so one page holds them all).
 */
export async function findMembers(
	api: SalesforceApi,
	campaignId: string,
	field: 'ContactId' | 'LeadId',
	recordIds: readonly string[],
): Promise<MemberRow[]> {
	const queries = buildLookupQueries({
		object: 'CampaignMember',
		matchField: field,
		values: recordIds,
		selectFields: ['Status'],
		where: `CampaignId = ${soqlString(campaignId)}`,
		maxQueryLength: 12_000,
		measure: (q) => encodeURIComponent(q).length,
	});
	const rows: MemberRow[] = [];
	for (const q of queries) rows.push(...(await queryRows<MemberRow>(api, q)));
	return rows;
}

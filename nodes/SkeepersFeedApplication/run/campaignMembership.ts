/**
 * Campaign membership of a run: with the Campaign option set, the Contacts and Leads the run
 * writes join the campaign. Before anything is written, the Member Status is checked against the
 * campaign's own statuses (one query; a status it does not have fails the run, naming it); after
 * the writes, the written records are added (salesforce/write/campaignMembers.ts) and each
 * result shows `campaignMember: { id, status, created }`, or `campaignMemberError` with
 * Salesforce's error when the membership could not be written (the record stays written).
 * A dry run checks the status and adds nobody.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import type { SalesforceError, WriteOutcome } from '../domain';
import { chooseMemberStatus, memberField, type ExistingMemberMode } from '../plan/campaignMembers';
import { listMemberStatuses } from '../salesforce/campaignMembers';
import { toNodeApiError } from '../salesforce/nodeError';
import type { SalesforceApi } from '../salesforce/types';
import { writeMemberships, type MemberAnswer } from '../salesforce/write/campaignMembers';
import type { GroupPlan } from './groups';
import type { FeedResult } from './output';
import type { Campaign } from './resolveNames';
import type { FeedOptions } from './settings';

export interface Membership {
	campaign: Campaign;
	status: string;
	existingMember: ExistingMemberMode;
}

/** The run's membership, checked; undefined without a campaign or a Contact or Lead to add. */
export async function prepareMembership(
	ctx: IExecuteFunctions,
	api: SalesforceApi,
	campaign: Campaign | undefined,
	planned: readonly GroupPlan[],
	options: FeedOptions,
): Promise<Membership | undefined> {
	const joining = planned.filter((g) => memberField(g.object) && g.settings.operation !== 'find');
	if (!campaign || !joining.length) return undefined;
	const itemIndex = joining[0].items[0] ?? 0;
	let statuses;
	try {
		statuses = await listMemberStatuses(api, campaign.id);
	} catch (error) {
		throw toNodeApiError(ctx.getNode(), error, itemIndex);
	}
	const chosen = chooseMemberStatus(statuses, options.campaignMemberStatus ?? '', campaign.name);
	if ('problem' in chosen)
		throw new NodeOperationError(ctx.getNode(), chosen.problem, {
			itemIndex,
			description:
				"Nothing was written to Salesforce. Choose one of the campaign's statuses in Options → Member Status (the dropdown lists them), or leave it empty for the campaign's default.",
		});
	return {
		campaign,
		status: chosen.status,
		existingMember: options.campaignExistingMember === 'leave' ? 'leave' : 'update',
	};
}

/** Adds every Contact and Lead written successfully to the campaign; the answer of each item. */
export async function addWrittenToCampaign(
	api: SalesforceApi,
	membership: Membership,
	planned: readonly GroupPlan[],
	outcomeByItem: ReadonlyMap<number, WriteOutcome>,
): Promise<Map<number, MemberAnswer>> {
	const answers = new Map<number, MemberAnswer>();
	for (const group of planned) {
		const field = memberField(group.object);
		if (!field || group.settings.operation === 'find') continue;
		const written = group.items
			.map((i) => outcomeByItem.get(i))
			.filter((o): o is WriteOutcome & { id: string } => !!o?.success && !!o.id)
			.map((o) => ({ itemIndex: o.itemIndex, id: o.id }));
		if (!written.length) continue;
		const settings = {
			campaignId: membership.campaign.id,
			field,
			status: membership.status,
			existingMember: membership.existingMember,
		};
		for (const [i, a] of await writeMemberships(api, settings, written)) answers.set(i, a);
	}
	return answers;
}

/** Puts each item's membership on its result; a sentence when some could not be added. */
export function showMemberships(
	results: FeedResult[],
	answers: ReadonlyMap<number, MemberAnswer>,
	campaign: Campaign,
): string | undefined {
	const failed: SalesforceError[] = [];
	for (const r of results) {
		const a = answers.get(r.itemIndex);
		if (!a) continue;
		if ('member' in a) r.json.campaignMember = a.member;
		else {
			r.json.campaignMemberError = a.error;
			failed.push(a.error);
		}
	}
	if (!failed.length) return undefined;
	return `Campaign "${campaign.name}": ${failed.length} written record(s) could not be added (see campaignMemberError; first: ${failed[0].errorCode}: ${failed[0].message}).`;
}

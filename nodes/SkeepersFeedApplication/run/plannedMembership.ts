/**
 * Dry Run with the Campaign option: each item whose Contact or Lead would be written shows the
 * membership a real run would give it (`plannedCampaignMember`: the campaign and its Id, the
 * Member Status, what happens to an existing membership, the calls that would carry it), and the
 * run's planned calls (`plannedCalls`) count the membership calls made after the writes
 * (plan/memberCalls.ts). Nothing is read or written for it: the status was checked before.
 */
import type { WriteOutcome } from '../domain';
import { memberField, type ExistingMemberMode } from '../plan/campaignMembers';
import { planMemberCalls, type WouldWrite } from '../plan/memberCalls';
import type { Membership } from './campaignMembership';
import type { GroupPlan } from './groups';
import type { FeedResult } from './output';
import type { Campaign } from './resolveNames';

/** An item's planned membership (Dry Run). */
export interface PlannedMember {
	campaign: Campaign;
	status: string;
	/** Campaign Existing Member: `update` (Update Status) or `leave` (Leave As Is). */
	existingMember: ExistingMemberMode;
	/** The same, in words: what happens when the record is already a member. */
	ifAlreadyMember: string;
	/** The membership calls that would carry it (a create and an update are made only when needed). */
	calls: Array<{ index: number; method: string; path: string; records: number }>;
}

/** Puts each item's planned membership on its result; the run's sentence for the output pane. */
export function showPlannedMemberships(
	results: FeedResult[],
	membership: Membership,
	planned: readonly GroupPlan[],
	outcomeByItem: ReadonlyMap<number, WriteOutcome>,
): string | undefined {
	const groups: WouldWrite[][] = planned
		.filter((g) => memberField(g.object) && g.settings.operation !== 'find')
		.map((g) =>
			g.items
				.map((i) => outcomeByItem.get(i))
				.filter((o): o is WriteOutcome => !!o?.success)
				.map((o) => ({ itemIndex: o.itemIndex, id: o.id })),
		);
	const { calls, callsByItem } = planMemberCalls(groups, membership.existingMember);
	if (!callsByItem.size) return undefined;
	// a real run makes the membership calls after every write call of the run
	const writeCalls = planned.reduce((n, g) => n + (g.report?.calls.length ?? 0), 0);
	const { campaign, status, existingMember } = membership;
	const ifAlreadyMember =
		existingMember === 'update' ? `its status becomes "${status}"` : 'its membership is left as is';
	for (const r of results) {
		if (typeof r.json.plannedCalls === 'number') r.json.plannedCalls += calls.length;
		const carried = callsByItem.get(r.itemIndex);
		if (!carried) continue;
		const member: PlannedMember = {
			campaign,
			status,
			existingMember,
			ifAlreadyMember,
			calls: carried.map((k) => ({
				index: writeCalls + k,
				method: calls[k].method,
				path: calls[k].path,
				records: calls[k].records,
			})),
		};
		r.json.plannedCampaignMember = member;
	}
	return `Dry Run: ${callsByItem.size} item(s) would join campaign "${campaign.name}" as "${status}" (already a member: ${ifAlreadyMember}), in at most ${calls.length} call(s) after the writes.`;
}

/**
 * Campaign membership, planned (pure): which objects can join a campaign, which member status a
 * run uses, and, for one batch of written records, which memberships to create, which to update
 * and which to leave alone. The I/O is salesforce/write/campaignMembers.ts.
 */

/** The CampaignMember field that names a record of `object`; undefined when it cannot be a member. */
export function memberField(object: string): 'ContactId' | 'LeadId' | undefined {
	const o = object.toLowerCase();
	return o === 'contact' ? 'ContactId' : o === 'lead' ? 'LeadId' : undefined;
}

export interface MemberStatusRow {
	Label: string;
	IsDefault: boolean;
}

/**
 * The status a run gives members: `wanted` when the campaign has it (exact label), the
 * campaign's default when `wanted` is empty; otherwise a problem naming the status and listing
 * the campaign's.
 */
export function chooseMemberStatus(
	statuses: readonly MemberStatusRow[],
	wanted: string,
	campaignName: string,
): { status: string } | { problem: string } {
	const labels = statuses.map((s) => s.Label);
	const label = wanted.trim();
	if (label === '') {
		const fallback = statuses.find((s) => s.IsDefault) ?? statuses[0];
		return fallback
			? { status: fallback.Label }
			: { problem: `Member Status: campaign "${campaignName}" has no member statuses` };
	}
	if (labels.includes(label)) return { status: label };
	return {
		problem: `Member Status: campaign "${campaignName}" has no status "${label}" (its statuses: ${labels.map((l) => `"${l}"`).join(', ')})`,
	};
}

/** Existing Member: update the member's status, or leave the membership as it is. */
export type ExistingMemberMode = 'update' | 'leave';

/** A record written by the run, by the items that wrote it. */
export interface WrittenRecord {
	itemIndex: number;
	id: string;
}

/** A membership the campaign already has (from SOQL). */
export interface MemberRow {
	Id: string;
	Status: string | null;
	ContactId?: string | null;
	LeadId?: string | null;
}

/** One membership to send, and the items it answers for. */
export interface MemberOp {
	items: number[];
	recordId: string;
	/** Set for an update (the existing member). */
	memberId?: string;
	body: Record<string, unknown>;
}

export interface MemberPlan {
	creates: MemberOp[];
	updates: MemberOp[];
	/** Existing members left as they are (Existing Member: Leave As Is, or already at the status). */
	kept: Array<{ items: number[]; memberId: string; status: string | null }>;
}

/**
 * What one batch of written records needs: a new member per record without a membership, an
 * update per existing member whose status differs (unless `mode` is 'leave'). Records written
 * by several items are sent once; every item gets the answer.
 */
export function planMembers(
	written: readonly WrittenRecord[],
	existing: readonly MemberRow[],
	field: 'ContactId' | 'LeadId',
	campaignId: string,
	status: string,
	mode: ExistingMemberMode,
): MemberPlan {
	const byRecord = new Map<string, number[]>();
	for (const w of written) byRecord.set(w.id, [...(byRecord.get(w.id) ?? []), w.itemIndex]);
	const members = new Map<string, MemberRow>();
	for (const m of existing) {
		const recordId = m[field];
		if (recordId) members.set(recordId, m);
	}
	const plan: MemberPlan = { creates: [], updates: [], kept: [] };
	for (const [recordId, items] of byRecord) {
		const member = members.get(recordId);
		if (!member)
			plan.creates.push({
				items,
				recordId,
				body: {
					attributes: { type: 'CampaignMember' },
					CampaignId: campaignId,
					[field]: recordId,
					Status: status,
				},
			});
		else if (mode === 'leave' || member.Status === status)
			plan.kept.push({ items, memberId: member.Id, status: member.Status });
		else
			plan.updates.push({
				items,
				recordId,
				memberId: member.Id,
				body: { attributes: { type: 'CampaignMember' }, Id: member.Id, Status: status },
			});
	}
	return plan;
}

/**
 * Campaign membership: `CampaignMemberStatus` (prefix 01Y), the member statuses each seeded
 * campaign offers (queryable, not writable), and the rules Salesforce applies when a
 * `CampaignMember` (a schema object, emulator/schema.ts) is saved through REST, sObject
 * Collections or Bulk API 2.0:
 * - one membership per campaign and Contact (or Lead): a second fails with DUPLICATE_VALUE
 *   "Already a campaign member.";
 * - `Status` must be one of the campaign's statuses, else INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST
 *   "Status: bad value for restricted picklist field: <value>"; no Status takes the default one;
 * - `HasResponded` follows the status; a member with both ContactId and LeadId keeps the Contact.
 */
import { sfError, type SfError } from '../errors';
import { makeId, to18 } from '../ids';
import { f, obj, type EmuObject } from '../schema';
import type { Rec, Store } from '../store';
import { setupAudit } from './assignmentRules';
import { namedRows } from './namedRecords';

const ro = { createable: false, updateable: false } as const;

const CAMPAIGN_MEMBER_STATUS = obj(
	'CampaignMemberStatus',
	'Campaign Member Status',
	'Campaign Member Statuses',
	'01Y',
	[
		f.reference('CampaignId', 'Campaign ID', 'Campaign', 'Campaign', ro),
		f.string('Label', 'Member Status', 765, ro),
		f.boolean('IsDefault', 'Default', ro),
		f.boolean('HasResponded', 'Responded', ro),
		f.int('SortOrder', 'Sort Order', ro),
	],
);

/** Label, responded: the statuses of every campaign ("Sent" is the default), then its own. */
const COMMON: Array<[string, boolean]> = [
	['Sent', false],
	['Responded', true],
];
const OWN: Record<string, Array<[string, boolean]>> = {
	'Detractors follow-up': [['To call back', false]],
	'Promoters referral': [['Referred a friend', true]],
};

function seedStatuses(): Rec[] {
	const rows: Rec[] = [];
	let n = 0;
	for (const c of namedRows('Campaign') ?? []) {
		const labels = [...COMMON, ...(OWN[String(c.Name)] ?? [])];
		labels.forEach(([label, responded], i) =>
			rows.push({
				Id: makeId('01Y', ++n),
				CampaignId: c.Id,
				Label: label,
				IsDefault: i === 0,
				HasResponded: responded,
				SortOrder: i + 1,
			}),
		);
	}
	return rows;
}

const STATUSES = seedStatuses();

/** `CampaignMemberStatus` for SOQL, by name (any case). */
export function campaignMemberStatusObject(name: string): EmuObject | undefined {
	return name.toLowerCase() === 'campaignmemberstatus' ? CAMPAIGN_MEMBER_STATUS : undefined;
}

/** The seeded statuses, or undefined for another object. */
export function campaignMemberStatusRows(name: string): Rec[] | undefined {
	return name === CAMPAIGN_MEMBER_STATUS.name ? STATUSES.map(setupAudit) : undefined;
}

const same = (a: unknown, b: unknown): boolean =>
	typeof a === 'string' && typeof b === 'string' && a !== '' && to18(a) === to18(b);

/**
 * The errors that stop saving `rec` (the full record: the stored one merged with the input on
 * update) when it is a CampaignMember; sets its default Status and HasResponded.
 */
export function campaignMemberErrors(
	store: Store,
	o: EmuObject,
	rec: Rec,
	selfId: string | undefined,
): SfError[] {
	if (o.name !== 'CampaignMember') return [];
	if (rec.ContactId) rec.LeadId = null;
	const who = rec.ContactId ? 'ContactId' : rec.LeadId ? 'LeadId' : undefined;
	if (!who)
		return [
			sfError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [ContactId]', ['ContactId']),
		];
	const statuses = STATUSES.filter((s) => same(s.CampaignId, rec.CampaignId));
	const status =
		rec.Status === null || rec.Status === undefined || rec.Status === ''
			? statuses.find((s) => s.IsDefault)
			: statuses.find((s) => s.Label === rec.Status);
	if (!status)
		return [
			sfError(
				'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
				`Status: bad value for restricted picklist field: ${String(rec.Status)}`,
				['Status'],
			),
		];
	rec.Status = status.Label;
	rec.HasResponded = status.HasResponded;
	const member = store
		.findBy(o.name, who, rec[who])
		.find((m) => same(m.CampaignId, rec.CampaignId) && !same(m.Id, selfId));
	return member ? [sfError('DUPLICATE_VALUE', 'Already a campaign member.')] : [];
}

/**
 * What the example workflows (examples/workflows/) must write into Salesforce for a set of
 * payload files, derived from the payloads themselves with the trigger's own parser and
 * normalizer (so a new sample file changes the expectation by itself):
 *
 * - every event → one Skeepers_Feedback__c (upsert by Event_Id__c);
 * - NPS ≤ 6 → one Contact (upsert by Skeepers_Respondent_Id__c) + one Case;
 * - attributes.cart_status = abandoned → one Lead (upsert by Skeepers_Respondent_Id__c);
 * - NPS ≥ 7 → the seeded Contact with the respondent's e-mail (compared ignoring case, as the
 *   node matches) updated with the survey facts, and the respondent's flags added to its
 *   Skeepers Flags (Add to Multi-Select: the seeded selection kept), no record created; an
 *   e-mail no seeded Contact has → a NOT_FOUND result for that item.
 *
 * Dev kit only (used by runtime/demo.ts and test/e2e/).
 */
import {
	npsCategory,
	toSalesforceDateTime,
} from '../nodes/SkeepersFeedApplication/mapping/converters';
import { unionMultiSelect } from '../nodes/SkeepersFeedApplication/plan/writeModes';
import { parseDelivery } from '../nodes/SkeepersTrigger/body';
import { normalizeEvent, type NormalizedEvent } from '../nodes/SkeepersTrigger/event';
import { loadPayloads } from '../replay/replay';
import { namedRows } from '../emulator/org/namedRecords';
import type { SeedRecords } from './stack';

/** What enrich-contact-by-email.json must write on one seeded Contact. */
export interface ExpectedEnrichment {
	/** the seeded Contact's e-mail, as seeded */
	email: string;
	respondentId: string | null;
	eventId: string;
	fields: {
		NPS_Score__c: number;
		NPS_Category__c: string;
		Last_Survey_Date__c: string | null;
		Skeepers_Respondent_Id__c: string | null;
		/** the seeded selection, then the respondent's flags in the org's values (null: none) */
		Skeepers_Flags__c: string | null;
	};
}

/** The org's Skeepers Flags values of the payloads' flags, as enrich-contact-by-email.json maps them. */
const FLAG_VALUES: Record<string, string> = {
	vip: 'VIP',
	callback_requested: 'To call back',
	complaint: 'Complaint',
	newsletter: 'Newsletter',
	ambassador: 'Ambassador',
};

export interface ExpectedRecords {
	/** every normalized event, in file order */
	events: Array<NormalizedEvent & { file: string }>;
	/** respondent ids */
	detractors: string[];
	abandonedCarts: string[];
	/** Event_Id__c values (hashed ids without their `sha256:` prefix, as the workflow stores them) */
	feedbackEventIds: string[];
	counts: { Contact: number; Case: number; Lead: number; Skeepers_Feedback__c: number };
	/** NPS ≥ 7 events whose e-mail a seeded Contact has: that Contact's expected survey facts */
	enriched: ExpectedEnrichment[];
	/** NPS ≥ 7 events whose e-mail no seeded Contact has (respondent e-mails, lower case) */
	unmatched: Array<{
		email: string | null;
		respondentId: string | null;
		eventId: string;
		errorCode: 'NOT_FOUND' | 'MISSING_MATCH_VALUE';
	}>;
	/** deliveries per trigger URL (= files) */
	deliveries: number;
}

export async function expectedRecords(
	paths: string[],
	seed: SeedRecords = {},
): Promise<ExpectedRecords> {
	const payloads = await loadPayloads(paths);
	const events: ExpectedRecords['events'] = [];
	for (const p of payloads) {
		const parsed = parseDelivery(p.body, p.contentType);
		if (!parsed.ok) throw new Error(`${p.file}: ${parsed.error}`);
		for (const e of parsed.events)
			events.push({
				...normalizeEvent(e as Record<string, unknown>, new Date().toISOString()),
				file: p.file,
			});
	}
	const uniq = (xs: Array<string | null | undefined>) => [
		...new Set(xs.filter((x): x is string => !!x)),
	];
	const detractors = uniq(
		events.filter((e) => e.nps.score !== null && e.nps.score <= 6).map((e) => e.respondent.id),
	);
	const abandonedCarts = uniq(
		events
			.filter(
				(e) =>
					String((e.attributes as Record<string, unknown>)?.cart_status ?? '').toLowerCase() ===
					'abandoned',
			)
			.map((e) => e.respondent.id),
	);
	const feedbackEventIds = uniq(events.map((e) => String(e.eventId).replace(/^sha256:/, '')));
	const detractorEvents = uniq(
		events.filter((e) => e.nps.score !== null && e.nps.score <= 6).map((e) => e.eventId),
	);

	const seededContacts = seed.Contact ?? [];
	const seededByEmail = new Map(
		seededContacts
			.filter((c) => typeof c.Email === 'string')
			.map((c) => [String(c.Email).trim().toLowerCase(), String(c.Email)]),
	);
	const seededFlags = new Map(
		seededContacts.map((c) => [String(c.Email), c.Skeepers_Flags__c ?? null] as const),
	);
	const enriched: ExpectedEnrichment[] = [];
	const unmatched: ExpectedRecords['unmatched'] = [];
	for (const e of events.filter((x) => x.nps.score !== null && x.nps.score >= 7)) {
		const key = e.respondent.email?.trim().toLowerCase() ?? '';
		const email = seededByEmail.get(key);
		if (!email) {
			unmatched.push({
				email: key || null,
				respondentId: e.respondent.id,
				eventId: e.eventId,
				errorCode: key ? 'NOT_FOUND' : 'MISSING_MATCH_VALUE',
			});
			continue;
		}
		// two answers for one Contact would race (replay runs deliveries concurrently): keep the samples unambiguous
		if (enriched.some((x) => x.email === email))
			throw new Error(
				`two NPS ≥ 7 events match the seeded Contact ${email}: the result would depend on their order`,
			);
		const score = e.nps.score as number;
		const added = (e.flags ?? []).map((f) => FLAG_VALUES[f]).filter(Boolean);
		const flags = unionMultiSelect(seededFlags.get(email), added.join(';'));
		enriched.push({
			email,
			respondentId: e.respondent.id,
			eventId: e.eventId,
			fields: {
				NPS_Score__c: score,
				NPS_Category__c: npsCategory(score, 'Detractor,Passive,Promoter'),
				// the workflow falls back to the time the trigger received the event: not known in advance
				Last_Survey_Date__c: e.occurredAt ? toSalesforceDateTime(e.occurredAt, 'UTC') : null,
				Skeepers_Respondent_Id__c: e.respondent.id?.trim() || null,
				Skeepers_Flags__c: flags.length ? flags.join(';') : null,
			},
		});
	}
	return {
		events,
		detractors,
		abandonedCarts,
		feedbackEventIds,
		// enrichment only updates: the seeded Contacts are there before and after
		counts: {
			Contact: detractors.length + seededContacts.length,
			Case: detractorEvents.length,
			Lead: abandonedCarts.length,
			Skeepers_Feedback__c: feedbackEventIds.length,
		},
		enriched,
		unmatched,
		deliveries: payloads.length,
	};
}

/**
 * The fields of a Contact that differ from what the enrichment should have written (empty when
 * it is right). Date-times compare as instants: Salesforce answers `…000+0000` for the
 * `…000Z` the node sends; a null expectation (date not known in advance) only asks for a date-time.
 */
export function enrichmentMismatches(
	contact: Record<string, unknown> | undefined,
	want: ExpectedEnrichment,
): string[] {
	if (!contact) return [`no Contact with Email ${want.email}`];
	const wrong: string[] = [];
	for (const [field, value] of Object.entries(want.fields)) {
		const got = contact[field];
		const ok =
			field === 'Last_Survey_Date__c'
				? typeof got === 'string' &&
					!Number.isNaN(Date.parse(got)) &&
					(value === null || Date.parse(got) === Date.parse(String(value)))
				: (got ?? null) === value;
		if (!ok) wrong.push(`${field} = ${JSON.stringify(got)}, expected ${JSON.stringify(value)}`);
	}
	return wrong;
}

/**
 * Cases not on their own respondent's Contact. detractor-to-case.json links each Case by the
 * respondent's external ID (Contact.Skeepers_Respondent_Id__c); a Case's Skeepers_Event_Id__c
 * names its event, hence its respondent. Empty when every link is right.
 */
export function caseLinkMismatches(
	cases: Array<Record<string, unknown>>,
	contacts: Array<Record<string, unknown>>,
	expected: Pick<ExpectedRecords, 'events'>,
): string[] {
	const respondentOfEvent = new Map(
		expected.events.map((e) => [String(e.eventId).replace(/^sha256:/, ''), e.respondent.id]),
	);
	const contactsById = new Map(contacts.map((c) => [c.Id, c]));
	const wrong: string[] = [];
	for (const c of cases) {
		const want = respondentOfEvent.get(String(c.Skeepers_Event_Id__c));
		const got = contactsById.get(c.ContactId)?.Skeepers_Respondent_Id__c ?? null;
		if (got !== want)
			wrong.push(
				`Case ${String(c.Skeepers_Event_Id__c)}: on the Contact of ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
			);
	}
	return wrong;
}

/**
 * Detractors not in the "Detractors follow-up" campaign as "To call back" (detractor-to-case.json
 * adds each detractor's Contact), and members that are not detractors' Contacts. Empty when right.
 */
export function campaignMismatches(
	members: Array<Record<string, unknown>>,
	contacts: Array<Record<string, unknown>>,
	campaignId: string,
	expected: Pick<ExpectedRecords, 'detractors'>,
): string[] {
	const contactOf = new Map(contacts.map((c) => [c.Skeepers_Respondent_Id__c, c.Id]));
	const inCampaign = members.filter((m) => m.CampaignId === campaignId);
	const wrong: string[] = [];
	for (const respondent of expected.detractors) {
		const contactId = contactOf.get(respondent);
		const member = inCampaign.find((m) => m.ContactId === contactId);
		if (!member) wrong.push(`detractor ${respondent}: not in the campaign`);
		else if (member.Status !== 'To call back')
			wrong.push(`detractor ${respondent}: status ${JSON.stringify(member.Status)}`);
	}
	if (inCampaign.length !== expected.detractors.length)
		wrong.push(`${inCampaign.length} members, expected ${expected.detractors.length}`);
	return wrong;
}

/** The emulator's "Detractors follow-up" campaign, which detractor-to-case.json names. */
export function detractorsCampaignId(): string {
	const c = (namedRows('Campaign') ?? []).find((r) => r.Name === 'Detractors follow-up');
	if (!c) throw new Error('the emulator has no "Detractors follow-up" campaign');
	return String(c.Id);
}

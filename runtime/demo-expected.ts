/**
 * What the example workflows (examples/workflows/) must write into Salesforce for a set of
 * payload files, derived from the payloads themselves with the trigger's own parser and
 * normalizer (so a new sample file changes the expectation by itself):
 *
 * - every event → one Skeepers_Feedback__c (upsert by Event_Id__c);
 * - NPS ≤ 6 → one Contact (upsert by Skeepers_Respondent_Id__c) + one Case;
 * - attributes.cart_status = abandoned → one Lead (upsert by Skeepers_Respondent_Id__c).
 *
 * Dev kit only (used by runtime/demo.ts and test/e2e/).
 */
import { parseDelivery } from '../nodes/SkeepersTrigger/body';
import { normalizeEvent, type NormalizedEvent } from '../nodes/SkeepersTrigger/event';
import { loadPayloads } from '../replay/replay';

export interface ExpectedRecords {
	/** every normalized event, in file order */
	events: Array<NormalizedEvent & { file: string }>;
	/** respondent ids */
	detractors: string[];
	abandonedCarts: string[];
	/** Event_Id__c values (hashed ids without their `sha256:` prefix, as the workflow stores them) */
	feedbackEventIds: string[];
	counts: { Contact: number; Case: number; Lead: number; Skeepers_Feedback__c: number };
	/** deliveries per trigger URL (= files) */
	deliveries: number;
}

export async function expectedRecords(paths: string[]): Promise<ExpectedRecords> {
	const payloads = await loadPayloads(paths);
	const events: ExpectedRecords['events'] = [];
	for (const p of payloads) {
		const parsed = parseDelivery(p.body, p.contentType);
		if (!parsed.ok) throw new Error(`${p.file}: ${parsed.error}`);
		for (const e of parsed.events) events.push({ ...normalizeEvent(e as Record<string, unknown>, new Date().toISOString()), file: p.file });
	}
	const uniq = (xs: Array<string | null | undefined>) => [...new Set(xs.filter((x): x is string => !!x))];
	const detractors = uniq(events.filter((e) => e.nps.score !== null && e.nps.score <= 6).map((e) => e.respondent.id));
	const abandonedCarts = uniq(
		events.filter((e) => String((e.attributes as Record<string, unknown>)?.cart_status ?? '').toLowerCase() === 'abandoned').map((e) => e.respondent.id),
	);
	const feedbackEventIds = uniq(events.map((e) => String(e.eventId).replace(/^sha256:/, '')));
	const detractorEvents = uniq(events.filter((e) => e.nps.score !== null && e.nps.score <= 6).map((e) => e.eventId));
	return {
		events,
		detractors,
		abandonedCarts,
		feedbackEventIds,
		counts: { Contact: detractors.length, Case: detractorEvents.length, Lead: abandonedCarts.length, Skeepers_Feedback__c: feedbackEventIds.length },
		deliveries: payloads.length,
	};
}

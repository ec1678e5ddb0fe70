// What the Skeepers Trigger does with one delivery: verify → parse → respond → items.
// Each step is a function in the file named after it; a refusal answers and starts nothing.
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { authenticate } from './authenticate';
import { toItems } from './items';
import { readEvents } from './readEvents';
import { rawBodyOf, type DeliveryRequest, type DeliveryResponse } from './request';
import { acknowledge, refuse } from './respond';
import { readSettings } from './settings';

export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as DeliveryRequest;
	const res = this.getResponseObject() as unknown as DeliveryResponse;
	const nothing: IWebhookResponseData = { noWebhookResponse: true };
	const refused = (refusal: { status: number; error: string }): IWebhookResponseData => {
		refuse(res, refusal.status, refusal.error);
		return nothing;
	};
	const settings = readSettings(this);
	const body = await rawBodyOf(req);

	const verified = await authenticate(this, settings.authentication, req, body);
	if (!verified.ok) return refused(verified);

	const events = readEvents(req, body, settings.filters);
	if (!events.ok) return refused(events);

	const counts = { received: events.normalized.length, accepted: events.kept.length };
	const answered = acknowledge(res, settings.options, counts);
	if (!answered.ok) return refused(answered);

	if (events.kept.length === 0) return nothing;
	const items = toItems({
		...events,
		config: verified.config,
		headers: settings.options.includeHeaders === true ? req.headers : undefined,
	});
	return { noWebhookResponse: true, workflowData: [items] };
}

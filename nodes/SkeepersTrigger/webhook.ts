// What the Skeepers Trigger does with one delivery: verify → parse → require → respond → items.
// Each step is a function in the file named after it; a refusal answers and starts nothing.
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { authenticate } from './authenticate';
import { toItems } from './items';
import { readEvents } from './readEvents';
import { checkRequired } from './required';
import { rawBodyOf, type DeliveryRequest, type DeliveryResponse } from './request';
import { acknowledge, refuse } from './respond';
import { readSettings } from './settings';

export async function handleDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as DeliveryRequest;
	const res = this.getResponseObject() as unknown as DeliveryResponse;
	const nothing: IWebhookResponseData = { noWebhookResponse: true };
	const refused = (
		refusal: { status: number; error: string },
		details?: object,
	): IWebhookResponseData => {
		refuse(res, refusal.status, refusal.error, details);
		return nothing;
	};
	const settings = readSettings(this);
	const body = await rawBodyOf(req);

	const verified = await authenticate(this, settings.authentication, req, body);
	if (!verified.ok) return refused(verified);

	if (settings.problem !== undefined) return refused({ status: 500, error: settings.problem });

	const events = readEvents(req, body, settings.filters, settings.fieldPaths);
	if (!events.ok) return refused(events);

	const checked = checkRequired(events.normalized, events.kept, settings.required);
	if (!checked.ok) return refused(checked, { events: checked.events });

	const twoOutputs = settings.required.onMissing === 'output';
	const counts = { received: events.normalized.length, accepted: events.kept.length };
	const unrecognized = twoOutputs ? { unrecognized: checked.unrecognized.length } : {};
	const answered = acknowledge(res, settings.options, { ...counts, ...unrecognized });
	if (!answered.ok) return refused(answered);

	if (events.kept.length === 0) return nothing;
	const itemsOf = (kept: typeof events.kept) =>
		toItems({
			...events,
			kept,
			config: verified.config,
			headers: settings.options.includeHeaders === true ? req.headers : undefined,
		});
	const workflowData = twoOutputs
		? [itemsOf(checked.recognized), itemsOf(checked.unrecognized)]
		: [itemsOf(checked.recognized)];
	return { noWebhookResponse: true, workflowData };
}

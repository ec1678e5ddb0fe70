// The trigger's node parameters, read once per delivery into one plain value.
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { parseList, type EventFilters } from './filters';

export interface TriggerSettings {
	/** 'none', or the credential type that verifies deliveries. */
	authentication: string;
	filters: EventFilters;
	/** The Options collection as the user set it (response kind, code, body, headers). */
	options: IDataObject;
}

export function readSettings(ctx: IWebhookFunctions): TriggerSettings {
	const authentication = ctx.getNodeParameter('authentication', 'skeepersWebhookApi') as string;
	const filterValues = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	return {
		authentication,
		filters: {
			campaignIds: parseList(filterValues.campaignIds),
			eventTypes: parseList(filterValues.eventTypes),
			flags: parseList(filterValues.flags),
			flagsMatch: filterValues.flagsMatch === 'all' ? 'all' : 'any',
		},
		options,
	};
}

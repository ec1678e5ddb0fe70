// The Skeepers Trigger's editor properties: the setup notice, authentication, filters, options.
// The node's header (name, credential, webhook) is in SkeepersTrigger.node.ts; the delivery
// handling in webhook.ts.
import type { INodeProperties } from 'n8n-workflow';

const SETUP_NOTICE =
	'Skeepers does not let n8n register this URL for you. In Skeepers, open the campaign, add an action "Notify by URL" (notifier par URL / webhook) and paste the Production URL shown above (use the Test URL while "Listen for test event" runs). Give Skeepers the secret of the credential below, as a header, a query parameter or an HMAC signing key. Deliveries that fail the check get 401 and start nothing.';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: SETUP_NOTICE,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Skeepers Webhook Secret',
				value: 'skeepersWebhookApi',
				description: 'Check a token or an HMAC-SHA256 signature with the credential',
			},
			{
				name: 'None',
				value: 'none',
				description: 'Accept any delivery (only for tests on a private network)',
			},
		],
		default: 'skeepersWebhookApi',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Drop events before the workflow starts; the rest of the logic belongs to IF / Switch nodes',
		options: [
			{
				displayName: 'Campaign IDs',
				name: 'campaignIds',
				type: 'string',
				default: '',
				placeholder: 'CMP-2024-NPS, CMP-2024-CART',
				description: 'Keep only events of these campaigns (comma-separated IDs)',
			},
			{
				displayName: 'Event Types',
				name: 'eventTypes',
				type: 'string',
				default: '',
				placeholder: 'response.completed',
				description: 'Keep only events of these types (comma-separated)',
			},
			{
				displayName: 'Flags',
				name: 'flags',
				type: 'string',
				default: '',
				placeholder: 'abandoned_cart, vip',
				description: 'Keep only events carrying these flags (comma-separated, case-insensitive)',
			},
			{
				displayName: 'Flags Must Match',
				name: 'flagsMatch',
				type: 'options',
				options: [
					{ name: 'Any of Them', value: 'any' },
					{ name: 'All of Them', value: 'all' },
				],
				default: 'any',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Request Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers to each item (under delivery.headers), without the token, signature, authorization and cookie headers',
			},
			{
				displayName: 'Response',
				name: 'response',
				type: 'options',
				options: [
					{
						name: 'Received Count (200)',
						value: 'received',
						description: 'Answer 200 with {"received": events in the delivery, "accepted": events that passed the filters}',
					},
					{
						name: 'No Content (204)',
						value: 'noContent',
						description: 'Answer 204 with an empty body',
					},
					{
						name: 'Custom JSON',
						value: 'custom',
						description: 'Answer with a status code and JSON body of your choice',
					},
				],
				default: 'received',
				description: 'What to answer Skeepers when a delivery is accepted',
			},
			{
				displayName: 'Response Code',
				name: 'responseCode',
				type: 'number',
				typeOptions: { minValue: 200, maxValue: 299 },
				default: 200,
				displayOptions: { show: { response: ['custom'] } },
			},
			{
				displayName: 'Response Body',
				name: 'responseBody',
				type: 'json',
				default: '{ "ok": true }',
				displayOptions: { show: { response: ['custom'] } },
			},
		],
	},
];

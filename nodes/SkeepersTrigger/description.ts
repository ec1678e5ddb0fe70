// The Skeepers Trigger's editor properties: the setup notice, authentication, filters, Field
// Paths, Required Fields, options. One list (over 300 lines only because each of the 14 Field
// Paths options is spelled out).
// The node's header (name, credential, webhook) is in SkeepersTrigger.node.ts; the delivery
// handling in webhook.ts.
import type { INodeProperties } from 'n8n-workflow';

import type { FieldName } from './event';

/** Field Paths option names → the normalised fields they set. */
export const FIELD_PATH_OPTIONS: Record<string, FieldName> = {
	campaignId: 'campaign.id',
	campaignName: 'campaign.name',
	comment: 'comment',
	email: 'respondent.email',
	eventId: 'eventId',
	eventType: 'eventType',
	firstName: 'respondent.firstName',
	flags: 'flags',
	labels: 'labels',
	lastName: 'respondent.lastName',
	npsScore: 'nps.score',
	occurredAt: 'occurredAt',
	phone: 'respondent.phone',
	respondentId: 'respondent.id',
};

const SETUP_NOTICE =
	'Skeepers does not let n8n register this URL for you. In Skeepers, open the campaign, add an action "Notify by URL" (notifier par URL / webhook) and paste the Production URL shown above (use the Test URL while the node listens after "Execute step"). Give Skeepers the secret of the credential below, as a header, a query parameter or an HMAC signing key. Deliveries that fail the check get 401 and start nothing.';

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
		description:
			'Drop events before the workflow starts; the rest of the logic belongs to IF / Switch nodes',
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
		displayName: 'Field Paths',
		name: 'fieldPaths',
		type: 'collection',
		placeholder: 'Add Field Path',
		default: {},
		description:
			'Where a field lives in the event when the trigger does not recognise it: a path such as data.respondent.mail or answers[2].value. The output shows what was recognised under recognition.',
		options: [
			{
				displayName: 'Campaign ID',
				name: 'campaignId',
				type: 'string',
				default: '',
				placeholder: 'data.survey_id',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Campaign Name',
				name: 'campaignName',
				type: 'string',
				default: '',
				placeholder: 'data.survey.title',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Comment',
				name: 'comment',
				type: 'string',
				default: '',
				placeholder: 'answers[1].value',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'E-Mail',
				name: 'email',
				type: 'string',
				default: '',
				placeholder: 'data.respondent.mail',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Event ID',
				name: 'eventId',
				type: 'string',
				default: '',
				placeholder: 'data.event_id',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Event Type',
				name: 'eventType',
				type: 'string',
				default: '',
				placeholder: 'topic',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'First Name',
				name: 'firstName',
				type: 'string',
				default: '',
				placeholder: 'data.respondent.first',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Flags',
				name: 'flags',
				type: 'string',
				default: '',
				placeholder: 'data.flags',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Labels',
				name: 'labels',
				type: 'string',
				default: '',
				placeholder: 'data.tags',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				placeholder: 'data.respondent.last',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'NPS Score',
				name: 'npsScore',
				type: 'string',
				default: '',
				placeholder: 'answers[2].value',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Occurred At',
				name: 'occurredAt',
				type: 'string',
				default: '',
				placeholder: 'data.submitted_at',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Phone',
				name: 'phone',
				type: 'string',
				default: '',
				placeholder: 'data.respondent.mobile',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
			{
				displayName: 'Respondent ID',
				name: 'respondentId',
				type: 'string',
				default: '',
				placeholder: 'resources.respondent_id',
				description: 'Path of this field in the event; it replaces recognition for this field',
			},
		],
	},
	{
		displayName: 'Required Fields',
		name: 'requiredFields',
		type: 'multiOptions',
		options: [
			{ name: 'Campaign ID', value: 'campaign.id' },
			{ name: 'Campaign Name', value: 'campaign.name' },
			{ name: 'Comment', value: 'comment' },
			{ name: 'E-Mail', value: 'respondent.email' },
			{ name: 'Event ID', value: 'eventId' },
			{ name: 'Event Type', value: 'eventType' },
			{ name: 'First Name', value: 'respondent.firstName' },
			{ name: 'Flags', value: 'flags' },
			{ name: 'Labels', value: 'labels' },
			{ name: 'Last Name', value: 'respondent.lastName' },
			{ name: 'NPS Score', value: 'nps.score' },
			{ name: 'Occurred At', value: 'occurredAt' },
			{ name: 'Phone', value: 'respondent.phone' },
			{ name: 'Respondent ID', value: 'respondent.id' },
		],
		default: [],
		description:
			'Fields every event must have once recognised. An event without one does not start the workflow silently.',
	},
	{
		displayName: 'If a Required Field Is Missing',
		name: 'onMissing',
		type: 'options',
		options: [
			{
				name: 'Refuse the Delivery (422)',
				value: 'reject',
				description:
					'Answer 422 naming the missing fields and start nothing; the sender can fix and retry',
			},
			{
				name: 'Send to the Unrecognized Output',
				value: 'output',
				description:
					'Accept the delivery; events missing a field leave on a second output, Unrecognized',
			},
		],
		default: 'reject',
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
						description:
							'Answer 200 with {"received": events in the delivery, "accepted": events that passed the filters}',
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

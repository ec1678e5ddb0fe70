import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The shared secret that authenticates Skeepers deliveries to the Skeepers Trigger.
 *
 * Nothing is called to test it: Skeepers calls n8n, not the other way round. The Skeepers
 * Trigger node tests it (`testedBy`) by checking the settings locally (a secret long enough,
 * valid header names, a sane tolerance).
 *
 * HMAC mode: the sender puts `HMAC-SHA256(secret, body)` in the signature header, hex or
 * base64, optionally prefixed (`sha256=`). With a timestamp header, the signed bytes are
 * `<timestamp header value>.<raw body>` and deliveries outside the tolerance window are refused.
 */
export class SkeepersWebhookApi implements ICredentialType {
	name = 'skeepersWebhookApi';

	displayName = 'Skeepers Webhook API';

	icon: Icon = {
		light: 'file:skeepersWebhook.svg',
		dark: 'file:skeepersWebhook.dark.svg',
	};

	documentationUrl =
		'https://github.com/skeepers-n8n/n8n-nodes-skeepers/blob/main/docs/trigger.md#set-it-up';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret shared with Skeepers: the token it sends, or the key of its HMAC-SHA256 signature. Use at least 16 random characters.',
		},
		{
			displayName: 'Verification',
			name: 'mode',
			type: 'options',
			options: [
				{
					name: 'HMAC-SHA256 Signature of the Body',
					value: 'hmac',
					description:
						'The sender signs the raw body with the secret and sends the signature in a header',
				},
				{
					name: 'Token in a Header',
					value: 'tokenHeader',
					description: 'The sender sends the secret itself in a header',
				},
				{
					name: 'Token in the Query String',
					value: 'tokenQuery',
					description:
						'The secret is part of the URL (?token=…), for senders that can only set a URL. URLs end up in logs: prefer a header.',
				},
			],
			default: 'hmac',
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-Skeepers-Token',
			description:
				'Header that carries the token. "Authorization" with "Bearer &lt;token&gt;" works too.',
			displayOptions: { show: { mode: ['tokenHeader'] } },
		},
		{
			displayName: 'Query Parameter',
			name: 'queryParameter',
			type: 'string',
			default: 'token',
			description: 'Query-string parameter that carries the token',
			displayOptions: { show: { mode: ['tokenQuery'] } },
		},
		{
			displayName: 'Signature Header',
			name: 'signatureHeader',
			type: 'string',
			default: 'X-Skeepers-Signature',
			description: 'Header that carries the signature',
			displayOptions: { show: { mode: ['hmac'] } },
		},
		{
			displayName: 'Signature Encoding',
			name: 'signatureEncoding',
			type: 'options',
			options: [
				{ name: 'Hex', value: 'hex' },
				{ name: 'Base64', value: 'base64' },
			],
			default: 'hex',
			displayOptions: { show: { mode: ['hmac'] } },
		},
		{
			displayName: 'Signature Prefix',
			name: 'signaturePrefix',
			type: 'string',
			default: 'sha256=',
			description:
				'Text the sender may put before the signature (as in "sha256=…"). Accepted with or without it. Leave empty for none.',
			displayOptions: { show: { mode: ['hmac'] } },
		},
		{
			displayName: 'Require a Timestamp',
			name: 'useTimestamp',
			type: 'boolean',
			default: false,
			description:
				'Whether each delivery must carry a unix timestamp (seconds or milliseconds) in a header, refused outside the tolerance window. In HMAC mode the signature then covers "<timestamp>.<raw body>".',
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: 'X-Skeepers-Timestamp',
			displayOptions: { show: { useTimestamp: [true] } },
		},
		{
			displayName: 'Tolerance (Seconds)',
			name: 'toleranceSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 300,
			description: "How far the timestamp may be from n8n's clock, in the past or the future",
			displayOptions: { show: { useTimestamp: [true] } },
		},
	];
}

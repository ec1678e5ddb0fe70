import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { parseDelivery } from './body';
import { normalizeEvent } from './event';
import { applyFilters, parseList, type EventFilters } from './filters';
import {
	configProblems,
	getHeader,
	verifyConfigFromCredential,
	verifyDelivery,
	type HeaderBag,
	type VerifyConfig,
} from './signature';
import { VERIFY_CACHE_TTL_MS, verifyCacheKey, verifyMaterial, verifyWithCache, type Check } from './verifyCache';

/** The parts of the incoming request the trigger reads (n8n gives an express request). */
interface DeliveryRequest {
	headers: HeaderBag;
	rawBody?: unknown;
	readRawBody?: () => Promise<void>;
	body?: unknown;
	query?: unknown;
	url?: string;
	originalUrl?: string;
}

/** The parts of the response the trigger writes (express or plain Node response). */
interface DeliveryResponse {
	headersSent?: boolean;
	statusCode: number;
	setHeader(name: string, value: string | number): unknown;
	end(body?: string): unknown;
}

const SETUP_NOTICE =
	'Skeepers does not let n8n register this URL for you. In Skeepers, open the campaign, add an action "Notify by URL" (notifier par URL / webhook) and paste the Production URL shown above (use the Test URL while "Listen for test event" runs). Give Skeepers the secret of the credential below, as a header, a query parameter or an HMAC signing key. Deliveries that fail the check get 401 and start nothing.';

function send(res: DeliveryResponse, status: number, body?: unknown): void {
	if (res.headersSent === true) return;
	res.statusCode = status;
	if (body === undefined) {
		res.end();
		return;
	}
	const text = JSON.stringify(body);
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.setHeader('Content-Length', Buffer.byteLength(text));
	res.end(text);
}

/** The bytes received. n8n 1.x / 2.x keep them in `rawBody` (a Buffer, already decompressed). */
async function rawBodyOf(
	req: DeliveryRequest,
): Promise<{ bytes: Buffer; exact: boolean; serialized?: boolean }> {
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') {
		await req.readRawBody();
	}
	if (Buffer.isBuffer(req.rawBody)) return { bytes: req.rawBody, exact: true };
	if (typeof req.rawBody === 'string') return { bytes: Buffer.from(req.rawBody, 'utf8'), exact: true };
	// No raw bytes: only a body some parser already produced. Good enough to read, never to verify a signature.
	const body = req.body;
	if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), exact: false };
	if (body !== undefined && body !== null && (Array.isArray(body) || Object.keys(body).length > 0)) {
		return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), exact: false, serialized: true };
	}
	return { bytes: Buffer.alloc(0), exact: false };
}

function queryOf(req: DeliveryRequest): Record<string, unknown> {
	if (req.query !== null && typeof req.query === 'object') return req.query as Record<string, unknown>;
	const url = req.originalUrl ?? req.url ?? '';
	const at = url.indexOf('?');
	const out: Record<string, unknown> = {};
	if (at < 0) return out;
	for (const [key, value] of new URLSearchParams(url.slice(at + 1))) {
		if (out[key] === undefined) out[key] = value;
	}
	return out;
}

/** Request headers for the item, without anything that authenticates. */
function safeHeaders(headers: HeaderBag, config: VerifyConfig | undefined): IDataObject {
	const hidden = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-skeepers-token', 'x-skeepers-signature']);
	if (config) {
		hidden.add(config.headerName.toLowerCase());
		hidden.add(config.signatureHeader.toLowerCase());
	}
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || hidden.has(name.toLowerCase())) continue;
		out[name.toLowerCase()] = value;
	}
	return out;
}

export class SkeepersTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Skeepers Trigger',
		name: 'skeepersTrigger',
		icon: { light: 'file:skeepersTrigger.svg', dark: 'file:skeepersTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["authentication"] === "none" ? "Unauthenticated" : "Authenticated deliveries"}}',
		description: 'Starts the workflow when a Skeepers campaign action notifies a URL',
		eventTriggerDescription: 'Waiting for a Skeepers delivery to the Test URL',
		activationMessage: 'Skeepers deliveries to the Production URL now start this workflow.',
		defaults: {
			name: 'Skeepers Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'skeepersWebhookApi',
				required: true,
				testedBy: 'skeepersWebhookApiTest',
				displayOptions: { show: { authentication: ['skeepersWebhookApi'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'skeepers',
			},
		],
		properties: [
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
		],
	};

	methods = {
		credentialTest: {
			// Skeepers calls n8n, so there is nothing remote to call: check the settings themselves.
			async skeepersWebhookApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const config = verifyConfigFromCredential((credential.data ?? {}) as Record<string, unknown>);
				const problems = configProblems(config);
				if (problems.length > 0) {
					return { status: 'Error', message: `Check the credential: ${problems.join('; ')}` };
				}
				return {
					status: 'OK',
					message: 'Settings are valid. Send a test delivery (npm run replay) to check Skeepers uses the same secret.',
				};
			},
		},
	};

	// Nothing is registered remotely: Skeepers offers no API to create a "Notify by URL" action,
	// so the user pastes the URL in Skeepers (see the notice). These only satisfy n8n's lifecycle.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as DeliveryRequest;
		const res = this.getResponseObject() as unknown as DeliveryResponse;
		const reject = (status: number, error: string): IWebhookResponseData => {
			send(res, status, { error });
			return { noWebhookResponse: true };
		};

		const authentication = this.getNodeParameter('authentication', 'skeepersWebhookApi') as string;
		const filterValues = this.getNodeParameter('filters', {}) as IDataObject;
		const options = this.getNodeParameter('options', {}) as IDataObject;

		const { bytes, exact, serialized } = await rawBodyOf(req);

		let config: VerifyConfig | undefined;
		if (authentication !== 'none') {
			// The credential's material is reused for a short time (verifyCache.ts explains the rules).
			const node = this.getNode();
			const key = verifyCacheKey(
				typeof this.getWorkflow === 'function' ? this.getWorkflow().id : undefined,
				node.id,
				node.credentials?.skeepersWebhookApi?.id,
			);
			const check = (c: VerifyConfig): Check => {
				if (c.secret === '') {
					return { ok: false, status: 500, error: 'Skeepers Trigger is misconfigured: the credential has no secret' };
				}
				if (c.mode === 'hmac' && !exact) {
					return { ok: false, status: 401, error: 'unauthorized: the raw body is not available to verify the signature' };
				}
				const verdict = verifyDelivery(c, { headers: req.headers, query: queryOf(req), rawBody: bytes, nowMs: Date.now() });
				return verdict.ok ? verdict : { ok: false, status: 401, error: `unauthorized: ${verdict.reason}` };
			};
			let verified: { material: VerifyConfig; check: Check };
			try {
				verified = await verifyWithCache({
					cache: verifyMaterial,
					key,
					ttlMs: VERIFY_CACHE_TTL_MS,
					read: async () =>
						verifyConfigFromCredential((await this.getCredentials('skeepersWebhookApi')) as Record<string, unknown>),
					check,
				});
			} catch {
				return reject(500, 'Skeepers Trigger is misconfigured: its credential could not be read');
			}
			if (!verified.check.ok) return reject(verified.check.status, verified.check.error);
			config = verified.material;
		}

		const contentType = getHeader(req.headers, 'content-type');
		const parsed = parseDelivery(bytes, serialized === true ? 'application/json' : contentType);
		if (!parsed.ok) return reject(parsed.status, parsed.error);

		const receivedAt = new Date().toISOString();
		const filters: EventFilters = {
			campaignIds: parseList(filterValues.campaignIds),
			eventTypes: parseList(filterValues.eventTypes),
			flags: parseList(filterValues.flags),
			flagsMatch: filterValues.flagsMatch === 'all' ? 'all' : 'any',
		};
		const normalized = parsed.events.map((event) => normalizeEvent(event as Record<string, unknown>, receivedAt));
		const kept = applyFilters(normalized, filters);

		const response = typeof options.response === 'string' ? options.response : 'received';
		if (response === 'custom') {
			let body: unknown = options.responseBody ?? {};
			if (typeof body === 'string') {
				try {
					body = JSON.parse(body) as unknown;
				} catch {
					return reject(500, 'Skeepers Trigger is misconfigured: the custom response body is not valid JSON');
				}
			}
			const code = Number(options.responseCode ?? 200);
			send(res, Number.isInteger(code) && code >= 200 && code <= 299 ? code : 200, body);
		} else if (response === 'noContent') {
			send(res, 204);
		} else {
			send(res, 200, { received: normalized.length, accepted: kept.length });
		}

		if (kept.length === 0) return { noWebhookResponse: true };

		const headers = options.includeHeaders === true ? safeHeaders(req.headers, config) : undefined;
		const items: INodeExecutionData[] = kept.map((event) => {
			const { raw, ...view } = event;
			const delivery: IDataObject = {
				index: normalized.indexOf(event),
				batchSize: normalized.length,
				contentType: parsed.mediaType,
				format: parsed.kind,
				verification: config ? config.mode : 'none',
			};
			if (headers) delivery.headers = headers;
			return { json: { ...view, delivery, raw } as unknown as IDataObject };
		});
		return { noWebhookResponse: true, workflowData: [items] };
	}
}

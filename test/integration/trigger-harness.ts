// A real Node HTTP server that runs the Skeepers Trigger's webhook() for each request, with a
// context shaped like n8n's IWebhookFunctions: the real IncomingMessage (with `rawBody` as a
// Buffer, and `req.body` pre-parsed for JSON / form like n8n's body parser) and the real
// ServerResponse. When the node returns without `noWebhookResponse`, the harness answers like
// n8n's onReceived default. Shared by the trigger and replay integration tests.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { SkeepersTrigger } from '../../nodes/SkeepersTrigger/SkeepersTrigger.node';

export interface HarnessOptions {
	parameters?: Record<string, unknown>;
	/** Credential data; `null`: getCredentials throws (none attached). */
	credentials?: Record<string, unknown> | null;
	/**
	 * 'eager': rawBody set before the node runs (n8n's parseBody ran);
	 * 'lazy': only `readRawBody()` is there (n8n skipped parsing the content type).
	 */
	rawBody?: 'eager' | 'lazy';
}

interface HarnessCall {
	result?: IWebhookResponseData;
	error?: unknown;
	/** Whether the node wrote the answer itself. */
	nodeAnswered: boolean;
}

export interface Harness {
	url: string;
	calls: HarnessCall[];
	close(): Promise<void>;
}

function readAll(req: http.IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

type N8nLikeRequest = http.IncomingMessage & { body?: unknown; query?: unknown };

export async function startTrigger(options: HarnessOptions = {}): Promise<Harness> {
	const node = new SkeepersTrigger();
	const parameters = options.parameters ?? {};
	const calls: HarnessCall[] = [];

	const server = http.createServer((incoming, res) => {
		const req = incoming as N8nLikeRequest;
		void (async () => {
			const call: HarnessCall = { nodeAnswered: false };
			calls.push(call);
			const ready = async () => {
				req.rawBody = await readAll(req);
				const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
				const text = req.rawBody.toString('utf8');
				try {
					if (type === 'application/json') req.body = JSON.parse(text) as unknown;
					else if (type === 'application/x-www-form-urlencoded') req.body = parseQueryString(text);
					else req.body = {};
				} catch {
					req.body = {};
				}
			};
			if (options.rawBody === 'lazy') {
				req.readRawBody = async () => {
					if (!req.rawBody) req.rawBody = await readAll(req);
				};
			} else {
				await ready();
			}
			const context = {
				getRequestObject: () => req,
				getResponseObject: () => res,
				getHeaderData: () => req.headers,
				getBodyData: () => req.body,
				getNodeParameter: (name: string, fallback?: unknown) =>
					name in parameters ? parameters[name] : fallback,
				getCredentials: async () => {
					if (!options.credentials) throw new Error('Node does not have any credentials set');
					return options.credentials;
				},
				getNode: () => ({
					id: 'n1',
					name: 'Skeepers Trigger',
					type: 'n8n-nodes-skeepers.skeepersTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters,
				}),
				getMode: () => 'trigger',
				getWebhookName: () => 'default',
			} as unknown as IWebhookFunctions;
			try {
				call.result = await node.webhook.call(context);
			} catch (error) {
				call.error = error;
			}
			call.nodeAnswered = res.headersSent || res.writableEnded;
			if (!res.writableEnded) {
				res.statusCode = call.error ? 500 : 200;
				res.setHeader('Content-Type', 'application/json');
				res.end(
					JSON.stringify(
						call.error ? { message: 'Error in workflow' } : { message: 'Workflow was started' },
					),
				);
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/webhook/abc-123/skeepers`,
		calls,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

export interface Answer {
	status: number;
	body: string;
	json: unknown;
	headers: http.IncomingHttpHeaders;
}

/** POSTs bytes as they are (no re-encoding). */
export function post(
	url: string,
	body: Buffer | string,
	headers: Record<string, string> = {},
): Promise<Answer> {
	const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
	return new Promise((resolve, reject) => {
		const req = http.request(
			url,
			{ method: 'POST', headers: { 'Content-Length': String(data.length), ...headers } },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: unknown;
					try {
						json = text ? (JSON.parse(text) as unknown) : undefined;
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode ?? 0, body: text, json, headers: res.headers });
				});
			},
		);
		req.on('error', reject);
		req.end(data);
	});
}

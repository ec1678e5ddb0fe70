// Step 3 of a delivery: the HTTP answer. Refusals carry `{ error }`; an accepted delivery is
// answered as the node's Response option says, before the workflow starts.
import type { IDataObject } from 'n8n-workflow';

import type { DeliveryResponse } from './request';

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

/** Answers a refused delivery (`details` are added to the body, e.g. the missing fields). */
export function refuse(
	res: DeliveryResponse,
	status: number,
	error: string,
	details?: object,
): void {
	send(res, status, { error, ...details });
}

/**
 * Answers an accepted delivery: `received` (200 with the counts), `noContent` (204) or `custom`.
 * Returns an error when the custom body is not JSON (nothing was sent then).
 */
export function acknowledge(
	res: DeliveryResponse,
	options: IDataObject,
	counts: { received: number; accepted: number; unrecognized?: number },
): { ok: true } | { ok: false; status: number; error: string } {
	const response = typeof options.response === 'string' ? options.response : 'received';
	if (response === 'custom') {
		let body: unknown = options.responseBody ?? {};
		if (typeof body === 'string') {
			try {
				body = JSON.parse(body) as unknown;
			} catch {
				return {
					ok: false,
					status: 500,
					error: 'Skeepers Trigger is misconfigured: the custom response body is not valid JSON',
				};
			}
		}
		const code = Number(options.responseCode ?? 200);
		send(res, Number.isInteger(code) && code >= 200 && code <= 299 ? code : 200, body);
	} else if (response === 'noContent') {
		send(res, 204);
	} else {
		send(res, 200, counts);
	}
	return { ok: true };
}

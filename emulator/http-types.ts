/** What handlers receive and return; the server does the HTTP plumbing. */
import type { IncomingHttpHeaders } from 'node:http';

export interface EmuRequest {
	method: string;
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: string;
	/**
	 * When the request reached the server, on the latency model's clock: its modelled time runs
	 * from there, so requests queued behind the emulator's own work are not made later by it.
	 */
	arrivedAt?: number;
}

export interface EmuReply {
	status: number;
	json?: unknown;
	text?: string;
	contentType?: string;
	headers?: Record<string, string>;
}

export const json = (
	status: number,
	body: unknown,
	headers?: Record<string, string>,
): EmuReply => ({ status, json: body, headers });
export const empty = (status = 204): EmuReply => ({ status });

/** Parses a JSON body the way Salesforce complains about it. */
export function parseJsonBody(body: string): unknown {
	try {
		return JSON.parse(body);
	} catch (e) {
		throw Object.assign(new Error('json'), { jsonError: (e as Error).message });
	}
}

/**
 * What a thrown request failure carries (status, body, headers, network code), dug out of
 * whatever wrapped it (NodeApiError, AxiosError, a token refresh error, a socket error).
 * Request options (and so the Authorization header) are never read.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a thrown request failure carries, whatever wrapped it (NodeApiError, AxiosError, ...). */
export interface ThrownRequestFailure {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	networkCode?: string;
	message: string;
}

const NETWORK_CODE = /^(E[A-Z0-9_]+|ERR_[A-Z0-9_]+|UND_ERR_[A-Z0-9_]+)$/;

/**
 * Dig the HTTP status, the response body and the network error code out of an error thrown by
 * `httpRequestWithAuthentication` (a NodeApiError whose `cause` is an AxiosError), by an OAuth
 * token refresh (`{ body: {error, error_description} }`) or by a plain Node socket error.
 * Request options (and so the Authorization header) are never read.
 */
export function inspectThrown(error: unknown): ThrownRequestFailure {
	const out: ThrownRequestFailure = { message: '' };
	const seen = new Set<unknown>();
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isObjectLike(current) && !seen.has(current); depth++) {
		seen.add(current);
		const e = current as Record<string, unknown>;
		if (!out.message && typeof e.message === 'string') out.message = e.message;
		const response = e.response;
		if (isRecord(response)) {
			if (out.status === undefined && typeof response.status === 'number')
				out.status = response.status;
			if (out.body === undefined && response.data !== undefined) out.body = response.data;
			if (out.headers === undefined && isObjectLike(response.headers)) {
				out.headers = normalizeHeaders(response.headers);
			}
		}
		if (out.status === undefined && typeof e.httpCode === 'string' && /^\d{3}$/.test(e.httpCode)) {
			out.status = Number(e.httpCode);
		}
		if (out.status === undefined && typeof e.statusCode === 'number') out.status = e.statusCode;
		if (out.body === undefined && e.body !== undefined && !(e.body instanceof Function)) {
			out.body = e.body;
		}
		if (!out.networkCode && typeof e.code === 'string' && NETWORK_CODE.test(e.code)) {
			// axios uses ERR_BAD_REQUEST / ERR_BAD_RESPONSE for HTTP status errors: not network codes
			if (e.code !== 'ERR_BAD_REQUEST' && e.code !== 'ERR_BAD_RESPONSE') out.networkCode = e.code;
		}
		// NodeError keeps a non-Error (or cross-realm) cause as `errorResponse`
		current = e.cause ?? e.errorResponse ?? e.reason;
	}
	if (!out.networkCode && out.status === undefined && /socket hang up/i.test(out.message)) {
		out.networkCode = 'ECONNRESET';
	}
	return out;
}

function isObjectLike(value: unknown): value is object {
	return typeof value === 'object' && value !== null;
}

/** Lower-case header names; arrays joined with ", ". Works for plain objects and AxiosHeaders. */
export function normalizeHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (!isObjectLike(headers)) return out;
	const withJson = headers as { toJSON?: () => unknown };
	const source =
		typeof withJson.toJSON === 'function'
			? (withJson.toJSON() as Record<string, unknown>)
			: headers;
	for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
		if (value === undefined || value === null) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return out;
}

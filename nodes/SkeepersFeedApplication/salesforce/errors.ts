/**
 * Salesforce error bodies → one normalised error type, and that type → an n8n NodeApiError.
 *
 * Salesforce answers errors in several shapes:
 * - REST top level (4xx): `[{ message, errorCode, fields? }]`
 * - sObject Collections / SaveResult entries: `[{ id, success:false, errors:[{ statusCode, message, fields }] }]`
 * - OAuth endpoints: `{ error, error_description }`
 * - Bulk API 2.0 job info: `{ state: 'Failed', errorMessage }`
 * - Composite: `{ compositeResponse: [{ httpStatusCode, body: [errors] }] }`
 * - upsert with several matches: HTTP 300 with an array of record URLs
 * - gateways / maintenance pages: text or HTML
 *
 * Also what the writer gets back: anything a request throws (`errorsOf`) and one record's entry of
 * an sObject Collections answer (`saveResultOf`), in the same normalised shape.
 *
 * Nothing here ever reads request headers or credential data, so a token or a secret cannot end
 * up in an error message.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { SalesforceError, SaveResult } from './types';

export interface SalesforceRequestErrorInit {
	status: number;
	errors: SalesforceError[];
	requestPath: string;
	method?: string;
	/** Node/network error code (ECONNRESET, ENOTFOUND...) when no HTTP answer was received. */
	networkCode?: string;
	/** How many attempts were made before giving up. */
	attempts?: number;
	/** A short, secret-free description of what happened (e.g. why it was not retried). */
	detail?: string;
}

/** A failed Salesforce call, after retries. `status` is 0 when no HTTP answer was received. */
export class SalesforceRequestError extends Error {
	readonly status: number;

	readonly errors: SalesforceError[];

	readonly requestPath: string;

	readonly method: string;

	readonly networkCode?: string;

	readonly attempts: number;

	readonly detail?: string;

	constructor(init: SalesforceRequestErrorInit) {
		super(formatErrorMessage(init));
		this.name = 'SalesforceRequestError';
		this.status = init.status;
		this.errors = init.errors;
		this.requestPath = init.requestPath;
		this.method = init.method ?? 'GET';
		this.networkCode = init.networkCode;
		this.attempts = init.attempts ?? 1;
		this.detail = init.detail;
	}

	/** The first error code (e.g. `REQUIRED_FIELD_MISSING`), if any. */
	get errorCode(): string | undefined {
		return this.errors[0]?.errorCode;
	}
}

export function isSalesforceRequestError(error: unknown): error is SalesforceRequestError {
	return error instanceof SalesforceRequestError;
}

function formatErrorMessage(init: SalesforceRequestErrorInit): string {
	const first = init.errors[0];
	if (first) {
		const fields = first.fields.length ? ` (fields: ${first.fields.join(', ')})` : '';
		const more = init.errors.length > 1 ? ` [+${init.errors.length - 1} more]` : '';
		return `${first.errorCode}: ${first.message}${fields}${more}`;
	}
	if (init.networkCode) return `Network error ${init.networkCode} calling Salesforce`;
	return `Salesforce answered HTTP ${init.status}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
}

function asFields(value: unknown): string[] {
	if (Array.isArray(value)) return value.filter((f): f is string => typeof f === 'string');
	if (typeof value === 'string' && value) return [value];
	return [];
}

const STATUS_TEXT: Record<number, string> = {
	300: 'Several records match the external ID; nothing was written',
	400: 'Bad request',
	401: 'Session expired or invalid',
	403: 'Forbidden',
	404: 'Not found',
	405: 'Method not allowed',
	409: 'Conflict',
	412: 'Precondition failed',
	414: 'URI too long',
	415: 'Unsupported media type',
	420: 'Salesforce Edge rejected the request',
	428: 'Precondition required',
	429: 'Too many requests',
	431: 'Request header fields too large',
	500: 'Salesforce internal error',
	502: 'Bad gateway',
	503: 'Salesforce is unavailable (maintenance or overload)',
	504: 'Gateway timeout',
};

/** Strip tags and squeeze whitespace from a text/HTML body; keep it short. */
function textSnippet(text: string, max = 300): string {
	const plain = text
		.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

function fromErrorObject(obj: Record<string, unknown>): SalesforceError | undefined {
	const code = asString(obj.errorCode) ?? asString(obj.statusCode);
	const message = asString(obj.message);
	if (code === undefined && message === undefined) return undefined;
	return {
		errorCode: code ?? 'UNKNOWN_ERROR',
		message: message ?? '',
		fields: asFields(obj.fields),
	};
}

/**
 * Turn any Salesforce error body into `SalesforceError[]`. Never returns an empty array:
 * an unrecognised body becomes one `HTTP_<status>` error.
 */
export function parseSalesforceErrors(body: unknown, status = 0): SalesforceError[] {
	const found = collectErrors(body, status, 0);
	if (found.length) return found;
	return [fallbackError(body, status)];
}

function fallbackError(body: unknown, status: number): SalesforceError {
	const text = typeof body === 'string' ? textSnippet(body) : '';
	const base = STATUS_TEXT[status] ?? (status ? `HTTP ${status}` : 'Request failed');
	return {
		errorCode: status === 503 ? 'SERVER_UNAVAILABLE' : status ? `HTTP_${status}` : 'UNKNOWN_ERROR',
		message: text && text !== base ? `${base}: ${text}` : base,
		fields: [],
	};
}

function collectErrors(body: unknown, status: number, depth: number): SalesforceError[] {
	if (depth > 4 || body === undefined || body === null || body === '') return [];

	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
			try {
				return collectErrors(JSON.parse(trimmed) as unknown, status, depth + 1);
			} catch {
				return [];
			}
		}
		return [];
	}

	if (Array.isArray(body)) {
		const out: SalesforceError[] = [];
		const urls: string[] = [];
		for (const entry of body) {
			if (typeof entry === 'string') {
				urls.push(entry);
				continue;
			}
			if (!isRecord(entry)) continue;
			// SaveResult (collections): { success:false, errors:[...] }
			if (Array.isArray(entry.errors)) {
				out.push(...collectErrors(entry.errors, status, depth + 1));
				continue;
			}
			const one = fromErrorObject(entry);
			if (one) out.push(one);
		}
		if (!out.length && urls.length && status === 300) {
			out.push({
				errorCode: 'MULTIPLE_CHOICES',
				message: `Several records match the external ID (${urls.length}): ${urls
					.slice(0, 5)
					.join(', ')}`,
				fields: [],
			});
		}
		return out;
	}

	if (!isRecord(body)) return [];

	// OAuth: { error, error_description }
	if (typeof body.error === 'string') {
		return [
			{
				errorCode: body.error,
				message: asString(body.error_description) ?? body.error,
				fields: [],
			},
		];
	}
	// Composite: { compositeResponse: [{ httpStatusCode, body }] }
	if (Array.isArray(body.compositeResponse)) {
		const out: SalesforceError[] = [];
		for (const sub of body.compositeResponse) {
			if (!isRecord(sub)) continue;
			const code = typeof sub.httpStatusCode === 'number' ? sub.httpStatusCode : 0;
			if (code >= 300) out.push(...collectErrors(sub.body, code, depth + 1));
		}
		return out;
	}
	// Bulk API 2.0 job info: { state: 'Failed', errorMessage }
	if (typeof body.errorMessage === 'string' && body.errorMessage) {
		return [
			{
				errorCode: asString(body.errorCode) ?? (body.state === 'Failed' ? 'JOB_FAILED' : 'ERROR'),
				message: body.errorMessage,
				fields: [],
			},
		];
	}
	// A single error object or a wrapper { errors: [...] }
	if (Array.isArray(body.errors)) return collectErrors(body.errors, status, depth + 1);
	const one = fromErrorObject(body);
	return one ? [one] : [];
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
			if (out.status === undefined && typeof response.status === 'number') out.status = response.status;
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
		typeof withJson.toJSON === 'function' ? (withJson.toJSON() as Record<string, unknown>) : headers;
	for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
		if (value === undefined || value === null) continue;
		out[key.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return out;
}

/** Hints shown under the error for codes users hit most. */
const HINTS: Record<string, string> = {
	INVALID_SESSION_ID:
		'The session expired and could not be refreshed. Reconnect the Skeepers Salesforce OAuth2 API credential.',
	invalid_grant:
		'Salesforce refused the refresh token (expired, revoked, or rotated by another client). Reconnect the credential.',
	REQUEST_LIMIT_EXCEEDED:
		'The org has spent its API request allocation or hit a concurrency limit. Check Setup → Company Information → API Requests.',
	INVALID_FIELD: 'A field name does not exist on this object or is not visible to the connected user.',
	REQUIRED_FIELD_MISSING: 'Map a value for every required field listed.',
	STRING_TOO_LONG: 'Shorten the value or use the "truncate to field length" transformation.',
	INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:
		'The value is not one of the picklist values. Use a value map transformation.',
	DUPLICATE_VALUE: 'Another record already has this value in a unique field.',
	DUPLICATES_DETECTED: 'A Salesforce duplicate rule blocked the record.',
	FIELD_CUSTOM_VALIDATION_EXCEPTION: 'A validation rule in the org rejected the record.',
	INVALID_CROSS_REFERENCE_KEY: 'A lookup Id does not point to an existing record of the right type.',
	MALFORMED_ID: 'An Id is not a valid 15 or 18 character Salesforce Id.',
	NOT_FOUND: 'The record or the resource does not exist (or the user cannot see it).',
	UNABLE_TO_LOCK_ROW: 'Another process held a lock on the record; retries were exhausted.',
	SERVER_UNAVAILABLE: 'Salesforce was unavailable; retries were exhausted. Try again later.',
	MULTIPLE_CHOICES: 'Several records have this external ID value; make it unique.',
	API_DISABLED_FOR_ORG: 'The org edition or the user profile does not allow API access ("API Enabled").',
	INSUFFICIENT_ACCESS_OR_READONLY: 'The connected user lacks permission on this record or object.',
	ENTITY_IS_DELETED: 'The record was deleted.',
};

export function hintFor(code: string | undefined): string | undefined {
	return code ? HINTS[code] : undefined;
}

/** Build the readable description: every error with its code and fields, then a hint. */
export function describeSalesforceError(err: SalesforceRequestError): string {
	const lines = err.errors.map((e) => {
		const fields = e.fields.length ? ` — fields: ${e.fields.join(', ')}` : '';
		return `${e.errorCode}: ${e.message}${fields}`;
	});
	const where = `${err.method} ${err.requestPath}${err.status ? ` → HTTP ${err.status}` : ''}${
		err.networkCode ? ` (${err.networkCode})` : ''
	}${err.attempts > 1 ? `, after ${err.attempts} attempts` : ''}`;
	const hint = hintFor(err.errorCode);
	return [...lines, where, ...(err.detail ? [err.detail] : []), ...(hint ? [hint] : [])].join('\n');
}

/**
 * An n8n NodeApiError for a failed Salesforce call: message `<errorCode>: <message> (fields)`,
 * description listing every error, the request path and a hint. Built from a plain object so
 * no request header (token) can leak into it.
 */
export function toNodeApiError(node: INode, error: unknown, itemIndex?: number): NodeApiError {
	if (error instanceof NodeApiError && !(error instanceof SalesforceRequestError)) {
		// Already an n8n error (e.g. from the OAuth2 refresh): keep it, but never re-expose options.
		if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	const err =
		error instanceof SalesforceRequestError
			? error
			: new SalesforceRequestError({
					status: inspectThrown(error).status ?? 0,
					errors: [
						{
							errorCode: 'UNKNOWN_ERROR',
							message: error instanceof Error ? error.message : String(error),
							fields: [],
						},
					],
					requestPath: '',
				});
	const payload: JsonObject = {
		message: err.message,
		errorCode: err.errorCode ?? null,
		errors: err.errors.map((e) => ({ errorCode: e.errorCode, message: e.message, fields: e.fields })),
		requestPath: err.requestPath,
		status: err.status,
	};
	return new NodeApiError(node, payload, {
		message: err.message,
		description: describeSalesforceError(err),
		httpCode: err.status ? String(err.status) : undefined,
		itemIndex,
	});
}

function errorOf(x: Record<string, unknown>, fallbackCode: string): SalesforceError {
	return {
		errorCode: String(x.errorCode ?? x.statusCode ?? fallbackCode),
		message: String(x.message ?? ''),
		fields: Array.isArray(x.fields) ? (x.fields as unknown[]).map(String) : [],
	};
}

/** Normalises anything a request threw (after the transport's retries) into Salesforce errors. */
export function errorsOf(error: unknown): { errors: SalesforceError[]; status?: number } {
	const e = error as { status?: unknown; errors?: unknown; message?: unknown };
	const status = typeof e?.status === 'number' ? e.status : undefined;
	if (Array.isArray(e?.errors) && e.errors.length > 0) {
		const errors = (e.errors as Array<Record<string, unknown>>).map((x) => errorOf(x, 'REQUEST_FAILED'));
		return { errors, status };
	}
	const message = typeof e?.message === 'string' ? e.message : String(error);
	return { errors: [{ errorCode: 'REQUEST_FAILED', message, fields: [] }], status };
}

/** One record's entry of an sObject Collections answer. */
export function saveResultOf(raw: unknown): SaveResult {
	const r = (raw ?? {}) as Record<string, unknown>;
	const errors = Array.isArray(r.errors)
		? (r.errors as Array<Record<string, unknown>>).map((x) => errorOf(x, 'UNKNOWN_ERROR'))
		: [];
	return {
		id: typeof r.id === 'string' ? r.id : null,
		success: r.success === true,
		errors,
		created: typeof r.created === 'boolean' ? r.created : undefined,
	};
}

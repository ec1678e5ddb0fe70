/**
 * Salesforce errors, normalised once: error bodies → one error type (`SalesforceError`), and a
 * failed call after retries → `SalesforceRequestError`. nodeError.ts turns them into n8n errors.
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
import { withDuplicateResult } from './duplicates';
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
	const error = {
		errorCode: code ?? 'UNKNOWN_ERROR',
		message: message ?? '',
		fields: asFields(obj.fields),
	};
	return withDuplicateResult(error, obj);
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

function errorOf(x: Record<string, unknown>, fallbackCode: string): SalesforceError {
	// an error parsed before (errorsOf) keeps what it read from its duplicateResult
	const known = { duplicateRule: x.duplicateRule, matchedIds: x.matchedIds };
	const error: SalesforceError = {
		errorCode: String(x.errorCode ?? x.statusCode ?? fallbackCode),
		message: String(x.message ?? ''),
		fields: Array.isArray(x.fields) ? (x.fields as unknown[]).map(String) : [],
		...(typeof known.duplicateRule === 'string' ? { duplicateRule: known.duplicateRule } : {}),
		...(Array.isArray(known.matchedIds) ? { matchedIds: known.matchedIds.map(String) } : {}),
	};
	return withDuplicateResult(error, x);
}

/** Normalises anything a request threw (after the transport's retries) into Salesforce errors. */
export function errorsOf(error: unknown): { errors: SalesforceError[]; status?: number } {
	const e = error as { status?: unknown; errors?: unknown; message?: unknown };
	const status = typeof e?.status === 'number' ? e.status : undefined;
	if (Array.isArray(e?.errors) && e.errors.length > 0) {
		const errors = (e.errors as Array<Record<string, unknown>>).map((x) =>
			errorOf(x, 'REQUEST_FAILED'),
		);
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

/**
 * A failed Salesforce call as an n8n NodeApiError: message `<errorCode>: <message> (fields)`,
 * a description listing every error, the request and a hint for the codes users hit most.
 */
import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import { SalesforceRequestError } from './errors';
import { inspectThrown } from './thrown';

/** Hints shown under the error for codes users hit most. */
const HINTS: Record<string, string> = {
	INVALID_SESSION_ID:
		'The session expired and could not be refreshed. Reconnect the Skeepers Salesforce OAuth2 API credential.',
	invalid_grant:
		'Salesforce refused the refresh token (expired, revoked, or rotated by another client). Reconnect the credential.',
	REQUEST_LIMIT_EXCEEDED:
		'The org has spent its API request allocation or hit a concurrency limit. Check Setup → Company Information → API Requests.',
	INVALID_FIELD:
		'A field name does not exist on this object or is not visible to the connected user.',
	REQUIRED_FIELD_MISSING: 'Map a value for every required field listed.',
	STRING_TOO_LONG: 'Shorten the value or use the "truncate to field length" transformation.',
	INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:
		'The value is not one of the picklist values. Use a value map transformation.',
	DUPLICATE_VALUE: 'Another record already has this value in a unique field.',
	DUPLICATES_DETECTED: 'A Salesforce duplicate rule blocked the record.',
	FIELD_CUSTOM_VALIDATION_EXCEPTION: 'A validation rule in the org rejected the record.',
	INVALID_CROSS_REFERENCE_KEY:
		'A lookup Id does not point to an existing record of the right type.',
	MALFORMED_ID: 'An Id is not a valid 15 or 18 character Salesforce Id.',
	NOT_FOUND: 'The record or the resource does not exist (or the user cannot see it).',
	UNABLE_TO_LOCK_ROW: 'Another process held a lock on the record; retries were exhausted.',
	SERVER_UNAVAILABLE: 'Salesforce was unavailable; retries were exhausted. Try again later.',
	MULTIPLE_CHOICES: 'Several records have this external ID value; make it unique.',
	API_DISABLED_FOR_ORG:
		'The org edition or the user profile does not allow API access ("API Enabled").',
	INSUFFICIENT_ACCESS_OR_READONLY: 'The connected user lacks permission on this record or object.',
	ENTITY_IS_DELETED: 'The record was deleted.',
};

function hintFor(code: string | undefined): string | undefined {
	return code ? HINTS[code] : undefined;
}

/** Build the readable description: every error with its code and fields, then a hint. */
function describeSalesforceError(err: SalesforceRequestError): string {
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
		errors: err.errors.map((e) => ({
			errorCode: e.errorCode,
			message: e.message,
			fields: e.fields,
		})),
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

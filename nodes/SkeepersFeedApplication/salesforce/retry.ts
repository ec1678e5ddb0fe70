/**
 * The retry policy, pure: given what a failed attempt looked like, say whether to try again
 * and after how long. No I/O, no clock; randomness is injectable.
 *
 * Failures fall in four classes:
 * - `auth`: HTTP 401 / INVALID_SESSION_ID. Never retried here: n8n's OAuth2 helper already
 *   refreshed the token once and replayed the request before we saw this.
 * - `rejected`: the failure proves nothing was applied — Salesforce answered before processing
 *   (HTTP 503 / SERVER_UNAVAILABLE, REQUEST_LIMIT_EXCEEDED for a *concurrency* limit, HTTP 429),
 *   answered that the transaction failed and rolled back (UNABLE_TO_LOCK_ROW), or the
 *   connection was never established (ECONNREFUSED, DNS failure...). Safe to retry anything,
 *   creates included.
 * - `unknown-outcome`: the request may have been applied — the connection broke or timed out
 *   mid-request (ECONNRESET, socket hang up, ETIMEDOUT...), or a gateway gave up (500/502/504).
 *   Retried only when the request is idempotent; a create is NEVER retried, because a second
 *   send could create a second record.
 * - `refresh-refused`: n8n's refresh of the token was refused (`invalid_grant`). The request
 *   had been answered 401 first, so nothing was applied. With refresh-token rotation, another
 *   request of the same credential may have just used and rotated the refresh token (n8n 1.x
 *   refreshes per request, so concurrent 401s race); the next attempt reads the credential again
 *   and finds the new tokens. Retried like a rejection; a token that is really expired or revoked
 *   still fails after the last attempt.
 * - `permanent`: everything else (validation errors, daily API limit spent, 4xx...). Never.
 */
import type { RetryClass } from './types';

export type FailureClass =
	| 'auth'
	| 'refresh-refused'
	| 'rejected'
	| 'unknown-outcome'
	| 'permanent';

export interface RetryInput {
	/** Number of attempts already made (1 after the first failure). */
	attempt: number;
	retryClass: RetryClass;
	/** HTTP status when Salesforce answered; undefined for network errors. */
	status?: number;
	/** First Salesforce error code of the answer (e.g. `UNABLE_TO_LOCK_ROW`). */
	errorCode?: string;
	/** Node network error code when no answer came (ECONNRESET, ENOTFOUND...). */
	networkCode?: string;
	/** The error message (used to tell a concurrency limit from the daily limit). */
	message?: string;
	/** Server-requested wait (Retry-After), in ms. */
	retryAfterMs?: number;
}

export interface RetryPolicyOptions {
	/** Total attempts including the first one. Default 4. */
	maxAttempts?: number;
	/** First backoff step. Default 500 ms. */
	baseDelayMs?: number;
	/** Upper bound of one wait. Default 15 s. */
	maxDelayMs?: number;
	/** Random source in [0, 1). Default Math.random. */
	random?: () => number;
}

export interface RetryDecision {
	retry: boolean;
	delayMs: number;
	failure: FailureClass;
	/** Why, in words (for logs and error descriptions). */
	reason: string;
}

const DEFAULT_RETRY_POLICY: Required<Omit<RetryPolicyOptions, 'random'>> = {
	maxAttempts: 4,
	baseDelayMs: 500,
	maxDelayMs: 15_000,
};

/** Connection never established: the request cannot have reached Salesforce. */
const NOT_SENT_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
	'ENETDOWN',
	'UND_ERR_CONNECT_TIMEOUT',
]);

/** Connection broke or timed out after (possibly) sending: outcome unknown. */
const UNKNOWN_OUTCOME_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
	'EPROTO',
]);

/**
 * `REQUEST_LIMIT_EXCEEDED` covers both the org's daily allocation ("TotalRequests Limit
 * exceeded") and concurrency limits ("ConcurrentPerOrgLongTxn Limit exceeded", concurrent
 * request limits). Only the latter goes away by waiting a few seconds.
 */
export function isConcurrencyLimit(
	errorCode: string | undefined,
	message: string | undefined,
): boolean {
	if (errorCode !== 'REQUEST_LIMIT_EXCEEDED') return false;
	const text = message ?? '';
	if (/TotalRequests|daily|24.?hour|per day/i.test(text)) return false;
	return /concurren/i.test(text);
}

export function classifyFailure(input: Omit<RetryInput, 'attempt' | 'retryClass'>): FailureClass {
	const { status, errorCode, networkCode, message } = input;
	if (errorCode === 'invalid_grant') return 'refresh-refused';
	if (status === 401 || errorCode === 'INVALID_SESSION_ID') return 'auth';
	if (status === undefined || status === 0) {
		if (networkCode && NOT_SENT_NETWORK_CODES.has(networkCode)) return 'rejected';
		if (networkCode && UNKNOWN_OUTCOME_NETWORK_CODES.has(networkCode)) return 'unknown-outcome';
		if (/socket hang up|timeout|timed out/i.test(message ?? '')) return 'unknown-outcome';
		return 'permanent';
	}
	if (status === 503 || errorCode === 'SERVER_UNAVAILABLE') return 'rejected';
	if (errorCode === 'UNABLE_TO_LOCK_ROW') return 'rejected';
	if (status === 429) return 'rejected';
	if (isConcurrencyLimit(errorCode, message)) return 'rejected';
	if (status === 500 || status === 502 || status === 504) return 'unknown-outcome';
	return 'permanent';
}

/** Exponential backoff with "equal jitter": half fixed, half random; capped. */
export function backoffDelay(attempt: number, options: RetryPolicyOptions = {}): number {
	const base = options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs;
	const max = options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
	const random = options.random ?? Math.random;
	const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
	const half = exp / 2;
	return Math.round(half + random() * half);
}

export function decideRetry(input: RetryInput, options: RetryPolicyOptions = {}): RetryDecision {
	const maxAttempts = options.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts;
	const failure = classifyFailure(input);
	const no = (reason: string): RetryDecision => ({ retry: false, delayMs: 0, failure, reason });

	if (failure === 'auth') {
		return no('session rejected after n8n refreshed the token once; reconnect the credential');
	}
	if (failure === 'permanent') return no('not a transient failure');
	if (failure === 'unknown-outcome' && input.retryClass === 'non-idempotent') {
		return no(
			'not retried: the request may already have been applied (connection lost or timed out mid-request), and sending a create twice could duplicate the record',
		);
	}
	if (input.attempt >= maxAttempts) {
		return no(
			failure === 'refresh-refused'
				? `Salesforce refused the refresh token ${input.attempt} times: it is expired or revoked; reconnect the credential`
				: `gave up after ${input.attempt} attempts`,
		);
	}

	const max = options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
	let delayMs = backoffDelay(input.attempt, options);
	if (input.retryAfterMs !== undefined && input.retryAfterMs > delayMs) {
		delayMs = Math.min(max, input.retryAfterMs);
	}
	return {
		retry: true,
		delayMs,
		failure,
		reason:
			failure === 'rejected'
				? 'transient rejection: nothing was applied'
				: failure === 'refresh-refused'
					? 'token refresh refused, nothing was applied: another request may have just rotated the refresh token'
					: 'transient failure on an idempotent request',
	};
}

/** Parse a Retry-After header (seconds or HTTP date) into ms; `now` injectable. */
export function parseRetryAfter(
	value: string | undefined,
	now: number = Date.now(),
): number | undefined {
	if (!value) return undefined;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

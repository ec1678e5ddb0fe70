import {
	backoffDelay,
	classifyFailure,
	decideRetry,
	isConcurrencyLimit,
	parseRetryAfter,
} from '../../../nodes/SkeepersFeedApplication/salesforce/retry';
import type { RetryInput } from '../../../nodes/SkeepersFeedApplication/salesforce/retry';

const mid = () => 0.5;
const both = ['idempotent', 'non-idempotent'] as const;

describe('what is retried, for creates too (nothing was applied)', () => {
	const cases: Array<[string, Omit<RetryInput, 'attempt' | 'retryClass'>]> = [
		['HTTP 503', { status: 503 }],
		['SERVER_UNAVAILABLE', { status: 500, errorCode: 'SERVER_UNAVAILABLE' }],
		[
			'UNABLE_TO_LOCK_ROW',
			{
				status: 400,
				errorCode: 'UNABLE_TO_LOCK_ROW',
				message: 'unable to obtain exclusive access to this record',
			},
		],
		[
			'concurrency REQUEST_LIMIT_EXCEEDED',
			{
				status: 403,
				errorCode: 'REQUEST_LIMIT_EXCEEDED',
				message: 'ConcurrentPerOrgLongTxn Limit exceeded.',
			},
		],
		['HTTP 429', { status: 429 }],
		['connection refused', { networkCode: 'ECONNREFUSED' }],
		['DNS failure', { networkCode: 'ENOTFOUND' }],
		['DNS temporary failure', { networkCode: 'EAI_AGAIN' }],
	];
	for (const retryClass of both) {
		it.each(cases)(`%s (${retryClass})`, (_name, failure) => {
			const d = decideRetry({ attempt: 1, retryClass, ...failure }, { random: mid });
			expect(d.retry).toBe(true);
			expect(d.failure).toBe('rejected');
			expect(d.delayMs).toBeGreaterThan(0);
		});
	}
});

describe('outcome unknown: idempotent retried, create NEVER', () => {
	const cases: Array<[string, Omit<RetryInput, 'attempt' | 'retryClass'>]> = [
		['socket reset', { networkCode: 'ECONNRESET' }],
		['socket hang up (no code)', { message: 'socket hang up' }],
		['timeout', { networkCode: 'ETIMEDOUT' }],
		['aborted', { networkCode: 'ECONNABORTED' }],
		['gateway timeout', { status: 504 }],
		['bad gateway', { status: 502 }],
		['internal error', { status: 500, errorCode: 'UNKNOWN_EXCEPTION' }],
	];
	it.each(cases)('%s', (_name, failure) => {
		expect(decideRetry({ attempt: 1, retryClass: 'idempotent', ...failure }).retry).toBe(true);
		const create = decideRetry({ attempt: 1, retryClass: 'non-idempotent', ...failure });
		expect(create.retry).toBe(false);
		expect(create.failure).toBe('unknown-outcome');
		expect(create.reason).toMatch(/may already have been applied/);
	});
});

describe('never retried', () => {
	const cases: Array<[string, Omit<RetryInput, 'attempt' | 'retryClass'>]> = [
		['401 (n8n refreshed once already)', { status: 401, errorCode: 'INVALID_SESSION_ID' }],
		['INVALID_SESSION_ID on another status', { status: 400, errorCode: 'INVALID_SESSION_ID' }],
		[
			'daily limit spent',
			{
				status: 403,
				errorCode: 'REQUEST_LIMIT_EXCEEDED',
				message: 'TotalRequests Limit exceeded.',
			},
		],
		[
			'REQUEST_LIMIT_EXCEEDED without a concurrency message',
			{ status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'Limit exceeded' },
		],
		['validation', { status: 400, errorCode: 'REQUIRED_FIELD_MISSING' }],
		['not found', { status: 404, errorCode: 'NOT_FOUND' }],
		['duplicate', { status: 400, errorCode: 'DUPLICATE_VALUE' }],
		['several matches', { status: 300, errorCode: 'MULTIPLE_CHOICES' }],
		['unknown network error', { networkCode: 'ERR_CANCELED' }],
	];
	for (const retryClass of both) {
		it.each(cases)(`%s (${retryClass})`, (_name, failure) => {
			expect(decideRetry({ attempt: 1, retryClass, ...failure }).retry).toBe(false);
		});
	}
	it('401 is classified as auth', () => {
		expect(classifyFailure({ status: 401 })).toBe('auth');
	});
});

describe('a refused token refresh (invalid_grant): nothing was applied, so retried for creates too, bounded', () => {
	// n8n refreshed after a 401 and Salesforce refused the refresh token: with rotation, another
	// request may have just rotated it; the next attempt reads the credential's new tokens
	const refused = {
		status: 400,
		errorCode: 'invalid_grant',
		message: 'expired access/refresh token',
	};
	for (const retryClass of both) {
		it(`retried with backoff until the last attempt (${retryClass})`, () => {
			expect(classifyFailure(refused)).toBe('refresh-refused');
			for (const attempt of [1, 2, 3]) {
				const d = decideRetry({ attempt, retryClass, ...refused }, { random: mid });
				expect(d).toMatchObject({ retry: true, failure: 'refresh-refused' });
				expect(d.delayMs).toBeGreaterThan(0);
				expect(d.reason).toMatch(/nothing was applied/);
			}
			const last = decideRetry({ attempt: 4, retryClass, ...refused }, { random: mid });
			expect(last.retry).toBe(false);
			expect(last.reason).toMatch(
				/refused the refresh token 4 times: it is expired or revoked; reconnect the credential/,
			);
		});
	}
});

describe('bounded attempts and backoff', () => {
	it('stops at maxAttempts', () => {
		expect(
			decideRetry({ attempt: 3, retryClass: 'idempotent', status: 503 }, { maxAttempts: 4 }).retry,
		).toBe(true);
		const last = decideRetry(
			{ attempt: 4, retryClass: 'idempotent', status: 503 },
			{ maxAttempts: 4 },
		);
		expect(last.retry).toBe(false);
		expect(last.reason).toMatch(/after 4 attempts/);
	});
	it('grows exponentially with equal jitter and is capped', () => {
		const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelay(1, { ...opts, random: () => 0 })).toBe(50);
		expect(backoffDelay(1, { ...opts, random: () => 0.999999 })).toBe(100);
		expect(backoffDelay(2, { ...opts, random: () => 0 })).toBe(100);
		expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(200);
		expect(backoffDelay(10, { ...opts, random: () => 0.999999 })).toBe(1000);
	});
	it('uses the injected random source', () => {
		const a = decideRetry(
			{ attempt: 2, retryClass: 'idempotent', status: 503 },
			{ baseDelayMs: 1000, random: () => 0 },
		);
		const b = decideRetry(
			{ attempt: 2, retryClass: 'idempotent', status: 503 },
			{ baseDelayMs: 1000, random: () => 0.5 },
		);
		expect(a.delayMs).toBe(1000);
		expect(b.delayMs).toBe(1500);
	});
	it('honours Retry-After up to the cap', () => {
		expect(
			decideRetry(
				{ attempt: 1, retryClass: 'idempotent', status: 503, retryAfterMs: 5000 },
				{ random: mid },
			).delayMs,
		).toBe(5000);
		expect(
			decideRetry(
				{ attempt: 1, retryClass: 'idempotent', status: 503, retryAfterMs: 999_999 },
				{ maxDelayMs: 8000 },
			).delayMs,
		).toBe(8000);
	});
});

describe('helpers', () => {
	it('isConcurrencyLimit tells concurrency from the daily allocation', () => {
		expect(
			isConcurrencyLimit('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
		).toBe(true);
		expect(isConcurrencyLimit('REQUEST_LIMIT_EXCEEDED', 'Concurrent requests limit exceeded')).toBe(
			true,
		);
		expect(isConcurrencyLimit('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')).toBe(
			false,
		);
		expect(isConcurrencyLimit('UNABLE_TO_LOCK_ROW', 'Concurrent')).toBe(false);
	});
	it('parseRetryAfter reads seconds and HTTP dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(
			parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
		).toBe(10_000);
		expect(parseRetryAfter('soon')).toBeUndefined();
		expect(parseRetryAfter(undefined)).toBeUndefined();
	});
});

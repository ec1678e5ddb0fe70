import { NodeApiError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import {
	SalesforceRequestError,
	parseSalesforceErrors,
} from '../../../nodes/SkeepersFeedApplication/salesforce/errors';
import { toNodeApiError } from '../../../nodes/SkeepersFeedApplication/salesforce/nodeError';
import {
	inspectThrown,
	normalizeHeaders,
} from '../../../nodes/SkeepersFeedApplication/salesforce/thrown';

const node: INode = {
	id: '1',
	name: 'Feed',
	type: 'n8n-nodes-skeepers.skeepersFeedApplication',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

describe('parseSalesforceErrors — each documented error code (top-level array)', () => {
	const codes: Array<[string, number, string[]]> = [
		['INVALID_SESSION_ID', 401, []],
		['REQUEST_LIMIT_EXCEEDED', 403, []],
		['NOT_FOUND', 404, []],
		['INVALID_FIELD', 400, ['Foo__c']],
		['REQUIRED_FIELD_MISSING', 400, ['LastName']],
		['STRING_TOO_LONG', 400, ['Subject']],
		['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 400, ['Status']],
		['DUPLICATE_VALUE', 400, ['Skeepers_Respondent_Id__c']],
		['DUPLICATES_DETECTED', 400, []],
		['FIELD_CUSTOM_VALIDATION_EXCEPTION', 400, ['Phone']],
		['INVALID_CROSS_REFERENCE_KEY', 400, ['AccountId']],
		['MALFORMED_ID', 400, ['Id']],
		['UNABLE_TO_LOCK_ROW', 400, []],
		['SERVER_UNAVAILABLE', 503, []],
	];
	it.each(codes)('%s', (errorCode, status, fields) => {
		const body = [{ message: `msg for ${errorCode}`, errorCode, fields }];
		expect(parseSalesforceErrors(body, status)).toEqual([
			{ errorCode, message: `msg for ${errorCode}`, fields },
		]);
	});
});

describe('parseSalesforceErrors — other shapes', () => {
	it('collections entries use statusCode', () => {
		const body = [
			{
				statusCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [LastName]',
				fields: ['LastName'],
			},
		];
		expect(parseSalesforceErrors(body, 400)).toEqual([
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [LastName]',
				fields: ['LastName'],
			},
		]);
	});
	it('save results are flattened', () => {
		const body = [
			{
				id: null,
				success: false,
				errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'dup', fields: ['Email'] }],
			},
			{
				id: null,
				success: false,
				errors: [
					{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'rolled back', fields: [] },
				],
			},
		];
		expect(parseSalesforceErrors(body, 400).map((e) => e.errorCode)).toEqual([
			'DUPLICATE_VALUE',
			'ALL_OR_NONE_OPERATION_ROLLED_BACK',
		]);
	});
	it('OAuth errors', () => {
		expect(
			parseSalesforceErrors(
				{ error: 'invalid_grant', error_description: 'expired access/refresh token' },
				400,
			),
		).toEqual([
			{ errorCode: 'invalid_grant', message: 'expired access/refresh token', fields: [] },
		]);
	});
	it('Bulk API 2.0 failed job', () => {
		expect(
			parseSalesforceErrors({
				id: '750',
				state: 'Failed',
				errorMessage: 'InvalidBatch : Field name not found : Foo',
			}),
		).toEqual([
			{ errorCode: 'JOB_FAILED', message: 'InvalidBatch : Field name not found : Foo', fields: [] },
		]);
	});
	it('composite sub-responses', () => {
		const body = {
			compositeResponse: [
				{ httpStatusCode: 201, body: { id: '003' } },
				{
					httpStatusCode: 400,
					body: [{ errorCode: 'INVALID_FIELD', message: 'No such column', fields: [] }],
				},
			],
		};
		expect(parseSalesforceErrors(body, 200).map((e) => e.errorCode)).toEqual(['INVALID_FIELD']);
	});
	it('upsert 300 with record URLs', () => {
		const [err] = parseSalesforceErrors(
			['/services/data/v66.0/sobjects/Contact/003A', '/services/data/v66.0/sobjects/Contact/003B'],
			300,
		);
		expect(err.errorCode).toBe('MULTIPLE_CHOICES');
		expect(err.message).toMatch(/003A/);
	});
	it('a JSON string body is parsed', () => {
		expect(parseSalesforceErrors('[{"errorCode":"NOT_FOUND","message":"gone"}]', 404)[0]).toEqual({
			errorCode: 'NOT_FOUND',
			message: 'gone',
			fields: [],
		});
	});
	it('an HTML 503 page becomes SERVER_UNAVAILABLE with a short text', () => {
		const [err] = parseSalesforceErrors(
			'<html><body><h1>Service Unavailable</h1><script>x()</script></body></html>',
			503,
		);
		expect(err.errorCode).toBe('SERVER_UNAVAILABLE');
		expect(err.message).toMatch(/Service Unavailable/);
		expect(err.message).not.toMatch(/<|script/);
	});
	it('an empty body gives HTTP_<status>', () => {
		expect(parseSalesforceErrors(undefined, 502)[0].errorCode).toBe('HTTP_502');
	});
});

describe('inspectThrown', () => {
	it('reads status, body and headers from a NodeApiError wrapping an AxiosError', () => {
		const axiosLike = Object.assign(new Error('Request failed with status code 400'), {
			name: 'AxiosError',
			code: 'ERR_BAD_REQUEST',
			config: { headers: { Authorization: 'Bearer SECRET_TOKEN' } },
			response: {
				status: 400,
				data: [{ errorCode: 'INVALID_FIELD', message: 'x' }],
				headers: { 'Sforce-Limit-Info': 'api-usage=1/10' },
			},
		});
		const wrapped = new NodeApiError(node, axiosLike as never);
		const seen = inspectThrown(wrapped);
		expect(seen.status).toBe(400);
		expect(seen.body).toEqual([{ errorCode: 'INVALID_FIELD', message: 'x' }]);
		expect(seen.headers).toEqual({ 'sforce-limit-info': 'api-usage=1/10' });
		expect(seen.networkCode).toBeUndefined();
		expect(JSON.stringify(seen)).not.toMatch(/SECRET_TOKEN/);
	});
	it('reads a network code through the cause chain', () => {
		const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
			code: 'ECONNREFUSED',
		});
		expect(inspectThrown(new NodeApiError(node, socket as never)).networkCode).toBe('ECONNREFUSED');
	});
	it('treats "socket hang up" without a code as ECONNRESET', () => {
		expect(inspectThrown(new Error('socket hang up')).networkCode).toBe('ECONNRESET');
	});
	it('reads an OAuth refresh error body', () => {
		const refreshError = Object.assign(new Error('refresh failed'), {
			body: { error: 'invalid_grant', error_description: 'expired' },
			status: 400,
		});
		expect(inspectThrown(refreshError).body).toEqual({
			error: 'invalid_grant',
			error_description: 'expired',
		});
	});
});

describe('normalizeHeaders', () => {
	it('lower-cases and joins arrays; uses toJSON when present', () => {
		expect(
			normalizeHeaders({ 'Sforce-Limit-Info': 'api-usage=1/2', 'Set-Cookie': ['a', 'b'] }),
		).toEqual({ 'sforce-limit-info': 'api-usage=1/2', 'set-cookie': 'a, b' });
		expect(normalizeHeaders({ toJSON: () => ({ 'Retry-After': '3' }) })).toEqual({
			'retry-after': '3',
		});
	});
});

describe('SalesforceRequestError and toNodeApiError', () => {
	const err = new SalesforceRequestError({
		status: 400,
		errors: [
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [LastName]',
				fields: ['LastName'],
			},
			{
				errorCode: 'STRING_TOO_LONG',
				message: 'Subject: data value too large',
				fields: ['Subject'],
			},
		],
		requestPath: '/services/data/v66.0/sobjects/Contact',
		method: 'POST',
	});

	it('message names the first code, message and fields', () => {
		expect(err.message).toBe(
			'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName) [+1 more]',
		);
		expect(err.errorCode).toBe('REQUIRED_FIELD_MISSING');
	});

	it('NodeApiError carries message, every error in the description, the HTTP code and the item', () => {
		const apiError = toNodeApiError(node, err, 3);
		expect(apiError).toBeInstanceOf(NodeApiError);
		expect(apiError.message).toBe(err.message);
		expect(apiError.description).toMatch(/REQUIRED_FIELD_MISSING: .* — fields: LastName/);
		expect(apiError.description).toMatch(/STRING_TOO_LONG: .* — fields: Subject/);
		expect(apiError.description).toMatch(
			/POST \/services\/data\/v66.0\/sobjects\/Contact → HTTP 400/,
		);
		expect(apiError.httpCode).toBe('400');
		expect(apiError.context.itemIndex).toBe(3);
	});

	it('network failures say so', () => {
		const net = new SalesforceRequestError({
			status: 0,
			errors: [{ errorCode: 'ECONNRESET', message: 'socket hang up', fields: [] }],
			requestPath: '/x',
			method: 'POST',
			networkCode: 'ECONNRESET',
			detail: 'not retried: the request may already have been applied',
		});
		const apiError = toNodeApiError(node, net);
		expect(apiError.description).toMatch(/\(ECONNRESET\)/);
		expect(apiError.description).toMatch(/may already have been applied/);
	});

	it('wraps unknown errors without leaking anything but their message', () => {
		const apiError = toNodeApiError(node, new Error('boom'));
		expect(apiError.message).toMatch(/UNKNOWN_ERROR: boom/);
	});
});

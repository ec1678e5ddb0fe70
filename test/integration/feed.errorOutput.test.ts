/**
 * Feed Application node × emulator, Settings → On Error:
 * - Continue (using error output): every failed result carries a top-level `error` (what n8n
 *   routes to the error output), a NodeApiError for Salesforce's failures and a
 *   NodeOperationError for the node's own, with the item's one-line message; json unchanged;
 *   the property is not enumerable, so n8n's copy of the item for the error output keeps the
 *   result json (results.ts, outputItem; proven on a real n8n in test/e2e/stack.test.ts);
 * - Continue (regular output) and Stop: no `error` on items, as before.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
} from 'n8n-workflow';

import { FeedEnv, field, lastNameRow, people } from './feed.helpers';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

/** Five people, the third without a last name: Salesforce refuses it (pre-flight off). */
function createSpec(onError: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput') {
	const items = people(5);
	items[2].lastName = '';
	return {
		items,
		operation: 'create' as const,
		rows: [lastNameRow],
		options: { preflight: 'off' },
		onError,
	};
}

/** json without the record Id Salesforce gave (differs between runs). */
const withoutId = (o: INodeExecutionData): IDataObject => ({
	...o.json,
	id: o.json.success ? 'ID' : o.json.id,
});

describe('On Error → Continue (using error output)', () => {
	it('a Salesforce failure carries a NodeApiError naming the item, field and code; successes carry none; json is unchanged', async () => {
		const out = await env.run(createSpec('continueErrorOutput'));
		expect(out).toHaveLength(5);
		expect(out.map((o) => o.json.success)).toEqual([true, true, false, true, true]);
		expect(out.map((o) => o.error === undefined)).toEqual([true, true, false, true, true]);
		// not enumerable: a spread copy of the item (what n8n puts on the error output) has no error
		expect(Object.keys(out[2])).toEqual(['json', 'pairedItem']);
		expect({ ...out[2] }.error).toBeUndefined();
		const error = out[2].error as NodeApiError;
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toMatch(/^Item 3: REQUIRED_FIELD_MISSING on LastName — /);
		expect(error.context.itemIndex).toBe(2);
		expect(out[2].pairedItem).toEqual({ item: 2 });
		expect(out[2].json).toMatchObject({
			success: false,
			errors: [
				expect.objectContaining({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }),
			],
		});
		expect(env.emu.records('Contact')).toHaveLength(4);

		// the same results as with Continue (regular output), apart from the error
		env.reset();
		const regular = await env.run(createSpec('continueRegularOutput'));
		expect(out.map(withoutId)).toEqual(regular.map(withoutId));
		// nothing secret in the error (what n8n persists is its toJSON)
		const text = JSON.stringify(out.map((o) => o.error ?? null));
		expect(text).not.toContain(String(env.credential.oauthTokenData.access_token));
		expect(text).not.toContain(env.credential.clientSecret);
	});

	it("the node's own failures (pre-flight, NOT_FOUND) carry a NodeOperationError; dedup-skipped items are successes", async () => {
		await env.seed('Contact', [
			{ LastName: 'A', Email: 'a@example.fr' },
			{ LastName: 'B', Email: 'b@example.fr' },
		]);
		const out = await env.run({
			items: [
				{ email: 'a@example.fr', lastName: 'A2', eventId: 'e1' },
				{ email: 'nobody@example.fr', lastName: 'X', eventId: 'e2' },
				{ email: 'b@example.fr', lastName: 'x'.repeat(81), eventId: 'e3' },
				{ email: 'a@example.fr', lastName: 'A3', eventId: 'e1' },
			],
			operation: 'update',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [lastNameRow],
			options: { preflight: 'perItem', dedupKey: field('eventId') },
			onError: 'continueErrorOutput',
		});
		expect(out.map((o) => o.json.success)).toEqual([true, false, false, true]);
		expect(out[3].json).toMatchObject({ skipped: true });
		expect(out[0].error).toBeUndefined();
		expect(out[3].error).toBeUndefined();

		const notFound = out[1].error as NodeOperationError;
		expect(notFound).toBeInstanceOf(NodeOperationError);
		expect(notFound).not.toBeInstanceOf(NodeApiError);
		expect(notFound.message).toMatch(/^Item 2: NOT_FOUND on Email — /);
		expect(notFound.context.itemIndex).toBe(1);

		const tooLong = out[2].error as NodeOperationError;
		expect(tooLong).toBeInstanceOf(NodeOperationError);
		expect(tooLong.message).toMatch(/^Item 3: STRING_TOO_LONG on LastName — /);
		expect(tooLong.context.itemIndex).toBe(2);
		expect(out[2].json).toMatchObject({
			success: false,
			errors: [expect.objectContaining({ errorCode: 'STRING_TOO_LONG' })],
		});
		expect(Object.keys(out[2])).toEqual(['json', 'pairedItem']);
		expect(
			env.emu
				.records('Contact')
				.map((r) => r.LastName)
				.sort(),
		).toEqual(['A2', 'B']);
	});

	it('a message that already names the item is not prefixed twice (MISSING_MATCH_VALUE)', async () => {
		const out = await env.run({
			items: [{ lastName: 'X' }],
			operation: 'update',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [lastNameRow],
			onError: 'continueErrorOutput',
		});
		expect(out[0].error?.message).toBe(
			'Item 1: MISSING_MATCH_VALUE on Email — the match value (Email) is empty, so there is no record to update',
		);
	});
});

describe('the other On Error settings are unchanged', () => {
	it('Continue (regular output): failed items carry no error, only their result json', async () => {
		const out = await env.run(createSpec('continueRegularOutput'));
		expect(out.map((o) => o.json.success)).toEqual([true, true, false, true, true]);
		expect(out.every((o) => !('error' in o))).toBe(true);
		expect(out[2].json.error).toContain('REQUIRED_FIELD_MISSING');
	});

	it('Continue On Fail (legacy flag, no On Error): no error on items', async () => {
		const { onError: _unused, ...spec } = createSpec('continueRegularOutput');
		const out = await env.run({ ...spec, continueOnFail: true });
		expect(out.map((o) => o.json.success)).toEqual([true, true, false, true, true]);
		expect(out.every((o) => !('error' in o))).toBe(true);
	});

	it('Stop Workflow: the node fails with the same message', async () => {
		await expect(env.run(createSpec('stopWorkflow'))).rejects.toMatchObject({
			constructor: NodeApiError,
			message: expect.stringMatching(/^Item 3: REQUIRED_FIELD_MISSING on LastName — /),
			description: expect.stringContaining('4 of 5 item(s) WERE written'),
			context: expect.objectContaining({ itemIndex: 2 }),
		});
	});
});

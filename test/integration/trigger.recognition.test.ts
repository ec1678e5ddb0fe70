// Recognition, Field Paths and Required Fields through the real webhook() (trigger harness):
// what the sender is answered, what starts, and what each item says it recognised.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { post, startTrigger, type Harness } from './trigger-harness';

const FIXTURES = path.join(__dirname, '../fixtures/payloads');
const SAMPLES = path.join(__dirname, '../../examples/payloads');
const JSON_TYPE = { 'Content-Type': 'application/json' };

let harness: Harness | undefined;
async function start(parameters: Record<string, unknown>) {
	harness = await startTrigger({
		parameters: { authentication: 'none', ...parameters },
		credentials: null,
	});
	return harness;
}
afterEach(async () => {
	await harness?.close();
	harness = undefined;
});

const output = (h: Harness, index = 0, call = 0) =>
	(h.calls[call].result?.workflowData?.[index] ?? []).map(
		(i) => i.json as IDataObject & { recognition: IDataObject },
	);

describe('recognition on every item', () => {
	it('a Typeform form_response: NPS, comment and e-mail recognised, with their paths', async () => {
		const h = await start({});
		const answer = await post(
			h.url,
			readFileSync(path.join(FIXTURES, 'typeform-form-response.json')),
			JSON_TYPE,
		);
		expect(answer.status).toBe(200);
		const [item] = output(h);
		expect(item).toMatchObject({
			nps: { score: 4, category: 'detractor' },
			respondent: { email: 'marie.lefevre@example.fr' },
			recognition: { found: { 'nps.score': 'form_response.answers[0].number' } },
		});
	});
});

describe('Field Paths', () => {
	it('fixes what recognition missed (Help Scout NPS and comment)', async () => {
		const h = await start({
			fieldPaths: { npsScore: 'response.value', comment: 'raw.response.comment' },
		});
		await post(
			h.url,
			readFileSync(path.join(FIXTURES, 'helpscout-survey-response.json')),
			JSON_TYPE,
		);
		const [item] = output(h);
		expect(item).toMatchObject({
			nps: { score: 9, category: 'promoter' },
			comment: 'Très bon suivi.',
		});
		expect(item.recognition).toMatchObject({
			found: { 'nps.score': 'response.value', comment: 'response.comment' },
		});
	});

	it('an unreadable path is a 500 misconfiguration, after the delivery is verified, and nothing runs', async () => {
		const h = await start({ fieldPaths: { email: 'data..mail' } });
		const answer = await post(h.url, '{"a":1}', JSON_TYPE);
		expect(answer.status).toBe(500);
		expect((answer.json as { error: string }).error).toMatch(/Field Path for respondent.email/);
		expect(h.calls[0].result).toEqual({ noWebhookResponse: true });
	});
});

describe('Required Fields', () => {
	it('refuse (default): 422 naming the missing field, nothing starts', async () => {
		const h = await start({ requiredFields: ['respondent.email', 'nps.score'] });
		const answer = await post(
			h.url,
			readFileSync(path.join(FIXTURES, 'surveymonkey-response-completed.json')),
			JSON_TYPE,
		);
		expect(answer.status).toBe(422);
		expect(answer.json).toEqual({
			error:
				'the event misses required fields respondent.email, nps.score: nothing was started (set Field Paths in the trigger, or send them)',
			events: [{ index: 0, eventId: '10987654321', missing: ['respondent.email', 'nps.score'] }],
		});
		expect(h.calls[0].result).toEqual({ noWebhookResponse: true });
	});

	it('refuse: one incomplete event of a batch refuses the whole delivery', async () => {
		const h = await start({ requiredFields: ['nps.score'] });
		const batch = JSON.stringify([{ id: 'a', nps: 9 }, { id: 'b' }]);
		const answer = await post(h.url, batch, JSON_TYPE);
		expect(answer.status).toBe(422);
		expect((answer.json as { error: string }).error).toMatch(
			/^event #2 of the batch misses required field nps.score/,
		);
		expect(h.calls[0].result?.workflowData).toBeUndefined();
	});

	it('complete events pass: the sample payloads all have e-mail and NPS', async () => {
		const h = await start({ requiredFields: ['respondent.email', 'nps.score'] });
		const answer = await post(h.url, readFileSync(path.join(SAMPLES, 'batch.json')), JSON_TYPE);
		expect(answer.status).toBe(200);
		expect(output(h)).toHaveLength(3);
	});

	it('Unrecognized output: the delivery is accepted, events missing a field leave on output 2', async () => {
		const h = await start({ requiredFields: ['nps.score'], onMissing: 'output' });
		const batch = JSON.stringify([
			{ id: 'a', nps: 9 },
			{ id: 'b', email: 'x@y.z' },
			{ id: 'c', score: 3 },
		]);
		const answer = await post(h.url, batch, JSON_TYPE);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ received: 3, accepted: 3, unrecognized: 1 });
		expect(h.calls[0].result?.workflowData).toHaveLength(2);
		expect(output(h, 0).map((i) => i.eventId)).toEqual(['a', 'c']);
		const [miss] = output(h, 1);
		expect(miss).toMatchObject({ eventId: 'b', delivery: { index: 1, batchSize: 3 } });
		expect(miss.recognition.missing).toContain('nps.score');
	});

	it('Unrecognized output: all recognised gives an empty second output', async () => {
		const h = await start({ requiredFields: ['nps.score'], onMissing: 'output' });
		await post(h.url, '{"id":"a","nps":10}', JSON_TYPE);
		expect(h.calls[0].result?.workflowData?.map((o) => o.length)).toEqual([1, 0]);
	});
});

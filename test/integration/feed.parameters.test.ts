/**
 * Feed Application node × emulator: the per-item parameters read through feedItemParameters.
 * Plain `={{ $json… }}` references and templates are built by the node itself; the harness's
 * functions stand for the expressions n8n resolves (they are handed back to getNodeParameter,
 * per item and per row). A parameter that fails for one item gives that item a
 * PARAMETER_ERROR result and the others are written. (That n8n itself resolves the same values:
 * test/unit/parameters and the e2e suite.)
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DedupStore, FeedEnv, people } from './feed.helpers';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

describe('per-item parameters', () => {
	it('references and templates are read from each item, rows left to n8n keep their per-item value', async () => {
		const items: IDataObject[] = people(3).map((p) => ({
			...p,
			contact: { 'e-mail': String(p.email).toUpperCase() },
		}));
		const out = await env.run({
			items,
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: '={{ $json.respondentId }}',
			rows: [
				{ internalEntity: '={{ $json.lastName }}', remoteField: 'LastName' },
				{
					internalEntity: '={{ $json.contact["e-mail"] }}',
					remoteField: 'Email',
					transformation: 'lowercase',
				},
				{
					internalEntity: '=Score {{ $json.score }}/10 ({{ $json.missing }})',
					remoteField: 'Title',
				},
				{
					internalEntity: (i: number, item: INodeExecutionData) =>
						`n8n ${i} ${String(item.json.respondentId)}`,
					remoteField: 'Description',
				},
				{ internalEntity: 'Skeepers', remoteField: 'MailingCity' },
			],
		});
		expect(out.map((o) => o.json.success)).toEqual([true, true, true]);
		const byId = new Map(
			env.emu.records('Contact').map((c) => [String(c.Skeepers_Respondent_Id__c), c]),
		);
		items.forEach((p, i) => {
			expect(byId.get(String(p.respondentId))).toMatchObject({
				LastName: p.lastName,
				Email: p.email,
				Title: `Score ${String(p.score)}/10 ()`,
				Description: `n8n ${i} ${String(p.respondentId)}`,
				MailingCity: 'Skeepers',
			});
		});
	});

	it('a row that fails for one item: that item gets PARAMETER_ERROR naming it, the others are written', async () => {
		const out = await env.run({
			items: people(3),
			operation: 'create',
			rows: [
				{ internalEntity: '={{ $json.lastName }}', remoteField: 'LastName' },
				{
					internalEntity: (i: number) => {
						if (i === 1) throw new Error('cannot convert to number');
						return 'ok';
					},
					remoteField: 'Description',
				},
			],
			continueOnFail: true,
			options: { preflight: 'perItem' },
		});
		expect(out.map((o) => o.json.success)).toEqual([true, false, true]);
		expect(out[1].json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'PARAMETER_ERROR',
				message: 'Item 2: a parameter could not be read (cannot convert to number)',
			}),
		]);
		expect(
			env.emu
				.records('Contact')
				.map((c) => c.LastName)
				.sort(),
		).toEqual(['Person 0', 'Person 2']);
	});

	it('a match value or dedup key that fails for one item: PARAMETER_ERROR for that item only', async () => {
		const failingAt = (bad: number) => (i: number, item: INodeExecutionData) => {
			if (i === bad) throw new Error(`no value for item ${i}`);
			return item.json.respondentId;
		};
		const upsert = await env.run({
			items: people(3),
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: failingAt(0),
			rows: [{ internalEntity: '={{ $json.lastName }}', remoteField: 'LastName' }],
			continueOnFail: true,
			options: { preflight: 'perItem' },
		});
		expect(upsert.map((o) => o.json.success)).toEqual([false, true, true]);
		expect(upsert[0].json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'PARAMETER_ERROR',
				message: 'Item 1: a parameter could not be read (no value for item 0)',
			}),
		]);

		env.reset();
		const dedup = new DedupStore();
		const create = await env.run({
			items: people(3),
			operation: 'create',
			rows: [{ internalEntity: '={{ $json.lastName }}', remoteField: 'LastName' }],
			continueOnFail: true,
			dedup,
			options: { preflight: 'perItem', dedupKey: failingAt(2) },
		});
		expect(create.map((o) => o.json.success)).toEqual([true, true, false]);
		expect(create[2].json.errors).toEqual([
			expect.objectContaining({
				errorCode: 'PARAMETER_ERROR',
				message: 'Item 3: a parameter could not be read (no value for item 2)',
			}),
		]);
		expect([...dedup.set('workflow')].sort()).toEqual(['R000000', 'R000001']);
	});
});

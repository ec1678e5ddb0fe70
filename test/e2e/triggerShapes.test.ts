/**
 * The Skeepers Trigger's recognition inside a real n8n, both majors (2.41.1 and 1.123.81;
 * SKEEPERS_E2E_MAJORS=2 or 1 limits them), with this package installed from its tarball
 * (runtime/stack.ts). One stack per major, four workflows in it:
 *
 * - shapes: each documented webhook shape of test/fixtures/payloads/, signed with the webhook
 *   credential, to a trigger with no Required Fields → 200, one execution, and the trigger's item
 *   holds the values, `recognition.found` and `recognition.missing` of test/fixtures/payloadShapes.ts
 *   (the table the unit test checks), with the event whole in `raw`;
 * - Field Paths: NPS and comment read from `response.value` / `response.comment` of the Help
 *   Scout shape, which recognition alone misses (the comment's path given by an n8n expression),
 *   and `recognition.found` says so;
 * - Required Fields, refuse: the detractor-to-case example answers an event without NPS 422
 *   naming `nps.score`, and starts nothing (a complete delivery sent next is the only execution);
 * - Required Fields, Unrecognized output: a batch with one event without NPS → one execution, the
 *   complete events reach the node on output 1, the incomplete one the node on output 2.
 *
 * On 2.x, n8n runs with `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`, the setting the README gives
 * self-hosted admins for webhook volume (n8n then builds an expression isolate only when an
 * expression is evaluated): the Field Paths expression, the IF and the Feed Application of the
 * detractor example are evaluated under it. The stack test runs 2.x with n8n's defaults.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { replay } from '../../replay/replay';
import { ensureN8n, packPackage } from '../../runtime/n8n';
import {
	loadExampleWorkflows,
	PAYLOADS_DIR,
	startStack,
	TRIGGER_TYPE,
	type Stack,
	type StackWorkflow,
} from '../../runtime/stack';
import { PAYLOAD_FIXTURES, SHAPES } from '../fixtures/payloadShapes';
import { e2eMajors } from './majors';

const majors = e2eMajors();

let packDir: string;
let tarball: string;
let bodiesDir: string;

beforeAll(async () => {
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-e2e-shapes-pack-'));
	bodiesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-e2e-shapes-bodies-'));
	tarball = await packPackage({ outDir: packDir });
}, 10 * 60_000);

afterAll(() => {
	for (const dir of [packDir, bodiesDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

type Item = Record<string, any>;

/**
 * A workflow: a Skeepers Trigger (HMAC, the stack's webhook credential) with `parameters`, and
 * nodes after it. `typeVersion` 1.1 is what the editor adds now; 1 is what older workflows hold
 * (both must behave the same: n8n only parses the request differently, see the node's version).
 */
function triggerWorkflow(
	name: string,
	parameters: Record<string, unknown>,
	outputs: string[] = [],
	typeVersion = 1,
): object {
	const noOps = outputs.map((node, i) => ({
		id: randomUUID(),
		name: node,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [260, i * 200],
		parameters: {},
	}));
	return {
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Skeepers Trigger',
				type: TRIGGER_TYPE,
				typeVersion,
				position: [0, 0],
				parameters: {
					authentication: 'skeepersWebhookApi',
					filters: {},
					options: {},
					...parameters,
				},
				credentials: { skeepersWebhookApi: { id: 'x', name: 'x' } },
			},
			...noOps,
		],
		connections: outputs.length
			? { 'Skeepers Trigger': { main: outputs.map((node) => [{ node, type: 'main', index: 0 }]) } }
			: {},
	};
}

/** A body written to a file, so replay() sends and signs it like any payload file. */
function bodyFile(body: unknown): string {
	const file = path.join(bodiesDir, `${randomUUID()}.json`);
	fs.writeFileSync(file, JSON.stringify(body));
	return file;
}

describe.each(majors)('n8n %i.x: the Skeepers Trigger on documented payload shapes', (major) => {
	let stack: Stack | undefined;
	let flows: Record<'shapes' | 'paths' | 'detractor' | 'twoOutputs', StackWorkflow>;
	const log: string[] = [];
	const s = () => {
		if (!stack) throw new Error(`the stack did not start:\n${log.slice(-40).join('\n')}`);
		return stack;
	};

	/** One signed delivery (HMAC with the stack's secret): its status and answer. */
	const deliver = async (w: StackWorkflow, file: string) => {
		const r = await replay({ url: w.triggerUrl, paths: [file], secret: s().webhookSecret });
		const [d] = r.deliveries;
		return { status: d.status, body: d.response ? JSON.parse(d.response) : undefined };
	};
	const executionIds = async (w: StackWorkflow) =>
		(await s().executions.list({ workflowIds: [w.id] })).map((e) => String(e.id));
	/** The executions of `w` started since `before` (all finished); each with its run data. */
	const newExecutions = async (
		w: StackWorkflow,
		before: string[],
		o: { settleMs?: number } = {},
	) => {
		const done = await s().executions.waitFor(1, { workflowIds: [w.id], exclude: before, ...o });
		return await Promise.all(done.map((e) => s().executions.get(String(e.id))));
	};

	beforeAll(async () => {
		await ensureN8n(major);
		const detractor = loadExampleWorkflows().find((e) => e.file.endsWith('detractor-to-case.json'));
		if (!detractor) throw new Error('examples/workflows/detractor-to-case.json is missing');
		stack = await startStack({
			major,
			oauth: 'import',
			packageTarball: tarball,
			n8n: major === 2 ? { env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } } : undefined,
			workflows: [
				// the shapes at the current version, the other flows at 1
				triggerWorkflow('Shapes', {}, [], 1.1),
				triggerWorkflow('Field Paths', {
					// a path, and an n8n expression giving one (evaluated by n8n at delivery)
					fieldPaths: { npsScore: 'response.value', comment: "={{ 'response' + '.comment' }}" },
				}),
				detractor.workflow,
				triggerWorkflow(
					'Unrecognized output',
					{ requiredFields: ['nps.score'], onMissing: 'output' },
					['Recognized', 'Unrecognized'],
				),
			],
			log: (l) => log.push(l),
		});
		const [shapes, paths, detractorFlow, twoOutputs] = stack.workflows;
		flows = { shapes, paths, detractor: detractorFlow, twoOutputs };
	}, 10 * 60_000);

	afterAll(async () => {
		if (stack) await stack.stop();
	}, 60_000);

	test.each(Object.entries(SHAPES))(
		'shape %s: 200, one execution, the item has the values and recognition of the table',
		async (file, expected) => {
			const w = flows.shapes;
			const before = await executionIds(w);
			const answer = await deliver(w, path.join(PAYLOAD_FIXTURES, file));
			expect(answer).toEqual({ status: 200, body: { received: 1, accepted: 1 } });
			const [exec, ...others] = await newExecutions(w, before);
			expect(others).toEqual([]);
			expect(exec.status).toBe('success');
			const items = s().executions.nodeOutput(exec, 'Skeepers Trigger');
			expect(items).toHaveLength(1);
			const [item] = items as Item[];
			expect(item).toMatchObject(expected.view);
			expect(item.recognition.found).toMatchObject(expected.found);
			expect(item.recognition.missing).toEqual(expected.missing);
			const text = fs.readFileSync(path.join(PAYLOAD_FIXTURES, file), 'utf8');
			const sent = file.endsWith('.form')
				? Object.fromEntries(new URLSearchParams(text.trim()))
				: JSON.parse(text);
			expect(item.raw).toEqual(sent);
		},
	);

	test('Field Paths: NPS and comment of the Help Scout shape read where the user says (a path, an expression giving one), and recognition names the paths', async () => {
		const w = flows.paths;
		const file = path.join(PAYLOAD_FIXTURES, 'helpscout-survey-response.json');
		const before = await executionIds(w);
		expect((await deliver(w, file)).status).toBe(200);
		const [exec] = await newExecutions(w, before);
		const [item] = s().executions.nodeOutput(exec, 'Skeepers Trigger') as Item[];
		expect(item).toMatchObject({
			nps: { score: 9, category: 'promoter' },
			comment: 'Très bon suivi.',
		});
		expect(item.recognition.found).toMatchObject({
			'nps.score': 'response.value',
			comment: 'response.comment',
		});
		expect(item.recognition.missing).not.toContain('nps.score');
		expect(item.recognition.missing).not.toContain('comment');
	});

	test('Required Fields, refuse: the detractor-to-case example answers an event without NPS 422 naming nps.score, and starts nothing; a complete one is written', async () => {
		const w = flows.detractor;
		const sample = JSON.parse(
			fs.readFileSync(path.join(PAYLOADS_DIR, 'detractor-with-comment.json'), 'utf8'),
		);
		// the sample without its answers, where its NPS is
		const withoutNps = { ...sample, id: `evt-no-nps-${randomUUID()}` };
		delete withoutNps.answers;
		const before = await executionIds(w);

		const refused = await deliver(w, bodyFile(withoutNps));
		expect(refused.status).toBe(422);
		expect(refused.body.error).toContain('nps.score');
		expect(refused.body.events).toEqual([
			{ index: 0, eventId: withoutNps.id, missing: ['nps.score'] },
		]);

		// a complete delivery after it: once it has run, it is the only new execution
		const complete = { ...sample, id: `evt-complete-${randomUUID()}` };
		expect((await deliver(w, bodyFile(complete))).status).toBe(200);
		// (and, looked at again a few seconds later, still the only one)
		const execs = await newExecutions(w, before, { settleMs: 3000 });
		expect(execs).toHaveLength(1);
		const [item] = s().executions.nodeOutput(execs[0], 'Skeepers Trigger') as Item[];
		expect(item.eventId).toBe(complete.id);
		// and it went through the IF to both Feed Application nodes, which wrote to the org
		expect(execs[0].status).toBe('success');
		for (const node of ['Upsert Contact', 'Create Case'])
			expect(s().executions.nodeOutput(execs[0], node)).toMatchObject([{ success: true }]);
	});

	test('Required Fields, Unrecognized output: the complete events of a batch reach output 1, the one without NPS output 2', async () => {
		const w = flows.twoOutputs;
		const run = randomUUID().slice(0, 8);
		const batch = [
			{ id: `${run}-a`, email: 'a@example.fr', nps: 9 },
			{ id: `${run}-b`, email: 'b@example.fr', comment: 'pas de note' },
			{ id: `${run}-c`, email: 'c@example.fr', score: 3 },
		];
		const before = await executionIds(w);
		const answer = await deliver(w, bodyFile(batch));
		expect(answer).toEqual({
			status: 200,
			body: { received: 3, accepted: 3, unrecognized: 1 },
		});
		const [exec, ...others] = await newExecutions(w, before);
		expect(others).toEqual([]);
		expect(exec.status).toBe('success');
		const ids = (node: string) =>
			(s().executions.nodeOutput(exec, node) as Item[]).map((i) => i.eventId);
		expect(ids('Recognized')).toEqual([`${run}-a`, `${run}-c`]);
		expect(ids('Unrecognized')).toEqual([`${run}-b`]);
		const [incomplete] = s().executions.nodeOutput(exec, 'Unrecognized') as Item[];
		expect(incomplete.recognition.missing).toContain('nps.score');
		expect(incomplete.nps.score).toBeNull();
		const recognized = s().executions.nodeOutput(exec, 'Recognized') as Item[];
		expect(recognized.map((i) => i.nps.score)).toEqual([9, 3]);
	});
});

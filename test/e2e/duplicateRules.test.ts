/**
 * End-to-end on a real n8n, both majors: the detractor-to-case example on an org with the
 * standard Contact duplicate rule, which already holds the respondent as a Contact WITHOUT the
 * respondent ID (same first name, last name and e-mail). The example's Upsert Contact node, set
 * to each Duplicate Rules choice (and On Error → Continue (using error output)), gets the signed
 * detractor delivery:
 * - Block: the item reaches the error output with DUPLICATES_DETECTED naming the matched Contact;
 *   no second Contact, no Case;
 * - Save Anyway: a second Contact, and its Case;
 * - Use the Matched Record: the existing Contact gets the respondent ID, no second Contact, and
 *   the Case is on that Contact.
 *
 * SKEEPERS_E2E_MAJORS=2 (or 1) limits the majors.
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
	seedEmulator,
	startStack,
	type Stack,
	type StackWorkflow,
} from '../../runtime/stack';
import { e2eMajors } from './majors';

const majors = e2eMajors();

const PAYLOAD = path.join(PAYLOADS_DIR, 'detractor-with-comment.json');
/** The respondent of that payload, as the CRM already holds it (no Skeepers_Respondent_Id__c). */
const EXISTING = { FirstName: 'Léa', LastName: 'Dubois', Email: 'lea.dubois@example.fr' };
const RESPONDENT_ID = 'R-1003';
const CHOICES = ['block', 'allowSave', 'useMatched'] as const;
type Choice = (typeof CHOICES)[number];

/** The detractor-to-case example, its Upsert Contact set to `choice`, failures to a "Duplicate" node. */
function exampleWith(choice: Choice): object {
	const example = loadExampleWorkflows().find((w) => w.file.endsWith('detractor-to-case.json'));
	if (!example) throw new Error('examples/workflows/detractor-to-case.json is missing');
	const wf = JSON.parse(JSON.stringify(example.workflow)) as Record<string, any>;
	wf.name = `Duplicate Rules: ${choice}`;
	const upsert = (wf.nodes as Array<Record<string, any>>).find((n) => n.name === 'Upsert Contact');
	if (!upsert) throw new Error('the example has no Upsert Contact node');
	upsert.parameters.options = { ...upsert.parameters.options, duplicateRules: choice };
	upsert.onError = 'continueErrorOutput';
	wf.nodes.push({
		id: randomUUID(),
		name: 'Duplicate',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [900, 200],
		parameters: {},
	});
	const main = wf.connections['Upsert Contact'].main as unknown[][];
	wf.connections['Upsert Contact'].main = [
		main[0],
		[{ node: 'Duplicate', type: 'main', index: 0 }],
	];
	return wf;
}

let tarball: string;
let packDir: string;

beforeAll(async () => {
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-e2e-dup-pack-'));
	tarball = await packPackage({ outDir: packDir });
}, 10 * 60_000);

afterAll(() => {
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
});

describe.each(majors)('n8n %i.x: Duplicate Rules on the detractor-to-case example', (major) => {
	let stack: Stack | undefined;
	const log: string[] = [];
	const s = () => {
		if (!stack) throw new Error(`the stack did not start:\n${log.slice(-40).join('\n')}`);
		return stack;
	};
	const byChoice = new Map<Choice, StackWorkflow>();

	beforeAll(async () => {
		await ensureN8n(major);
		stack = await startStack({
			major,
			oauth: 'import',
			workflows: CHOICES.map(exampleWith),
			packageTarball: tarball,
			log: (l) => log.push(l),
		});
		for (const c of CHOICES) {
			const w = stack.workflows.find((x) => x.name === `Duplicate Rules: ${c}`);
			if (!w) throw new Error(`workflow for ${c} not imported`);
			byChoice.set(c, w);
		}
	}, 10 * 60_000);

	afterAll(async () => {
		if (stack) await stack.stop();
	}, 60_000);

	/** A fresh org holding the respondent's Contact; the delivery; the execution. */
	async function deliver(choice: Choice) {
		const st = s();
		st.emu.clearRecords();
		await seedEmulator(st.emu, { Contact: [EXISTING] });
		const [existing] = st.emu.records('Contact');
		const w = byChoice.get(choice) as StackWorkflow;
		const r = await replay({
			url: w.triggerUrl,
			paths: [PAYLOAD],
			mode: 'hmac',
			secret: st.webhookSecret,
			concurrency: 1,
		});
		expect(r.deliveries.map((d) => d.accepted)).toEqual([true]);
		const [e] = await st.executions.waitFor(1, { workflowIds: [w.id] });
		expect(e.status).toBe('success');
		const exec = await st.executions.get(String(e.id));
		return {
			existingId: String(existing.Id),
			ok: st.executions.nodeOutput(exec, 'Upsert Contact', 0),
			failed: st.executions.nodeOutput(exec, 'Upsert Contact', 1),
			contacts: st.emu.records('Contact'),
			cases: st.emu.records('Case'),
		};
	}

	test('Block: the error output names the matched Contact; no second Contact, no Case', async () => {
		const { existingId, ok, failed, contacts, cases } = await deliver('block');
		expect(ok).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(failed[0]).toMatchObject({
			success: false,
			matchedIds: [existingId],
			errors: [
				expect.objectContaining({
					errorCode: 'DUPLICATES_DETECTED',
					duplicateRule: 'Standard_Contact_Duplicate_Rule',
				}),
			],
		});
		expect(String(failed[0].error)).toContain(existingId);
		expect(contacts).toHaveLength(1);
		expect(contacts[0].Skeepers_Respondent_Id__c ?? null).toBeNull();
		expect(cases).toHaveLength(0);
	});

	test('Save Anyway: a second Contact with the respondent ID, and its Case', async () => {
		const { existingId, ok, failed, contacts, cases } = await deliver('allowSave');
		expect(failed).toEqual([]);
		expect(ok).toEqual([expect.objectContaining({ success: true, created: true })]);
		expect(ok[0].id).not.toBe(existingId);
		expect(contacts).toHaveLength(2);
		expect(contacts.find((c) => c.Id === ok[0].id)?.Skeepers_Respondent_Id__c).toBe(RESPONDENT_ID);
		expect(cases.map((c) => c.ContactId)).toEqual([ok[0].id]);
	});

	test('Use the Matched Record: the existing Contact gets the respondent ID, no second Contact, the Case is on it', async () => {
		const { existingId, ok, failed, contacts, cases } = await deliver('useMatched');
		expect(failed).toEqual([]);
		expect(ok).toEqual([
			expect.objectContaining({
				success: true,
				id: existingId,
				created: false,
				usedMatchedRecord: { id: existingId, rule: 'Standard_Contact_Duplicate_Rule' },
			}),
		]);
		expect(contacts).toHaveLength(1);
		expect(contacts[0]).toMatchObject({ Id: existingId, Skeepers_Respondent_Id__c: RESPONDENT_ID });
		expect(cases.map((c) => c.ContactId)).toEqual([existingId]);
	});
});

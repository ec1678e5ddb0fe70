/**
 * The package in the real n8n editor, in Chromium (Debian's /usr/bin/chromium via playwright-core).
 *
 * Per major (2.41.1 and 1.123.81): startStack() = the Salesforce emulator + n8n with this package
 * installed from its tarball (as Settings → Community Nodes does), the Salesforce credential
 * imported with an emulator token, the example workflows (examples/workflows/*.json) created and
 * activated. Then, as a user in the browser:
 *  - sign in as the owner;
 *  - canvas of the "detractor → Contact + Case" example: every node of ours is rendered with the
 *    icon the package serves (the <img> src is the type's iconUrl from /types/nodes.json, the
 *    response was 200 image/svg+xml, the image decoded), and none carries n8n's markers of a
 *    missing type (`[data-test-id="node-not-installed"]`, the "?" `nodeIconPlaceholder`) or a
 *    node issue (`[data-test-id="node-issues"]`). A control workflow proves those markers are the
 *    right ones on this release: an unknown type gets them, an unconfigured Feed Application gets
 *    node-issues;
 *  - Feed Application "Upsert Contact": Object, Operation, Match On (loaded from the emulator),
 *    Match Value and every Mapping row (Internal Entity / Remote Field / Transformation) show what
 *    the example file holds;
 *  - the Salesforce credential form (opened from that node): OAuth Redirect URL, Account connected,
 *    Client ID (= consumer key) / Client Secret, Environment (Production / Sandbox / My Domain),
 *    Grant Type (PKCE / authorization code / client credentials), Scope, and the Authorization /
 *    Token URLs behind the "Custom OAuth URLs" toggle (toggled off and on again);
 *  - a Skeepers Trigger with Required Fields [NPS Score], "Send to the Unrecognized Output" and a
 *    Field Path for the comment (a workflow imported for the test): the panel shows Field Paths,
 *    Required Fields and If a Required Field Is Missing with those values; the canvas draws the
 *    trigger with two outputs labelled Recognized and Unrecognized; after "Execute step" and a
 *    signed event without NPS sent to the Test URL, the output panel's Unrecognized branch shows the
 *    item's `recognition`: `missing` names nps.score, `found` the comment's Field Path.
 *
 * Screenshots go to screenshots/browser/ (git-ignored). SKEEPERS_UPDATE_DOCS=1 also copies the
 * 2.x canvas to docs/canvas.png (the README image). SKEEPERS_BROWSER_MAJORS=2 (or 1) limits the
 * majors (default: SKEEPERS_E2E_MAJORS, else both).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { DEMO_CLIENT } from '../../emulator';
import { replay } from '../../replay/replay';
import { OPERATION_LABELS } from '../../nodes/SkeepersFeedApplication/description';
import { transformationOptions } from '../../nodes/SkeepersFeedApplication/mapping/transformations';
import { ensureN8n, REPO_ROOT } from '../../runtime/n8n';
import { FEED_TYPE, startStack, TRIGGER_TYPE, type Stack } from '../../runtime/stack';
import {
	BROWSER_MAJORS,
	dismissChecklist,
	dropdownOptions,
	INSTALL_TIMEOUT,
	launchChromium,
	openWorkflow,
	packOncePerFile,
	settled,
	settledValue,
	shownValue,
	signIn,
	START_TIMEOUT,
	withDiagnostics,
	type Browser,
} from './browser';

const majors = BROWSER_MAJORS;
const STEP_TIMEOUT = 3 * 60_000;

const EXAMPLE_FILE = 'detractor-to-case.json';
const FEED_NODE = 'Upsert Contact';

/** The few DOM shapes used inside page.evaluate (the repo's tsconfig has no DOM lib). */
type Img = { complete: boolean; naturalWidth: number };
type PageElement = {
	textContent: string | null;
	querySelectorAll(s: string): ArrayLike<{ value: string }> & Iterable<{ value: string }>;
};
type PageDocument = { querySelector(s: string): PageElement | null };

type WorkflowJson = {
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, any>;
		credentials?: Record<string, unknown>;
	}>;
};

const example = JSON.parse(
	fs.readFileSync(path.join(REPO_ROOT, 'examples', 'workflows', EXAMPLE_FILE), 'utf8'),
) as WorkflowJson;
const feedNode = example.nodes.find((n) => n.name === FEED_NODE)!;
const TRANSFORMATION_LABEL = Object.fromEntries(
	transformationOptions().map((o) => [String(o.value), o.name]),
);

/**
 * Control workflow: an unknown type of our package, a Feed Application with nothing configured (no
 * credential, no object), and two nodes without notes whose subtitles the canvas shows.
 */
const controlWorkflow = {
	name: 'Browser test control: missing type and node issues',
	nodes: [
		{
			id: 'c1',
			name: 'Not Installed',
			type: 'n8n-nodes-skeepers.doesNotExist',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'c2',
			name: 'Unconfigured Feed',
			type: FEED_TYPE,
			typeVersion: 1,
			position: [300, 0],
			parameters: {},
		},
		// no notes in flow here (the examples show notes instead of subtitles)
		{
			id: 'c3',
			name: 'Subtitle Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 300],
			parameters: {},
		},
		{
			id: 'c4',
			name: 'Subtitle Feed',
			type: FEED_TYPE,
			typeVersion: 1,
			position: [300, 300],
			parameters: {
				object: { __rl: true, mode: 'name', value: 'Contact' },
				operation: 'upsert',
				matchField: 'Email',
				matchValue: 'x',
			},
		},
	],
	connections: {},
};

/**
 * A Skeepers Trigger alone: NPS required, events without it sent to the second output, and the
 * comment read from `response.comment` (a Field Path). The event sent to it has no NPS.
 */
const UNRECOGNIZED_TRIGGER = 'Skeepers Trigger';
const unrecognizedWorkflow = {
	name: 'Browser test: Required Fields and the Unrecognized output',
	nodes: [
		{
			id: 'u1',
			name: UNRECOGNIZED_TRIGGER,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				authentication: 'skeepersWebhookApi',
				fieldPaths: { comment: 'response.comment' },
				requiredFields: ['nps.score'],
				onMissing: 'output',
			},
			credentials: { skeepersWebhookApi: { id: 'x', name: 'x' } },
		},
	],
	connections: {},
};
const eventWithoutNps = {
	id: 'evt-browser-no-nps',
	email: 'sans.note@example.fr',
	response: { comment: 'Pas de note, juste un mot.' },
};

const pack = packOncePerFile('skeepers-browser-pack-', START_TIMEOUT);

describe.each(majors)('the n8n %i.x editor in Chromium', (major) => {
	let stack: Stack | undefined;
	let browser: Browser | undefined;
	let page: Page;
	let workflowId: string;
	let controlId: string;
	const log: string[] = [];
	const shot = (name: string, target?: Locator) =>
		browser!.screenshot(`n8n${major}-${name}`, target);
	const canvasNode = (name: string) =>
		page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

	beforeAll(async () => {
		await ensureN8n(major);
	}, INSTALL_TIMEOUT);

	beforeAll(async () => {
		stack = await startStack({
			major,
			oauth: 'import',
			workflows: 'examples',
			packageTarball: pack.tarball(),
			log: (l) => log.push(l),
		});
		const wf = stack.workflows.find((w) => w.file?.endsWith(EXAMPLE_FILE));
		if (!wf)
			throw new Error(
				`${EXAMPLE_FILE} was not imported: ${stack.workflows.map((w) => w.file).join(', ')}`,
			);
		workflowId = wf.id;
		[{ id: controlId }] = await stack.importWorkflows([controlWorkflow], { activate: false });
		browser = await launchChromium();
		page = browser.page;
	}, START_TIMEOUT);

	afterAll(async () => {
		try {
			await browser?.close();
		} finally {
			await stack?.stop();
		}
	}, 60_000);

	/** Adds what the browser and n8n said to a failure. */
	const step = (fn: () => Promise<void>) => withDiagnostics({ browser, log, shot }, fn);

	test(
		'signs in as the owner',
		async () => {
			await step(async () => {
				await signIn(page, stack!.n8n.url, stack!.n8n.owner);
				expect(new URL(page.url()).pathname).not.toMatch(/signin/);
			});
		},
		STEP_TIMEOUT,
	);

	test(
		'canvas: node subtitles (trigger authentication; Feed Application operation and object)',
		async () => {
			await step(async () => {
				await openWorkflow(page, stack!.n8n.url, controlId, controlWorkflow.nodes.length);
				// subtitles are computed after the node renders: read them once they show
				const subtitle = (name: string, expected: string) =>
					settled(
						() => canvasNode(name).innerText(),
						(t) => t.includes(expected),
					);
				expect(await subtitle('Subtitle Trigger', 'Authenticated deliveries')).toContain(
					'Authenticated deliveries',
				);
				expect(await subtitle('Subtitle Feed', `${OPERATION_LABELS.upsert}: Contact`)).toContain(
					`${OPERATION_LABELS.upsert}: Contact`,
				);
			});
		},
		STEP_TIMEOUT,
	);

	test(
		'control: n8n marks an unknown type with its placeholder and an unconfigured node with issues',
		async () => {
			await step(async () => {
				await openWorkflow(page, stack!.n8n.url, controlId, controlWorkflow.nodes.length);
				const missing = canvasNode('Not Installed');
				await missing.locator('[data-test-id="node-not-installed"]').waitFor({ state: 'attached' });
				await expect(missing.locator('[class*="nodeIconPlaceholder"]').innerText()).resolves.toBe(
					'?',
				);
				await expect(missing.locator('.n8n-node-icon img').count()).resolves.toBe(0);
				const unconfigured = canvasNode('Unconfigured Feed');
				await unconfigured.locator('[data-test-id="node-issues"]').waitFor({ state: 'attached' });
				await expect(unconfigured.locator('.n8n-node-icon img').count()).resolves.toBe(1);
				await shot('control-missing-type');
			});
		},
		STEP_TIMEOUT,
	);

	test(
		'canvas: our nodes render with the package icons, no missing-type placeholder, no issues',
		async () => {
			await step(async () => {
				const types = await stack!.n8n.rest.nodeTypes();
				const iconOf = (name: string) => {
					const t = types.find((x) => x.name === name) as
						| { iconUrl?: string | { light: string; dark: string } }
						| undefined;
					expect(t).toBeDefined();
					const u = typeof t!.iconUrl === 'string' ? t!.iconUrl : t!.iconUrl?.light;
					expect(u).toMatch(/^icons\/n8n-nodes-skeepers\/dist\/nodes\/.+\.svg$/);
					return `/${u}`;
				};

				await openWorkflow(page, stack!.n8n.url, workflowId, example.nodes.length);
				const ours = example.nodes.filter((n) => n.type === TRIGGER_TYPE || n.type === FEED_TYPE);
				expect(ours.length).toBeGreaterThanOrEqual(3);
				for (const n of ours) {
					const node = canvasNode(n.name);
					await expect(node.getAttribute('data-node-type')).resolves.toBe(n.type);
					const img = node.locator('.n8n-node-icon img');
					await img.waitFor({ state: 'visible' });
					const src = await img.getAttribute('src');
					expect(src).toBe(iconOf(n.type));
					await page.waitForFunction(
						(el) => (el as unknown as Img).complete,
						await img.elementHandle(),
						{ timeout: 30_000 },
					);
					const natural = await img.evaluate((el) => (el as unknown as Img).naturalWidth);
					expect(natural).toBeGreaterThan(0);
					const res = browser!.responses.get(new URL(src!, stack!.n8n.url).toString());
					expect(res).toEqual({
						status: 200,
						contentType: expect.stringMatching(/^image\/svg\+xml/),
					});
					await expect(node.locator('[data-test-id="node-not-installed"]').count()).resolves.toBe(
						0,
					);
					await expect(node.locator('[class*="nodeIconPlaceholder"]').count()).resolves.toBe(0);
					await expect(node.locator('[data-test-id="node-issues"]').count()).resolves.toBe(0);
					await expect(node.innerText()).resolves.toContain(n.name);
				}
				if (major === 2) await dismissChecklist(page);
				const file = await shot('canvas');
				if (major === 2 && process.env.SKEEPERS_UPDATE_DOCS === '1')
					fs.copyFileSync(file, path.join(REPO_ROOT, 'docs', 'canvas.png'));
			});
		},
		STEP_TIMEOUT,
	);

	test(
		`Feed Application "${FEED_NODE}": Object, Operation, Match On and the Mapping rows`,
		async () => {
			await step(async () => {
				const p = feedNode.parameters;
				await openWorkflow(page, stack!.n8n.url, workflowId, example.nodes.length);
				await canvasNode(FEED_NODE).dblclick();
				const ndv = page.locator('[data-test-id="ndv"]');
				await ndv.locator('[data-test-id="node-parameters"]').waitFor({ state: 'visible' });
				const param = (name: string) => ndv.locator(`[data-test-id="parameter-input-${name}"]`);

				// dynamic lists come from the emulator through the credential, and the editor renders
				// the collections (Mapping, More Match Keys) from a lazily loaded chunk, showing
				// "Loading fields..." meanwhile: wait until both are loaded
				await page.waitForFunction(
					() => {
						const ndvEl = (
							globalThis as unknown as { document: PageDocument }
						).document.querySelector('[data-test-id="ndv"]');
						if (!ndvEl) return false;
						const inputs = [...ndvEl.querySelectorAll('input')].map((i) => i.value);
						return (
							!inputs.some((v) => /Loading options/i.test(v)) &&
							!/Loading (options|fields)/i.test(ndvEl.textContent ?? '')
						);
					},
					undefined,
					{ timeout: 60_000 },
				);
				const text = (await ndv.locator('[data-test-id="node-parameters"]').innerText()).replace(
					/\s+/g,
					' ',
				);
				for (const label of [
					'Credential',
					'Object',
					'Operation',
					'Match On',
					'Match Value',
					'Mapping',
					'Internal Entity',
					'Remote Field',
					'Transformation',
					'Options',
				]) {
					expect(text).toContain(label);
				}
				// each value is read once it shows (lists load per input, after the panel opens), then asserted
				const shows = (input: Locator, expected: string) =>
					settledValue(input, (v) => v.includes(expected));
				expect(
					await shows(
						ndv.locator('[data-test-id="node-credentials-select"]'),
						stack!.credentials.salesforce.name,
					),
				).toContain(stack!.credentials.salesforce.name);
				expect(await shows(param('object'), p.object.value)).toContain(p.object.value);
				expect(
					await settledValue(param('operation'), (v) => v === OPERATION_LABELS[p.operation]),
				).toBe(OPERATION_LABELS[p.operation]);
				expect(await shows(param('matchField'), p.matchField)).toContain(p.matchField);
				await expect(shownValue(param('matchValue'))).resolves.toContain(
					String(p.matchValue).replace(/^=/, ''),
				);

				const rows = p.mapping.rows as Array<{
					internalEntity: string;
					remoteField: string;
					transformation: string;
				}>;
				await expect(param('internalEntity').count()).resolves.toBe(rows.length);
				await expect(param('remoteField').count()).resolves.toBe(rows.length);
				await expect(param('transformation').count()).resolves.toBe(rows.length);
				for (let i = 0; i < rows.length; i++) {
					const r = rows[i];
					// long expressions wrap inside the inline editor: compare without whitespace
					const squash = (s: string) => s.replace(/\s+/g, '');
					expect(squash(await shownValue(param('internalEntity').nth(i)))).toContain(
						squash(r.internalEntity.replace(/^=/, '')),
					);
					expect(await shows(param('remoteField').nth(i), r.remoteField)).toContain(r.remoteField);
					const label = TRANSFORMATION_LABEL[r.transformation ?? 'none'];
					expect(await settledValue(param('transformation').nth(i), (v) => v === label)).toBe(
						label,
					);
				}
				await shot('feed-application');
			});
		},
		STEP_TIMEOUT,
	);

	test(
		'Salesforce credential form: redirect URL, consumer key/secret, environment, grant type, custom URLs',
		async () => {
			await step(async () => {
				const ndv = page.locator('[data-test-id="ndv"]');
				if (!(await ndv.isVisible())) {
					await openWorkflow(page, stack!.n8n.url, workflowId, example.nodes.length);
					await canvasNode(FEED_NODE).dblclick();
				}
				await ndv.locator('[data-test-id="credential-edit-button"]').click();
				const dialog = page.locator('[data-test-id="editCredential-modal"]');
				await dialog.waitFor({ state: 'visible' });
				const field = (name: string) => dialog.locator(`[data-test-id="parameter-input-${name}"]`);
				await field('clientId').waitFor({ state: 'visible' });

				const head = (await dialog.innerText()).replace(/\s+/g, ' ');
				expect(head).toContain(stack!.credentials.salesforce.name);
				expect(head).toContain('Skeepers Salesforce OAuth2 API');
				// the credential's own icon, served by n8n from the package
				const icon = dialog
					.locator('img[src*="/icons/n8n-nodes-skeepers/dist/credentials/skeepersSalesforce"]')
					.first();
				await icon.waitFor({ state: 'visible' });
				await expect(
					icon.evaluate(
						(el) => (el as unknown as Img).complete && (el as unknown as Img).naturalWidth > 0,
					),
				).resolves.toBe(true);

				// the OAuth redirect (callback) URL n8n shows, and the connection state
				await expect(
					dialog.locator('[data-test-id="copy-input"]').first().innerText(),
				).resolves.toBe(`${stack!.n8n.url}/rest/oauth2-credential/callback`);
				await dialog
					.locator('[data-test-id="oauth-connect-success-banner"]')
					.waitFor({ state: 'visible' });

				// n8n labels clientId/clientSecret "Client ID"/"Client Secret" for every OAuth2 credential
				// (editor i18n `_reusableDynamicText.oauth2.*`), whatever displayName the type gives
				const label = async (name: string) =>
					(await dialog.locator(`[data-test-id="${name}"]`).first().innerText()).replace(
						/\s+/g,
						' ',
					);
				expect(await label('clientId')).toMatch(/Client ID|Consumer Key/);
				expect(await label('clientSecret')).toMatch(/Client Secret|Consumer Secret/);
				await expect(shownValue(field('clientId'))).resolves.toBe(DEMO_CLIENT.clientId);
				await expect(field('clientSecret').locator('input[type="password"]').count()).resolves.toBe(
					1,
				);
				await expect(shownValue(field('oauthScope'))).resolves.toContain('full');

				const options = (name: string) => dropdownOptions(page, field(name));
				await expect(shownValue(field('environment'))).resolves.toBe('Production');
				expect(await options('environment')).toEqual(['Production', 'Sandbox', 'My Domain']);
				await expect(shownValue(field('grantType'))).resolves.toBe('Authorization Code with PKCE');
				expect(await options('grantType')).toEqual([
					'Authorization Code with PKCE',
					'Authorization Code',
					'Client Credentials',
				]);
				await shot('credential', dialog);

				// Authorization / Token URL live behind the "Custom OAuth URLs" toggle: off hides them, on shows them
				const toggle = field('customUrls').locator('.el-switch');
				await toggle.scrollIntoViewIfNeeded();
				await expect(toggle.getAttribute('class')).resolves.toMatch(/is-checked/);
				await expect(shownValue(field('customAuthUrl'))).resolves.toBe(
					`${stack!.emu.url}/services/oauth2/authorize`,
				);
				await expect(shownValue(field('customAccessTokenUrl'))).resolves.toBe(
					`${stack!.emu.url}/services/oauth2/token`,
				);
				await toggle.click();
				await field('customAuthUrl').waitFor({ state: 'detached' });
				await field('customAccessTokenUrl').waitFor({ state: 'detached' });
				await toggle.click();
				await field('customAccessTokenUrl').waitFor({ state: 'visible' });
				await expect(shownValue(field('customAuthUrl'))).resolves.toBe(
					`${stack!.emu.url}/services/oauth2/authorize`,
				);
				const labels = (await dialog.innerText()).replace(/\s+/g, ' ');
				for (const l of [
					'Grant Type',
					'Environment',
					'Scope',
					'Custom OAuth URLs',
					'Authorization URL',
					'Token URL',
				])
					expect(labels).toContain(l);
				await field('customAccessTokenUrl').scrollIntoViewIfNeeded();
				await shot('credential-custom-urls', dialog);
			});
		},
		STEP_TIMEOUT,
	);

	test(
		'Skeepers Trigger: Field Paths, Required Fields, the Unrecognized output on the canvas, and recognition in a test event',
		async () => {
			await step(async () => {
				const n8nUrl = stack!.n8n.url;
				// run alone (-t), the sign-in test has not run
				if (!page.url().startsWith(n8nUrl)) await signIn(page, n8nUrl, stack!.n8n.owner);
				const [wf] = await stack!.importWorkflows([unrecognizedWorkflow], { activate: false });
				await openWorkflow(page, n8nUrl, wf.id, unrecognizedWorkflow.nodes.length);

				// the canvas: two output handles, labelled as the node's outputs expression says
				const trigger = canvasNode(UNRECOGNIZED_TRIGGER);
				const outputLabels = () =>
					trigger
						.locator('[data-test-id="canvas-node-output-handle"]')
						.evaluateAll((handles) =>
							handles.map(
								(h) =>
									`${h.getAttribute('data-index')}:${(h as unknown as { innerText: string }).innerText.trim()}`,
							),
						);
				expect(await settled(outputLabels, (l) => l.length === 2)).toEqual([
					'0:Recognized',
					'1:Unrecognized',
				]);
				await shot('trigger-unrecognized-output', trigger);

				// the panel: the three parameters and their values
				await trigger.dblclick();
				const ndv = page.locator('[data-test-id="ndv"]');
				const parameters = ndv.locator('[data-test-id="node-parameters"]');
				await parameters.waitFor({ state: 'visible' });
				const param = (name: string) => ndv.locator(`[data-test-id="parameter-input-${name}"]`);
				// the collections render from a lazily loaded chunk ("Loading fields..." meanwhile)
				const text = await settled(
					async () => (await parameters.innerText()).replace(/\s+/g, ' '),
					(t) => !/Loading fields/i.test(t),
				);
				for (const label of ['Field Paths', 'Required Fields', 'If a Required Field Is Missing'])
					expect(text).toContain(label);
				expect(await settledValue(param('comment'), (v) => v === 'response.comment')).toBe(
					'response.comment',
				);
				expect(await settledValue(param('requiredFields'), (v) => v.includes('NPS Score'))).toBe(
					'NPS Score',
				);
				expect(
					await settledValue(param('onMissing'), (v) => v === 'Send to the Unrecognized Output'),
				).toBe('Send to the Unrecognized Output');

				// a test event: "Execute step" listens on the Test URL; a signed event without NPS
				const body = path.join(pack.dir, 'event-without-nps.json');
				fs.writeFileSync(body, JSON.stringify(eventWithoutNps));
				const testUrl = wf.triggerUrl.replace('/webhook/', '/webhook-test/');
				await ndv.locator('[data-test-id="trigger-execute-button"]').first().click();
				// 404 until n8n has registered the test webhook
				const delivery = await settled(
					async () =>
						(await replay({ url: testUrl, paths: [body], secret: stack!.webhookSecret }))
							.deliveries[0],
					(d) => d.status !== 404,
				);
				expect({ status: delivery.status, body: JSON.parse(delivery.response) }).toEqual({
					status: 200,
					body: { received: 1, accepted: 1, unrecognized: 1 },
				});

				// the output panel: the Unrecognized branch holds the item, shown as JSON
				const output = ndv.locator('[data-test-id="output-panel"]');
				const branch = output
					.locator('[data-test-id="branches"]')
					.getByText(/Unrecognized Branch/)
					.first();
				expect(
					await settled(
						() => branch.innerText().catch(() => ''),
						(t) => t.includes('1 item'),
					),
				).toContain('1 item');
				await branch.click();
				// the JSON view renders only the lines in sight: a tall window shows the whole item
				const viewport = page.viewportSize();
				await page.setViewportSize({ width: viewport?.width ?? 1400, height: 2400 });
				try {
					await output.locator('[data-test-id="radio-button-json"]').first().click();
					const shown = () => output.innerText().then((t) => t.replace(/\s+/g, ' '));
					const missingNps = /"missing": \[[^\]]*"nps\.score"/;
					const json = await settled(shown, (t) => missingNps.test(t));
					expect(json).toContain(`"eventId": "${eventWithoutNps.id}"`);
					expect(json).toContain('"recognition": {');
					expect(json).toMatch(missingNps);
					expect(json).toMatch(/"found": \{[^}]*"comment": "response\.comment"/);
					expect(json).toMatch(/"nps": \{ "score": null/);
					await shot('trigger-unrecognized-output-panel', ndv);
				} finally {
					if (viewport) await page.setViewportSize(viewport);
				}
			});
		},
		STEP_TIMEOUT,
	);
});

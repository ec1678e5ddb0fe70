/**
 * End-to-end on a real n8n, both majors (2.41.1 / Node 24 and 1.123.81 / Node 22), with this
 * package installed from its tarball and the Salesforce emulator behind the credential
 * (runtime/stack.ts). One stack per major, reused by every test of the file:
 *
 * - types and icons of the package in n8n's editor API;
 * - the Salesforce credential made by the real OAuth authorization-code + PKCE flow through
 *   n8n's own endpoints, and n8n's credential test passing against the emulator;
 * - the Feed Application's dropdowns (object list search, Match On, Salesforce Field, Dedup Key
 *   Field) through the endpoints n8n's editor calls, with that credential;
 * - access tokens that die after a few API calls (emulator tokenTtlCalls) refreshed by n8n,
 *   with instance_url kept in the stored token data;
 * - the example workflows writing exactly the records the sample payloads call for, on an org
 *   seeded with examples/seed/ Contacts: the enrich-by-e-mail example updates exactly the seeded
 *   Contacts whose e-mail a promoter/passive respondent has, with the expected values, and turns
 *   every other such respondent into a per-item NOT_FOUND result on the node's error output (its
 *   "No Contact" branch) while the execution succeeds;
 * - a delivery with a bad signature → 401 and no execution;
 * - a redelivered event with the dedup option → no second Case; concurrent first deliveries
 *   with the dedup option → every execution succeeds;
 * - mapping rows the node reads itself (plain `$json` references and templates) next to
 *   expressions n8n resolves (methods, another node): the same records as when n8n resolves
 *   every expression;
 * - On Error → Continue (using error output): failed items (the node's own failures and
 *   Salesforce's) reach the error output's node with their result and the input's fields, the
 *   others the success output's, in a successful execution.
 *
 * SKEEPERS_E2E_MAJORS=2 (or 1) limits the majors.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ensureN8n, packPackage } from '../../runtime/n8n';
import {
	enrichmentMismatches,
	expectedRecords,
	type ExpectedRecords,
	campaignMismatches,
	caseLinkMismatches,
	detractorsCampaignId,
} from '../../runtime/demo-expected';
import {
	FEED_TYPE,
	loadExampleSeed,
	loadExampleWorkflows,
	PAYLOADS_DIR,
	seedEmulator,
	startStack,
	TRIGGER_TYPE,
	WEBHOOK_CREDENTIAL_TYPE,
	waitForWebhook,
	webhookCredentialData,
	type Stack,
	type StackWorkflow,
} from '../../runtime/stack';
import { replay } from '../../replay/replay';
import { e2eMajors } from './majors';

const majors = e2eMajors();

const TOKEN_TTL_CALLS = 7;
const payload = (name: string) => path.join(PAYLOADS_DIR, name);
const DETRACTOR_FILES = [
	'detractor-with-comment.json',
	'form-encoded.form',
	'missing-optional-fields.json',
	'batch.json',
	'non-ascii-names.json',
].map(payload);

let tarball: string;
let packDir: string;
let expected: ExpectedRecords;
const EXAMPLE_COUNT = loadExampleWorkflows().length;
/** fields the system sets on every write: not the workflow's doing */
const AUDIT_FIELDS = new Set(['LastModifiedDate', 'SystemModstamp', 'LastModifiedById']);

/** Webhook (POST `/webhook/<path>`) → Split Out of `body.items`: the head of the ad-hoc test workflows. */
function webhookToSplitOut(webhookPath: string): object[] {
	return [
		{
			id: randomUUID(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: { httpMethod: 'POST', path: webhookPath, options: {} },
		},
		{
			id: randomUUID(),
			name: 'Split Out',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.items', options: {} },
		},
	];
}

/** A Feed Application node using the stack's Salesforce credential (importWorkflows maps the placeholder). */
function feedNode(
	name: string,
	parameters: Record<string, unknown>,
	extra: { position?: [number, number]; onError?: string } = {},
): object {
	return {
		id: randomUUID(),
		name,
		type: FEED_TYPE,
		typeVersion: 1,
		position: extra.position ?? [440, 0],
		...(extra.onError ? { onError: extra.onError } : {}),
		parameters,
		credentials: { skeepersSalesforceOAuth2Api: { id: 'x', name: 'x' } },
	};
}

/** Posts `{ items }` to the workflow's webhook; its one execution must succeed: returns it with its run data. */
async function postItems(st: Stack, w: StackWorkflow, webhookPath: string, items: object[]) {
	const res = await fetch(st.webhookUrl(webhookPath), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ items }),
	});
	expect(res.status).toBe(200);
	const [e] = await st.executions.waitFor(1, { workflowIds: [w.id] });
	expect(e.status).toBe('success');
	return await st.executions.get(String(e.id));
}

beforeAll(async () => {
	packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-e2e-stack-pack-'));
	tarball = await packPackage({ outDir: packDir });
	expected = await expectedRecords([PAYLOADS_DIR], loadExampleSeed());
}, 10 * 60_000);

afterAll(() => {
	if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
});

describe.each(majors)('n8n %i.x with n8n-nodes-skeepers and the Salesforce emulator', (major) => {
	let stack: Stack | undefined;
	/** the Contacts of examples/seed/, as the emulator held them before any delivery */
	let seeded: Array<Record<string, any>> = [];
	const log: string[] = [];
	const s = () => {
		if (!stack) throw new Error(`the stack did not start:\n${log.slice(-40).join('\n')}`);
		return stack;
	};
	const wf = (nameStart: string): StackWorkflow => {
		const w = s().workflows.find((x) => x.name.includes(nameStart));
		if (!w) throw new Error(`no workflow ${nameStart}`);
		return w;
	};

	beforeAll(async () => {
		await ensureN8n(major);
		stack = await startStack({
			major,
			oauth: 'flow',
			workflows: 'examples',
			seed: 'examples',
			packageTarball: tarball,
			emulator: { tokenTtlCalls: TOKEN_TTL_CALLS },
			log: (l) => log.push(l),
		});
		seeded = stack.emu.records('Contact') as Array<Record<string, any>>;
	}, 10 * 60_000);

	afterAll(async () => {
		if (stack) await stack.stop();
	}, 60_000);

	test("the package's node and credential types are in the editor, with their icons", async () => {
		const n = s().n8n;
		const types = await n.rest.nodeTypes();
		for (const name of [TRIGGER_TYPE, FEED_TYPE]) {
			const t = types.find((x) => x.name === name) as
				| { iconUrl?: string | { light: string; dark: string } }
				| undefined;
			expect(t).toBeDefined();
			const icons =
				typeof t!.iconUrl === 'string' ? [t!.iconUrl] : [t!.iconUrl!.light, t!.iconUrl!.dark];
			for (const icon of icons) {
				expect(icon).toMatch(/^icons\/n8n-nodes-skeepers\/dist\/nodes\/.+\.svg$/);
				const res = await n.rest.fetch(`/${icon}`);
				expect(res.status).toBe(200);
				expect(res.headers.get('content-type')).toMatch(/svg/);
				expect(await res.text()).toContain('<svg');
			}
		}
		const creds = (await n.rest.credentialTypes()).map((t) => t.name);
		expect(creds).toEqual(
			expect.arrayContaining(['skeepersSalesforceOAuth2Api', 'skeepersWebhookApi']),
		);
	});

	test('the OAuth flow ran with PKCE (S256) through n8n and the credential test passes against the emulator', async () => {
		const st = s();
		expect(st.oauthFlow).toMatchObject({
			codeChallengeMethod: 'S256',
			hasCodeChallenge: true,
			callbackStatus: 200,
		});
		const auth = new URL(st.oauthFlow!.authUrl);
		expect(auth.origin).toBe(st.emu.url);
		expect(auth.searchParams.get('redirect_uri')).toBe(
			`${st.n8n.url}/rest/oauth2-credential/callback`,
		);
		expect(auth.searchParams.get('client_id')).toBe('skeepers-demo-client');
		await expect(st.n8n.rest.testCredential(st.credentials.salesforce.id)).resolves.toMatchObject({
			status: 'OK',
		});
		const data = await st.salesforceCredentialData();
		expect(data.oauthTokenData).toMatchObject({ instance_url: st.emu.url, token_type: 'Bearer' });
		expect(typeof data.oauthTokenData.refresh_token).toBe('string');
		expect(st.emu.counters().byKind['oauth.token']).toBeGreaterThanOrEqual(1);
	});

	test("the node's dropdowns through n8n's editor endpoints: objects, Match On, Salesforce Field and Dedup Key Field from the org", async () => {
		const st = s();
		const { id, name } = st.credentials.salesforce;
		/** the body the editor posts to /rest/dynamic-node-parameters/* for a parameter of the Feed Application */
		const request = (
			path: string,
			methodName: string,
			parameters: Record<string, unknown>,
			extra: object = {},
		) => ({
			path,
			methodName,
			nodeTypeAndVersion: { name: FEED_TYPE, version: 1 },
			currentNodeParameters: { operation: 'create', options: {}, ...parameters },
			credentials: { skeepersSalesforceOAuth2Api: { id, name } },
			...extra,
		});
		const object = (value: string) => ({ object: { __rl: true, mode: 'list', value } });
		type Option = { name: string; value: string; description?: string };
		const options = async (path: string, methodName: string, parameters: Record<string, unknown>) =>
			await st.n8n.rest.post<Option[]>(
				'/dynamic-node-parameters/options',
				request(path, methodName, parameters),
			);
		const values = (list: Option[]) => list.map((o) => o.value);

		// Object → From List: the typed text filters, and read-only objects (ContactHistory) are left out
		const search = async (filter: string) =>
			await st.n8n.rest.post<{ results: Option[] }>(
				'/dynamic-node-parameters/resource-locator-results',
				request('object', 'searchObjects', object(''), { filter }),
			);
		expect(await search('contact')).toMatchObject({
			results: [{ name: 'Contact (Contact)', value: 'Contact' }],
		});
		const all = values((await search('')).results);
		expect(all).toEqual(
			expect.arrayContaining(['Account', 'Case', 'Contact', 'Lead', 'Skeepers_Feedback__c']),
		);
		expect(all).not.toContain('ContactHistory');

		expect(
			await options('matchField', 'getMatchFields', { ...object('Contact'), operation: 'update' }),
		).toEqual([
			{ name: 'Record ID', value: 'Id', description: 'Salesforce record ID' },
			{
				name: 'Skeepers Respondent Id (Skeepers_Respondent_Id__c)',
				value: 'Skeepers_Respondent_Id__c',
				description: 'External ID',
			},
			{ name: 'Email (Email)', value: 'Email', description: 'Lookup field (matched with SOQL)' },
		]);
		const caseFields = values(
			await options('mapping.rows.remoteField', 'getWritableFields', object('Case')),
		);
		expect(caseFields).toEqual(
			expect.arrayContaining(['Subject', 'Description', 'Skeepers_Event_Id__c', 'ContactId']),
		);
		for (const readOnly of [
			'Id',
			'CaseNumber',
			'CreatedDate',
			'LastModifiedDate',
			'SystemModstamp',
			'IsDeleted',
		])
			expect(caseFields).not.toContain(readOnly);
		expect(await options('options.dedupKeyField', 'getDedupKeyFields', object('Case'))).toEqual([
			{
				name: 'Skeepers Event Id (Skeepers_Event_Id__c)',
				value: 'Skeepers_Event_Id__c',
				description: 'Unique string(64), external ID',
			},
		]);

		// no object chosen yet: nothing asked of Salesforce
		const describes = st.emu.counters().byKind['describe.sobject'] ?? 0;
		expect(await options('matchField', 'getMatchFields', object(''))).toEqual([
			{ name: 'Record ID', value: 'Id' },
		]);
		expect(await options('options.dedupKeyField', 'getDedupKeyFields', object(''))).toEqual([]);
		expect(st.emu.counters().byKind['describe.sobject'] ?? 0).toBe(describes);
	});

	test('the example workflows write exactly the records the sample payloads call for (tokens expiring mid-run)', async () => {
		const st = s();
		const tokenBefore = (await st.salesforceCredentialData()).oauthTokenData.access_token;
		const refreshesBefore = st.emu.counters().refreshes;
		const urls = st.workflows.map((w) => w.triggerUrl);
		expect(urls).toHaveLength(EXAMPLE_COUNT);
		expect(EXAMPLE_COUNT).toBe(4);
		expect(seeded.map((c) => c.Email).sort()).toEqual(
			loadExampleSeed()
				.Contact.map((c) => c.Email)
				.sort(),
		);
		// one workflow after the other, each one's executions finished before the next starts, so
		// what a workflow finds in Salesforce is fixed (the Contacts that Skeepers_Feedback__c links)
		for (const [i, url] of urls.entries()) {
			const r = await replay({
				url,
				paths: [PAYLOADS_DIR],
				mode: 'hmac',
				secret: st.webhookSecret,
				concurrency: 1,
			});
			expect(
				r.deliveries.filter((d) => !d.accepted).map((d) => [d.file, d.status, d.response]),
			).toEqual([]);
			expect(r.sent).toBe(expected.deliveries);
			await st.executions.waitFor(expected.deliveries * (i + 1), {
				workflowIds: st.workflows.map((w) => w.id),
				timeoutMs: 180_000,
			});
		}
		expect(st.workflows.at(-1)?.file).toMatch(/feedback-to-custom-object\.json$/);
		const execs = await st.executions.waitFor(expected.deliveries * EXAMPLE_COUNT, {
			workflowIds: st.workflows.map((w) => w.id),
			timeoutMs: 180_000,
		});
		const failed = execs.filter((e) => e.status !== 'success');
		for (const e of failed.slice(0, 3))
			log.push(JSON.stringify((await st.executions.get(String(e.id))).data.resultData.error));
		expect(failed.map((e) => [e.workflowId, e.status])).toEqual([]);
		expect(execs).toHaveLength(expected.deliveries * EXAMPLE_COUNT);

		// exact counts per object
		for (const [object, count] of Object.entries(expected.counts))
			expect([object, st.emu.records(object).length]).toEqual([object, count]);

		const contacts = st.emu.records('Contact') as Array<Record<string, any>>;
		// detractors' Contacts (upsert by respondent id) + the seeded Contacts, some now linked to their respondent
		const seededIds = new Set(seeded.map((c) => c.Id));
		expect(
			contacts
				.filter((c) => !seededIds.has(c.Id))
				.map((c) => c.Skeepers_Respondent_Id__c)
				.sort(),
		).toEqual([...expected.detractors].sort());
		expect(contacts.filter((c) => seededIds.has(c.Id))).toHaveLength(seeded.length);
		const dubois = contacts.find((c) => c.Skeepers_Respondent_Id__c === 'R-1003')!;
		expect(dubois).toMatchObject({
			LastName: 'Dubois',
			FirstName: 'Léa',
			Email: 'lea.dubois@example.fr',
			Phone: '0612345603',
			MobilePhone: '+33612345603',
			NPS_Score__c: 3,
			NPS_Category__c: 'Detractor',
		});
		// no last name in the payload: the e-mail stands in; a Danish number is not forced into 06…
		expect(contacts.find((c) => c.Skeepers_Respondent_Id__c === 'R-1010')).toMatchObject({
			LastName: 'sam.lambert@example.fr',
			NPS_Category__c: 'Detractor',
		});
		expect(contacts.find((c) => c.Skeepers_Respondent_Id__c === 'R-1011')).toMatchObject({
			LastName: 'Ærøskøbing',
			MobilePhone: '+4520123411',
		});

		const cases = st.emu.records('Case') as Array<Record<string, any>>;
		for (const c of cases)
			expect(c).toMatchObject({ Priority: 'High', Origin: 'Web', Status: 'New' });
		// each Case is on its own respondent's Contact: the example links it by the respondent's
		// external ID (Contact.Skeepers_Respondent_Id__c), which Salesforce resolves to the Id
		expect(caseLinkMismatches(cases, contacts, expected)).toEqual([]);
		// … and each detractor's Contact joined the "Detractors follow-up" campaign as "To call back"
		expect(
			campaignMismatches(
				st.emu.records('CampaignMember'),
				contacts,
				detractorsCampaignId(),
				expected,
			),
		).toEqual([]);
		const duboisCase = cases.find((c) => c.ContactId === dubois.Id)!;
		expect(duboisCase.Subject).toBe('NPS 3/10 from Léa Dubois');
		expect(duboisCase.Description).toContain('Colis arrivé abîmé');
		expect(duboisCase.Description).toContain('evt_20250314_0003');
		// Dedup Key Field: each Case holds its event id (hashed ids without `sha256:`) in the unique field
		const detractorEvents = expected.events
			.filter((e) => e.nps.score !== null && e.nps.score <= 6)
			.map((e) => String(e.eventId).replace(/^sha256:/, ''));
		expect(cases.map((c) => c.Skeepers_Event_Id__c).sort()).toEqual(
			[...new Set(detractorEvents)].sort(),
		);
		expect(duboisCase.Skeepers_Event_Id__c).toBe('evt_20250314_0003');

		const leads = st.emu.records('Lead') as Array<Record<string, any>>;
		expect(leads[0]).toMatchObject({
			Skeepers_Respondent_Id__c: 'R-1004',
			LastName: 'Petit',
			Company: 'Boulangerie Petit',
			Email: 'nadia.petit@example.fr',
			Phone: '+33781223304',
		});

		const feedback = st.emu.records('Skeepers_Feedback__c') as Array<Record<string, any>>;
		expect(feedback.map((f) => f.Event_Id__c).sort()).toEqual(
			[...expected.feedbackEventIds].sort(),
		);
		const fb3 = feedback.find((f) => f.Event_Id__c === 'evt_20250314_0003')!;
		expect(JSON.parse(fb3.Raw_Payload__c)).toEqual(
			JSON.parse(fs.readFileSync(payload('detractor-with-comment.json'), 'utf8')),
		);
		expect(fb3).toMatchObject({
			Respondent_Id__c: 'R-1003',
			NPS_Score__c: 3,
			NPS_Category__c: 'Detractor',
			Campaign__c: 'NPS post-achat 2025',
		});
		// Contact__c: the respondent's Contact, found by its external ID (Missing Parents: Leave the
		// Lookup Empty). The feedback workflow ran last: a respondent with a Contact by then (a
		// detractor's, or a seeded one the enrich workflow linked) gets it; one without keeps the
		// feedback, unlinked, and its result names the parent.
		const contactOfRespondent = new Map(
			(st.emu.records('Contact') as Array<Record<string, any>>)
				.filter((c) => c.Skeepers_Respondent_Id__c)
				.map((c) => [c.Skeepers_Respondent_Id__c, c.Id]),
		);
		const links = feedback.map((f) => [f.Respondent_Id__c, f.Contact__c ?? null]);
		expect(links).toEqual(
			feedback.map((f) => [
				f.Respondent_Id__c,
				contactOfRespondent.get(f.Respondent_Id__c) ?? null,
			]),
		);
		expect(links.filter(([, c]) => c).length).toBeGreaterThan(0);
		expect(links.filter(([r, c]) => r && !c).length).toBeGreaterThan(0);
		const fw = st.workflows.find((x) => x.file?.endsWith('feedback-to-custom-object.json'));
		if (!fw) throw new Error('feedback-to-custom-object.json was not imported');
		const stored: Array<Record<string, any>> = [];
		for (const e of await st.executions.list({ workflowIds: [fw.id] }))
			stored.push(
				...st.executions.nodeOutput(await st.executions.get(String(e.id)), 'Store Feedback', 0),
			);
		expect(stored.every((r) => r.success === true)).toBe(true);
		const feedbackById = new Map(feedback.map((f) => [f.Id, f]));
		for (const r of stored) {
			const record = feedbackById.get(r.id);
			expect(r.parentsNotFound).toEqual(
				!record?.Contact__c && record?.Respondent_Id__c
					? [
							{
								field: 'Contact__r.Skeepers_Respondent_Id__c',
								value: record.Respondent_Id__c,
								object: 'Contact',
							},
						]
					: undefined,
			);
		}
		// tokens died every TOKEN_TTL_CALLS calls: n8n refreshed them and kept instance_url
		expect(st.emu.counters().refreshes).toBeGreaterThan(refreshesBefore);
		const after = (await st.salesforceCredentialData()).oauthTokenData;
		expect(after.access_token).not.toBe(tokenBefore);
		expect(after.instance_url).toBe(st.emu.url);
		expect(typeof after.refresh_token).toBe('string');
	});

	test('enrich by e-mail: the seeded Contacts matched by e-mail get exactly the survey facts, unmatched respondents are NOT_FOUND results of successful executions', async () => {
		const st = s();
		const w = st.workflows.find((x) => x.file?.endsWith('enrich-contact-by-email.json'));
		if (!w) throw new Error('enrich-contact-by-email.json was not imported');
		// the samples + seed exercise both sides (derived from the files, so this guards the fixture)
		expect(expected.enriched.length).toBeGreaterThan(0);
		expect(expected.unmatched.length).toBeGreaterThan(0);

		const contacts = st.emu.records('Contact') as Array<Record<string, any>>;
		const byId = new Map(contacts.map((c) => [c.Id, c]));
		const enrichedEmails = new Set(expected.enriched.map((e) => e.email));
		for (const before of seeded) {
			const after = byId.get(before.Id)!;
			const want = expected.enriched.find((e) => e.email === before.Email);
			if (!want) {
				// a seeded Contact no respondent matches is left exactly as it was
				expect(after).toEqual(before);
				continue;
			}
			expect([before.Email, enrichmentMismatches(after, want)]).toEqual([before.Email, []]);
			// the survey date is the event's own (every matched sample has one)
			expect(want.fields.Last_Survey_Date__c).not.toBeNull();
			// nothing else of the Contact changed (names, e-mail in its own case, title…)
			const untouched = (c: Record<string, any>) =>
				Object.fromEntries(
					Object.entries(c).filter(([k]) => !(k in want.fields) && !AUDIT_FIELDS.has(k)),
				);
			expect(untouched(after)).toEqual(untouched(before));
		}
		expect(seeded.filter((c) => enrichedEmails.has(c.Email))).toHaveLength(
			expected.enriched.length,
		);
		// Add to Multi-Select: the agents' flags kept, the respondent's added in the org's values
		const leroy = byId.get(seeded.find((c) => c.Email === 'Thomas.Leroy@Example.fr')!.Id)!;
		expect(leroy.Skeepers_Flags__c).toBe('VIP;Newsletter;To call back');

		// every delivery ran the workflow to success; the node's per-item results say what happened
		const execs = await st.executions.list({ workflowIds: [w.id] });
		expect(execs.map((e) => e.status)).toEqual(Array(expected.deliveries).fill('success'));
		// On Error → Continue (using error output): written Contacts on the success output, failures on the error output
		const ok: Array<Record<string, any>> = [];
		const failed: Array<Record<string, any>> = [];
		const noContact: Array<Record<string, any>> = [];
		for (const e of execs) {
			const detail = await st.executions.get(String(e.id));
			ok.push(...st.executions.nodeOutput(detail, 'Update Contact by e-mail', 0));
			failed.push(...st.executions.nodeOutput(detail, 'Update Contact by e-mail', 1));
			noContact.push(...st.executions.nodeOutput(detail, 'No Contact for this e-mail'));
		}
		const seededIdByEmail = new Map(seeded.map((c) => [String(c.Email).toLowerCase(), c.Id]));
		expect(ok.map((u) => u.id).sort()).toEqual(
			expected.enriched.map((e) => seededIdByEmail.get(e.email.toLowerCase())).sort(),
		);
		for (const u of ok)
			expect(u).toMatchObject({
				success: true,
				created: false,
				operation: 'update',
				object: 'Contact',
				action: 'update',
				errors: [],
			});
		expect(failed).toHaveLength(expected.unmatched.length);
		for (const u of failed) {
			// the result, merged over the trigger's item (n8n adds the input's fields on the error output)
			expect(u).toMatchObject({
				success: false,
				id: null,
				created: false,
				errors: [{ errorCode: 'NOT_FOUND', fields: ['Email'] }],
				respondent: { email: expect.any(String) },
			});
			expect(u.error).toBe(
				`NOT_FOUND (Email): No Contact record has Email = "${u.respondent.email}"`,
			);
		}
		expect(noContact.map((n) => [n.respondentId, n.email, n.errorCode]).sort()).toEqual(
			expected.unmatched.map((u) => [u.respondentId, u.email, u.errorCode]).sort(),
		);
		for (const n of noContact)
			expect(n.reason).toBe(`NOT_FOUND (Email): No Contact record has Email = "${n.email}"`);
		// detractors never reach the update
		expect(ok.length + failed.length).toBe(expected.enriched.length + expected.unmatched.length);
	});

	test('a token revoked between runs is refreshed and the next run lands its records', async () => {
		const st = s();
		st.emu.expireAllTokens();
		const refreshes = st.emu.counters().refreshes;
		const before = await st.executions.list({ workflowIds: [wf('abandoned cart').id] });
		st.emu.records('Lead'); // (just readable)
		const r = await replay({
			url: wf('abandoned cart').triggerUrl,
			paths: [payload('abandoned-cart.json')],
			mode: 'hmac',
			secret: st.webhookSecret,
		});
		expect(r.status2xx).toBe(1);
		const [e] = await st.executions.waitFor(1, {
			workflowIds: [wf('abandoned cart').id],
			exclude: before.map((x) => String(x.id)),
		});
		expect(e.status).toBe('success');
		expect(st.emu.counters().refreshes).toBeGreaterThan(refreshes);
		expect((await st.salesforceCredentialData()).oauthTokenData.instance_url).toBe(st.emu.url);
		expect(st.emu.records('Lead')).toHaveLength(1); // updated, not duplicated
	});

	test('a delivery with a bad signature gets 401 and starts no execution', async () => {
		const st = s();
		const before = (await st.executions.list()).length;
		const bad = await replay({
			url: wf('detractor').triggerUrl,
			paths: [payload('detractor-with-comment.json')],
			mode: 'hmac',
			secret: 'not-the-secret-0123456789',
		});
		expect(bad.deliveries[0].status).toBe(401);
		const unsigned = await replay({
			url: wf('detractor').triggerUrl,
			paths: [payload('detractor-with-comment.json')],
			mode: 'none',
		});
		expect(unsigned.deliveries[0].status).toBe(401);
		await new Promise((r) => setTimeout(r, 1500));
		expect((await st.executions.list()).length).toBe(before);
	});

	test('a redelivered event with the dedup option creates no second Case', async () => {
		const st = s();
		const w = wf('detractor');
		const cases = st.emu.records('Case').length;
		const before = await st.executions.list({ workflowIds: [w.id] });
		const r = await replay({
			url: w.triggerUrl,
			paths: [payload('detractor-with-comment.json')],
			mode: 'hmac',
			secret: st.webhookSecret,
		});
		expect(r.status2xx).toBe(1);
		const [e] = await st.executions.waitFor(1, {
			workflowIds: [w.id],
			exclude: before.map((x) => String(x.id)),
		});
		expect(e.status).toBe('success');
		const detail = await st.executions.get(String(e.id));
		const out = st.executions.nodeOutput(detail, 'Create Case');
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({
			skipped: true,
			dedup: { key: 'evt_20250314_0003', skipped: true },
		});
		expect(st.emu.records('Case')).toHaveLength(cases);
		expect(st.executions.nodeOutput(detail, 'Upsert Contact')[0]).toMatchObject({
			success: true,
			created: false,
		});
	});

	test('concurrent first deliveries to a workflow with the dedup option all succeed and each creates its Case', async () => {
		const st = s();
		const detractorWf = loadExampleWorkflows().find((x) => x.file.includes('detractor'))!.workflow;
		// n8n's store only (no Dedup Key Field): the example's Cases already hold these event ids in
		// Case.Skeepers_Event_Id__c, which is unique org-wide, so with the field this copy would
		// (rightly) skip every event; this test is about n8n's store under concurrent first deliveries
		const keyOnly = JSON.parse(JSON.stringify(detractorWf)) as typeof detractorWf;
		for (const n of keyOnly.nodes as Array<{
			name: string;
			parameters: { options?: Record<string, unknown> };
		}>) {
			if (n.name === 'Create Case') delete n.parameters.options?.dedupKeyField;
		}
		const [w] = await st.importWorkflows([
			{ ...keyOnly, name: `${detractorWf.name} (concurrency)` },
		]);
		const cases = st.emu.records('Case').length;
		const r = await replay({
			url: w.triggerUrl,
			paths: DETRACTOR_FILES,
			mode: 'hmac',
			secret: st.webhookSecret,
			concurrency: DETRACTOR_FILES.length,
		});
		expect(
			r.deliveries.filter((d) => !d.accepted).map((d) => [d.file, d.status, d.response]),
		).toEqual([]);
		const execs = await st.executions.waitFor(DETRACTOR_FILES.length, {
			workflowIds: [w.id],
			timeoutMs: 120_000,
		});
		const errors: string[] = [];
		for (const e of execs.filter((x) => x.status !== 'success')) {
			const d = await st.executions.get(String(e.id));
			errors.push(String(d.data.resultData.error?.message));
		}
		expect(errors).toEqual([]);
		// a new workflow has its own dedup memory: one new Case per detractor event
		expect(st.emu.records('Case').length - cases).toBe(expected.counts.Case);
		// and it remembers all of them: a second round creates nothing
		const again = await replay({
			url: w.triggerUrl,
			paths: DETRACTOR_FILES,
			mode: 'hmac',
			secret: st.webhookSecret,
			concurrency: 1,
		});
		expect(again.status2xx).toBe(DETRACTOR_FILES.length);
		await st.executions.waitFor(DETRACTOR_FILES.length * 2, {
			workflowIds: [w.id],
			timeoutMs: 120_000,
		});
		expect(st.emu.records('Case').length - cases).toBe(expected.counts.Case);
	});
	test('rows the node reads itself and rows n8n resolves: the same records as when n8n resolves every expression', async () => {
		const st = s();
		// the same mapping twice: "Fast" in the forms the node reads itself (`{{ $json.x }}`, text
		// around such references), "Via n8n" with each reference in parentheses, which the node
		// always hands to n8n (test/unit/parameters); both share rows that only n8n can resolve
		const mapping = (ref: (path: string) => string) => ({
			rows: [
				{
					internalEntity: `={{ ${ref('$json.lastName')} }}`,
					remoteField: 'LastName',
					transformation: 'none',
				},
				{
					internalEntity: '={{ $json.firstName.toUpperCase() }}',
					remoteField: 'FirstName',
					transformation: 'none',
				},
				{
					internalEntity: "={{ $('Split Out').item.json.email }}",
					remoteField: 'Email',
					transformation: 'lowercase',
				},
				{
					internalEntity: `=NPS {{ ${ref('$json.nps')} }} from {{ ${ref('$json["id"]')} }}: {{ ${ref('$json.note')} }}`,
					remoteField: 'Title',
					transformation: 'none',
				},
				{
					internalEntity: `={{ ${ref('$json.city')} }}`,
					remoteField: 'MailingCity',
					transformation: 'none',
				},
				{
					internalEntity: `={{ ${ref('$json.nps')} }}`,
					remoteField: 'NPS_Score__c',
					transformation: 'number',
				},
				{
					internalEntity: `=Respondent {{ ${ref('$json.id')} }} in {{ ${ref('$json.city')} }}{{ ${ref('$json.missing')} }}`,
					remoteField: 'Description',
					transformation: 'none',
				},
			],
		});
		const feed = (name: string, ref: (path: string) => string, dryRun: boolean, y: number) =>
			feedNode(
				name,
				{
					object: { __rl: true, mode: 'name', value: 'Contact' },
					operation: 'upsert',
					matchField: 'Skeepers_Respondent_Id__c',
					matchValue: `={{ ${ref('$json.id')} }}`,
					mapping: mapping(ref),
					options: { includeRecord: true, dryRun },
				},
				{ position: [440, y] },
			);
		const webhookPath = `mixed-expressions-${randomUUID()}`;
		const [w] = await st.importWorkflows([
			{
				name: 'Mixed expressions',
				nodes: [
					...webhookToSplitOut(webhookPath),
					feed('Fast', (p) => p, false, -100),
					feed('Via n8n', (p) => `(${p})`, true, 100),
				],
				connections: {
					Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
					'Split Out': {
						main: [
							[
								{ node: 'Fast', type: 'main', index: 0 },
								{ node: 'Via n8n', type: 'main', index: 0 },
							],
						],
					},
				},
				settings: { executionOrder: 'v1' },
			},
		]);
		await waitForWebhook(st.webhookUrl(webhookPath));
		const items = [
			{
				id: 'E2E-MIX-1',
				lastName: 'Dubois',
				firstName: 'léa',
				// Not R-1003's e-mail: the same person again would match the org's duplicate rule.
				email: 'Lea.Dubois.Mix@Example.FR',
				nps: 0,
				city: 'Saint-Étienne "centre"',
				note: "a {{ b }} c \\ d 'e'",
			},
			{
				id: 'E2E-MIX-2',
				lastName: 'Ærøskøbing',
				firstName: 'sam',
				email: 'sam@example.fr',
				nps: 10,
				city: null,
				note: '',
			},
			{
				id: 'E2E-MIX-3',
				lastName: "O'Brien",
				firstName: 'jo',
				email: 'JO@example.fr',
				nps: 7,
				note: '😀 {{',
			},
		];
		const detail = await postItems(st, w, webhookPath, items);
		const fast = st.executions.nodeOutput(detail, 'Fast');
		const viaN8n = st.executions.nodeOutput(detail, 'Via n8n');
		expect(fast.map((o) => o.success)).toEqual([true, true, true]);
		expect(viaN8n.map((o) => o.success)).toEqual([true, true, true]);
		expect(fast.map((o) => o.record)).toEqual(viaN8n.map((o) => o.record));

		const byId = new Map(
			(st.emu.records('Contact') as Array<Record<string, any>>).map((c) => [
				c.Skeepers_Respondent_Id__c,
				c,
			]),
		);
		expect(byId.get('E2E-MIX-1')).toMatchObject({
			LastName: 'Dubois',
			FirstName: 'LÉA',
			Email: 'lea.dubois.mix@example.fr',
			Title: "NPS 0 from E2E-MIX-1: a {{ b }} c \\ d 'e'",
			MailingCity: 'Saint-Étienne "centre"',
			NPS_Score__c: 0,
			Description: 'Respondent E2E-MIX-1 in Saint-Étienne "centre"',
		});
		expect(byId.get('E2E-MIX-2')).toMatchObject({
			LastName: 'Ærøskøbing',
			FirstName: 'SAM',
			Email: 'sam@example.fr',
			Title: 'NPS 10 from E2E-MIX-2: ',
			NPS_Score__c: 10,
			Description: 'Respondent E2E-MIX-2 in ',
		});
		expect(byId.get('E2E-MIX-2')?.MailingCity ?? null).toBeNull();
		expect(byId.get('E2E-MIX-3')).toMatchObject({
			LastName: "O'Brien",
			FirstName: 'JO',
			Email: 'jo@example.fr',
			Title: 'NPS 7 from E2E-MIX-3: 😀 {{',
			NPS_Score__c: 7,
			Description: 'Respondent E2E-MIX-3 in ',
		});
	});

	test('Object and a Remote Field as expressions: one node writes b2b respondents as Leads and the others as Contacts', async () => {
		const st = s();
		const webhookPath = `object-per-item-${randomUUID()}`;
		const [w] = await st.importWorkflows([
			{
				name: 'Object per item',
				nodes: [
					...webhookToSplitOut(webhookPath),
					feedNode('Lead or Contact', {
						// what the editor stores when Object is switched to Expression
						object: {
							__rl: true,
							mode: 'name',
							value: "={{ $json.kind === 'b2b' ? 'Lead' : 'Contact' }}",
						},
						operation: 'upsert',
						matchField: 'Skeepers_Respondent_Id__c',
						matchValue: '={{ $json.id }}',
						mapping: {
							rows: [
								{
									internalEntity: '={{ $json.lastName }}',
									remoteField: 'LastName',
									transformation: 'none',
								},
								{
									internalEntity: '={{ $json.org }}',
									remoteField: "={{ $json.kind === 'b2b' ? 'Company' : 'Title' }}",
									transformation: 'none',
								},
							],
						},
						options: {},
					}),
				],
				connections: {
					Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
					'Split Out': { main: [[{ node: 'Lead or Contact', type: 'main', index: 0 }]] },
				},
				settings: { executionOrder: 'v1' },
			},
		]);
		await waitForWebhook(st.webhookUrl(webhookPath));
		const items = [
			{ id: 'E2E-OBJ-1', kind: 'b2c', lastName: 'Martin', org: 'Cuisiniste' },
			{ id: 'E2E-OBJ-2', kind: 'b2b', lastName: 'Bernard', org: 'Bernard SARL' },
			{ id: 'E2E-OBJ-3', kind: 'b2c', lastName: 'Petit', org: 'Infirmière' },
		];
		const detail = await postItems(st, w, webhookPath, items);
		const out = st.executions.nodeOutput(detail, 'Lead or Contact');
		expect(out.map((o) => [o.success, o.object])).toEqual([
			[true, 'Contact'],
			[true, 'Lead'],
			[true, 'Contact'],
		]);
		const find = (object: string, id: string) =>
			(st.emu.records(object) as Array<Record<string, any>>).find(
				(r) => r.Skeepers_Respondent_Id__c === id,
			);
		expect(find('Contact', 'E2E-OBJ-1')).toMatchObject({
			Id: out[0].id,
			LastName: 'Martin',
			Title: 'Cuisiniste',
		});
		expect(find('Lead', 'E2E-OBJ-2')).toMatchObject({
			Id: out[1].id,
			LastName: 'Bernard',
			Company: 'Bernard SARL',
		});
		expect(find('Contact', 'E2E-OBJ-3')).toMatchObject({
			Id: out[2].id,
			LastName: 'Petit',
			Title: 'Infirmière',
		});
		expect(
			find('Lead', 'E2E-OBJ-1') ?? find('Lead', 'E2E-OBJ-3') ?? find('Contact', 'E2E-OBJ-2'),
		).toBeUndefined();
		// (calls per object are counted in test/integration/feed.settings: here sessions expire every
		// few calls, and the emulator counts a call answered 401 and replayed after the refresh twice)
	});

	test('On Error → Continue (using error output): failed items leave on the error output with their result and input, the others on the success output', async () => {
		const st = s();
		await seedEmulator(st.emu, {
			Contact: [
				{ LastName: 'Errout A', Email: 'errout.a@example.fr' },
				{ LastName: 'Errout D', Email: 'errout.d@example.fr' },
				{ LastName: 'Errout E', Email: 'errout.e@example.fr' },
			],
		});
		const noOp = (name: string, y: number) => ({
			id: randomUUID(),
			name,
			type: 'n8n-nodes-base.noOp',
			typeVersion: 1,
			position: [660, y],
			parameters: {},
		});
		const webhookPath = `error-output-${randomUUID()}`;
		const [w] = await st.importWorkflows([
			{
				name: 'Error output',
				nodes: [
					...webhookToSplitOut(webhookPath),
					feedNode(
						'Feed',
						{
							object: { __rl: true, mode: 'name', value: 'Contact' },
							operation: 'update',
							matchField: 'Email',
							matchValue: '={{ $json.email }}',
							mapping: {
								rows: [
									{
										internalEntity: '={{ $json.lastName }}',
										remoteField: 'LastName',
										transformation: 'none',
									},
								],
							},
							// off: the too-long name goes to Salesforce, which refuses it (STRING_TOO_LONG)
							options: { preflight: 'off' },
						},
						{ onError: 'continueErrorOutput' },
					),
					noOp('Written', -100),
					noOp('Failed', 100),
				],
				connections: {
					Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
					'Split Out': { main: [[{ node: 'Feed', type: 'main', index: 0 }]] },
					// main[0]: success output, main[1]: the error output n8n adds for continueErrorOutput
					Feed: {
						main: [
							[{ node: 'Written', type: 'main', index: 0 }],
							[{ node: 'Failed', type: 'main', index: 0 }],
						],
					},
				},
				settings: { executionOrder: 'v1' },
			},
		]);
		await waitForWebhook(st.webhookUrl(webhookPath));
		// `success` / `errors` in the input: the node's result must win over them on the error output
		const items = [
			{ ref: 'A', email: 'errout.a@example.fr', lastName: 'Alpha' },
			{
				ref: 'B',
				email: 'errout.nobody@example.fr',
				lastName: 'Bravo',
				success: 'from input',
				errors: 'from input',
			},
			{ ref: 'C', lastName: 'Charlie' },
			{ ref: 'D', email: 'errout.d@example.fr', lastName: 'D'.repeat(81) },
			{ ref: 'E', email: 'errout.e@example.fr', lastName: 'Echo' },
		];
		const detail = await postItems(st, w, webhookPath, items);

		const written = st.executions.nodeOutput(detail, 'Written');
		expect(written.map((o) => [o.success, o.id, o.action])).toEqual([
			[true, expect.any(String), 'update'],
			[true, expect.any(String), 'update'],
		]);
		const contacts = st.emu.records('Contact') as Array<Record<string, any>>;
		const byEmail = new Map(contacts.map((c) => [c.Email, c]));
		expect(written.map((o) => o.id)).toEqual([
			byEmail.get('errout.a@example.fr')?.Id,
			byEmail.get('errout.e@example.fr')?.Id,
		]);
		expect(byEmail.get('errout.a@example.fr')?.LastName).toBe('Alpha');
		expect(byEmail.get('errout.e@example.fr')?.LastName).toBe('Echo');
		expect(byEmail.get('errout.d@example.fr')?.LastName).toBe('Errout D');
		expect(contacts.filter((c) => ['Bravo', 'Charlie'].includes(c.LastName))).toEqual([]);

		const failed = st.executions.nodeOutput(detail, 'Failed');
		expect(
			failed.map((o) => [o.ref, o.success, o.errors[0].errorCode, o.errors[0].fields]),
		).toEqual([
			['B', false, 'NOT_FOUND', ['Email']],
			['C', false, 'MISSING_MATCH_VALUE', ['Email']],
			['D', false, 'STRING_TOO_LONG', ['LastName']],
		]);
		// the input's fields are there, under the node's result
		expect(failed[0]).toMatchObject({
			email: 'errout.nobody@example.fr',
			lastName: 'Bravo',
			operation: 'update',
			object: 'Contact',
			id: null,
		});
		expect(failed[1]).toMatchObject({ lastName: 'Charlie' });
		expect(failed[2]).toMatchObject({ email: 'errout.d@example.fr', lastName: 'D'.repeat(81) });

		expect(failed.map((o) => o.error)).toEqual([
			'NOT_FOUND (Email): No Contact record has Email = "errout.nobody@example.fr"',
			'MISSING_MATCH_VALUE (Email): Item 3: the match value (Email) is empty, so there is no record to update',
			expect.stringMatching(/^STRING_TOO_LONG \(LastName\): /),
		]);
		// the error output in the stored run data: the same items, json only (no n8n error object)
		const errorOut = detail.data.resultData.runData.Feed[0].data.main[1] as Array<
			Record<string, any>
		>;
		expect(errorOut.map((i) => i.json)).toEqual(failed);
		expect(errorOut.every((i) => !('error' in i))).toBe(true);
		const stored = JSON.stringify(detail.data);
		const cred = await st.salesforceCredentialData();
		for (const secret of [
			cred.oauthTokenData.access_token,
			cred.oauthTokenData.refresh_token,
			cred.clientSecret,
		]) {
			expect(typeof secret).toBe('string');
			expect(stored).not.toContain(secret);
		}
	});

	test("a secret rotated through n8n's REST API is accepted at once and the old one refused", async () => {
		// The trigger keeps the credential's material in memory for a short time
		// (nodes/SkeepersTrigger/verifyCache.ts); a delivery that fails re-reads the credential.
		const st = s();
		const w = wf('abandoned cart');
		const send = async (secret: string) =>
			(
				await replay({
					url: w.triggerUrl,
					paths: [payload('abandoned-cart.json')],
					mode: 'hmac',
					secret,
				})
			).deliveries[0];
		const setSecret = async (secret: string) =>
			await st.n8n.rest.patch(`/credentials/${st.credentials.webhook.id}`, {
				name: st.credentials.webhook.name,
				type: WEBHOOK_CREDENTIAL_TYPE,
				data: webhookCredentialData(secret),
			});
		const rotated = 'rotated-secret-0123456789abcdef';
		expect((await send(st.webhookSecret)).status).toBe(200); // the material is now cached
		await setSecret(rotated);
		try {
			const fresh = await send(rotated);
			expect([fresh.status, fresh.response]).toEqual([200, expect.any(String)]);
			const old = await send(st.webhookSecret);
			expect([old.status, old.response]).toEqual([
				401,
				expect.stringContaining('signature does not match'),
			]);
			expect(old.response).not.toContain(st.webhookSecret);
			expect(old.response).not.toContain(rotated);
		} finally {
			await setSecret(st.webhookSecret);
		}
		expect((await send(st.webhookSecret)).status).toBe(200);
		expect((await send(rotated)).status).toBe(401);
	});
});

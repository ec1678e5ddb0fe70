/**
 * The "linking records" dropdowns of the Feed Application in the real n8n editor (Chromium, as in
 * editor.test.ts), per major: a workflow with three Feed Applications is imported, then as a user:
 *  - Lead (Create or Update): Options → Record Type, Owner, Campaign and Campaign Member Status list
 *    the emulator org's seeds (emulator/org/namedRecords.ts, assignmentRules.ts, campaignMembers.ts);
 *    picking another Campaign makes Member Status list that campaign's own statuses
 *    (loadOptionsDependsOn on `options.campaign`); More Match Keys lists Lead's match keys;
 *  - Lead (Find): Fields to Return and a Condition's Field list Lead's fields;
 *  - Case (Create): a Mapping row's Remote Field offers `Contact.Skeepers_Respondent_Id__c`;
 *  - the values picked (Campaign, Member Status, Owner, Remote Field) are saved by name: the
 *    workflow read back over n8n's REST API holds names, never Salesforce Ids.
 * Expected lists are the seeds written out, not what the page shows.
 */
import { isDeepStrictEqual } from 'node:util';

import type { Locator, Page } from 'playwright-core';

import { findObject } from '../../emulator/schema';
import { ensureN8n } from '../../runtime/n8n';
import { FEED_TYPE, startStack, type Stack } from '../../runtime/stack';
import {
	BROWSER_MAJORS,
	dropdownOptions,
	INSTALL_TIMEOUT,
	launchChromium,
	openWorkflow,
	packOncePerFile,
	pickOption,
	settled,
	settledValue,
	signIn,
	START_TIMEOUT,
	withDiagnostics,
	type Browser,
} from './browser';

const majors = BROWSER_MAJORS;
const STEP_TIMEOUT = 4 * 60_000;

const SF = { skeepersSalesforceOAuth2Api: { id: 'x', name: 'x' } };
const lead = { __rl: true, mode: 'list', value: 'Lead' };
const node = (id: string, name: string, x: number, parameters: Record<string, unknown>) => ({
	id,
	name,
	type: FEED_TYPE,
	typeVersion: 1,
	position: [x, 0],
	parameters,
	credentials: SF,
});
const UPSERT = 'Lead Links';
const FIND = 'Find Lead';
const CASE = 'Case Links';
const linksWorkflow = {
	name: 'Browser test: linking records',
	nodes: [
		// no expressions here: n8n (1.123.81 and 2.41.1) re-evaluates loadOptionsDependsOn by resolving
		// ALL the node's parameters and skips the reload when one cannot be resolved yet (e.g.
		// {{ $json.email }} before the previous node ran); reopening the node reloads the lists.
		// The parameter's `required` flag plays no part (the editor's ParameterInput
		// dependentParametersValues resolves the whole parameters object and returns null on any
		// error): with Match Value `{{ $json.email }}` and not required, Member Status still keeps
		// the former campaign's statuses on both majors
		node('k1', UPSERT, 0, {
			object: lead,
			operation: 'upsert',
			matchField: 'Email',
			matchValue: 'lea@example.com',
			moreMatchKeys: { keys: [{ field: 'Skeepers_Respondent_Id__c', value: 'r-1' }] },
			options: {
				campaign: 'Detractors follow-up',
				campaignMemberStatus: 'To call back',
				owner: 'user:demo.admin@skeepers-emulator.example',
				recordType: 'Survey_Lead',
			},
		}),
		node('k2', FIND, 300, {
			object: lead,
			operation: 'find',
			matchField: 'Email',
			matchValue: '={{ $json.email }}',
			findFields: ['Company'],
			findConditions: { conditions: [{ field: 'Status', operator: 'equals', value: 'x' }] },
		}),
		node('k3', CASE, 600, {
			object: { __rl: true, mode: 'list', value: 'Case' },
			operation: 'create',
			mapping: { rows: [{ internalEntity: '={{ $json.id }}', remoteField: 'Subject' }] },
		}),
	],
	connections: {},
};

// the seeds, written out
const USERS = [
	'Alice Agent (alice.agent@skeepers-emulator.example)',
	'Demo Admin (demo.admin@skeepers-emulator.example)',
	'Integration User (integration@skeepers-emulator.example)',
];
const LEAD_OWNERS = [
	...USERS,
	'Queue: Lead Triage (Lead_Triage)',
	'Queue: Partner Leads (Partner_Leads)',
];
const ACTIVE_CAMPAIGNS = ['Detractors follow-up', 'Promoters referral'];
const STATUSES = {
	'Detractors follow-up': ['Sent (default)', 'Responded', 'To call back'],
	'Promoters referral': ['Sent (default)', 'Responded', 'Referred a friend'],
};
const LEAD_MATCH_KEYS = [
	'Record ID',
	'Skeepers Respondent Id (Skeepers_Respondent_Id__c)',
	'Email (Email)',
];
const leadFields = findObject('Lead')!.fields.filter((f) => f.name !== 'Id');
const CONTACT_BY_RESPONDENT_ID =
	'Contact ID → Contact by Skeepers Respondent Id (Contact.Skeepers_Respondent_Id__c)';

const pack = packOncePerFile('skeepers-browser-links-', START_TIMEOUT);

describe.each(majors)('linking-record dropdowns in the n8n %i.x editor', (major) => {
	let stack: Stack | undefined;
	let browser: Browser | undefined;
	let page: Page;
	let workflowId: string;
	const log: string[] = [];
	const shot = (name: string) => browser!.screenshot(`n8n${major}-links-${name}`);
	const step = (fn: () => Promise<void>) => withDiagnostics({ browser, log, shot }, fn);

	beforeAll(async () => {
		await ensureN8n(major);
	}, INSTALL_TIMEOUT);

	beforeAll(async () => {
		stack = await startStack({
			major,
			oauth: 'import',
			packageTarball: pack.tarball(),
			log: (l) => log.push(l),
		});
		// no trigger: imported inactive
		[{ id: workflowId }] = await stack.importWorkflows([linksWorkflow], { activate: false });
		browser = await launchChromium();
		page = browser.page;
		await signIn(page, stack.n8n.url, stack.n8n.owner);
	}, START_TIMEOUT);

	afterAll(async () => {
		try {
			await browser?.close();
		} finally {
			await stack?.stop();
		}
	}, 60_000);

	/** Opens a node's panel; returns its parameter inputs by name (optionally in one fixedCollection). */
	async function openNode(name: string): Promise<(param: string, collection?: string) => Locator> {
		await openWorkflow(page, stack!.n8n.url, workflowId, linksWorkflow.nodes.length);
		await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
		const ndv = page.locator('[data-test-id="ndv"]');
		await ndv.locator('[data-test-id="node-parameters"]').waitFor({ state: 'visible' });
		return (param, collection) =>
			(collection ? ndv.locator(`[data-test-id="fixed-collection-${collection}"]`) : ndv).locator(
				`div[data-test-id="parameter-input-${param}"]`,
			);
	}

	/** A dynamic dropdown's names once `accept` takes them (they load after the panel opens). */
	const optionsOf = (input: Locator, accept: (names: string[]) => boolean) =>
		settled(async () => {
			// a list still loading shows "Loading options" in its input
			await settledValue(input, (v) => !/Loading options/i.test(v));
			return await dropdownOptions(page, input);
		}, accept);
	const exactly = (expected: string[]) => (names: string[]) =>
		JSON.stringify(names) === JSON.stringify(expected);

	/** The saved workflow's parameters of a node, read over REST once `accept` takes them. */
	const saved = (name: string, accept: (p: Record<string, any>) => boolean) =>
		settled(async () => {
			const wf = await stack!.n8n.rest.get<{ nodes: Array<{ name: string; parameters: any }> }>(
				`/workflows/${workflowId}`,
			);
			return wf.nodes.find((n) => n.name === name)!.parameters as Record<string, any>;
		}, accept);
	const save = () => page.keyboard.press('Control+s');

	test(
		'Lead: Record Type, Owner, Campaign, Member Status (following the Campaign), More Match Keys; picks saved by name',
		async () => {
			await step(async () => {
				const param = await openNode(UPSERT);
				expect(
					await optionsOf(param('recordType'), exactly(['Survey Lead (Survey_Lead)'])),
				).toEqual(['Survey Lead (Survey_Lead)']);
				expect(await optionsOf(param('owner'), exactly(LEAD_OWNERS))).toEqual(LEAD_OWNERS);
				expect(await optionsOf(param('campaign'), exactly(ACTIVE_CAMPAIGNS))).toEqual(
					ACTIVE_CAMPAIGNS,
				);
				const status = param('campaignMemberStatus');
				const detractors = STATUSES['Detractors follow-up'];
				expect(await optionsOf(status, exactly(detractors))).toEqual(detractors);
				expect(await optionsOf(param('field', 'moreMatchKeys'), exactly(LEAD_MATCH_KEYS))).toEqual(
					LEAD_MATCH_KEYS,
				);

				// another campaign: Member Status reloads with that campaign's statuses
				await pickOption(page, param('campaign'), 'Promoters referral');
				const promoters = STATUSES['Promoters referral'];
				expect(await optionsOf(status, exactly(promoters))).toEqual(promoters);
				await pickOption(page, status, 'Referred a friend');
				await pickOption(page, param('owner'), 'Queue: Lead Triage (Lead_Triage)');
				await shot('lead-options');

				await save();
				const expected = {
					campaign: 'Promoters referral',
					campaignMemberStatus: 'Referred a friend',
					owner: 'queue:Lead_Triage',
					recordType: 'Survey_Lead',
				};
				const p = await saved(UPSERT, (x) => isDeepStrictEqual(x.options, expected));
				expect(p.options).toEqual(expected);
			});
		},
		STEP_TIMEOUT,
	);

	test(
		"Find: Fields to Return and Conditions list Lead's fields; Case: Remote Field offers the Contact by External ID, saved as its path",
		async () => {
			await step(async () => {
				const find = await openNode(FIND);
				const labels = leadFields.map((f) => `${f.label} (${f.name})`);
				const missing = (expected: string[], names: string[]) =>
					expected.filter((l) => !names.includes(l));
				const returned = await optionsOf(find('findFields'), (n) => !missing(labels, n).length);
				expect(missing(labels, returned)).toEqual([]);
				expect(returned).not.toContain('Record ID (Id)');
				// SOQL cannot filter on long text areas (Lead.Description): Conditions leaves them out
				const longText = (f: (typeof leadFields)[number]) =>
					f.type === 'textarea' && f.length > 255;
				const filterable = leadFields
					.filter((f) => !longText(f))
					.map((f) => `${f.label} (${f.name})`);
				const conditions = find('field', 'findConditions');
				const filters = await optionsOf(conditions, (n) => !missing(filterable, n).length);
				expect(missing(filterable, filters)).toEqual([]);
				expect(filters).not.toContain('Description (Description)');
				expect(returned).toContain('Description (Description)');

				const caseNode = await openNode(CASE);
				const remote = caseNode('remoteField');
				expect(await optionsOf(remote, (n) => n.includes(CONTACT_BY_RESPONDENT_ID))).toContain(
					CONTACT_BY_RESPONDENT_ID,
				);
				await pickOption(page, remote, CONTACT_BY_RESPONDENT_ID);
				await shot('case-remote-field');
				await save();
				const p = await saved(
					CASE,
					(x) => x.mapping?.rows?.[0]?.remoteField === 'Contact.Skeepers_Respondent_Id__c',
				);
				expect(p.mapping.rows[0].remoteField).toBe('Contact.Skeepers_Respondent_Id__c');
			});
		},
		STEP_TIMEOUT,
	);
});

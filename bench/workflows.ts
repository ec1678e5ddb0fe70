/**
 * The bench's workflows, built in code so the three writers do the same work:
 *
 *   Webhook (POST, responds when the last node is done, no data) → Split Out (body.items) → <writer>
 *
 * POST /webhook/<path> { items: [...N...] } runs N items through the writer in one execution; the
 * answer arrives when the execution is finished, so the wall time of the POST is the run's time.
 * The writer's own time is `executionTime` of its run data.
 */
import { randomUUID } from 'node:crypto';

const FEED_TYPE = 'n8n-nodes-skeepers.skeepersFeedApplication';
const TRIGGER_TYPE = 'n8n-nodes-skeepers.skeepersTrigger';
export const WRITER_NODE = 'Writer';

type Cred = { id: string; name: string };
type Node = Record<string, unknown>;

/** What a `lastNode` webhook answers: nothing (the bench) or every output item (the reliability suite). */
export type ResponseData = 'noData' | 'allEntries';

function webhookNode(
	path: string,
	responseMode: 'lastNode' | 'onReceived',
	responseData: ResponseData = 'noData',
): Node {
	return {
		id: randomUUID(),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters:
			responseMode === 'lastNode'
				? { httpMethod: 'POST', path, responseMode: 'lastNode', responseData, options: {} }
				: { httpMethod: 'POST', path, options: {} },
	};
}

function splitOut(): Node {
	return {
		id: randomUUID(),
		name: 'Split Out',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [220, 0],
		parameters: { fieldToSplitOut: 'body.items', options: {} },
	};
}

function chain(name: string, nodes: Node[]): Record<string, unknown> {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name as string] = {
			main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]],
		};
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A webhook → split out → writer workflow; POST `{ items: [...] }` to its path. */
export function writerWorkflow(
	name: string,
	path: string,
	writer: Node,
	opts: { responseData?: ResponseData } = {},
): Record<string, unknown> {
	return chain(name, [
		webhookNode(path, 'lastNode', opts.responseData),
		splitOut(),
		{ ...writer, name: WRITER_NODE, position: [440, 0] },
	]);
}

export type Operation = 'upsert' | 'create';

/**
 * The Feed Application's parameters for the bench's Contact upsert (by Skeepers_Respondent_Id__c)
 * and Case create, over BenchItem items (data.ts): the same fields as `contactRecords` /
 * `caseRecords`. The reliability suite (reliability-lib.ts) writes through the same ones.
 */
export function contactUpsertParameters(
	options: Record<string, unknown>,
	extraRows: MappingRow[] = [],
): Record<string, unknown> {
	return feedParameters('Contact', 'upsert', [...CONTACT_ROWS, ...extraRows], options, {
		field: 'Skeepers_Respondent_Id__c',
		value: '={{ $json.respondentId }}',
	});
}

export function caseCreateParameters(
	options: Record<string, unknown>,
	extraRows: MappingRow[] = [],
): Record<string, unknown> {
	return feedParameters('Case', 'create', [...CASE_ROWS, ...extraRows], options);
}

/** A mapping row: internal entity (value or expression), remote field, transformation, write mode. */
export type MappingRow = [
	internalEntity: string,
	remoteField: string,
	transformation?: string,
	writeMode?: string,
];

const CONTACT_ROWS: MappingRow[] = [
	['={{ $json.lastName }}', 'LastName', 'trim'],
	['={{ $json.firstName }}', 'FirstName'],
	['={{ $json.email }}', 'Email', 'lowercase'],
	['={{ $json.mobile }}', 'Phone'],
	['={{ $json.nps }}', 'NPS_Score__c', 'number'],
];

const CASE_ROWS: MappingRow[] = [
	['=NPS {{ $json.nps }} from {{ $json.respondentId }}', 'Subject'],
	['={{ $json.comment }}', 'Description'],
	['Skeepers Survey', 'Origin'],
	['Problem', 'Type'],
	['={{ $json.nps }}', 'NPS_Score__c', 'number'],
];

/** The Feed Application's parameters for an object, an operation and mapping rows. */
export function feedParameters(
	object: string,
	operation: 'create' | 'update' | 'upsert',
	rows: MappingRow[],
	options: Record<string, unknown>,
	match?: { field: string; value: string },
): Record<string, unknown> {
	return {
		object: { __rl: true, mode: 'name', value: object },
		operation,
		...(match ? { matchField: match.field, matchValue: match.value } : {}),
		mapping: {
			rows: rows.map(([internalEntity, remoteField, transformation, writeMode]) => ({
				internalEntity,
				remoteField,
				transformation: transformation ?? 'none',
				...(writeMode ? { writeMode } : {}),
			})),
		},
		options,
	};
}

/** A Feed Application node with the given parameters and Salesforce credential. */
export function feedApplicationNode(
	parameters: Record<string, unknown>,
	cred: Cred,
	extra: Node = {},
): Node {
	return {
		id: randomUUID(),
		type: FEED_TYPE,
		typeVersion: 1,
		parameters,
		credentials: { skeepersSalesforceOAuth2Api: cred },
		...extra,
	};
}

/**
 * The bench's writer: Contact upsert or Case create, through collections (`never`), Bulk API 2.0
 * (`always`) or the node's own choice (`auto`); `options` adds node options (e.g. Requests in Flight),
 * `extraParameters` other parameters (e.g. More Match Keys).
 */
export function feedNode(
	operation: Operation,
	bulkMode: 'never' | 'always' | 'auto',
	cred: Cred,
	options: Record<string, unknown> = {},
	extraRows: MappingRow[] = [],
	extraParameters: Record<string, unknown> = {},
): Node {
	const parameters =
		operation === 'upsert'
			? contactUpsertParameters({ bulkMode, ...options }, extraRows)
			: caseCreateParameters({ bulkMode, ...options }, extraRows);
	return feedApplicationNode({ ...parameters, ...extraParameters }, cred);
}

/** n8n's No Operation node: the same workflow without a writer (n8n's own time and memory). */
export function noOpNode(): Node {
	return { id: randomUUID(), type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };
}

/** n8n's own Salesforce node (n8n-nodes-base.salesforce v1.1), one REST call per item. */
export function builtinNode(operation: Operation, cred: Cred): Node {
	const parameters =
		operation === 'upsert'
			? {
					authentication: 'oAuth2',
					resource: 'contact',
					operation: 'upsert',
					externalId: 'Skeepers_Respondent_Id__c',
					externalIdValue: '={{ $json.respondentId }}',
					lastname: '={{ $json.lastName.trim() }}',
					additionalFields: {
						firstName: '={{ $json.firstName }}',
						email: '={{ $json.email.toLowerCase() }}',
						phone: '={{ $json.mobile }}',
						customFieldsUi: {
							customFieldsValues: [{ fieldId: 'NPS_Score__c', value: '={{ $json.nps }}' }],
						},
					},
				}
			: {
					authentication: 'oAuth2',
					resource: 'case',
					operation: 'create',
					type: 'Problem',
					additionalFields: {
						subject: '=NPS {{ $json.nps }} from {{ $json.respondentId }}',
						description: '={{ $json.comment }}',
						origin: 'Skeepers Survey',
						customFieldsUi: {
							customFieldsValues: [{ fieldId: 'NPS_Score__c', value: '={{ $json.nps }}' }],
						},
					},
				};
	return {
		id: randomUUID(),
		type: 'n8n-nodes-base.salesforce',
		typeVersion: 1.1,
		parameters,
		credentials: { salesforceOAuth2Api: cred },
	};
}

/**
 * Node overhead: 10 mapping rows with real transformations on Contact, Create or Update by
 * external ID, Dry Run (describe + pre-flight + planning, no writes).
 */
export function overheadNode(cred: Cred, dryRun: boolean): Node {
	return feedApplicationNode(
		{
			object: { __rl: true, mode: 'name', value: 'Contact' },
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: '={{ $json.respondentId }}',
			mapping: {
				rows: OVERHEAD_ROWS.map((r) => ({
					internalEntity: `={{ $json.${r.source} }}`,
					remoteField: r.field,
					transformation: r.transformation,
					...(r.parameter !== undefined ? { transformationParameter: r.parameter } : {}),
				})),
			},
			options: { bulkMode: 'never', dryRun, preflight: 'stop' },
		},
		cred,
	);
}

/** The 10 rows of the overhead run (also used by the in-process timing of the pure functions). */
export const OVERHEAD_ROWS: Array<{
	source: string;
	field: string;
	transformation: string;
	parameter?: string;
}> = [
	{ source: 'lastName', field: 'LastName', transformation: 'trim' },
	{ source: 'firstName', field: 'FirstName', transformation: 'capitalize' },
	{ source: 'email', field: 'Email', transformation: 'lowercase' },
	{ source: 'phone', field: 'Phone', transformation: 'phoneFrNational' },
	{ source: 'mobile', field: 'MobilePhone', transformation: 'phoneE164', parameter: 'FR' },
	{ source: 'nps', field: 'NPS_Score__c', transformation: 'number' },
	{ source: 'nps', field: 'NPS_Category__c', transformation: 'npsCategory' },
	{ source: 'flags', field: 'Skeepers_Flags__c', transformation: 'multiPicklist' },
	{
		source: 'surveyDate',
		field: 'Last_Survey_Date__c',
		transformation: 'datetime',
		parameter: 'Europe/Paris',
	},
	{ source: 'city', field: 'MailingCity', transformation: 'capitalize' },
];

/**
 * Intake: Skeepers Trigger alone, HMAC with the credential (or no authentication: `cred` null), at
 * the node's current version (1.1) unless `typeVersion` says 1 (n8n evaluates an expression per
 * request for a version-1 start node).
 */
export function triggerWorkflow(
	name: string,
	cred: Cred | null,
	typeVersion = 1.1,
): Record<string, unknown> {
	return chain(name, [{ ...triggerNode(cred), typeVersion }]);
}

/** A Skeepers Trigger node checking deliveries with `cred` (null: no authentication). */
export function triggerNode(cred: Cred | null): Node {
	return {
		id: randomUUID(),
		name: 'Skeepers Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: { authentication: cred ? 'skeepersWebhookApi' : 'none', filters: {}, options: {} },
		...(cred ? { credentials: { skeepersWebhookApi: { ...cred } } } : {}),
	};
}

/** Intake: n8n's generic Webhook node alone (answers on receipt, like the Skeepers Trigger). */
export function genericWebhookWorkflow(
	name: string,
	path: string,
	headerAuth?: Cred,
): Record<string, unknown> {
	const node = webhookNode(path, 'onReceived');
	if (headerAuth) {
		node.parameters = { ...(node.parameters as object), authentication: 'headerAuth' };
		node.credentials = { httpHeaderAuth: headerAuth };
	}
	return chain(name, [node]);
}

export function webhookIdOf(wf: Record<string, unknown>): string {
	const nodes = wf.nodes as Array<{ webhookId?: string }>;
	return nodes.find((n) => n.webhookId)!.webhookId!;
}

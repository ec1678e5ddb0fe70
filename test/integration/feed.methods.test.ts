/**
 * The Feed Application's dropdowns (methods/index.ts), run against the emulator as n8n runs
 * them for the editor: the object picker's list search (searchObjects) and the load-options
 * methods of Match On (getMatchFields), the mapping rows' Salesforce Field
 * (getWritableFields), Options → Dedup Key Field (getDedupKeyFields) and Find's Fields to
 * Return (getFindFields) and Conditions' Field (getFilterableFields).
 */
import { SCHEMA, schemaField } from '../../emulator';
import {
	getDedupKeyFields,
	getFilterableFields,
	getFindFields,
	getMatchFields,
	getWritableFields,
	searchObjects,
} from '../../nodes/SkeepersFeedApplication/methods';
import type { SObjectDescribe } from '../../nodes/SkeepersFeedApplication/salesforce/types';
import { createLoadOptionsContext } from '../harness/loadOptions';
import { FeedEnv } from './feed.helpers';

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const undo: Array<() => void> = [];
afterEach(() => {
	while (undo.length) undo.pop()!();
});

type Operation = 'create' | 'update' | 'upsert';

/** The editor's current parameters: the object as a resource locator picked "From List". */
function context(
	object: string | undefined,
	operation?: Operation,
	options: Record<string, unknown> = {},
) {
	const parameters: Record<string, unknown> = { options };
	if (object !== undefined) parameters.object = { __rl: true, mode: 'list', value: object };
	if (operation) parameters.operation = operation;
	return createLoadOptionsContext({ parameters, credential: env.credential });
}

const values = (options: Array<{ value: unknown }>) => options.map((o) => o.value);
const matchFields = async (object: string) => await getMatchFields.call(context(object).ctx);
const writable = async (object: string, operation?: Operation) =>
	await getWritableFields.call(context(object, operation).ctx);
const dedupKeys = async (object: string, operation?: Operation) =>
	await getDedupKeyFields.call(context(object, operation).ctx);
const search = async (filter?: string) =>
	(await searchObjects.call(context('').ctx, filter)).results;

/** The object's describe as the emulator answers it (to check every listed field's facts). */
async function describeOf(object: string): Promise<SObjectDescribe> {
	const res = await fetch(`${env.emu.url}/services/data/v66.0/sobjects/${object}/describe`, {
		headers: { Authorization: `Bearer ${String(env.credential.oauthTokenData.access_token)}` },
	});
	return (await res.json()) as SObjectDescribe;
}

/** Fields of every emulated object that no one can write: the system's. */
const SYSTEM_FIELDS = ['Id', 'IsDeleted', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'];

describe('searchObjects (Object → From List)', () => {
	it('lists every writable object of the org as "Label (Name)", by label, and no read-only one', async () => {
		const results = await search();
		const names = SCHEMA.map((o) => o.name);
		expect(results.map((r) => r.value).sort()).toEqual([...names].sort());
		expect(results.map((r) => r.value)).not.toContain('ContactHistory');
		expect(results.map((r) => r.value)).not.toContain('CaseHistory');
		const labels = results.map((r) => String(r.name));
		expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
		expect(results).toContainEqual({
			name: 'Skeepers Feedback (Skeepers_Feedback__c)',
			value: 'Skeepers_Feedback__c',
		});
		expect(env.calls('describe.global')).toBe(1);
	});

	it('keeps the objects whose name or label contains the typed text (any case, trimmed)', async () => {
		// ContactHistory and CaseHistory contain the text too, but cannot be written
		expect(await search('contact')).toEqual([{ name: 'Contact (Contact)', value: 'Contact' }]);
		expect(await search('  CASE ')).toEqual([{ name: 'Case (Case)', value: 'Case' }]);
		// by label only ("Skeepers Feedback") and by API name only ("__c")
		expect(values(await search('skeepers feed'))).toEqual(['Skeepers_Feedback__c']);
		expect(values(await search('feedback__C'))).toEqual(['Skeepers_Feedback__c']);
		expect(await search('no such object')).toEqual([]);
	});
});

describe('getMatchFields (Match On)', () => {
	it('Contact: Record ID, then the external ID, then the idLookup field (Email)', async () => {
		expect(await matchFields('Contact')).toEqual([
			{ name: 'Record ID', value: 'Id', description: 'Salesforce record ID' },
			{
				name: 'Skeepers Respondent Id (Skeepers_Respondent_Id__c)',
				value: 'Skeepers_Respondent_Id__c',
				description: 'External ID',
			},
			{ name: 'Email (Email)', value: 'Email', description: 'Lookup field (matched with SOQL)' },
		]);
	});

	it('Case: Id, Skeepers_Event_Id__c and CaseNumber (read-only, but idLookup), and nothing that cannot identify a record', async () => {
		expect(values(await matchFields('Case'))).toEqual(['Id', 'Skeepers_Event_Id__c', 'CaseNumber']);
	});

	it('an object typed in another case is described all the same', async () => {
		expect(values(await matchFields('contact'))).toEqual([
			'Id',
			'Skeepers_Respondent_Id__c',
			'Email',
		]);
	});
});

describe('getWritableFields (mapping row → Salesforce Field)', () => {
	it('Contact on create: every field but the system and read-only ones, with type, length and "required on create"', async () => {
		const listed = await writable('Contact', 'create');
		// after the fields: parents by External ID (feed.parentsByExternalId.test.ts)
		const options = listed.filter((o) => !String(o.value).includes('.'));
		expect(listed.slice(options.length)).toEqual([
			{
				name: 'Account ID → Account by Skeepers Account Id (Account.Skeepers_Account_Id__c)',
				value: 'Account.Skeepers_Account_Id__c',
				description:
					'Sets AccountId to the Account whose Skeepers_Account_Id__c is the value (external ID)',
			},
		]);
		const all = SCHEMA.find((o) => o.name === 'Contact')!.fields.map((f) => f.name);
		// Lifetime_Value__c: read-only for the API user (the configured org's field-level security).
		const readOnly = [...SYSTEM_FIELDS, 'Name', 'Lifetime_Value__c'];
		expect(values(options).sort()).toEqual(all.filter((n) => !readOnly.includes(n)).sort());
		expect(options.find((o) => o.value === 'LastName')).toEqual({
			name: 'Last Name (LastName)',
			value: 'LastName',
			description: 'string(80), required on create',
		});
		expect(options.find((o) => o.value === 'Skeepers_Respondent_Id__c')!.description).toBe(
			'string(64), external ID',
		);
		// a checkbox is never "required": it defaults to false
		expect(options.find((o) => o.value === 'HasOptedOutOfEmail')!.description).toBe('boolean');
		const labels = options.map((o) => String(o.name));
		expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
	});

	it('create, update and upsert differ by the fields Salesforce lets each write', async () => {
		// fields the admin made create-only (not editable after creation)
		undo.push(
			env.emu.addField(
				'Case',
				schemaField.string('Survey_Channel__c', 'Survey Channel', 40, { updateable: false }),
			),
		);
		const onCreate = values(await writable('Case', 'create'));
		const onUpdate = values(await writable('Case', 'update'));
		const onUpsert = values(await writable('Case', 'upsert'));
		expect(onCreate).toContain('Survey_Channel__c');
		expect(onUpdate).not.toContain('Survey_Channel__c');
		expect(onUpsert).toContain('Survey_Channel__c');
		expect(onCreate.filter((n) => n !== 'Survey_Channel__c')).toEqual(onUpdate);
		for (const list of [onCreate, onUpdate, onUpsert]) {
			for (const n of [...SYSTEM_FIELDS, 'CaseNumber']) expect(list).not.toContain(n);
			expect(list).toContain('Skeepers_Event_Id__c');
		}
	});

	it("with no operation set, lists the fields for create (the parameter's default)", async () => {
		undo.push(
			env.emu.addField(
				'Case',
				schemaField.string('Survey_Channel__c', 'Survey Channel', 40, { updateable: false }),
			),
		);
		expect(values(await writable('Case'))).toEqual(values(await writable('Case', 'create')));
		expect(values(await writable('Case'))).toContain('Survey_Channel__c');
	});
});

describe('getDedupKeyFields (Options → Dedup Key Field)', () => {
	it('Case: Skeepers_Event_Id__c, and only unique writable fields', async () => {
		const options = await dedupKeys('Case', 'create');
		expect(options).toEqual([
			{
				name: 'Skeepers Event Id (Skeepers_Event_Id__c)',
				value: 'Skeepers_Event_Id__c',
				description: 'Unique string(64), external ID',
			},
		]);
		const d = await describeOf('Case');
		for (const name of values(options))
			expect(d.fields.find((f) => f.name === name)).toMatchObject({
				unique: true,
				createable: true,
			});
		// CaseNumber identifies a Case (Match On) but the node cannot write it
		expect(values(options)).not.toContain('CaseNumber');
		// non-unique fields are never offered, even when writable
		expect(values(options)).not.toContain('Subject');
	});

	it('Contact: the unique Skeepers_Respondent_Id__c; Email (idLookup, not unique) is not offered', async () => {
		expect(values(await dedupKeys('Contact', 'update'))).toEqual(['Skeepers_Respondent_Id__c']);
	});

	it('a unique create-only field holds the key on create only (upsert needs both create and update)', async () => {
		undo.push(
			env.emu.addField(
				'Case',
				schemaField.string('Legacy_Ticket_Key__c', 'Legacy Ticket Key', 64, {
					unique: true,
					updateable: false,
				}),
			),
		);
		expect(values(await dedupKeys('Case', 'create'))).toEqual([
			'Legacy_Ticket_Key__c',
			'Skeepers_Event_Id__c',
		]);
		expect(values(await dedupKeys('Case', 'update'))).toEqual(['Skeepers_Event_Id__c']);
		expect(values(await dedupKeys('Case', 'upsert'))).toEqual(['Skeepers_Event_Id__c']);
		expect(values(await dedupKeys('Case'))).toEqual([
			'Legacy_Ticket_Key__c',
			'Skeepers_Event_Id__c',
		]);
		expect((await dedupKeys('Case', 'create'))[0].description).toBe('Unique string(64)');
	});

	it('an object with no unique field: an empty list', async () => {
		expect(await dedupKeys('Task', 'create')).toEqual([]);
	});
});

describe('errors and options', () => {
	it('with no object chosen (blank, or no Object parameter at all): Match On offers Record ID, the others nothing, and Salesforce is not called', async () => {
		const cases: Array<[typeof getMatchFields, unknown[]]> = [
			[getMatchFields, [{ name: 'Record ID', value: 'Id' }]],
			[getWritableFields, []],
			[getDedupKeyFields, []],
		];
		for (const [method, expected] of cases) {
			for (const object of ['', '  ', undefined]) {
				const { ctx, httpCalls } = context(object, 'update');
				expect(await method.call(ctx)).toEqual(expected);
				expect(httpCalls()).toBe(0);
			}
		}
	});

	it("an object the org does not have: the dropdowns fail with Salesforce's NOT_FOUND", async () => {
		for (const method of [getMatchFields, getWritableFields, getDedupKeyFields]) {
			await expect(method.call(context('Nope__c', 'create').ctx)).rejects.toMatchObject({
				errorCode: 'NOT_FOUND',
			});
		}
	});

	it('Options → API Version is the version the dropdowns call', async () => {
		const { ctx, urls } = context('Contact', 'create', { apiVersion: '58.0' });
		await getMatchFields.call(ctx);
		expect(urls()).toContain(`${env.emu.url}/services/data/v58.0/sobjects/Contact/describe`);
	});
});

describe('Find: Fields to Return and Conditions → Field', () => {
	it('Fields to Return: every field of the object but Id (always returned), read-only ones included', async () => {
		const describe = await describeOf('Contact');
		const listed = values(await getFindFields.call(context('Contact', undefined).ctx));
		expect([...listed].sort()).toEqual(
			describe.fields
				.map((f) => f.name)
				.filter((n) => n !== 'Id')
				.sort(),
		);
		expect(listed).toContain('CreatedDate');
	});

	it('Conditions → Field: only the fields SOQL can filter (a long text area is left out)', async () => {
		const describe = await describeOf('Contact');
		const listed = values(await getFilterableFields.call(context('Contact', undefined).ctx));
		expect([...listed].sort()).toEqual(
			describe.fields
				.filter((f) => f.filterable !== false)
				.map((f) => f.name)
				.sort(),
		);
		expect(listed).toContain('Email');
		expect(listed).not.toContain('Description');
	});
});

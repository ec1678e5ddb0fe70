/**
 * Parents named by their External ID or idLookup field (`Contact.Skeepers_Respondent_Id__c`):
 * the Remote Field dropdown offers them, the node sends the nested form through sObject
 * Collections and the dotted column through Bulk API 2.0, pre-flight refuses a bad one before
 * anything is written, and a missing parent fails that item alone with Salesforce's answer —
 * or, with Missing Parents: Leave the Lookup Empty, the parents are looked up first (one query per
 * parent field per wave) and a record whose parent is missing is written without that link, its
 * result naming the parent.
 */
import { getWritableFields } from '../../nodes/SkeepersFeedApplication/methods';
import { createLoadOptionsContext } from '../harness/loadOptions';
import { schemaField } from '../../emulator';
import { FeedEnv, field, type Row } from './feed.helpers';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start({ org: false }));
afterAll(async () => await env.stop());

let anna: string;
let lea: string;
beforeEach(async () => {
	env.reset();
	[anna] = await env.seed('Contact', [
		{ LastName: 'Anna', Skeepers_Respondent_Id__c: 'r-1', Email: 'anna@example.com' },
	]);
	[lea] = await env.seed('Lead', [{ LastName: 'Lea', Company: 'ACME', Email: 'lea@example.com' }]);
});

const subject: Row = { internalEntity: field('subject'), remoteField: 'Subject' };
const byRespondent: Row = {
	internalEntity: field('respondent'),
	remoteField: 'Contact.Skeepers_Respondent_Id__c',
};
const cases = () => [
	{ subject: 'one', respondent: 'r-1' },
	{ subject: 'missing parent', respondent: 'r-9' },
	{ subject: 'three', respondent: 'r-1' },
];
const NOT_FOUND =
	'Foreign key external ID: r-9 not found for field Skeepers_Respondent_Id__c in entity Contact';

describe('Remote Field dropdown', () => {
	const writable = async (object: string) =>
		(
			await getWritableFields.call(
				createLoadOptionsContext({
					parameters: { object: { __rl: true, mode: 'list', value: object }, operation: 'create' },
					credential: env.credential,
				}).ctx,
			)
		).map((o) => o.value);

	it('offers Relationship.ParentField for each External ID or idLookup field of each parent', async () => {
		const onCase = await writable('Case');
		expect(onCase).toEqual(
			expect.arrayContaining([
				'Contact.Skeepers_Respondent_Id__c',
				'Contact.Email',
				'Account.Skeepers_Account_Id__c',
			]),
		);
		expect(onCase).not.toContain('Contact.LastName');
		expect(await writable('Skeepers_Feedback__c')).toContain(
			'Contact__r.Skeepers_Respondent_Id__c',
		);
		const onTask = await writable('Task');
		expect(onTask).toEqual(expect.arrayContaining(['Contact:Who.Email', 'Lead:Who.Email']));
	});
});

describe.each([
	['sObject Collections', 'never', 'collections.create'],
	['Bulk API 2.0', 'always', 'bulk.create'],
])('%s', (_name, bulkMode, kind) => {
	it('sets the parent by its external ID; a missing parent fails that item alone with Salesforce’s code and message', async () => {
		const out = await env.run({
			items: cases(),
			object: 'Case',
			operation: 'create',
			rows: [subject, byRespondent],
			options: { bulkMode },
			continueOnFail: true,
		});
		expect(env.calls(kind)).toBe(1);
		expect(out.map((o) => o.json.success)).toEqual([true, false, true]);
		expect(out[1].json.errors).toEqual([
			expect.objectContaining({ errorCode: 'INVALID_FIELD', message: NOT_FOUND }),
		]);
		const stored = env.emu.records('Case');
		expect(stored.map((r) => [r.Subject, r.ContactId]).sort()).toEqual([
			['one', anna],
			['three', anna],
		]);
	});

	it('Create or Update by external ID sets the parent on created and updated records', async () => {
		const [existing] = await env.seed('Case', [{ Subject: 'old', Skeepers_Event_Id__c: 'e-1' }]);
		const out = await env.run({
			items: [
				{ subject: 'updated', respondent: 'r-1', event: 'e-1' },
				{ subject: 'created', respondent: 'r-1', event: 'e-2' },
			],
			object: 'Case',
			operation: 'upsert',
			matchField: 'Skeepers_Event_Id__c',
			matchValue: field('event'),
			rows: [subject, byRespondent],
			options: { bulkMode },
		});
		expect(out.map((o) => [o.json.success, o.json.created])).toEqual([
			[true, false],
			[true, true],
		]);
		expect(out[0].json.id).toBe(existing);
		expect(env.emu.records('Case').map((r) => r.ContactId)).toEqual([anna, anna]);
	});

	it('a polymorphic reference names the parent type (Lead:Who.Email)', async () => {
		const out = await env.run({
			items: [{ subject: 'call', email: 'lea@example.com' }],
			object: 'Task',
			operation: 'create',
			rows: [subject, { internalEntity: field('email'), remoteField: 'Lead:Who.Email' }],
			options: { bulkMode },
		});
		expect(out[0].json.success).toBe(true);
		expect(env.emu.records('Task')[0].WhoId).toBe(lea);
	});
});

describe('pre-flight', () => {
	it.each([
		['Contact.LastName', 'neither an External ID nor an idLookup field'],
		['Nope.Email', 'has no relationship named Nope'],
		['Contact.Nope__c', 'Contact has no field named Nope__c'],
		['Who.Email', 'name the parent object'],
	])(
		'%s is refused before anything is written, naming the row and the field',
		async (remote, text) => {
			const object = remote.startsWith('Who') ? 'Task' : 'Case';
			const out = await env.run({
				items: [{ subject: 'x', value: 'Anna' }],
				object,
				operation: 'create',
				rows: [subject, { internalEntity: field('value'), remoteField: remote }],
				options: { bulkMode: 'never' },
				continueOnFail: true,
			});
			expect(out[0].json.success).toBe(false);
			expect(out[0].json.row).toBe(2);
			const [error] = out[0].json.errors as Array<{ errorCode: string; message: string }>;
			expect(error.errorCode).toBe('INVALID_FIELD');
			expect(error.message).toContain(`Item 1, row 2 (${remote})`);
			expect(error.message).toContain(text);
			expect(env.calls('collections.')).toBe(0);
			expect(env.emu.records(object)).toHaveLength(0);
		},
	);

	it('refuses a second row for the same parent (the lookup field and its relationship)', async () => {
		const out = await env.run({
			items: [{ subject: 'x', respondent: 'r-1', id: anna }],
			object: 'Case',
			operation: 'create',
			rows: [subject, { internalEntity: field('id'), remoteField: 'ContactId' }, byRespondent],
			continueOnFail: true,
		});
		expect(out[0].json.errors).toEqual([
			expect.objectContaining({ errorCode: 'DUPLICATE_FIELD_MAPPING' }),
		]);
		expect(env.emu.records('Case')).toHaveLength(0);
	});
});

describe('the parents’ describes, cached like the object’s', () => {
	const run = () =>
		env.run({
			items: [{ subject: 'one', respondent: 'r-1' }],
			object: 'Case',
			operation: 'create',
			rows: [subject, byRespondent],
			options: { bulkMode: 'never' },
		});

	it('a second execution describes neither the object nor the parent: the link costs the write alone', async () => {
		await run();
		expect(env.calls('describe.sobject')).toBe(2);
		env.emu.resetCounters();
		const out = await run();
		expect(out[0].json.success).toBe(true);
		expect(env.emu.counters().byKind).toEqual({ 'collections.create': 1 });
	});

	it('a parent field made External ID in the org since the cached describe: described again, and linked', async () => {
		const row: Row = { internalEntity: field('respondent'), remoteField: 'Contact.Loyalty_Id__c' };
		const runLoyalty = () =>
			env.run({
				items: [{ subject: 'two', respondent: 'L-1' }],
				object: 'Case',
				operation: 'create',
				rows: [subject, row],
				options: { bulkMode: 'never' },
			});
		await run(); // caches Case and Contact
		const removeField = env.emu.addField(
			'Contact',
			schemaField.externalId('Loyalty_Id__c', 'Loyalty Id', 20),
		);
		try {
			await env.seed('Contact', [{ LastName: 'Loyal', Loyalty_Id__c: 'L-1' }]);
			env.emu.resetCounters();
			const out = await runLoyalty();
			expect(out[0].json.success).toBe(true);
			// the cached Contact describe lacked the field: Contact described again, Case not
			expect(env.calls('describe.sobject')).toBe(1);
			const loyal = env.emu.records('Contact').find((c) => c.LastName === 'Loyal');
			expect(env.emu.records('Case').find((c) => c.Subject === 'two')?.ContactId).toBe(loyal?.Id);
		} finally {
			removeField();
		}
	});
});

describe('Dry Run', () => {
	it('shows the nested form Salesforce receives', async () => {
		const out = await env.run({
			items: [{ subject: 'x', respondent: 'r-1' }],
			object: 'Case',
			operation: 'create',
			rows: [subject, byRespondent],
			options: { dryRun: true, bulkMode: 'never' },
		});
		expect(out[0].json.record).toEqual({
			Subject: 'x',
			Contact: { Skeepers_Respondent_Id__c: 'r-1' },
		});
		expect(env.emu.records('Case')).toHaveLength(0);
	});
});

describe('Missing Parents', () => {
	beforeEach(() => env.emu.resetCounters());

	describe.each([
		['sObject Collections', 'never', 'collections.create'],
		['Bulk API 2.0', 'always', 'bulk.create'],
	])('%s', (_name, bulkMode, kind) => {
		it('Leave the Lookup Empty: a missing parent leaves the record unlinked and named in its result; found parents are linked; one query', async () => {
			const out = await env.run({
				items: cases(),
				object: 'Case',
				operation: 'create',
				rows: [subject, byRespondent],
				options: { bulkMode, missingParents: 'leaveEmpty' },
			});
			expect(out.map((o) => o.json.success)).toEqual([true, true, true]);
			expect(out.map((o) => o.json.parentsNotFound)).toEqual([
				undefined,
				[{ field: 'Contact.Skeepers_Respondent_Id__c', value: 'r-9', object: 'Contact' }],
				undefined,
			]);
			expect(env.calls('query')).toBe(1);
			expect(env.calls(kind)).toBe(1);
			const stored = env.emu.records('Case');
			expect(stored.map((r) => [r.Subject, r.ContactId ?? null]).sort()).toEqual([
				['missing parent', null],
				['one', anna],
				['three', anna],
			]);
		});
	});

	it('Fail the Item (default): no lookup; Salesforce refuses the record whose parent is missing', async () => {
		const out = await env.run({
			items: cases(),
			object: 'Case',
			operation: 'create',
			rows: [subject, byRespondent],
			options: { bulkMode: 'never' },
			continueOnFail: true,
		});
		expect(out.map((o) => o.json.success)).toEqual([true, false, true]);
		expect(out[1].json.errors).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD' })]);
		expect(env.calls('query')).toBe(0);
	});

	it('Leave the Lookup Empty: a parent found twice is left to Salesforce, which refuses that record', async () => {
		await env.seed('Contact', [
			{ LastName: 'Twin A', Email: 'twin@example.com' },
			{ LastName: 'Twin B', Email: 'twin@example.com' },
		]);
		const out = await env.run({
			items: [
				{ subject: 'twin', email: 'twin@example.com' },
				{ subject: 'anna', email: 'anna@example.com' },
			],
			object: 'Case',
			operation: 'create',
			rows: [subject, { internalEntity: field('email'), remoteField: 'Contact.Email' }],
			options: { bulkMode: 'never', missingParents: 'leaveEmpty' },
			continueOnFail: true,
		});
		expect(out.map((o) => o.json.success)).toEqual([false, true]);
		expect(out[0].json.errors).toEqual([expect.objectContaining({ errorCode: 'INVALID_FIELD' })]);
		expect(out[0].json.parentsNotFound).toBeUndefined();
		expect(env.emu.records('Case').map((r) => [r.Subject, r.ContactId])).toEqual([['anna', anna]]);
	});

	it('Leave the Lookup Empty on a polymorphic reference: the parent type named in the row is the one looked in', async () => {
		const out = await env.run({
			items: [
				{ subject: 'call lea', email: 'lea@example.com' },
				{ subject: 'call nobody', email: 'nobody@example.com' },
			],
			object: 'Task',
			operation: 'create',
			rows: [subject, { internalEntity: field('email'), remoteField: 'Lead:Who.Email' }],
			options: { bulkMode: 'never', missingParents: 'leaveEmpty' },
		});
		expect(out.map((o) => o.json.success)).toEqual([true, true]);
		expect(out[1].json.parentsNotFound).toEqual([
			{ field: 'Lead:Who.Email', value: 'nobody@example.com', object: 'Lead' },
		]);
		expect(env.emu.records('Task').map((r) => [r.Subject, r.WhoId ?? null])).toEqual([
			['call lea', lea],
			['call nobody', null],
		]);
	});

	it('Dry Run shows the parent resolved to its Id, and writes nothing', async () => {
		const out = await env.run({
			items: cases().slice(0, 2),
			object: 'Case',
			operation: 'create',
			rows: [subject, byRespondent],
			options: {
				bulkMode: 'never',
				missingParents: 'leaveEmpty',
				dryRun: true,
				includeRecord: true,
			},
		});
		expect(out.map((o) => o.json.record)).toEqual([
			{ Subject: 'one', ContactId: anna },
			{ Subject: 'missing parent' },
		]);
		expect(env.emu.records('Case')).toHaveLength(0);
	});
});

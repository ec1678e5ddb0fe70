/**
 * The describe cached across executions (run/describeForRun.ts), against the emulator:
 * executions share it, it expires, and a schema change never leaves a wrong result.
 */
import type { IDataObject } from 'n8n-workflow';

import { schemaField } from '../../emulator';
import { FeedEnv, field, lastNameRow, people, type Row } from './feed.helpers';

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());
afterEach(() => jest.restoreAllMocks());

const undo: Array<() => void> = [];
afterEach(() => {
	while (undo.length) undo.pop()!();
});

const describes = () => env.calls('describe.sobject');
const create = (rows: Row[] = [lastNameRow], extra: Partial<Parameters<FeedEnv['run']>[0]> = {}) =>
	env.run({ items: people(2), operation: 'create', rows, ...extra });

it('two executions with the same credential describe the object once', async () => {
	await create();
	await create();
	expect(describes()).toBe(1);
	expect(env.emu.records('Contact')).toHaveLength(4);
});

it('concurrent executions share one describe in flight', async () => {
	await Promise.all([create(), create(), create()]);
	expect(describes()).toBe(1);
	expect(env.emu.records('Contact')).toHaveLength(6);
});

it('a describe older than Schema Cache (Seconds) is fetched again', async () => {
	const start = Date.now();
	let offset = 0;
	jest.spyOn(Date, 'now').mockImplementation(() => start + offset);
	const options = { schemaCacheSeconds: 60 };
	await create(undefined, { options });
	offset = 59_000;
	await create(undefined, { options });
	expect(describes()).toBe(1);
	offset = 61_000;
	await create(undefined, { options });
	expect(describes()).toBe(2);
});

it('Schema Cache 0 describes once per execution', async () => {
	await create(undefined, { options: { schemaCacheSeconds: 0 } });
	await create(undefined, { options: { schemaCacheSeconds: 0 } });
	expect(describes()).toBe(2);
});

it('another credential gets its own describe', async () => {
	await create(undefined, { credentialId: '1' });
	await create(undefined, { credentialId: '2' });
	await create(undefined, { credentialId: '2' });
	expect(describes()).toBe(2);
});

it('a field added in the org after the first run is described again and written', async () => {
	await create();
	undo.push(env.emu.addField('Contact', schemaField.string('Loyalty_Tier__c', 'Loyalty Tier', 40)));
	const out = await create([
		lastNameRow,
		{ internalEntity: 'Gold', remoteField: 'Loyalty_Tier__c' },
	]);
	expect(out.map((o) => o.json.success)).toEqual([true, true]);
	expect(describes()).toBe(2);
	expect(env.emu.records('Contact').filter((r) => r.Loyalty_Tier__c === 'Gold')).toHaveLength(2);
});

it('a Dedup Key Field added in the org after the first run is described again and used', async () => {
	await create();
	undo.push(
		env.emu.addField(
			'Contact',
			schemaField.externalId('Survey_Event_Id__c', 'Survey Event Id', 64),
		),
	);
	const items = [
		{ lastName: 'A', key: 'EV-1' },
		{ lastName: 'B', key: 'EV-1' },
	];
	const options = { dedupKey: field('key'), dedupKeyField: 'Survey_Event_Id__c' };
	const out = await env.run({
		items,
		operation: 'create',
		rows: [{ internalEntity: field('lastName'), remoteField: 'LastName' }],
		options,
	});
	expect(out.map((o) => o.json.success)).toEqual([true, true]);
	expect(out.map((o) => o.json.skipped === true)).toEqual([false, true]);
	expect(describes()).toBe(2);
	expect(env.emu.records('Contact').filter((r) => r.Survey_Event_Id__c === 'EV-1')).toHaveLength(1);
});

it('an item failing pre-flight against a cached describe is planned again with a new one', async () => {
	// a restricted picklist whose values the admin extends between two runs
	const tier = schemaField.picklist('Tier__c', 'Tier', ['Silver'], { restricted: true });
	undo.push(env.emu.addField('Contact', tier));
	const row: Row = { internalEntity: field('tier'), remoteField: 'Tier__c' };
	const items = [
		{ lastName: 'A', tier: 'Silver' },
		{ lastName: 'B', tier: 'Silver' },
	];
	await env.run({
		items,
		operation: 'create',
		rows: [{ internalEntity: field('lastName'), remoteField: 'LastName' }, row],
	});
	tier.picklistValues.push({ value: 'Gold', label: 'Gold', active: true, defaultValue: false });
	const out = await env.run({
		items: [{ lastName: 'C', tier: 'Gold' }],
		operation: 'create',
		rows: [{ internalEntity: field('lastName'), remoteField: 'LastName' }, row],
	});
	expect(out[0].json).toMatchObject({ success: true });
	expect(describes()).toBe(2);
	expect(env.emu.records('Contact').map((r) => r.Tier__c)).toEqual(['Silver', 'Silver', 'Gold']);
});

it('a real pre-flight failure still fails, after one new describe only', async () => {
	await create();
	await expect(
		create([lastNameRow, { internalEntity: 'x', remoteField: 'No_Such_Field__c' }]),
	).rejects.toThrow(/No_Such_Field__c/);
	await expect(
		create([lastNameRow, { internalEntity: 'x', remoteField: 'No_Such_Field__c' }]),
	).rejects.toThrow(/No_Such_Field__c/);
	// run 1: 1; run 2: the pre-check drops the cached describe (1); run 3: that describe was
	// fetched by run 2, the pre-check drops it again (1) — never more than one per execution
	expect(describes()).toBe(3);
	expect(env.emu.records('Contact')).toHaveLength(2);
});

it('a schema error from Salesforce drops the cached describe for the next execution', async () => {
	const removeLoyalty = env.emu.addField(
		'Contact',
		schemaField.string('Loyalty_Tier__c', 'Loyalty Tier', 40),
	);
	const rows: Row[] = [lastNameRow, { internalEntity: 'Gold', remoteField: 'Loyalty_Tier__c' }];
	await create(rows);
	expect(describes()).toBe(1);
	removeLoyalty(); // the admin deletes the field while the describe is cached
	const out = await create(rows, { continueOnFail: true, options: { preflight: 'off' } });
	expect(out.map((o) => (o.json.errors as Array<{ errorCode: string }>)[0]?.errorCode)).toEqual([
		'INVALID_FIELD',
		'INVALID_FIELD',
	]);
	expect(describes()).toBe(1);
	// next execution: describes again and pre-flight names the missing field before writing
	await expect(create(rows)).rejects.toThrow(/Loyalty_Tier__c/);
	expect(describes()).toBe(2);
});

it('items split over two objects: a pre-flight failure against a cached describe of the first object plans the run again', async () => {
	// run 1 writes a Contact only (its describe is cached); the admin then extends a restricted
	// picklist of Contact; run 2 writes a Contact and a Lead: Lead is described fresh, Contact's
	// describe is the stale cached one, and the run must be planned again for Contact's sake
	const tier = schemaField.picklist('Tier__c', 'Tier', ['Silver'], { restricted: true });
	undo.push(env.emu.addField('Contact', tier));
	const kindOf = ((_i: number, item: { json: Record<string, unknown> }) =>
		item.json.kind === 'b2b' ? 'Lead' : 'Contact') as unknown as string;
	const rows: Row[] = [
		{ internalEntity: field('lastName'), remoteField: 'LastName' },
		{
			internalEntity: field('extra'),
			remoteField: ((_i: number, item: { json: Record<string, unknown> }) =>
				item.json.kind === 'b2b' ? 'Company' : 'Tier__c') as unknown as string,
		},
	];
	const run = (items: IDataObject[]) =>
		env.run({ items, object: kindOf, operation: 'create', rows });
	await run([{ kind: 'b2c', lastName: 'A', extra: 'Silver' }]);
	expect(describes()).toBe(1);
	tier.picklistValues.push({ value: 'Gold', label: 'Gold', active: true, defaultValue: false });
	const out = await run([
		{ kind: 'b2c', lastName: 'C', extra: 'Gold' },
		{ kind: 'b2b', lastName: 'B', extra: 'B SARL' },
	]);
	expect(out.map((o) => [o.json.object, o.json.success])).toEqual([
		['Contact', true],
		['Lead', true],
	]);
	// Lead once, Contact once again (the Lead describe of this execution is reused)
	expect(describes()).toBe(3);
	expect(env.emu.records('Contact').map((r) => r.Tier__c)).toEqual(['Silver', 'Gold']);
	expect(env.emu.records('Lead')).toHaveLength(1);
});

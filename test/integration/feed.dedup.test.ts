/**
 * Feed Application × emulator: the Dedup Key Field. The key is written into a unique field,
 * so Salesforce's unique index (the emulator enforces `unique` fields with DUPLICATE_VALUE)
 * decides which of two executions writing the same key at the same moment creates the record;
 * the other item comes out skipped. Each run below has its own n8n deduplication store, as two
 * queue-mode workers whose store reads do not see each other's writes.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DedupStore, FeedEnv, field, type Row, type RunSpec } from './feed.helpers';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const KEY_FIELD = 'Skeepers_Event_Id__c';
const subjectRow: Row = { internalEntity: field('subject'), remoteField: 'Subject' };

function events(n: number, prefix = 'evt'): IDataObject[] {
	return Array.from({ length: n }, (_, i) => ({
		eventId: `${prefix}-${String(i).padStart(3, '0')}`,
		subject: `NPS ${i % 7}/10`,
	}));
}

function caseRun(
	items: IDataObject[],
	options: Record<string, unknown> = {},
	extra: Partial<RunSpec> = {},
): RunSpec {
	return {
		object: 'Case',
		items,
		operation: 'create',
		rows: [subjectRow],
		options: { dedupKey: field('eventId'), dedupKeyField: KEY_FIELD, ...options },
		dedup: new DedupStore(),
		...extra,
	};
}

const json = (out: INodeExecutionData[]) =>
	out.map((o) => o.json as Record<string, unknown> & { dedup?: Record<string, unknown> });

/** Two executions of the same events at the same moment; checks one Case per key and pairs results. */
async function race(n: number, options: Record<string, unknown>) {
	const items = events(n);
	// the second execution gets the events in reverse order, so both win some keys
	const [a, b] = await Promise.all([
		env.run(caseRun(items, options)),
		env.run(caseRun([...items].reverse(), options)),
	]);
	const byKey = new Map<
		string,
		Array<Record<string, unknown> & { dedup?: Record<string, unknown> }>
	>();
	for (const r of [...json(a), ...json(b)]) {
		const key = String(r.dedup?.key);
		byKey.set(key, [...(byKey.get(key) ?? []), r]);
	}
	const cases = env.emu.records('Case');
	return { a: json(a), b: json(b), byKey, cases, items };
}

function expectOneCasePerKey(r: Awaited<ReturnType<typeof race>>) {
	const { byKey, cases, items } = r;
	expect(cases).toHaveLength(items.length);
	expect(new Set(cases.map((c) => c[KEY_FIELD]))).toEqual(new Set(items.map((i) => i.eventId)));
	const idByKey = new Map(cases.map((c) => [c[KEY_FIELD], c.Id]));
	for (const [key, results] of byKey) {
		expect(results).toHaveLength(2);
		expect(results.every((x) => x.success === true)).toBe(true);
		const created = results.filter((x) => x.created === true);
		const skipped = results.filter((x) => x.skipped === true);
		expect(created).toHaveLength(1);
		expect(skipped).toHaveLength(1);
		expect(created[0].id).toBe(idByKey.get(key));
		// the skipped one names the key, the field and the record that holds it
		expect(skipped[0].dedup).toMatchObject({
			key,
			skipped: true,
			field: KEY_FIELD,
			existingId: idByKey.get(key),
		});
		expect(String(skipped[0].dedup?.reason)).toContain(`Case.${KEY_FIELD} = "${key}"`);
		expect(skipped[0].id).toBe(idByKey.get(key));
	}
}

describe('two executions with the same keys at the same moment', () => {
	it('sObject Collections: exactly one Case per key, the other item skipped', async () => {
		const r = await race(40, { batchSize: 5, concurrency: 2, bulkMode: 'never' });
		expectOneCasePerKey(r);
		// both executions won some keys (the race is real, not two runs one after the other)
		expect(r.a.filter((x) => x.created).length).toBeGreaterThan(0);
		expect(r.b.filter((x) => x.created).length).toBeGreaterThan(0);
		// every record was sent twice: the unique index, not n8n's store, settled it
		expect(env.calls('collections.create')).toBe(16);
	});

	it('Bulk API 2.0: exactly one Case per key, the other item skipped', async () => {
		const r = await race(30, { bulkMode: 'always' });
		expectOneCasePerKey(r);
		expect(env.calls('bulk.')).toBeGreaterThan(0);
		expect(env.calls('collections.create')).toBe(0);
	});
});

describe('outcomes per item', () => {
	it('mixed batch: duplicates skipped, another failure stays a failure, the rest written (collections)', async () => {
		const [existingId] = await env.seed('Case', [
			{ Subject: 'already here', [KEY_FIELD]: 'evt-001' },
		]);
		const items = events(4);
		items[2].subject = 'x'.repeat(300); // Salesforce: STRING_TOO_LONG (pre-flight off)
		const out = json(
			await env.run(
				caseRun(items, { preflight: 'off', bulkMode: 'never' }, { continueOnFail: true }),
			),
		);
		expect(out.map((o) => o.success)).toEqual([true, true, false, true]);
		expect(out[0]).toMatchObject({ created: true, dedup: { key: 'evt-000', skipped: false } });
		expect(out[1]).toMatchObject({
			skipped: true,
			id: existingId,
			dedup: { key: 'evt-001', skipped: true, field: KEY_FIELD, existingId },
		});
		expect(out[2]).toMatchObject({ success: false, errors: [{ errorCode: 'STRING_TOO_LONG' }] });
		expect(out[3]).toMatchObject({ created: true });
		expect(
			env.emu
				.records('Case')
				.map((c) => c[KEY_FIELD])
				.sort(),
		).toEqual(['evt-000', 'evt-001', 'evt-003']);
	});

	it('mixed batch through Bulk API 2.0: each item keeps its own result', async () => {
		const [existingId] = await env.seed('Case', [
			{ Subject: 'already here', [KEY_FIELD]: 'evt-002' },
		]);
		const items = events(4);
		items[0].subject = 'x'.repeat(300);
		const out = json(
			await env.run(
				caseRun(items, { preflight: 'off', bulkMode: 'always' }, { continueOnFail: true }),
			),
		);
		expect(out.map((o) => o.success)).toEqual([false, true, true, true]);
		expect(out[0]).toMatchObject({ errors: [{ errorCode: 'STRING_TOO_LONG' }] });
		expect(out[2]).toMatchObject({
			skipped: true,
			id: existingId,
			dedup: { key: 'evt-002', field: KEY_FIELD, existingId },
		});
		expect(out[2].bulkJobId).toEqual(expect.any(String));
		expect(out[1]).toMatchObject({ created: true });
		expect(out[3]).toMatchObject({ created: true });
	});

	it('without Continue On Fail a duplicate neither fails the node nor stops the run', async () => {
		await env.seed('Case', [{ Subject: 'already here', [KEY_FIELD]: 'evt-000' }]);
		const out = json(
			await env.run(caseRun(events(3), { batchSize: 1, concurrency: 1, bulkMode: 'never' })),
		);
		expect(out.map((o) => [o.success, o.skipped ?? false])).toEqual([
			[true, true],
			[true, false],
			[true, false],
		]);
		expect(env.emu.records('Case')).toHaveLength(3);
	});

	it('All or None: the records rolled back with a duplicate are sent again and written', async () => {
		await env.seed('Case', [{ Subject: 'already here', [KEY_FIELD]: 'evt-001' }]);
		const out = json(await env.run(caseRun(events(3), { allOrNone: true })));
		expect(out.map((o) => [o.success, o.skipped ?? false, o.created])).toEqual([
			[true, false, true],
			[true, true, false],
			[true, false, true],
		]);
		expect(env.calls('collections.create')).toBe(2);
		expect(env.emu.records('Case')).toHaveLength(3);
	});

	it("keys are recorded in n8n's store, so a sequential redelivery is skipped with no write call", async () => {
		const dedup = new DedupStore();
		await env.seed('Case', [{ Subject: 'already here', [KEY_FIELD]: 'evt-001' }]);
		await env.run(caseRun(events(2), {}, { dedup }));
		// the key Salesforce refused is remembered too
		expect([...dedup.set('workflow')].sort()).toEqual(['evt-000', 'evt-001']);
		env.emu.resetCounters();
		const again = json(await env.run(caseRun(events(2), {}, { dedup })));
		expect(again.map((o) => o.skipped)).toEqual([true, true]);
		expect(again[0].dedup).toMatchObject({
			reason: 'already fed by an earlier execution of this workflow',
		});
		expect(env.calls('collections.')).toBe(0);
	});

	it('Create or Update through a lookup (Email): a key held by another record is skipped; the same record is updated', async () => {
		const [holder] = await env.seed('Contact', [
			{ LastName: 'Holder', Email: 'a@example.fr', Skeepers_Respondent_Id__c: 'R-1' },
		]);
		const out = json(
			await env.run({
				items: [
					{ email: 'new@example.fr', lastName: 'New', key: 'R-1' }, // not found → create → key taken
					{ email: 'a@example.fr', lastName: 'Holder 2', key: 'R-1' }, // found: the record holding the key
					{ email: 'b@example.fr', lastName: 'B', key: 'R-2' },
				],
				operation: 'upsert',
				matchField: 'Email',
				matchValue: field('email'),
				rows: [{ internalEntity: field('lastName'), remoteField: 'LastName' }],
				options: {
					dedupKey: field('key'),
					dedupKeyField: 'Skeepers_Respondent_Id__c',
					preflight: 'off',
				},
				continueOnFail: true,
				dedup: new DedupStore(),
			}),
		);
		// items 1 and 2 share a key: the node keeps the first and skips the second in the run
		expect(out[0]).toMatchObject({
			success: true,
			skipped: true,
			action: 'create',
			dedup: { field: 'Skeepers_Respondent_Id__c', existingId: holder },
		});
		expect(out[1]).toMatchObject({
			success: true,
			skipped: true,
			dedup: { reason: 'an earlier item of this run has the same key' },
		});
		expect(out[2]).toMatchObject({ success: true, created: true });
		const second = json(
			await env.run({
				items: [{ email: 'a@example.fr', lastName: 'Holder 2', key: 'R-1' }],
				operation: 'update',
				matchField: 'Email',
				matchValue: field('email'),
				rows: [{ internalEntity: field('lastName'), remoteField: 'LastName' }],
				options: { dedupKey: field('key'), dedupKeyField: 'Skeepers_Respondent_Id__c' },
				dedup: new DedupStore(),
			}),
		);
		expect(second[0]).toMatchObject({
			success: true,
			id: holder,
			created: false,
			dedup: { key: 'R-1', skipped: false },
		});
		expect(
			env.emu
				.records('Contact')
				.map((c) => [c.LastName, c.Skeepers_Respondent_Id__c])
				.sort(),
		).toEqual([
			['B', 'R-2'],
			['Holder 2', 'R-1'],
		]);
	});

	it('pre-flight checks the key against the field (too long → STRING_TOO_LONG naming the field)', async () => {
		const out = json(
			await env.run(
				caseRun(
					[{ eventId: 'k'.repeat(70), subject: 'S' }],
					{ preflight: 'perItem' },
					{ continueOnFail: true },
				),
			),
		);
		expect(out[0]).toMatchObject({
			success: false,
			errors: [{ errorCode: 'STRING_TOO_LONG', fields: [KEY_FIELD] }],
		});
		expect(env.emu.records('Case')).toHaveLength(0);
	});

	it('an item without a key is written without the field', async () => {
		const out = json(await env.run(caseRun([{ eventId: '', subject: 'no key' }])));
		expect(out[0]).toMatchObject({ success: true, created: true });
		expect(out[0].dedup).toBeUndefined();
		expect(env.emu.records('Case')[0][KEY_FIELD]).toBeNull();
	});
});

describe('start-up checks', () => {
	const fails = async (options: Record<string, unknown>, extra: Partial<RunSpec> = {}) => {
		const run = env.run({
			...caseRun(events(1)),
			...extra,
			options: { ...caseRun(events(1)).options, ...options },
		});
		await expect(run).rejects.toThrow();
		return (await run.catch((e: unknown) => e)) as Error & { description?: string };
	};

	it('a field that is not unique is refused, saying why', async () => {
		const e = await fails({ dedupKeyField: 'Subject' });
		expect(e.message).toMatch(
			/Dedup Key Field Case\.Subject is not unique in Salesforce, so two executions writing the same key at the same moment would both create a record/,
		);
		expect(e.description).toMatch(/not atomic across queue-mode workers/);
		expect(env.calls('collections.')).toBe(0);
	});

	it('an unknown field, a missing Dedup Key, the Match On field are refused', async () => {
		expect((await fails({ dedupKeyField: 'Nope__c' })).message).toBe(
			'Dedup Key Field: Case has no field "Nope__c"',
		);
		const noKey = await env
			.run({ ...caseRun(events(1)), options: { dedupKeyField: KEY_FIELD } })
			.catch((e: Error) => e);
		expect((noKey as Error).message).toMatch(/Dedup Key is not/);
		const sameAsMatch = await fails(
			{},
			{ operation: 'upsert', matchField: KEY_FIELD, matchValue: field('eventId') },
		);
		expect(sameAsMatch.message).toMatch(/also the Match On field/);
		expect(env.emu.records('Case')).toHaveLength(0);
	});

	it('a mapping row that writes the Dedup Key Field is a configuration error (pre-flight stops the run)', async () => {
		const e = await fails(
			{},
			{ rows: [subjectRow, { internalEntity: 'x', remoteField: KEY_FIELD }] },
		);
		expect(e.message).toMatch(
			/^Item 1, row 2 \(Skeepers_Event_Id__c\): the field Skeepers_Event_Id__c is the Dedup Key Field/,
		);
		expect(env.emu.records('Case')).toHaveLength(0);
	});
});

/**
 * Feed Application node × emulator: partial failures with continue-on-fail on and off,
 * pre-flight (stop / per item / off), dedup across runs, dry run, token refresh, lock faults.
 */
import { DedupStore, FeedEnv, field, lastNameRow, people } from './feed.helpers';
import type { IDataObject } from 'n8n-workflow';

jest.setTimeout(60_000);

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

const emailRow = { internalEntity: field('email'), remoteField: 'Email' };

describe('partial failures', () => {
	const items = () => {
		const list = people(5);
		list[2].lastName = ''; // Salesforce: REQUIRED_FIELD_MISSING (pre-flight off)
		return list;
	};

	it("continue on fail: one result per item, the failed one carries Salesforce's error", async () => {
		const out = await env.run({
			items: items(),
			operation: 'create',
			rows: [lastNameRow],
			options: { preflight: 'off' },
			continueOnFail: true,
		});
		expect(out).toHaveLength(5);
		expect(out.map((o) => o.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(out.map((o) => o.json.success)).toEqual([true, true, false, true, true]);
		expect(out[2].json.errors).toEqual([
			expect.objectContaining({ errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] }),
		]);
		expect(out[2].json.error).toContain('REQUIRED_FIELD_MISSING');
		expect(env.emu.records('Contact')).toHaveLength(4);
	});

	it('without continue on fail: the node fails naming the first failed item, the field, the code, and how many were written', async () => {
		const run = env.run({
			items: items(),
			operation: 'create',
			rows: [lastNameRow],
			options: { preflight: 'off' },
		});
		await expect(run).rejects.toMatchObject({
			message: expect.stringMatching(/^Item 3: REQUIRED_FIELD_MISSING on LastName/),
			description: expect.stringContaining('4 of 5 item(s) WERE written'),
			context: expect.objectContaining({ itemIndex: 2 }),
		});
		expect(env.emu.records('Contact')).toHaveLength(4);
	});

	it('without continue on fail: later calls are not sent after a failed call', async () => {
		const list = people(600);
		list[0].lastName = '';
		await expect(
			env.run({
				items: list,
				operation: 'create',
				rows: [lastNameRow],
				options: { preflight: 'off', concurrency: 1 },
			}),
		).rejects.toMatchObject({ description: expect.stringContaining('were not sent') });
		expect(env.calls('collections.create')).toBe(1);
		expect(env.emu.records('Contact')).toHaveLength(199);
	});

	it('all or none: one failure rolls back its whole call', async () => {
		const out = await env.run({
			items: items(),
			operation: 'create',
			rows: [lastNameRow],
			options: { preflight: 'off', allOrNone: true },
			continueOnFail: true,
		});
		expect(out.every((o) => o.json.success === false)).toBe(true);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});
});

describe('pre-flight validation', () => {
	const invalidItems = () => {
		const list = people(3);
		list[1].email = 'not-an-email';
		return list;
	};

	it('stop (default): fails before any write, naming item, row and field', async () => {
		await expect(
			env.run({ items: invalidItems(), operation: 'create', rows: [lastNameRow, emailRow] }),
		).rejects.toMatchObject({
			message: expect.stringMatching(/Item 2, row 2 \(Email\)/),
			description: expect.stringContaining('nothing was written'),
			context: expect.objectContaining({ itemIndex: 1 }),
		});
		expect(env.calls('collections.')).toBe(0);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});

	it('stop + continue on fail: nothing written, every item says why', async () => {
		const out = await env.run({
			items: invalidItems(),
			operation: 'create',
			rows: [lastNameRow, emailRow],
			continueOnFail: true,
		});
		expect(out.map((o) => (o.json.errors as Array<{ errorCode: string }>)[0].errorCode)).toEqual([
			'NOT_WRITTEN',
			'INVALID_EMAIL_ADDRESS',
			'NOT_WRITTEN',
		]);
		expect(out[1].json.row).toBe(2);
		expect(env.emu.records('Contact')).toHaveLength(0);
	});

	it('per item: the invalid item becomes an error result, the others are written', async () => {
		const out = await env.run({
			items: invalidItems(),
			operation: 'create',
			rows: [lastNameRow, emailRow],
			options: { preflight: 'perItem' },
			continueOnFail: true,
		});
		expect(out.map((o) => o.json.success)).toEqual([true, false, true]);
		expect(env.emu.records('Contact')).toHaveLength(2);
	});

	it('a restricted picklist value and a too-long text are caught before the write', async () => {
		const out = await env.run({
			object: 'Lead',
			items: [{ lastName: 'x'.repeat(81), company: 'ACME', status: 'Nope' }],
			operation: 'create',
			rows: [
				lastNameRow,
				{ internalEntity: field('company'), remoteField: 'Company' },
				{ internalEntity: field('status'), remoteField: 'Status' },
			],
			options: { preflight: 'perItem' },
			continueOnFail: true,
		});
		const codes = (out[0].json.errors as Array<{ errorCode: string }>)
			.map((e) => e.errorCode)
			.sort();
		expect(codes).toEqual(['INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'STRING_TOO_LONG']);
		expect(env.emu.counters().total).toBe(1); // describe only
	});
});

describe('dedup key', () => {
	it('skips items already fed by an earlier run; records keys only after a successful write', async () => {
		const dedup = new DedupStore();
		const items: IDataObject[] = people(3).map((p, i) => ({ ...p, eventId: `evt-${i}` }));
		items[1].lastName = '';
		const spec = {
			items,
			operation: 'create' as const,
			rows: [lastNameRow],
			options: { dedupKey: field('eventId'), preflight: 'off' },
			continueOnFail: true,
			dedup,
		};
		const first = await env.run(spec);
		expect(first.map((o) => o.json.success)).toEqual([true, false, true]);
		expect([...dedup.set('workflow')].sort()).toEqual(['evt-0', 'evt-2']);

		// redelivery, with item 2 fixed: only it is written
		env.emu.resetCounters();
		const fixed = items.map((p) => ({ ...p, lastName: p.lastName || 'Fixed' }));
		const second = await env.run({ ...spec, items: fixed });
		expect(second.map((o) => o.json.skipped ?? false)).toEqual([true, false, true]);
		expect(second[0].json).toMatchObject({
			success: true,
			skipped: true,
			dedup: { key: 'evt-0', skipped: true },
		});
		expect(second[1].json).toMatchObject({
			success: true,
			created: true,
			dedup: { key: 'evt-1', skipped: false },
		});
		expect(env.calls('collections.create')).toBe(1);
		expect(env.emu.records('Contact')).toHaveLength(3);
		expect([...dedup.set('workflow')].sort()).toEqual(['evt-0', 'evt-1', 'evt-2']);
	});

	it('a key repeated inside one run is written once', async () => {
		const out = await env.run({
			items: [
				{ lastName: 'A', eventId: 'same' },
				{ lastName: 'B', eventId: 'same' },
			],
			operation: 'create',
			rows: [lastNameRow],
			options: { dedupKey: field('eventId') },
		});
		expect(out[1].json).toMatchObject({ skipped: true });
		expect(env.emu.records('Contact')).toHaveLength(1);
	});
});

describe('dry run', () => {
	it('writes nothing and shows the records and calls it would send', async () => {
		await env.seed('Contact', [{ LastName: 'A', Email: 'a@example.fr' }]);
		const dedup = new DedupStore();
		const out = await env.run({
			items: [
				{ email: 'a@example.fr', lastName: 'A2', eventId: 'e1' },
				{ email: 'new@example.fr', lastName: 'N', eventId: 'e2' },
			],
			operation: 'upsert',
			matchField: 'Email',
			matchValue: field('email'),
			rows: [lastNameRow],
			options: { dryRun: true, dedupKey: field('eventId') },
			dedup,
		});
		expect(env.calls('collections.')).toBe(0);
		expect(env.calls('query')).toBe(1); // lookups read only
		expect(env.emu.records('Contact').map((r) => r.LastName)).toEqual(['A']);
		expect(out[0].json).toMatchObject({
			dryRun: true,
			action: 'update',
			record: { LastName: 'A2' },
		});
		expect(out[0].json.record).toHaveProperty('Id');
		expect(out[1].json).toMatchObject({
			dryRun: true,
			action: 'create',
			record: { LastName: 'N', Email: 'new@example.fr' },
		});
		expect(out[1].json.plannedCall).toMatchObject({
			method: 'POST',
			path: '/composite/sobjects',
			records: 1,
		});
		expect(dedup.set('workflow').size).toBe(0);
	});
});

describe('resilience', () => {
	it('an expired session is refreshed once and the write goes through', async () => {
		env.emu.expireAllTokens();
		const out = await env.run({ items: people(2), operation: 'create', rows: [lastNameRow] });
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(env.emu.counters().refreshes).toBe(1);
		expect(JSON.stringify(out)).not.toContain(String(env.credential.oauthTokenData.access_token));
	});

	it('UNABLE_TO_LOCK_ROW on some records: only those are re-sent; every record ends written once', async () => {
		env.emu.setFaults({ lock: 0.05, seed: 3 });
		const out = await env.run({
			items: people(400),
			operation: 'upsert',
			matchField: 'Skeepers_Respondent_Id__c',
			matchValue: field('respondentId'),
			rows: [lastNameRow],
			continueOnFail: true,
		});
		expect(env.emu.counters().faults.lock).toBeGreaterThan(0);
		expect(out.every((o) => o.json.success)).toBe(true);
		expect(env.emu.records('Contact')).toHaveLength(400);
		expect(env.calls('collections.upsert')).toBeGreaterThan(2);
	});

	it('sessions expiring while 4 calls are in flight, refresh tokens rotating: concurrent refreshes race, every record is written once', async () => {
		// like n8n 1.x, the harness refreshes per request: two calls answered 401 together both
		// refresh, and the second one's refresh token was just rotated away (invalid_grant)
		const rotating = new FeedEnv();
		await rotating.start({ tokenTtlCalls: 6, rotateRefreshTokens: true });
		try {
			const out = await rotating.run({
				items: people(3000),
				operation: 'create',
				rows: [lastNameRow],
				options: { batchSize: 50, concurrency: 4, bulkMode: 'never' },
			});
			const c = rotating.emu.counters();
			expect(c.refreshes).toBeGreaterThan(1);
			expect(out.filter((o) => !o.json.success).map((o) => o.json.error)).toEqual([]);
			expect(rotating.emu.records('Contact')).toHaveLength(3000);
			expect(new Set(rotating.emu.records('Contact').map((r) => r.LastName)).size).toBe(3000);
		} finally {
			await rotating.stop();
		}
	});

	it('a refresh token Salesforce keeps refusing (revoked) is tried 4 times, then fails the run saying to reconnect', async () => {
		const revoked = new FeedEnv();
		await revoked.start();
		try {
			revoked.credential.oauthTokenData = {
				...revoked.credential.oauthTokenData,
				access_token: 'expired',
				refresh_token: 'revoked',
			};
			const error = (await revoked
				.run({ items: people(2), operation: 'create', rows: [lastNameRow] })
				.catch((e: unknown) => e)) as Error & { description?: string };
			expect(error).toBeInstanceOf(Error);
			expect(error.message).toMatch(/invalid_grant/);
			expect(`${error.message} ${error.description ?? ''}`).toMatch(/reconnect the credential/i);
			// 4 attempts (the retry policy's maximum), each answered 401 and its refresh refused; no more
			expect(revoked.emu.counters().byKind['oauth.token']).toBe(4);
			expect(revoked.emu.records('Contact')).toHaveLength(0);
		} finally {
			await revoked.stop();
		}
	}, 30_000);

	it.each(['create', 'upsert'] as const)(
		'Bulk API 2.0 %s with 503 SERVER_UNAVAILABLE on a third of the calls: every record written once, every item paired',
		async (operation) => {
			env.emu.setFaults({ unavailable: 0.3, seed: 11 });
			const out = await env.run({
				items: people(2500),
				operation,
				matchField: operation === 'upsert' ? 'Skeepers_Respondent_Id__c' : undefined,
				matchValue: operation === 'upsert' ? field('respondentId') : undefined,
				rows:
					operation === 'create'
						? [
								lastNameRow,
								{ internalEntity: field('respondentId'), remoteField: 'Skeepers_Respondent_Id__c' },
							]
						: [lastNameRow],
				options: { bulkMode: 'always' },
			});
			expect(env.emu.counters().faults.unavailable).toBeGreaterThan(0);
			expect(out).toHaveLength(2500);
			expect(out.filter((o) => !o.json.success).map((o) => o.json.error)).toEqual([]);
			const records = env.emu.records('Contact');
			expect(records).toHaveLength(2500);
			const byId = new Map(records.map((r) => [r.Id, r]));
			out.forEach((o, i) => {
				expect(o.json.bulkJobId).toBeTruthy();
				expect(byId.get(o.json.id as string)?.Skeepers_Respondent_Id__c).toBe(
					`R${String(i).padStart(6, '0')}`,
				);
			});
			// one job carried them all (a 503 on the job's creation created none)
			expect(new Set(out.map((o) => o.json.bulkJobId)).size).toBe(1);
		},
	);
});

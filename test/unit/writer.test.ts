/**
 * Unit tests of the writer's batching, routing and pairing against a fake SalesforceApi
 * (an in-memory store that answers the few endpoints the writer uses).
 */
import { parseBulkError } from '../../nodes/SkeepersFeedApplication/codecs/bulkResults';
import { parseCsvRows } from '../../nodes/SkeepersFeedApplication/codecs/csv';
import type { WriteInput } from '../../nodes/SkeepersFeedApplication/domain';
import {
	Writer,
	type WriterOptions,
} from '../../nodes/SkeepersFeedApplication/salesforce/write/writer';
import type {
	SalesforceApi,
	SalesforceRequest,
	SalesforceResponse,
} from '../../nodes/SkeepersFeedApplication/salesforce/types';
import { SalesforceRequestError } from '../../nodes/SkeepersFeedApplication/salesforce/errors';

type Rec = Record<string, unknown> & { Id: string };

class FakeApi implements SalesforceApi {
	readonly apiVersion = '66.0';
	readonly usage = undefined;
	readonly stats = { calls: 0, retries: 0 };
	requests: SalesforceRequest[] = [];
	store: Rec[] = [];
	seq = 0;
	/** Per-record hook: return an error code to fail that record. */
	failRecord: (rec: Record<string, unknown>, attempt: number) => string | undefined = () =>
		undefined;
	attempts = new Map<string, number>();
	inFlight = 0;
	maxInFlight = 0;
	jobs = new Map<string, { op: string; ext?: string; csv: string; state: string }>();
	/** Per SOQL query: throw this error instead of answering (the Nth query, 1-based). */
	failQuery: (n: number) => Error | undefined = () => undefined;
	queries = 0;

	private newId(): string {
		return `003${String(++this.seq).padStart(12, '0')}`;
	}

	private save(rec: Record<string, unknown>, mode: 'create' | 'update' | 'upsert', ext?: string) {
		const key = JSON.stringify(rec);
		const attempt = (this.attempts.get(key) ?? 0) + 1;
		this.attempts.set(key, attempt);
		const code = this.failRecord(rec, attempt);
		if (code)
			return {
				id: null,
				success: false,
				errors: [{ statusCode: code, message: code, fields: [] }],
			};
		const { attributes: _a, ...fields } = rec;
		void _a;
		if (mode === 'create') {
			const r = { ...fields, Id: this.newId() } as Rec;
			this.store.push(r);
			return { id: r.Id, success: true, errors: [], created: true };
		}
		if (mode === 'update') {
			const r = this.store.find((x) => x.Id === fields.Id);
			if (!r)
				return {
					id: null,
					success: false,
					errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'gone', fields: [] }],
				};
			Object.assign(r, fields);
			return { id: r.Id, success: true, errors: [], created: false };
		}
		const matches = this.store.filter((x) => x[ext as string] === fields[ext as string]);
		if (matches.length === 0) {
			const r = { ...fields, Id: this.newId() } as Rec;
			this.store.push(r);
			return { id: r.Id, success: true, errors: [], created: true };
		}
		Object.assign(matches[0], fields);
		return { id: matches[0].Id, success: true, errors: [], created: false };
	}

	async request<T>(req: SalesforceRequest): Promise<SalesforceResponse<T>> {
		this.requests.push(req);
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		await new Promise((r) => setImmediate(r));
		this.inFlight--;
		const ok = (body: unknown) => ({ status: 200, body: body as T, headers: {} });
		const body = req.body as
			| { records?: Array<Record<string, unknown>>; allOrNone?: boolean }
			| undefined;
		if (req.path === '/composite/sobjects' && req.method === 'POST') {
			return ok(body!.records!.map((r) => this.save(r, 'create')));
		}
		if (req.path === '/composite/sobjects' && req.method === 'PATCH') {
			return ok(body!.records!.map((r) => this.save(r, 'update')));
		}
		const up = /^\/composite\/sobjects\/(\w+)\/(\w+)$/.exec(req.path);
		if (up) return ok(body!.records!.map((r) => this.save(r, 'upsert', up[2])));
		if (req.path === '/query') {
			const failure = this.failQuery(++this.queries);
			if (failure) throw failure;
			const q = String(req.qs!.q);
			const m = /SELECT Id, (\w+) FROM \w+ WHERE \w+ IN \((.*)\)$/.exec(q)!;
			const values = m[2].split(',').map((v) => v.replace(/^'|'$/g, '').toLowerCase());
			const recs = this.store.filter((r) => values.includes(String(r[m[1]] ?? '').toLowerCase()));
			// page by 2 to exercise nextRecordsUrl
			return ok({
				totalSize: recs.length,
				done: recs.length <= 2,
				records: recs.slice(0, 2),
				nextRecordsUrl: recs.length > 2 ? `/services/data/v66.0/query/next-${q.length}` : undefined,
				_rest: recs.slice(2),
			});
		}
		if (req.path.startsWith('/services/data/v66.0/query/next-')) {
			// second page: find last query and return rest
			const prev = [...this.requests].reverse().find((r) => r.path === '/query')!;
			const m = /SELECT Id, (\w+) FROM \w+ WHERE \w+ IN \((.*)\)$/.exec(String(prev.qs!.q))!;
			const values = m[2].split(',').map((v) => v.replace(/^'|'$/g, '').toLowerCase());
			const recs = this.store.filter((r) => values.includes(String(r[m[1]] ?? '').toLowerCase()));
			return ok({ totalSize: recs.length, done: true, records: recs.slice(2) });
		}
		if (req.path === '/jobs/ingest' && req.method === 'POST') {
			const b = req.body as { operation: string; externalIdFieldName?: string };
			const id = `750${this.jobs.size}`;
			this.jobs.set(id, { op: b.operation, ext: b.externalIdFieldName, csv: '', state: 'Open' });
			return ok({ id, state: 'Open' });
		}
		const jm = /^\/jobs\/ingest\/(\w+)(\/.*)?$/.exec(req.path);
		if (jm) {
			const job = this.jobs.get(jm[1])!;
			if (jm[2] === '/batches') {
				job.csv = req.text!;
				return ok('');
			}
			if (!jm[2] && req.method === 'PATCH') {
				job.state = 'JobComplete';
				const [header, ...rows] = parseCsvRows(job.csv);
				const ok2: string[] = [];
				const bad: string[] = [];
				for (const cells of rows.reverse()) {
					const rec: Record<string, unknown> = {};
					header.forEach((h, i) => (rec[h] = cells[i]));
					const r = this.save(
						rec,
						job.op === 'insert' ? 'create' : (job.op as 'update' | 'upsert'),
						job.ext,
					);
					const line = cells
						.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
						.join(',');
					if (r.success) ok2.push(`${r.id},${r.created},${line}`);
					else bad.push(`,"${r.errors[0].statusCode}:${r.errors[0].message}:Name --",${line}`);
				}
				(job as Record<string, unknown>).success =
					`"sf__Id","sf__Created",${header.join(',')}\n${ok2.join('\n')}\n`;
				(job as Record<string, unknown>).failed =
					`"sf__Id","sf__Error",${header.join(',')}\n${bad.join('\n')}\n`;
				(job as Record<string, unknown>).processed = rows.length;
				(job as Record<string, unknown>).nfailed = bad.length;
				return ok({ id: jm[1], state: 'UploadComplete' });
			}
			if (!jm[2]) {
				const j = job as Record<string, unknown>;
				return ok({
					id: jm[1],
					state: job.state,
					numberRecordsProcessed: j.processed,
					numberRecordsFailed: j.nfailed,
				});
			}
			if (jm[2] === '/successfulResults/') return ok((job as Record<string, unknown>).success);
			if (jm[2] === '/failedResults/') return ok((job as Record<string, unknown>).failed);
			if (jm[2] === '/unprocessedrecords/') return ok('');
		}
		throw Object.assign(new Error(`unexpected ${req.method} ${req.path}`), {
			status: 404,
			errors: [{ errorCode: 'NOT_FOUND', message: 'no', fields: [] }],
		});
	}
}

const items = (n: number, f: (i: number) => Partial<WriteInput> = () => ({})): WriteInput[] =>
	Array.from({ length: n }, (_, i) => ({ itemIndex: i, record: { LastName: `L${i}` }, ...f(i) }));

const opts = (o: Partial<WriterOptions>): WriterOptions => ({
	object: 'Contact',
	operation: 'create',
	sleep: async () => {},
	...o,
});

describe('writer: collections', () => {
	it.each([
		[1, 1],
		[199, 1],
		[200, 1],
		[201, 2],
		[1999, 10],
	])('creates %i records in %i calls, paired in order', async (n, calls) => {
		const api = new FakeApi();
		const report = await new Writer(api, opts({})).write(items(n));
		expect(report.path).toBe('collections');
		expect(api.requests).toHaveLength(calls);
		expect(api.requests.every((r) => r.retry === 'non-idempotent')).toBe(true);
		expect(report.outcomes).toHaveLength(n);
		report.outcomes.forEach((o, i) => {
			expect(o.itemIndex).toBe(i);
			expect(o.success).toBe(true);
			expect(o.created).toBe(true);
			expect(api.store.find((r) => r.Id === o.id)?.LastName).toBe(`L${i}`);
		});
		const first = api.requests[0].body as { records: Array<Record<string, unknown>> };
		expect(first.records[0].attributes).toEqual({ type: 'Contact' });
	});

	it('keeps at most `concurrency` calls in flight', async () => {
		const api = new FakeApi();
		await new Writer(api, opts({ batchSize: 10, concurrency: 3 })).write(items(100));
		expect(api.requests).toHaveLength(10);
		expect(api.maxInFlight).toBe(3);
	});

	it('upserts by external ID through PATCH /composite/sobjects/<Obj>/<Field>', async () => {
		const api = new FakeApi();
		api.store.push({ Id: '003A', Ext__c: 'k1', LastName: 'old' });
		const report = await new Writer(
			api,
			opts({ operation: 'upsert', matchField: 'Ext__c', matchKind: 'externalId' }),
		).write(items(3, (i) => ({ matchValue: `k${i + 1}` })));
		expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'PATCH /composite/sobjects/Contact/Ext__c',
		]);
		expect(report.outcomes.map((o) => o.created)).toEqual([false, true, true]);
		expect(report.outcomes[0].id).toBe('003A');
		expect(api.store.find((r) => r.Id === '003A')?.LastName).toBe('L0');
	});

	it('updates by Id; create or update by Id creates items without Id', async () => {
		const api = new FakeApi();
		api.store.push({ Id: '003A', LastName: 'old' });
		const report = await new Writer(
			api,
			opts({ operation: 'upsert', matchField: 'Id', matchKind: 'id' }),
		).write(items(2, (i) => ({ matchValue: i === 0 ? '003A' : '' })));
		expect(api.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
			'PATCH /composite/sobjects',
			'POST /composite/sobjects',
		]);
		expect(report.outcomes[0]).toMatchObject({
			success: true,
			id: '003A',
			created: false,
			action: 'update',
		});
		expect(report.outcomes[1]).toMatchObject({ success: true, created: true, action: 'create' });
	});

	it('re-sends only records that failed with UNABLE_TO_LOCK_ROW, bounded', async () => {
		const api = new FakeApi();
		api.failRecord = (rec, attempt) =>
			rec.LastName === 'L1' && attempt < 3
				? 'UNABLE_TO_LOCK_ROW'
				: rec.LastName === 'L2'
					? 'UNABLE_TO_LOCK_ROW'
					: undefined;
		const report = await new Writer(api, opts({ lockRetries: 3 })).write(items(3));
		// first call 3 records, then [L1, L2], [L1, L2], [L2]
		expect(api.requests.map((r) => (r.body as { records: unknown[] }).records.length)).toEqual([
			3, 2, 2, 1,
		]);
		expect(report.outcomes.map((o) => o.success)).toEqual([true, true, false]);
		expect(report.outcomes[2].errors[0].errorCode).toBe('UNABLE_TO_LOCK_ROW');
		expect(api.store).toHaveLength(2);
	});

	it('never re-sends a create whose outcome is unknown', async () => {
		const api = new FakeApi();
		api.request = jest.fn(async () => {
			throw Object.assign(new Error('socket hang up'), { status: undefined });
		}) as never;
		const report = await new Writer(api, opts({})).write(items(2));
		expect(api.request).toHaveBeenCalledTimes(1);
		expect(report.outcomes.every((o) => !o.success && o.outcomeUnknown)).toBe(true);
	});

	it('stops scheduling calls after a failure when stopOnFailure is set', async () => {
		const api = new FakeApi();
		api.failRecord = (rec) => (rec.LastName === 'L0' ? 'REQUIRED_FIELD_MISSING' : undefined);
		const report = await new Writer(
			api,
			opts({ batchSize: 10, concurrency: 1, stopOnFailure: true }),
		).write(items(50));
		expect(api.requests).toHaveLength(1);
		expect(report.stopped).toBe(true);
		expect(report.outcomes.filter((o) => o.success)).toHaveLength(9);
		expect(report.outcomes[49]).toMatchObject({ success: false, attempted: false });
		expect(report.outcomes[49].errors[0].errorCode).toBe('NOT_ATTEMPTED');
	});
});

describe('writer: lookup path', () => {
	it('looks up by Email with SOQL IN, follows nextRecordsUrl, updates found, creates the rest', async () => {
		const api = new FakeApi();
		api.store.push(
			{ Id: '003A', Email: 'a@x.fr' },
			{ Id: '003B', Email: 'b@x.fr' },
			{ Id: '003C', Email: 'c@x.fr' },
		);
		const report = await new Writer(
			api,
			opts({
				operation: 'upsert',
				matchField: 'Email',
				matchKind: 'idLookup',
				matchFieldType: 'email',
			}),
		).write([
			{ itemIndex: 0, record: { LastName: 'A' }, matchValue: 'A@x.fr' },
			{ itemIndex: 1, record: { LastName: 'B' }, matchValue: 'b@x.fr' },
			{ itemIndex: 2, record: { LastName: 'C' }, matchValue: 'c@x.fr' },
			{ itemIndex: 3, record: { LastName: 'D' }, matchValue: 'd@x.fr' },
		]);
		const paths = api.requests.map((r) => `${r.method} ${r.path.replace(/next-\d+/, 'next')}`);
		expect(paths.slice(0, 2)).toEqual(['GET /query', 'GET /services/data/v66.0/query/next']);
		expect(paths.slice(2).sort()).toEqual([
			'PATCH /composite/sobjects',
			'POST /composite/sobjects',
		]);
		expect(report.outcomes.map((o) => [o.action, o.id ?? 'new'])).toEqual([
			['update', '003A'],
			['update', '003B'],
			['update', '003C'],
			['create', report.outcomes[3].id],
		]);
		expect(api.store.find((r) => r.Id === report.outcomes[3].id)).toMatchObject({
			Email: 'd@x.fr',
			LastName: 'D',
		});
	});

	it('fails an item with several matches (naming the Ids) and Update of an unknown value with NOT_FOUND', async () => {
		const api = new FakeApi();
		api.store.push({ Id: '003A', Email: 'dup@x.fr' }, { Id: '003B', Email: 'dup@x.fr' });
		const report = await new Writer(
			api,
			opts({ operation: 'update', matchField: 'Email', matchKind: 'idLookup' }),
		).write([
			{ itemIndex: 0, record: { LastName: 'A' }, matchValue: 'dup@x.fr' },
			{ itemIndex: 1, record: { LastName: 'B' }, matchValue: 'none@x.fr' },
		]);
		expect(report.outcomes[0].errors[0].errorCode).toBe('MULTIPLE_MATCHES');
		expect(report.outcomes[0].matchedIds).toEqual(['003A', '003B']);
		expect(report.outcomes[0].errors[0].message).toContain('003A, 003B');
		expect(report.outcomes[1].errors[0].errorCode).toBe('NOT_FOUND');
		expect(api.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
	});

	it("a lookup Salesforce refuses fails that wave's items with its error; nothing of them is written, earlier items keep their results", async () => {
		const api = new FakeApi();
		api.store.push({ Id: '003A', Email: 'a@x.fr' });
		const soqlError = new SalesforceRequestError({
			status: 400,
			errors: [
				{
					errorCode: 'INVALID_FIELD',
					message: "No such column 'Email' on entity 'Contact'",
					fields: [],
				},
			],
			requestPath: '/query',
		});
		// wave 1 (a@, b@) looks up fine; wave 2 (b@ again: its create failed, so its Id is not known) does not
		api.failQuery = (n) => (n === 2 ? soqlError : undefined);
		api.failRecord = (rec) =>
			rec.LastName === 'B1' ? 'UNABLE_TO_LOCK_ROW_NOT_RETRIED' : undefined;
		const report = await new Writer(
			api,
			opts({
				operation: 'upsert',
				matchField: 'Email',
				matchKind: 'idLookup',
				matchFieldType: 'email',
			}),
		).write([
			{ itemIndex: 0, record: { LastName: 'A' }, matchValue: 'a@x.fr' },
			{ itemIndex: 1, record: { LastName: 'B1' }, matchValue: 'b@x.fr' },
			{ itemIndex: 2, record: { LastName: 'B2' }, matchValue: 'b@x.fr' },
		]);
		expect(
			report.outcomes.map((o) => [o.itemIndex, o.success, o.errors[0]?.errorCode ?? null]),
		).toEqual([
			[0, true, null],
			[1, false, 'UNABLE_TO_LOCK_ROW_NOT_RETRIED'],
			[2, false, 'INVALID_FIELD'],
		]);
		expect(report.outcomes[2]).toMatchObject({ attempted: false, action: null, id: null });
		expect(report.outcomes[2].errors[0].message).toBe("No such column 'Email' on entity 'Contact'");
		expect(api.store.find((r) => r.Id === '003A')?.LastName).toBe('A');
		expect(api.store.filter((r) => String(r.LastName).startsWith('B'))).toEqual([]);
	});

	it('a lookup answered 401 (the session could not be renewed) still ends the run', async () => {
		const api = new FakeApi();
		api.failQuery = () =>
			new SalesforceRequestError({
				status: 401,
				errors: [
					{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid', fields: [] },
				],
				requestPath: '/query',
			});
		await expect(
			new Writer(
				api,
				opts({ operation: 'update', matchField: 'Email', matchKind: 'idLookup' }),
			).write([{ itemIndex: 0, record: { LastName: 'A' }, matchValue: 'a@x.fr' }]),
		).rejects.toThrow(/Session expired/);
	});

	it('writes items sharing a key in waves: one record per key, last write wins', async () => {
		const api = new FakeApi();
		const report = await new Writer(
			api,
			opts({ operation: 'upsert', matchField: 'Email', matchKind: 'idLookup' }),
		).write([
			{ itemIndex: 0, record: { LastName: 'first' }, matchValue: 'same@x.fr' },
			{ itemIndex: 1, record: { LastName: 'other' }, matchValue: 'other@x.fr' },
			{ itemIndex: 2, record: { LastName: 'second' }, matchValue: 'SAME@x.fr' },
		]);
		expect(api.store).toHaveLength(2);
		expect(report.outcomes[0]).toMatchObject({ created: true, action: 'create' });
		expect(report.outcomes[2]).toMatchObject({
			created: false,
			action: 'update',
			id: report.outcomes[0].id,
		});
		expect(api.store.find((r) => r.Id === report.outcomes[0].id)?.LastName).toBe('second');
	});
});

describe('writer: Bulk API 2.0', () => {
	it('chooses bulk at the threshold and pairs results to the exact items', async () => {
		const api = new FakeApi();
		api.failRecord = (rec) => (rec.LastName === 'L7' ? 'REQUIRED_FIELD_MISSING' : undefined);
		const report = await new Writer(
			api,
			opts({
				operation: 'upsert',
				matchField: 'Ext__c',
				matchKind: 'externalId',
				bulkThreshold: 10,
			}),
		).write(items(10, (i) => ({ matchValue: `e${i}` })));
		expect(report.path).toBe('bulk');
		expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /jobs/ingest',
			'PUT /jobs/ingest/7500/batches',
			'PATCH /jobs/ingest/7500',
			'GET /jobs/ingest/7500',
			'GET /jobs/ingest/7500/successfulResults/',
			'GET /jobs/ingest/7500/failedResults/',
		]);
		report.outcomes.forEach((o, i) => {
			if (i === 7) {
				expect(o).toMatchObject({ success: false, bulkJobId: '7500' });
				expect(o.errors[0]).toMatchObject({
					errorCode: 'REQUIRED_FIELD_MISSING',
					fields: ['Name'],
				});
			} else {
				expect(o.success).toBe(true);
				expect(api.store.find((r) => r.Id === o.id)?.Ext__c).toBe(`e${i}`);
			}
		});
	});

	it('never picks bulk on Auto with all-or-none', () => {
		const path = (n: number, o: Parameters<typeof opts>[0]) => Writer.choosePath(n, opts(o)).path;
		expect(path(50_000, { allOrNone: true })).toBe('collections');
		expect(path(50_000, {})).toBe('bulk');
		expect(path(1, { bulkMode: 'always' })).toBe('bulk');
		expect(path(1999, {})).toBe('collections');
		// a Bulk Threshold set on the node keeps the threshold rule
		expect(path(2000, { bulkThreshold: 2000 })).toBe('bulk');
		expect(path(1999, { bulkThreshold: 2000 })).toBe('collections');
	});
});

describe('writer helpers', () => {
	it('parseBulkError', () => {
		expect(
			parseBulkError('REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --'),
		).toEqual({
			errorCode: 'REQUIRED_FIELD_MISSING',
			message: 'Required fields are missing: [LastName]',
			fields: ['LastName'],
		});
		expect(parseBulkError('oops').errorCode).toBe('UNKNOWN_EXCEPTION');
	});
});

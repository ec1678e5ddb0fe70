/**
 * Bulk API 2.0 ingest jobs: create → upload CSV → UploadComplete → (async) InProgress →
 * JobComplete | Failed; result CSVs with sf__Id/sf__Created or sf__Id/sf__Error + input columns.
 */
import { httpError, notFound } from './errors';
import { parseCsv, toCsv } from './csv';
import { isValidId, USER_ID } from './ids';
import { json, parseJsonBody, empty, type EmuReply, type EmuRequest } from './http-types';
import { bulkSaveContext, type OrgConfig, type SaveContext } from './org';
import type { Clock } from './model/clock';
import { createRecord, updateRecord, upsertRecord, type SaveOutcome } from './records';
import { relationshipColumnProblem } from './relationships';
import { findField, findObject, type EmuObject } from './schema';
import type { Store } from './store';
import { formatDateTime } from './validation';

type State = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
const DELIMS: Record<string, string> = {
	COMMA: ',',
	TAB: '\t',
	SEMICOLON: ';',
	PIPE: '|',
	CARET: '^',
	BACKQUOTE: '`',
};

interface Job {
	id: string;
	object: EmuObject;
	operation: 'insert' | 'update' | 'upsert';
	externalIdFieldName?: string;
	/** Runs this assignment rule on every row (no rule runs without it). */
	assignmentRuleId?: string;
	lineEnding: 'LF' | 'CRLF';
	columnDelimiter: string;
	state: State;
	apiVersion: string;
	createdDate: string;
	systemModstamp: string;
	data: string;
	errorMessage?: string;
	processed: number;
	failed: number;
	started?: number;
	success: string[][];
	failures: string[][];
	unprocessed: string[][];
	header: string[];
	/** Modelled processing time (latency model on), ms, and when it started on the model's clock. */
	modelledMs?: number;
	modelStart?: number;
}

/** The latency model's view of a job: how long it takes and the clock it runs on. */
interface JobTiming {
	bulkJobMs(records: number): number;
	readonly clock: Clock;
}

export class Bulk {
	private jobs = new Map<string, Job>();
	private timers = new Set<NodeJS.Timeout>();

	constructor(
		private store: Store,
		private newJobId: () => string,
		private tickMs: () => number,
		private org: OrgConfig,
		private timing?: JobTiming,
	) {}

	stop(): void {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const cancel of this.modelTimers) cancel();
		this.modelTimers.clear();
	}

	private modelTimers = new Set<() => void>();

	/** JobComplete now, or when the latency model says the job's batches are done. */
	private complete(j: Job, records: number): void {
		const ms = this.timing?.bulkJobMs(records) ?? 0;
		const done = (): void => {
			j.state = 'JobComplete';
			j.systemModstamp = formatDateTime(new Date());
		};
		if (!ms || !this.timing) return done();
		j.modelledMs = ms;
		const elapsed = this.timing.clock.now() - (j.modelStart ?? this.timing.clock.now());
		const cancel = this.timing.clock.after(Math.max(0, ms - elapsed), () => {
			this.modelTimers.delete(cancel);
			if (j.state === 'InProgress') done();
		});
		this.modelTimers.add(cancel);
	}

	private later(fn: () => void): void {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, this.tickMs());
		this.timers.add(t);
	}

	private info(j: Job): Record<string, unknown> {
		const base: Record<string, unknown> = {
			id: j.id,
			operation: j.operation,
			object: j.object.name,
			createdById: USER_ID,
			createdDate: j.createdDate,
			systemModstamp: j.systemModstamp,
			state: j.state,
			concurrencyMode: 'Parallel',
			contentType: 'CSV',
			apiVersion: Number(j.apiVersion),
			contentUrl: `services/data/v${j.apiVersion}/jobs/ingest/${j.id}/batches`,
			lineEnding: j.lineEnding,
			columnDelimiter: Object.keys(DELIMS).find((k) => DELIMS[k] === j.columnDelimiter),
		};
		if (j.externalIdFieldName) base.externalIdFieldName = j.externalIdFieldName;
		if (j.assignmentRuleId) base.assignmentRuleId = j.assignmentRuleId;
		if (j.state !== 'Open') {
			Object.assign(base, {
				jobType: 'V2Ingest',
				numberRecordsProcessed: j.processed,
				numberRecordsFailed: j.failed,
				retries: 0,
				totalProcessingTime:
					j.state === 'JobComplete' && j.modelledMs !== undefined
						? j.modelledMs
						: j.started
							? Math.max(1, Date.now() - j.started)
							: 0,
				apiActiveProcessingTime: 0,
				apexProcessingTime: 0,
			});
			if (j.errorMessage) base.errorMessage = j.errorMessage;
		}
		return base;
	}

	private job(id: string): Job {
		const j = this.jobs.get(id);
		if (!j) throw httpError(404, 'NOT_FOUND', 'The requested resource does not exist');
		return j;
	}

	handle(req: EmuRequest, version: string, rest: string[]): EmuReply {
		const [id, sub] = rest;
		if (id === undefined || id === '') {
			if (req.method === 'POST') return this.create(req, version);
			if (req.method === 'GET')
				return json(200, {
					done: true,
					records: [...this.jobs.values()].map((j) => this.info(j)),
					nextRecordsUrl: null,
				});
			throw httpError(
				405,
				'METHOD_NOT_ALLOWED',
				`HTTP Method '${req.method}' not allowed. Allowed are GET,POST`,
			);
		}
		const j = this.job(id);
		if (sub === undefined || sub === '') {
			if (req.method === 'GET') return json(200, this.info(j));
			if (req.method === 'PATCH') return this.patch(j, req);
			if (req.method === 'DELETE') {
				if (j.state === 'UploadComplete' || j.state === 'InProgress')
					throw httpError(400, 'API_ERROR', 'Job is not in a terminal state');
				this.jobs.delete(id);
				return empty();
			}
		}
		if (sub === 'batches' && req.method === 'PUT') {
			if (j.state !== 'Open')
				throw httpError(409, 'INVALIDJOBSTATE', `Job is not in Open state: ${j.state}`);
			j.data =
				j.data === ''
					? req.body
					: j.data + req.body.slice(req.body.search(/\r?\n/) + 1 || req.body.length);
			return { status: 201, text: '' };
		}
		if (
			req.method === 'GET' &&
			(sub === 'successfulResults' || sub === 'failedResults' || sub === 'unprocessedrecords')
		) {
			const le = j.lineEnding === 'CRLF' ? '\r\n' : '\n';
			if (sub === 'unprocessedrecords')
				return csv(toCsv([j.header, ...j.unprocessed], le, j.columnDelimiter));
			if (j.state !== 'JobComplete' && j.state !== 'Failed')
				throw httpError(400, 'INVALIDJOBSTATE', 'Job is not in a terminal state');
			if (sub === 'successfulResults')
				return csv(
					toCsv([['sf__Id', 'sf__Created', ...j.header], ...j.success], le, j.columnDelimiter),
				);
			return csv(
				toCsv([['sf__Id', 'sf__Error', ...j.header], ...j.failures], le, j.columnDelimiter),
			);
		}
		throw notFound();
	}

	private create(req: EmuRequest, version: string): EmuReply {
		const b = parseJsonBody(req.body) as Record<string, unknown>;
		const o = findObject(String(b.object ?? ''));
		if (!o)
			throw httpError(
				400,
				'INVALIDENTITY',
				`Entity '${String(b.object)}' is not supported by the Bulk API.`,
			);
		const op = String(b.operation ?? '');
		if (!['insert', 'update', 'upsert'].includes(op))
			throw httpError(
				400,
				'FEATURENOTENABLED',
				`Operation '${op}' is not supported by this emulator (insert, update, upsert).`,
			);
		let ext: string | undefined;
		if (op === 'upsert') {
			const f = b.externalIdFieldName ? findField(o, String(b.externalIdFieldName)) : undefined;
			if (!f || !(f.externalId || f.name === 'Id'))
				throw httpError(
					400,
					'INVALIDJOB',
					`InvalidJob : External ID was blank for ${o.name}. An External ID must be specified for upsert.`,
				);
			ext = f.name;
		}
		const le = String(b.lineEnding ?? 'LF');
		if (le !== 'LF' && le !== 'CRLF')
			throw httpError(400, 'INVALIDJOB', `Invalid lineEnding: ${le}`);
		const delim = DELIMS[String(b.columnDelimiter ?? 'COMMA')];
		if (!delim)
			throw httpError(400, 'INVALIDJOB', `Invalid columnDelimiter: ${String(b.columnDelimiter)}`);
		if (b.contentType !== undefined && b.contentType !== 'CSV')
			throw httpError(400, 'INVALIDJOB', 'contentType must be CSV');
		const rule = b.assignmentRuleId;
		if (rule !== undefined && !(typeof rule === 'string' && isValidId(rule)))
			throw httpError(400, 'INVALIDJOB', `Invalid assignmentRuleId: ${String(rule)}`);
		const now = formatDateTime(new Date());
		const j: Job = {
			id: this.newJobId(),
			object: o,
			operation: op as Job['operation'],
			externalIdFieldName: ext,
			assignmentRuleId: rule,
			lineEnding: le,
			columnDelimiter: delim,
			state: 'Open',
			apiVersion: version,
			createdDate: now,
			systemModstamp: now,
			data: '',
			processed: 0,
			failed: 0,
			success: [],
			failures: [],
			unprocessed: [],
			header: [],
		};
		this.jobs.set(j.id, j);
		return json(200, this.info(j));
	}

	private patch(j: Job, req: EmuRequest): EmuReply {
		const b = parseJsonBody(req.body) as Record<string, unknown>;
		if (b.state === 'Aborted') {
			if (j.state === 'JobComplete' || j.state === 'Failed')
				throw httpError(400, 'INVALIDJOBSTATE', `Job is already in a terminal state: ${j.state}`);
			j.state = 'Aborted';
			this.parseInto(j, true);
			return json(200, this.info(j));
		}
		if (b.state !== 'UploadComplete')
			throw httpError(400, 'INVALIDJOBSTATE', `Invalid state transition to ${String(b.state)}`);
		if (j.state !== 'Open')
			throw httpError(409, 'INVALIDJOBSTATE', `Job is not in Open state: ${j.state}`);
		j.state = 'UploadComplete';
		j.systemModstamp = formatDateTime(new Date());
		const reply = json(200, this.info(j));
		this.later(() => {
			if (j.state !== 'UploadComplete') return;
			j.state = 'InProgress';
			j.started = Date.now();
			j.modelStart = this.timing?.clock.now();
			this.later(() => this.process(j));
		});
		return reply;
	}

	/** Parses the uploaded CSV; returns rows as objects, or fails the job. */
	private parseInto(j: Job, allUnprocessed = false): Array<Record<string, string>> | undefined {
		let rows: string[][];
		try {
			rows = j.data === '' ? [] : parseCsv(j.data, j.columnDelimiter);
		} catch {
			j.errorMessage =
				'InvalidBatch : Failed to parse CSV. Found unescaped quote. A value with a quote should be within a quote';
			return undefined;
		}
		j.header = rows[0] ?? [];
		const body = rows.slice(1).filter((r) => !(r.length === 1 && r[0] === ''));
		if (allUnprocessed) {
			j.unprocessed = body;
			return undefined;
		}
		return body.map((r) => Object.fromEntries(j.header.map((h, i) => [h, r[i] ?? ''])));
	}

	private process(j: Job): void {
		if (j.state !== 'InProgress') return;
		const firstBreak = j.data.search(/\r?\n/);
		if (firstBreak >= 0 && (j.data[firstBreak] === '\r') !== (j.lineEnding === 'CRLF')) {
			return this.fail(
				j,
				`InvalidBatch : LineEnding is invalid on user data. Current LineEnding setting is ${j.lineEnding}`,
			);
		}
		const records = this.parseInto(j);
		if (!records) return this.fail(j, j.errorMessage ?? 'InvalidBatch : Failed to parse CSV');
		for (const h of j.header) {
			if (h.includes('.')) continue;
			if (!findField(j.object, h))
				return this.fail(j, `InvalidBatch : Field name not found : ${h}`);
		}
		const relationship = relationshipColumnProblem(j.object, j.header);
		if (relationship) return this.fail(j, relationship);
		if (j.operation === 'update' && !j.header.some((h) => h.toLowerCase() === 'id'))
			return this.fail(j, 'InvalidBatch : Field name not found : Id');
		if (
			j.operation === 'upsert' &&
			!j.header.some((h) => h.toLowerCase() === j.externalIdFieldName!.toLowerCase())
		)
			return this.fail(j, `InvalidBatch : Field name not found : ${j.externalIdFieldName}`);
		let ctx: SaveContext | undefined;
		for (const [i, rec] of records.entries()) {
			// Salesforce saves a job's rows in chunks of 200: duplicate rules do not compare a chunk with itself.
			if (i % 200 === 0) ctx = bulkSaveContext(this.org, USER_ID, j.apiVersion, j.assignmentRuleId);
			const values: Record<string, unknown> = { ...rec };
			const raw = j.header.map((h) => rec[h]);
			let outcome: SaveOutcome;
			if (j.operation === 'insert')
				outcome = createRecord(this.store, j.object, values, 'csv', [], ctx).outcome;
			else if (j.operation === 'update') {
				const idKey = j.header.find((h) => h.toLowerCase() === 'id')!;
				outcome = updateRecord(
					this.store,
					j.object,
					values[idKey],
					values,
					'csv',
					[idKey],
					ctx,
				).outcome;
			} else {
				const extKey = j.header.find(
					(h) => h.toLowerCase() === j.externalIdFieldName!.toLowerCase(),
				)!;
				outcome = upsertRecord(
					this.store,
					j.object,
					j.externalIdFieldName!,
					values[extKey],
					values,
					'csv',
					{ ignore: [extKey], ctx },
				).outcome;
			}
			j.processed++;
			if (outcome.success)
				j.success.push([
					outcome.id ?? '',
					String(outcome.created ?? j.operation === 'insert'),
					...raw,
				]);
			else {
				j.failed++;
				const e = outcome.errors
					.map(
						(x) =>
							`${x.errorCode}:${x.message}:${x.fields.length ? `${x.fields.join(',')} ` : ''}--`,
					)
					.join(' ');
				j.failures.push([outcome.id ?? '', e, ...raw]);
			}
		}
		this.complete(j, records.length);
	}

	private fail(j: Job, message: string): void {
		j.state = 'Failed';
		j.errorMessage = message;
		j.systemModstamp = formatDateTime(new Date());
	}
}

function csv(text: string): EmuReply {
	return { status: 200, text, contentType: 'text/csv' };
}

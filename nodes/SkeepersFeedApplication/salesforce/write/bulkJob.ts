/**
 * The Bulk API 2.0 path: one ingest job per action (and per `bulkMaxRowsPerJob` rows), through
 * its whole life cycle: create job → upload CSV → UploadComplete → poll (bounded total wait) →
 * read the successful, failed and unprocessed results → pair them back to the items.
 */
import { mapBulkResults, type BulkRecordResult } from '../../codecs/bulkResults';
import { csvColumns, parseCsv, toCsv } from '../../codecs/csv';
import { parentColumns } from '../../codecs/relationshipColumns';
import { chunk } from '../../plan/chunk';
import {
	ERROR_CODES,
	FEED_OPERATIONS,
	ownError,
	type FeedOperation,
	type SalesforceError,
	type SObjectRecord,
} from '../../domain';
import { bulkJobRuleProperties } from '../assignment';
import { errorsOf } from '../errors';
import { runPool } from '../pool';
import { mayHaveBeenApplied, type Op, type WriteSession } from './session';

const BASE = '/jobs/ingest';

/** Writes `ops` through Bulk API 2.0 jobs, Requests in Flight jobs at a time. */
export async function runBulk(s: WriteSession, ops: Op[]): Promise<void> {
	const tasks: Array<() => Promise<void>> = [];
	for (const action of FEED_OPERATIONS) {
		const group = ops.filter((op) => op.action === action);
		for (const part of chunk(group, s.o.bulkMaxRowsPerJob)) {
			if (part.length > 0) tasks.push(async () => await bulkJob(s, action, part));
		}
	}
	await runPool(
		tasks,
		() => s.flight.limit(),
		() => s.shouldStop(),
	);
}

async function bulkJob(s: WriteSession, action: FeedOperation, ops: Op[]): Promise<void> {
	const operation = action === 'create' ? 'insert' : action;
	const rows = ops.map((op) => {
		const row: SObjectRecord = {};
		for (const [k, v] of Object.entries(op.body)) if (k !== 'attributes') row[k] = v;
		return parentColumns(row);
	});
	const columns = csvColumns(rows);
	const csv = toCsv(rows, columns, 'LF');
	// Assignment Rules: the job's assignmentRuleId (salesforce/assignment.ts)
	const job = await bulkJobRuleProperties(s.o, s.o.activeAssignmentRule);
	const firstCall = s.calls.length;
	const note = (method: string, path: string, records = 0) =>
		s.note({ method, path, records, kind: 'bulk', ...(Object.keys(job).length ? { job } : {}) });

	if (s.o.dryRun) {
		note('POST', BASE, 0);
		note('PUT', `${BASE}/<jobId>/batches`, ops.length);
		note('PATCH', `${BASE}/<jobId>`, 0);
		note('GET', `${BASE}/<jobId>`, 0);
		note('GET', `${BASE}/<jobId>/successfulResults/`, 0);
		for (const op of ops) s.settleDryRun(op, action, firstCall + 1);
		return;
	}

	let jobId: string | undefined;
	const failAll = (errors: SalesforceError[], unknown: boolean) => {
		for (const op of ops) {
			s.fail(op.input, errors, {
				action,
				sent: op.body,
				bulkJobId: jobId,
				call: firstCall + 1,
				outcomeUnknown: unknown || undefined,
			});
		}
	};
	let uploaded = false;
	try {
		note('POST', BASE);
		const created = await s.api.request<{ id: string }>({
			method: 'POST',
			path: BASE,
			body: {
				object: s.o.object,
				operation,
				...job,
				...(action === 'upsert' ? { externalIdFieldName: s.o.matchField } : {}),
				contentType: 'CSV',
				columnDelimiter: 'COMMA',
				lineEnding: 'LF',
			},
			retry: 'non-idempotent',
		});
		jobId = created.body.id;
		s.bulkJobIds.push(jobId);
		note('PUT', `${BASE}/${jobId}/batches`, ops.length);
		await s.api.request({
			method: 'PUT',
			path: `${BASE}/${jobId}/batches`,
			text: csv,
			retry: 'idempotent',
		});
		note('PATCH', `${BASE}/${jobId}`);
		await s.api.request({
			method: 'PATCH',
			path: `${BASE}/${jobId}`,
			body: { state: 'UploadComplete' },
			retry: 'idempotent',
		});
		uploaded = true;
	} catch (error) {
		const { errors, status } = errorsOf(error);
		// Before UploadComplete nothing runs: a job that was never closed writes nothing.
		failAll(errors, uploaded && mayHaveBeenApplied(status));
		return;
	}

	// Poll until the job ends (bounded total wait).
	let info: Record<string, unknown> = {};
	const started = Date.now();
	let wait = s.o.bulkPollMs;
	for (;;) {
		try {
			note('GET', `${BASE}/${jobId}`);
			const res = await s.api.request<Record<string, unknown>>({
				method: 'GET',
				path: `${BASE}/${jobId}`,
				retry: 'idempotent',
			});
			info = res.body ?? {};
		} catch (error) {
			failAll(
				[
					...errorsOf(error).errors,
					ownError(
						ERROR_CODES.BULK_JOB_STATUS_UNKNOWN,
						`Could not read the state of Bulk API 2.0 job ${jobId}; it may still write these records. Check it in Salesforce (Setup → Bulk Data Load Jobs).`,
					),
				],
				true,
			);
			return;
		}
		const state = String(info.state ?? '');
		if (state === 'JobComplete' || state === 'Failed' || state === 'Aborted') break;
		if (Date.now() - started + wait > s.o.bulkMaxWaitMs) {
			failAll(
				[
					ownError(
						ERROR_CODES.BULK_JOB_TIMEOUT,
						`Bulk API 2.0 job ${jobId} was still ${state || 'running'} after ${Math.round(s.o.bulkMaxWaitMs / 1000)} s; it may still write these records. Check it in Salesforce (Setup → Bulk Data Load Jobs) before running again.`,
					),
				],
				true,
			);
			return;
		}
		await s.sleep(wait);
		wait = Math.min(wait * 2, 5000);
	}

	const processed = Number(info.numberRecordsProcessed ?? NaN);
	const failedCount = Number(info.numberRecordsFailed ?? NaN);
	const fetch = async (what: string): Promise<string> => {
		note('GET', `${BASE}/${jobId}/${what}`);
		const res = await s.api.request<string>({
			method: 'GET',
			path: `${BASE}/${jobId}/${what}`,
			responseType: 'text',
			retry: 'idempotent',
		});
		return typeof res.body === 'string' ? res.body : String(res.body ?? '');
	};
	let results: BulkRecordResult[];
	try {
		const known = Number.isFinite(processed) && Number.isFinite(failedCount);
		const success = !known || processed - failedCount > 0 ? await fetch('successfulResults/') : '';
		const failed = !known || failedCount > 0 ? await fetch('failedResults/') : '';
		const unprocessed =
			!known || processed < ops.length || String(info.state) !== 'JobComplete'
				? await fetch('unprocessedrecords/')
				: '';
		const csvRows = (text: string) => (text.trim() ? parseCsv(text) : []);
		results = mapBulkResults(rows, csvRows(success), csvRows(failed), csvRows(unprocessed), {
			columns,
			keyColumn: action === 'create' ? undefined : action === 'update' ? 'Id' : s.o.matchField,
		}).results;
	} catch (error) {
		failAll(
			[
				...errorsOf(error).errors,
				ownError(
					ERROR_CODES.BULK_RESULTS_UNAVAILABLE,
					`Bulk API 2.0 job ${jobId} ended (${String(info.state)}) but its results could not be read`,
				),
			],
			true,
		);
		return;
	}
	const jobError =
		typeof info.errorMessage === 'string' && info.errorMessage ? info.errorMessage : undefined;
	ops.forEach((op, i) => {
		const r = results[i];
		const common = { action, sent: op.body, bulkJobId: jobId, call: firstCall + 1 } as const;
		if (r.status === 'success') {
			s.settle({
				itemIndex: op.input.itemIndex,
				success: true,
				id: r.id ?? (op.body.Id as string | undefined) ?? null,
				created: r.created ?? action === 'create',
				errors: [],
				attempted: true,
				...common,
			});
		} else if (r.status === 'failed') {
			// a duplicate rule's refusal is sent again through Collections (write/duplicates.ts)
			if (!s.hold(op, r.errors, 'bulk')) s.fail(op.input, r.errors, common);
		} else if (r.status === 'unknown') {
			s.fail(op.input, r.errors, { ...common, outcomeUnknown: true });
		} else {
			s.fail(
				op.input,
				[
					ownError(
						ERROR_CODES.NOT_PROCESSED,
						`Bulk API 2.0 job ${jobId} (${String(info.state)}) did not process this record${jobError ? `: ${jobError}` : ''}`,
					),
				],
				common,
			);
		}
	});
}

/**
 * REST API under /services/data/vXX.X: describe, sObject CRUD and upsert, sObject Collections,
 * SOQL query with paging, limits. Handlers get the path segments after the version.
 */
import { collectionError, HttpError, httpError, notFound, sfError, type SfError } from './errors';
import { isValidId, to18 } from './ids';
import { empty, json, parseJsonBody, type EmuReply, type EmuRequest } from './http-types';
import {
	createRecord,
	present,
	updateRecord,
	upsertRecord,
	type SaveAnswer,
	type SaveOutcome,
} from './records';
import {
	findField,
	findObject,
	READ_ONLY_OBJECTS,
	SCHEMA,
	type EmuField,
	type EmuObject,
} from './schema';
import { readOnlyFields, setupRows, type OrgConfig, type SaveContext } from './org';
import { recordTypeInfos } from './org/namedRecords';
import { parseSoql } from './soql/parse';
import { runSoql } from './soql/run';
import type { Rec, Store } from './store';

const MAX_COLLECTION = 200;
const QUERY_PAGE = 2000;

export interface RestContext {
	store: Store;
	version: string;
	/** Whether this collections record should fail with UNABLE_TO_LOCK_ROW (fault injection). */
	rollLock: () => boolean;
	cursors: Map<string, { rows: Rec[]; object: EmuObject; fields: string[]; page: number }>;
	newCursorId: () => string;
	limits: () => { max: number; remaining: number };
	identityUrl: () => string;
	org: OrgConfig;
	/** The org automation options of one write request (its headers, the API user). */
	save: (req: EmuRequest) => SaveContext;
}

/** The kind of call, for counters. */
export function restKind(method: string, seg: string[]): string {
	const [a, b, c, d] = seg;
	if (a === undefined || a === '') return 'resources';
	if (a === 'limits') return 'limits';
	if (a === 'query' || a === 'queryAll') return b ? 'query.more' : 'query';
	if (a === 'sobjects') {
		if (!b) return 'describe.global';
		if (c === 'describe') return 'describe.sobject';
		if (!c) return method === 'POST' ? 'sobject.create' : 'sobject.info';
		if (d !== undefined) return method === 'GET' ? 'sobject.read' : 'sobject.upsert';
		return method === 'GET'
			? 'sobject.read'
			: method === 'DELETE'
				? 'sobject.delete'
				: 'sobject.update';
	}
	if (a === 'composite' && b === 'sobjects') {
		if (c) return method === 'PATCH' ? 'collections.upsert' : 'collections.retrieve';
		return method === 'POST'
			? 'collections.create'
			: method === 'PATCH'
				? 'collections.update'
				: method === 'DELETE'
					? 'collections.delete'
					: 'collections';
	}
	if (a === 'jobs' && b === 'ingest') {
		if (!c) return method === 'POST' ? 'bulk.create' : 'bulk.list';
		if (d === 'batches') return 'bulk.upload';
		if (d) return 'bulk.results';
		return method === 'PATCH' ? 'bulk.close' : method === 'DELETE' ? 'bulk.delete' : 'bulk.status';
	}
	return 'other';
}

function object(name: string | undefined): EmuObject {
	const o = name ? findObject(name) : undefined;
	if (!o) throw notFound();
	return o;
}

function body(req: EmuRequest): unknown {
	try {
		return parseJsonBody(req.body);
	} catch {
		throw httpError(
			400,
			'JSON_PARSER_ERROR',
			`Unexpected character: was expecting a JSON value at [line:1, column:1]`,
		);
	}
}

function asRecord(v: unknown): Rec {
	if (!v || typeof v !== 'object' || Array.isArray(v))
		throw httpError(
			400,
			'JSON_PARSER_ERROR',
			'Cannot deserialize instance of SObject from a non-object value',
		);
	return v as Rec;
}

const describeField = (f: EmuField): Rec => {
	const { autoNumber, defaultValue, calculated, nameField, ...rest } = f;
	return {
		...rest,
		autoNumber,
		calculated,
		nameField,
		defaultValue: f.type === 'boolean' ? defaultValue : null,
		soapType: soapType(f.type),
		filterable: f.type !== 'textarea' || f.length <= 255,
		sortable: f.type !== 'textarea' || f.length <= 255,
		caseSensitive: false,
		htmlFormatted: false,
		inlineHelpText: null,
		digits: f.type === 'int' ? (f.precision ?? 9) : 0,
		precision: f.precision ?? 0,
		scale: f.scale ?? 0,
		byteLength: f.length * 3,
		dependentPicklist: false,
		controllerName: null,
		deprecatedAndHidden: false,
	};
};

function soapType(t: string): string {
	const m: Record<string, string> = {
		id: 'tns:ID',
		reference: 'tns:ID',
		boolean: 'xsd:boolean',
		int: 'xsd:int',
		double: 'xsd:double',
		currency: 'xsd:double',
		percent: 'xsd:double',
		date: 'xsd:date',
		datetime: 'xsd:dateTime',
	};
	return m[t] ?? 'xsd:string';
}

function urls(o: Pick<EmuObject, 'name'>, v: string): Rec {
	const base = `/services/data/v${v}/sobjects/${o.name}`;
	return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

function summary(
	o: Pick<EmuObject, 'name' | 'label' | 'labelPlural' | 'keyPrefix' | 'custom'>,
	v: string,
): Rec {
	return {
		activateable: false,
		createable: true,
		custom: o.custom,
		customSetting: false,
		deletable: true,
		deprecatedAndHidden: false,
		feedEnabled: false,
		keyPrefix: o.keyPrefix,
		label: o.label,
		labelPlural: o.labelPlural,
		layoutable: true,
		mergeable: false,
		mruEnabled: true,
		name: o.name,
		queryable: true,
		replicateable: true,
		retrieveable: true,
		searchable: true,
		triggerable: true,
		undeletable: true,
		updateable: true,
		urls: urls(o, v),
	};
}

function saveError(errors: SfError[]): never {
	throw httpErrorFrom(400, errors);
}

function httpErrorFrom(status: number, errors: SfError[]): HttpError {
	return new HttpError(status, errors);
}

export function handleRest(ctx: RestContext, req: EmuRequest, seg: string[]): EmuReply {
	const v = ctx.version;
	const [a, b, c, d] = seg;
	const m = req.method;
	if (a === undefined || a === '') {
		const base = `/services/data/v${v}`;
		return json(200, {
			identity: ctx.identityUrl(),
			tooling: `${base}/tooling`,
			composite: `${base}/composite`,
			query: `${base}/query`,
			queryAll: `${base}/queryAll`,
			sobjects: `${base}/sobjects`,
			limits: `${base}/limits`,
			jobs: `${base}/jobs`,
		});
	}
	if (a === 'limits' && m === 'GET') {
		const l = ctx.limits();
		return json(200, {
			DailyApiRequests: { Max: l.max, Remaining: l.remaining },
			DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
			DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
			DataStorageMB: { Max: 5, Remaining: 5 },
			ConcurrentAsyncGetReportInstances: { Max: 200, Remaining: 200 },
		});
	}
	if (a === 'sobjects') return sobjects(ctx, req, seg.slice(1));
	if (a === 'composite' && b === 'sobjects') return collections(ctx, req, c, d);
	if ((a === 'query' || a === 'queryAll') && m === 'GET')
		return b ? queryMore(ctx, b) : query(ctx, req);
	throw notFound();
}

function sobjects(ctx: RestContext, req: EmuRequest, seg: string[]): EmuReply {
	const v = ctx.version;
	const [name, second, third] = seg;
	const m = req.method;
	if (!name) {
		if (m !== 'GET') throw notFound();
		const readOnly = READ_ONLY_OBJECTS.map((o) => ({
			...summary(o, v),
			createable: false,
			updateable: false,
			deletable: false,
			undeletable: false,
			triggerable: false,
			layoutable: false,
		}));
		return json(200, {
			encoding: 'UTF-8',
			maxBatchSize: MAX_COLLECTION,
			sobjects: [...SCHEMA.map((o) => summary(o, v)), ...readOnly],
		});
	}
	const o = object(name);
	if (second === undefined || second === '') {
		if (m === 'GET') return json(200, { objectDescribe: summary(o, v), recentItems: [] });
		if (m === 'POST') {
			const a = createRecord(ctx.store, o, asRecord(body(req)), 'json', [], ctx.save(req));
			if (a.fatal) saveError(a.fatal);
			if (!a.outcome.success) saveError(a.outcome.errors);
			return json(201, { id: a.outcome.id, success: true, errors: [] });
		}
		throw notFound();
	}
	if (second === 'describe' && third === undefined && m === 'GET') {
		const readOnly = readOnlyFields(ctx.org, o);
		return json(200, {
			...summary(o, v),
			fields: o.fields
				.map(describeField)
				.map((f) =>
					readOnly.includes(String(f.name)) ? { ...f, createable: false, updateable: false } : f,
				),
			childRelationships: [],
			recordTypeInfos: recordTypeInfos(o.name, v),
		});
	}
	if (third !== undefined) return byExternalId(ctx, req, o, second, decodeURIComponent(third));
	const id = second;
	if (m === 'GET') {
		const r = ctx.store.get(o.name, id);
		if (!r) {
			if (!isValidId(id))
				throw httpError(
					404,
					'NOT_FOUND',
					`Provided external ID field does not exist or is not accessible: ${id}`,
				);
			throw notFound();
		}
		const fields = req.query
			.get('fields')
			?.split(',')
			.map((f) => {
				if (!findField(o, f.trim()))
					throw httpError(
						400,
						'INVALID_FIELD',
						`No such column '${f.trim()}' on entity '${o.name}'`,
					);
				return f.trim();
			});
		return json(200, present(o, r, v, fields));
	}
	if (m === 'PATCH') {
		if (!isValidId(id))
			throw httpError(
				404,
				'NOT_FOUND',
				`Provided external ID field does not exist or is not accessible: ${id}`,
			);
		if (!ctx.store.get(o.name, id)) throw notFound();
		const a = updateRecord(ctx.store, o, id, asRecord(body(req)), 'json', ['Id'], ctx.save(req));
		if (a.fatal) saveError(a.fatal);
		if (!a.outcome.success) saveError(a.outcome.errors);
		return empty(204);
	}
	if (m === 'DELETE') {
		if (!ctx.store.remove(o.name, id)) {
			if (isValidId(id)) throw httpError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
			throw notFound();
		}
		return empty(204);
	}
	throw notFound();
}

/** GET/PATCH /sobjects/<Obj>/<Field>/<value>: read or upsert by an external ID (or idLookup) field. */
function byExternalId(
	ctx: RestContext,
	req: EmuRequest,
	o: EmuObject,
	fieldName: string,
	value: string,
): EmuReply {
	const v = ctx.version;
	const f = findField(o, fieldName);
	if (!f) throw httpError(404, 'NOT_FOUND', 'The requested resource does not exist');
	if (!(f.externalId || f.idLookup))
		throw httpError(
			400,
			'INVALID_FIELD',
			`Field ${f.name} is not an External ID or indexed field for ${o.name}`,
			[f.name],
		);
	const matches =
		f.name === 'Id'
			? [ctx.store.get(o.name, value)].filter((x): x is Rec => !!x)
			: ctx.store.findBy(o.name, f.name, value);
	if (req.method === 'GET') {
		if (matches.length > 1)
			return json(
				300,
				matches.map((r) => `/services/data/v${v}/sobjects/${o.name}/${String(r.Id)}`),
			);
		if (!matches.length) throw notFound();
		return json(200, present(o, matches[0], v));
	}
	if (req.method !== 'PATCH') throw notFound();
	const input = asRecord(body(req));
	const repeated = Object.keys(input).find(
		(k) => k.toLowerCase() === f.name.toLowerCase() || k.toLowerCase() === 'id',
	);
	if (repeated)
		throw httpError(
			400,
			'INVALID_FIELD',
			`The ${repeated} field should not be specified in the sobject data.`,
			[repeated],
		);
	if (matches.length > 1)
		return json(
			300,
			matches.map((r) => `/services/data/v${v}/sobjects/${o.name}/${String(r.Id)}`),
		);
	const a = upsertRecord(ctx.store, o, f.name, value, input, 'json', {
		updateOnly: req.query.get('updateOnly') === 'true',
		ctx: ctx.save(req),
	});
	if (a.fatal) saveError(a.fatal);
	if (!a.outcome.success) {
		if (a.outcome.errors[0]?.errorCode === 'NOT_FOUND') throw notFound();
		saveError(a.outcome.errors);
	}
	return json(a.outcome.created ? 201 : 200, {
		id: a.outcome.id,
		success: true,
		errors: [],
		created: a.outcome.created,
	});
}

function collections(
	ctx: RestContext,
	req: EmuRequest,
	objName: string | undefined,
	extField: string | undefined,
): EmuReply {
	const m = req.method;
	if (m === 'DELETE' && !objName) {
		const ids = (req.query.get('ids') ?? '').split(',').filter(Boolean);
		if (ids.length > MAX_COLLECTION) throw tooMany();
		const allOrNone = req.query.get('allOrNone') === 'true';
		return json(
			200,
			inTransaction(
				ctx,
				allOrNone,
				ids.map((id) => () => {
					const o = SCHEMA.find((x) => x.keyPrefix === id.slice(0, 3));
					if (!isValidId(id) || !o)
						return { outcome: failedOutcome([sfError('MALFORMED_ID', `malformed id ${id}`)]) };
					if (!ctx.store.remove(o.name, id))
						return { outcome: failedOutcome([sfError('ENTITY_IS_DELETED', 'entity is deleted')]) };
					return { outcome: { id: to18(id), success: true, errors: [] } };
				}),
			),
		);
	}
	if (m !== 'POST' && m !== 'PATCH') throw notFound();
	const b = asRecord(body(req));
	const records = b.records;
	if (!Array.isArray(records))
		throw httpError(400, 'JSON_PARSER_ERROR', 'records: expected an array');
	if (records.length > MAX_COLLECTION) throw tooMany();
	const allOrNone = b.allOrNone === true;
	const typeOf = (r: Rec): EmuObject => {
		const t = (r.attributes as Rec | undefined)?.type;
		if (typeof t !== 'string' || t === '')
			throw httpError(400, 'INVALID_TYPE', 'Must send a concrete entity type.');
		const o = findObject(t);
		if (!o) throw httpError(400, 'INVALID_TYPE', `sObject type '${t}' is not supported.`);
		return o;
	};
	const recs = records.map(asRecord);
	const save = ctx.save(req);
	let ops: Array<() => SaveAnswer>;
	if (m === 'POST' && !objName) {
		ops = recs.map((r) => {
			const o = typeOf(r);
			const idKey = Object.keys(r).find((k) => k.toLowerCase() === 'id');
			if (idKey)
				return () => ({
					outcome: failedOutcome([
						sfError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']),
					]),
				});
			return () => createRecord(ctx.store, o, r, 'json', [], save);
		});
	} else if (m === 'PATCH' && !objName) {
		ops = recs.map((r) => {
			const o = typeOf(r);
			const idKey = Object.keys(r).find((k) => k.toLowerCase() === 'id');
			return () =>
				updateRecord(
					ctx.store,
					o,
					idKey ? r[idKey] : undefined,
					r,
					'json',
					idKey ? [idKey] : [],
					save,
				);
		});
	} else if (m === 'PATCH' && objName && extField) {
		const o = object(objName);
		const f = findField(o, extField);
		if (!f) throw httpError(400, 'INVALID_FIELD', `Field ${extField} does not exist on ${o.name}`);
		if (!(f.externalId || f.name === 'Id'))
			throw httpError(400, 'INVALID_FIELD', `${f.name} is not an external ID field for ${o.name}`, [
				f.name,
			]);
		const seen = new Map<string, number>();
		for (const r of recs) {
			const key = Object.keys(r).find((k) => k.toLowerCase() === f.name.toLowerCase());
			const val = key ? String(r[key] ?? '').toLowerCase() : '';
			if (val) seen.set(val, (seen.get(val) ?? 0) + 1);
		}
		ops = recs.map((r) => {
			const ro = typeOf(r);
			if (ro.name !== o.name)
				throw httpError(400, 'INVALID_TYPE', `All records must be of type ${o.name}`);
			const key = Object.keys(r).find((k) => k.toLowerCase() === f.name.toLowerCase());
			const val = key ? r[key] : undefined;
			if (val === undefined || val === null || val === '')
				return () => ({
					outcome: failedOutcome(
						[sfError('MISSING_ARGUMENT', `${f.name} not specified`, [f.name])],
						false,
					),
				});
			if ((seen.get(String(val).toLowerCase()) ?? 0) > 1)
				return () => ({
					outcome: failedOutcome(
						[
							sfError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(val)}`, [
								f.name,
							]),
						],
						false,
					),
				});
			return () =>
				upsertRecord(ctx.store, o, f.name, val, r, 'json', { ignore: [key!], ctx: save });
		});
	} else throw notFound();
	return json(200, inTransaction(ctx, allOrNone, ops));
}

const tooMany = () =>
	httpError(
		400,
		'EXCEEDED_ID_LIMIT',
		`record limit reached. cannot submit more than ${MAX_COLLECTION} records into this call`,
	);

function failedOutcome(errors: SfError[], created?: boolean): SaveOutcome {
	return created === undefined
		? { id: null, success: false, errors }
		: { id: null, success: false, errors, created };
}

type Result = {
	id?: string | null;
	success: boolean;
	errors: Array<ReturnType<typeof collectionError>>;
	created?: boolean;
};

/** Runs record operations in request order; with allOrNone any failure rolls all back. */
function inTransaction(
	ctx: RestContext,
	allOrNone: boolean,
	ops: Array<() => SaveAnswer>,
): Result[] {
	return ctx.store.transaction(() => {
		const outcomes: SaveOutcome[] = [];
		for (const op of ops) {
			if (ctx.rollLock()) {
				outcomes.push(
					failedOutcome([
						sfError(
							'UNABLE_TO_LOCK_ROW',
							'unable to obtain exclusive access to this record or 1 records',
							[],
						),
					]),
				);
				continue;
			}
			const a = op();
			if (a.fatal) throw httpErrorFrom(400, a.fatal);
			outcomes.push(a.outcome);
		}
		const anyFailed = outcomes.some((o) => !o.success);
		const rollback = allOrNone && anyFailed;
		const value = outcomes.map((o): Result => {
			if (rollback && o.success)
				return {
					id: null,
					success: false,
					errors: [
						collectionError(
							sfError(
								'ALL_OR_NONE_OPERATION_ROLLED_BACK',
								'Record rolled back because not all records were valid and the request was using AllOrNone header',
								[],
							),
						),
					],
				};
			const r: Result = { success: o.success, errors: o.errors.map(collectionError) };
			if (o.success || !rollback) r.id = o.id ?? undefined;
			if (o.created !== undefined) r.created = o.created;
			return o.success ? { id: o.id, ...r } : r;
		});
		return { commit: !rollback, value };
	});
}

function query(ctx: RestContext, req: EmuRequest): EmuReply {
	const q = req.query.get('q');
	if (!q) throw httpError(400, 'MALFORMED_QUERY', 'A query string must be provided.');
	if (q.length > 100_000) throw httpError(431, 'MALFORMED_QUERY', 'Query is too long');
	const parsed = parseSoql(q);
	const all =
		setupRows(parsed.object.name, ctx.org.assignmentRules) ?? ctx.store.all(parsed.object.name);
	const rows = runSoql(parsed, all);
	if (parsed.fields === 'COUNT')
		return json(200, { totalSize: rows.length, done: true, records: [] });
	const opt = /batchSize=(\d+)/.exec(String(req.headers['sforce-query-options'] ?? ''));
	const page = opt ? Math.min(QUERY_PAGE, Math.max(200, Number(opt[1]))) : QUERY_PAGE;
	return json(
		200,
		pageOf(ctx, rows, parsed.object, parsed.fields, 0, rows.length, page, undefined),
	);
}

function pageOf(
	ctx: RestContext,
	rows: Rec[],
	o: EmuObject,
	fields: string[],
	start: number,
	total: number,
	page: number,
	cursorId: string | undefined,
): Rec {
	const slice = rows.slice(start, start + page);
	const done = start + page >= rows.length;
	const out: Rec = {
		totalSize: total,
		done,
		records: slice.map((r) => present(o, r, ctx.version, fields)),
	};
	if (!done) {
		const id = cursorId ?? ctx.newCursorId();
		ctx.cursors.set(id, { rows, object: o, fields, page });
		out.nextRecordsUrl = `/services/data/v${ctx.version}/query/${id}-${start + page}`;
	} else if (cursorId) ctx.cursors.delete(cursorId);
	return out;
}

function queryMore(ctx: RestContext, locator: string): EmuReply {
	const m = /^(.+)-(\d+)$/.exec(locator);
	const cur = m ? ctx.cursors.get(m[1]) : undefined;
	if (!m || !cur) throw httpError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
	return json(
		200,
		pageOf(ctx, cur.rows, cur.object, cur.fields, Number(m[2]), cur.rows.length, cur.page, m[1]),
	);
}

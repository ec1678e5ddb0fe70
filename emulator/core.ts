/**
 * The emulator's state and request pipeline (independent of the HTTP server):
 * counters → latency/delay → route → [model: ceiling → auth → 503 fault → daily limit →
 * model: write time and parent locks → handler → model: answer held for the modelled time].
 */
import { HttpError, httpError, notFound, topLevelBody } from './errors';
import { Bulk } from './bulk';
import { Faults, type FaultSpec } from './faults';
import { makeId, ORG_ID, USER_ID } from './ids';
import { LatencyModel, type ModelCounters, type Visit } from './model/latency';
import type { ModelSetting } from './model/options';
import type { EmuReply, EmuRequest } from './http-types';
import { DEMO_CLIENT, OAuth, type ClientConfig } from './oauth';
import { requestSaveContext, resolveOrg, type OrgConfig, type OrgOptions } from './org';
import { Persistence } from './persist';
import { handleRest, restKind, type RestContext } from './rest';
import { Store } from './store';

const MIN_VERSION = 42;
const MAX_VERSION = 67;
export const DEFAULT_VERSION = '66.0';

export interface EmulatorOptions {
	/** 0 (default) = a free port. */
	port?: number;
	/** Added to every request (ms). */
	latencyMs?: number;
	faults?: FaultSpec | string;
	/** Seed of the fault generator when the spec has none. */
	seed?: number;
	/** JSON file that keeps records and tokens across restarts. */
	dataFile?: string;
	rotateRefreshTokens?: boolean;
	/** An access token dies after this many API calls. */
	tokenTtlCalls?: number;
	/** An access token dies this many seconds after it was issued. */
	tokenTtlSeconds?: number;
	/** Daily API request allocation (default 100,000). */
	dailyApiLimit?: number;
	/** OAuth clients (default: the demo client only). */
	clients?: ClientConfig[];
	/** Delay between Bulk API job state changes (default 50 ms). */
	bulkTickMs?: number;
	/** A configured org's rules, each on by default; `false` = a blank org (emulator/org/). */
	org?: OrgOptions | false;
	/** Salesforce's latency and limits (docs/emulator.md): `'salesforce'` or settings; off by default. */
	model?: ModelSetting;
}

export interface Counters {
	total: number;
	byKind: Record<string, number>;
	faults: { unavailable: number; lock: number; delay: number };
	refreshes: number;
	apiUsage: { used: number; max: number };
	model: ModelCounters;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Core {
	readonly store = new Store();
	readonly faults: Faults;
	readonly oauth: OAuth;
	readonly bulk: Bulk;
	readonly org: OrgConfig;
	readonly model: LatencyModel;
	readonly cursors: RestContext['cursors'] = new Map();
	url = '';
	latencyMs: number;
	dailyApiLimit: number;
	apiUsed = 0;
	private total = 0;
	private byKind: Record<string, number> = {};
	private seq = 0;
	private currentUserId = '';
	/** The request being run (set and read synchronously, like currentUserId). */
	private visit?: Visit;
	private persistence?: Persistence;

	constructor(readonly opts: EmulatorOptions) {
		this.faults = new Faults(opts.faults ?? {}, opts.seed);
		this.latencyMs = opts.latencyMs ?? 0;
		this.dailyApiLimit = opts.dailyApiLimit ?? 100_000;
		this.org = resolveOrg(opts.org);
		this.model = new LatencyModel(opts.model);
		this.oauth = new OAuth(
			{
				clients: opts.clients ?? [DEMO_CLIENT],
				rotateRefreshTokens: opts.rotateRefreshTokens ?? false,
				tokenTtlCalls: opts.tokenTtlCalls,
				tokenTtlSeconds: opts.tokenTtlSeconds,
				apiVersion: DEFAULT_VERSION,
			},
			() => this.url,
		);
		this.bulk = new Bulk(
			this.store,
			() => makeId('750', 5_000_000 + ++this.seq * 7919),
			() => opts.bulkTickMs ?? 50,
			this.org,
			this.model,
		);
		if (opts.dataFile) {
			const p = new Persistence(opts.dataFile, () => ({
				version: 1,
				store: this.store.snapshot(),
				oauth: this.oauth.snapshot(),
			}));
			const state = p.load();
			if (state) {
				this.store.load(state.store);
				this.oauth.load(state.oauth);
			}
			this.persistence = p;
			this.store.onChange = () => p.changed();
			this.oauth.onChange = () => p.changed();
		}
	}

	counters(): Counters {
		return {
			total: this.total,
			byKind: { ...this.byKind },
			faults: { ...this.faults.injected },
			refreshes: this.oauth.refreshes,
			apiUsage: { used: this.apiUsed, max: this.dailyApiLimit },
			model: this.model.counters(),
		};
	}

	/** Zeroes call counters, fault counters, refreshes and the daily API usage. */
	resetCounters(): void {
		this.total = 0;
		this.byKind = {};
		this.faults.resetCounts();
		this.oauth.refreshes = 0;
		this.apiUsed = 0;
		this.model.resetCounts();
	}

	stop(): void {
		this.bulk.stop();
		this.model.stop();
		this.persistence?.flush();
	}

	private count(kind: string): void {
		this.total++;
		this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
	}

	private limitHeader(): Record<string, string> {
		return { 'Sforce-Limit-Info': `api-usage=${this.apiUsed}/${this.dailyApiLimit}` };
	}

	/** Handles one API request (everything but /__emulator). */
	async handle(req: EmuRequest): Promise<EmuReply> {
		const route = this.route(req);
		this.count(route.kind);
		const delay = this.latencyMs + (route.data ? this.faults.rollDelay() : 0);
		if (delay > 0) await sleep(delay);
		if (!route.data) return route.run();
		// the flat latency and a delay fault come on top of the modelled time: it runs from after them
		const visit = this.model.admit(req.arrivedAt === undefined ? undefined : req.arrivedAt + delay);
		if (visit instanceof HttpError) return this.withLimit(errorReply(visit));
		const reply = this.serve(req, route, visit);
		await this.model.finish(visit, route.kind, reply);
		return reply;
	}

	private serve(req: EmuRequest, route: Route, visit: Visit): EmuReply {
		try {
			const token = this.oauth.authenticate(req);
			this.currentUserId = token?.userId ?? '';
			if (!token)
				return this.withLimit(
					errorReply(httpError(401, 'INVALID_SESSION_ID', 'Session expired or invalid')),
				);
			if (this.faults.rollUnavailable())
				return this.withLimit(
					errorReply(
						httpError(
							503,
							'SERVER_UNAVAILABLE',
							'Server temporarily unavailable. Please try again later.',
						),
					),
				);
			if (this.apiUsed >= this.dailyApiLimit)
				return this.withLimit(
					errorReply(httpError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')),
				);
			this.apiUsed++;
			this.model.prepare(visit, this.store, req, route.seg ?? []);
			if (visit.lockedOut) return this.withLimit(errorReply(this.model.lockedReply()));
			this.visit = visit;
			return this.withLimit(route.run());
		} catch (e) {
			return this.withLimit(errorReply(e));
		} finally {
			this.visit = undefined;
		}
	}

	private withLimit(r: EmuReply): EmuReply {
		return { ...r, headers: { ...this.limitHeader(), ...(r.headers ?? {}) } };
	}

	private route(req: EmuRequest): Route {
		const p = req.path.replace(/\/+$/, '');
		const m = req.method;
		const safe = (fn: () => EmuReply) => () => {
			try {
				return fn();
			} catch (e) {
				return errorReply(e);
			}
		};
		if (p === '/services/oauth2/authorize')
			return { kind: 'oauth.authorize', data: false, run: () => this.oauth.authorize(req) };
		if (p === '/services/oauth2/token' && m === 'POST')
			return { kind: 'oauth.token', data: false, run: () => this.oauth.token(req) };
		if (p === '/services/oauth2/userinfo')
			return {
				kind: 'oauth.userinfo',
				data: false,
				run: () => this.oauth.userinfo(req, DEFAULT_VERSION),
			};
		if (p === '/services/oauth2/revoke')
			return { kind: 'oauth.revoke', data: false, run: () => this.oauth.revoke(req) };
		const id = /^\/id\/[^/]+\/([^/]+)$/.exec(p);
		if (id)
			return {
				kind: 'oauth.identity',
				data: false,
				run: () => this.oauth.identity(req, DEFAULT_VERSION, id[1]),
			};
		if (p === '/services/data' && m === 'GET')
			return { kind: 'versions', data: false, run: () => ({ status: 200, json: versions() }) };
		const d = /^\/services\/data\/v(\d+)\.(\d+)(\/.*)?$/.exec(p);
		if (!d) return { kind: 'other', data: false, run: () => errorReply(notFound()) };
		const major = Number(d[1]);
		const version = `${major}.${d[2]}`;
		const seg = (d[3] ?? '').split('/').slice(1);
		if (major < MIN_VERSION || major > MAX_VERSION || d[2] !== '0')
			return { kind: 'other', data: false, run: () => this.withLimit(errorReply(notFound())) };
		if (seg[0] === 'jobs' && seg[1] === 'ingest')
			return {
				kind: restKind(m, seg),
				data: true,
				seg,
				run: safe(() => this.bulk.handle(req, version, seg.slice(2))),
			};
		const ctx: RestContext = {
			store: this.store,
			version,
			rollLock: () => {
				const fault = this.faults.rollLock();
				return (this.visit?.nextRecordLocked() ?? false) || fault;
			},
			cursors: this.cursors,
			newCursorId: () => makeId('01g', 7_000_000 + ++this.seq * 7919),
			identityUrl: () => `${this.url}/id/${ORG_ID}/${this.currentUserId}`,
			limits: () => ({
				max: this.dailyApiLimit,
				remaining: Math.max(0, this.dailyApiLimit - this.apiUsed),
			}),
			org: this.org,
			save: (r) => requestSaveContext(this.org, this.currentUserId || USER_ID, version, r.headers),
		};
		return {
			kind: restKind(m, seg),
			data: true,
			seg,
			run: safe(() => handleRest(ctx, req, seg)),
		};
	}
}

interface Route {
	kind: string;
	data: boolean;
	/** Path segments after the API version (data routes). */
	seg?: string[];
	run: () => EmuReply;
}

export function errorReply(e: unknown): EmuReply {
	if (e instanceof HttpError) return { status: e.status, json: topLevelBody(e.errors) };
	if (e instanceof Error && 'jsonError' in e)
		return {
			status: 400,
			json: [
				{
					message: `Unexpected character: was expecting a JSON value`,
					errorCode: 'JSON_PARSER_ERROR',
				},
			],
		};
	return {
		status: 500,
		json: [
			{
				message: `An unexpected error occurred: ${e instanceof Error ? e.message : String(e)}`,
				errorCode: 'UNKNOWN_EXCEPTION',
			},
		],
	};
}

/** `GET /services/data`: every version from 42.0 (Spring '18) to 67.0 (Summer '26). */
function versions(): Array<{ label: string; url: string; version: string }> {
	const out = [];
	for (let v = MIN_VERSION; v <= MAX_VERSION; v++) {
		const i = v - MIN_VERSION;
		const season = ['Spring', 'Summer', 'Winter'][i % 3];
		const year = 18 + Math.floor(i / 3) + (season === 'Winter' ? 1 : 0);
		out.push({ label: `${season} '${year}`, url: `/services/data/v${v}.0`, version: `${v}.0` });
	}
	return out;
}

/** The HTTP server (node:http, 127.0.0.1 only) and the /__emulator observability endpoints. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Core, errorReply } from './core';
import type { EmuReply, EmuRequest } from './http-types';
import type { ModelOptions, ModelSetting } from './model/options';
import { findObject } from './schema';

function readBody(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function send(res: ServerResponse, r: EmuReply): void {
	const headers: Record<string, string> = { ...(r.headers ?? {}) };
	let payload: string | undefined;
	if (r.json !== undefined) {
		payload = JSON.stringify(r.json);
		headers['Content-Type'] = 'application/json;charset=UTF-8';
	} else if (r.text !== undefined && r.status !== 204) {
		payload = r.text;
		headers['Content-Type'] = r.contentType ?? 'text/plain;charset=UTF-8';
	}
	if (r.status === 204) payload = undefined;
	res.writeHead(r.status, headers);
	res.end(payload);
}

/** /__emulator/*: counters, records, faults, latency, token expiry. Not counted, no auth. */
function admin(core: Core, req: EmuRequest): EmuReply {
	const p = req.path.replace(/\/+$/, '');
	const m = req.method;
	if (p === '/__emulator/counters' && m === 'GET') return { status: 200, json: core.counters() };
	if (p === '/__emulator/reset-counters' && m === 'POST') {
		core.resetCounters();
		return { status: 204 };
	}
	const rec = /^\/__emulator\/records\/([^/]+)$/.exec(p);
	if (rec && m === 'GET') {
		const o = findObject(decodeURIComponent(rec[1]));
		if (!o) return { status: 404, json: { error: `unknown object ${rec[1]}` } };
		return { status: 200, json: core.store.all(o.name) };
	}
	if (p === '/__emulator/records' && m === 'DELETE') {
		core.store.clear();
		return { status: 204 };
	}
	if (p === '/__emulator/faults') {
		if (m === 'POST') {
			let spec = req.body.trim();
			if (spec.startsWith('{')) spec = String((JSON.parse(spec) as { spec?: string }).spec ?? '');
			try {
				core.faults.set(spec, core.opts.seed);
			} catch (e) {
				return { status: 400, json: { error: (e as Error).message } };
			}
		}
		return { status: 200, json: core.faults.current };
	}
	if (p === '/__emulator/latency' && m === 'POST') {
		const ms = Number((JSON.parse(req.body || '{}') as { ms?: unknown }).ms);
		if (!Number.isFinite(ms) || ms < 0)
			return { status: 400, json: { error: 'body must be {"ms": <number>}' } };
		core.latencyMs = ms;
		return { status: 200, json: { latencyMs: ms } };
	}
	if (p === '/__emulator/model') {
		if (m === 'POST') {
			try {
				const b = req.body.trim();
				core.model.set(b.startsWith('{') ? (JSON.parse(b) as ModelOptions) : (b as ModelSetting));
			} catch (e) {
				return { status: 400, json: { error: (e as Error).message } };
			}
		}
		return { status: 200, json: core.model.settings };
	}
	if (p === '/__emulator/expire-tokens' && m === 'POST') {
		core.oauth.expireAll();
		return { status: 204 };
	}
	return { status: 404, json: { error: 'unknown emulator endpoint' } };
}

export async function listen(core: Core, port: number): Promise<Server> {
	const server = createServer((req, res) => {
		void (async () => {
			try {
				const arrivedAt = core.model.clock.now();
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				const r: EmuRequest = {
					method: req.method ?? 'GET',
					path: url.pathname,
					query: url.searchParams,
					headers: req.headers,
					body: await readBody(req),
					arrivedAt,
				};
				send(res, r.path.startsWith('/__emulator') ? admin(core, r) : await core.handle(r));
			} catch (e) {
				if (!res.headersSent) send(res, errorReply(e));
				else res.end();
			}
		})();
	});
	server.keepAliveTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	core.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return server;
}

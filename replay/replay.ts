// Replays payload files against a Skeepers Trigger URL the way a Skeepers delivery arrives:
// same content type, token or HMAC-SHA256 signature (and timestamp) computed with the same
// header defaults as the "Skeepers Webhook API" credential. Dev kit only, never published.
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';

import {
	computeSignature,
	DEFAULT_VERIFY_CONFIG,
	type SignatureEncoding,
} from '../nodes/SkeepersTrigger/signature';

export const REPLAY_MODES = ['hmac', 'token-header', 'token-query', 'none'] as const;
export type ReplayMode = (typeof REPLAY_MODES)[number];

export interface ReplayOptions {
	/** Trigger URL: n8n's Production (`/webhook/…`) or Test (`/webhook-test/…`) URL. */
	url: string;
	/** Payload files and folders (folders: every .json, .form and .txt inside, sorted). */
	paths: string[];
	/** How deliveries authenticate. Default: 'hmac' when a secret is given, else 'none'. */
	mode?: ReplayMode;
	secret?: string;
	/** Deliveries in flight at once. Default 4. */
	concurrency?: number;
	/** Send every payload this many times. Default 1. */
	repeat?: number;
	/** Add a timestamp header (unix seconds); in hmac mode the signature covers `<ts>.<body>`. */
	timestamp?: boolean;
	headerName?: string;
	queryParameter?: string;
	signatureHeader?: string;
	signatureEncoding?: SignatureEncoding;
	signaturePrefix?: string;
	timestampHeader?: string;
	/** Extra headers on every delivery. */
	headers?: Record<string, string>;
	/** Per-delivery timeout. Default 30 s. */
	timeoutMs?: number;
	/** Called as each delivery completes (the CLI prints a line). */
	onDelivery?: (delivery: DeliveryResult) => void;
	/** Clock for timestamps, ms since the epoch (tests). */
	now?: () => number;
}

export interface Payload {
	file: string;
	body: Buffer;
	contentType: string;
}

export interface DeliveryResult {
	file: string;
	/** 1-based repetition number. */
	round: number;
	/** HTTP status, or 0 when no answer came (network error, timeout). */
	status: number;
	/** 2xx. */
	accepted: boolean;
	ms: number;
	/** The answer's body (first 500 characters). */
	response: string;
	error?: string;
}

export interface ReplaySummary {
	sent: number;
	status2xx: number;
	status4xx: number;
	status5xx: number;
	/** No HTTP answer, or an answer outside 2xx/4xx/5xx. */
	other: number;
	p50Ms: number;
	p95Ms: number;
	/** Every delivery answered 2xx. */
	allAccepted: boolean;
	deliveries: DeliveryResult[];
}

const EXTENSIONS: Record<string, string> = {
	'.json': 'application/json',
	'.form': 'application/x-www-form-urlencoded',
	'.txt': 'application/x-www-form-urlencoded',
};

function contentTypeFor(file: string): string | undefined {
	return EXTENSIONS[path.extname(file).toLowerCase()];
}

async function collect(target: string, out: string[]): Promise<void> {
	const stat = await fs.stat(target);
	if (stat.isDirectory()) {
		const entries = (await fs.readdir(target)).sort();
		for (const entry of entries) {
			const full = path.join(target, entry);
			const s = await fs.stat(full);
			if (s.isDirectory() || contentTypeFor(entry)) await collect(full, out);
		}
		return;
	}
	out.push(target);
}

/** Reads payload files (folders expanded); a file with an unknown extension is an error. */
export async function loadPayloads(paths: string[]): Promise<Payload[]> {
	const files: string[] = [];
	for (const p of paths) await collect(p, files);
	const payloads: Payload[] = [];
	for (const file of files) {
		const contentType = contentTypeFor(file);
		if (!contentType) throw new Error(`${file}: unknown extension (use .json, .form or .txt)`);
		let body = await fs.readFile(file);
		// Form files are one line; a trailing newline from an editor is not part of the body.
		if (contentType !== 'application/json')
			body = Buffer.from(body.toString('utf8').replace(/\r?\n$/, ''), 'utf8');
		payloads.push({ file, body, contentType: `${contentType}; charset=utf-8` });
	}
	return payloads;
}

/** Headers and URL of one delivery, signed as the credential expects. */
function prepareDelivery(
	payload: Payload,
	options: ReplayOptions,
	nowMs: number,
): { url: URL; headers: Record<string, string> } {
	const d = DEFAULT_VERIFY_CONFIG;
	const mode: ReplayMode = options.mode ?? (options.secret ? 'hmac' : 'none');
	const url = new URL(options.url);
	const headers: Record<string, string> = {
		'Content-Type': payload.contentType,
		'Content-Length': String(payload.body.length),
		'User-Agent': 'n8n-nodes-skeepers-replay',
		...options.headers,
	};
	if (mode !== 'none' && !options.secret) throw new Error(`mode ${mode} needs a secret`);
	const secret = options.secret ?? '';
	let timestamp: string | undefined;
	if (options.timestamp) {
		timestamp = String(Math.floor(nowMs / 1000));
		headers[options.timestampHeader ?? 'X-Skeepers-Timestamp'] = timestamp;
	}
	if (mode === 'token-header') headers[options.headerName ?? d.headerName] = secret;
	if (mode === 'token-query')
		url.searchParams.set(options.queryParameter ?? d.queryParameter, secret);
	if (mode === 'hmac') {
		const encoding = options.signatureEncoding ?? d.signatureEncoding;
		const prefix = options.signaturePrefix ?? d.signaturePrefix;
		headers[options.signatureHeader ?? d.signatureHeader] =
			prefix + computeSignature(secret, payload.body, encoding, timestamp);
	}
	return { url, headers };
}

function post(
	url: URL,
	headers: Record<string, string>,
	body: Buffer,
	timeoutMs: number,
): Promise<{ status: number; response: string }> {
	const client = url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = client.request(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () =>
				resolve({
					status: res.statusCode ?? 0,
					response: Buffer.concat(chunks).toString('utf8').slice(0, 500),
				}),
			);
			res.on('error', reject);
		});
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(body);
	});
}

/** Nearest-rank percentile of a list of durations (0 when empty). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return 0;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function summarize(deliveries: DeliveryResult[]): ReplaySummary {
	const count = (test: (s: number) => boolean) => deliveries.filter((d) => test(d.status)).length;
	const status2xx = count((s) => s >= 200 && s < 300);
	const status4xx = count((s) => s >= 400 && s < 500);
	const status5xx = count((s) => s >= 500 && s < 600);
	const times = deliveries.map((d) => d.ms);
	return {
		sent: deliveries.length,
		status2xx,
		status4xx,
		status5xx,
		other: deliveries.length - status2xx - status4xx - status5xx,
		p50Ms: percentile(times, 50),
		p95Ms: percentile(times, 95),
		allAccepted: deliveries.length > 0 && status2xx === deliveries.length,
		deliveries,
	};
}

/** Posts every payload (× repeat) with bounded concurrency; resolves when all have answered. */
export async function replay(options: ReplayOptions): Promise<ReplaySummary> {
	const payloads = await loadPayloads(options.paths);
	if (payloads.length === 0) throw new Error('no payload files found (.json, .form, .txt)');
	const repeat = Math.max(1, Math.floor(options.repeat ?? 1));
	const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
	const timeoutMs = options.timeoutMs ?? 30_000;
	const now = options.now ?? Date.now;

	const jobs: Array<{ payload: Payload; round: number }> = [];
	for (let round = 1; round <= repeat; round++) {
		for (const payload of payloads) jobs.push({ payload, round });
	}
	// Validate the options once, before anything is sent.
	prepareDelivery(payloads[0], options, now());

	const results: DeliveryResult[] = new Array<DeliveryResult>(jobs.length);
	let next = 0;
	const worker = async () => {
		while (next < jobs.length) {
			const index = next++;
			const { payload, round } = jobs[index];
			const { url, headers } = prepareDelivery(payload, options, now());
			const started = performance.now();
			let result: DeliveryResult;
			try {
				const { status, response } = await post(url, headers, payload.body, timeoutMs);
				result = {
					file: payload.file,
					round,
					status,
					accepted: status >= 200 && status < 300,
					ms: Math.round(performance.now() - started),
					response,
				};
			} catch (error) {
				result = {
					file: payload.file,
					round,
					status: 0,
					accepted: false,
					ms: Math.round(performance.now() - started),
					response: '',
					error: error instanceof Error ? error.message : String(error),
				};
			}
			results[index] = result;
			options.onDelivery?.(result);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
	return summarize(results);
}

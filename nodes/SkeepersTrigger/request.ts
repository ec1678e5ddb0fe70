// What the trigger reads of the HTTP request n8n hands it (an express request) and the few
// response calls it makes: the raw bytes, the query string, the headers.
import { MAX_NESTING_DEPTH, nestsDeeperThan, tooDeep } from './limits';
import type { HeaderBag } from './signature';

/** The parts of the incoming request the trigger reads (n8n gives an express request). */
export interface DeliveryRequest {
	headers: HeaderBag;
	rawBody?: unknown;
	readRawBody?: () => Promise<void>;
	body?: unknown;
	query?: unknown;
	url?: string;
	originalUrl?: string;
}

/** The parts of the response the trigger writes (express or plain Node response). */
export interface DeliveryResponse {
	headersSent?: boolean;
	statusCode: number;
	setHeader(name: string, value: string | number): unknown;
	end(body?: string): unknown;
}

export interface RawBody {
	bytes: Buffer;
	/** Whether these are the bytes sent (a signature can be checked only then). */
	exact: boolean;
	/** The bytes are a JSON serialisation of a body n8n already parsed. */
	serialized?: boolean;
	/** Why the body cannot be read at all (answered 400 once the delivery is verified). */
	refusal?: string;
}

/** The bytes received. n8n 1.x / 2.x keep them in `rawBody` (a Buffer, already decompressed). */
export async function rawBodyOf(req: DeliveryRequest): Promise<RawBody> {
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') {
		await req.readRawBody();
	}
	if (Buffer.isBuffer(req.rawBody)) return { bytes: req.rawBody, exact: true };
	if (typeof req.rawBody === 'string')
		return { bytes: Buffer.from(req.rawBody, 'utf8'), exact: true };
	// No raw bytes: only a body some parser already produced. Good enough to read, never to verify a signature.
	const body = req.body;
	if (typeof body === 'string') return { bytes: Buffer.from(body, 'utf8'), exact: false };
	if (
		body !== undefined &&
		body !== null &&
		(Array.isArray(body) || Object.keys(body).length > 0)
	) {
		if (nestsDeeperThan(body, MAX_NESTING_DEPTH))
			return { bytes: Buffer.alloc(0), exact: false, refusal: tooDeep() };
		return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), exact: false, serialized: true };
	}
	return { bytes: Buffer.alloc(0), exact: false };
}

export function queryOf(req: DeliveryRequest): Record<string, unknown> {
	if (req.query !== null && typeof req.query === 'object')
		return req.query as Record<string, unknown>;
	const url = req.originalUrl ?? req.url ?? '';
	const at = url.indexOf('?');
	const out: Record<string, unknown> = {};
	if (at < 0) return out;
	for (const [key, value] of new URLSearchParams(url.slice(at + 1))) {
		if (out[key] === undefined) out[key] = value;
	}
	return out;
}

/**
 * fetch, and for a GET or HEAD one more try when the connection was closed under it
 * (undici's `UND_ERR_SOCKET`, "other side closed"). That is the keep-alive race: the client
 * reuses an idle connection at the moment the server's keep-alive timeout closes it, which
 * happens when the event loop lags on a loaded machine. HTTP lets a client repeat an idempotent
 * request then (RFC 9110, 9.2.2); nothing else is retried.
 */
export async function fetchIdempotentOnce(url: string, init: RequestInit): Promise<Response> {
	try {
		return await fetch(url, init);
	} catch (error) {
		const method = (init.method ?? 'GET').toUpperCase();
		const code = (error as { cause?: { code?: string } }).cause?.code;
		if ((method !== 'GET' && method !== 'HEAD') || code !== 'UND_ERR_SOCKET') throw error;
		return await fetch(url, init);
	}
}

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { fetchIdempotentOnce } from '../../runtime/fetchIdempotentOnce';

/** A server that closes the socket of its first request without answering, then answers 200. */
async function closingOnce(): Promise<{ url: string; seen: () => number; close: () => void }> {
	let requests = 0;
	const server = http.createServer((req, res) => {
		requests += 1;
		if (requests === 1) {
			req.socket.destroy();
			return;
		}
		res.end('ok');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/`,
		seen: () => requests,
		close: () => {
			server.closeAllConnections();
			server.close();
		},
	};
}

describe('fetchIdempotentOnce (the kit’s REST client)', () => {
	it('repeats a GET once when the server closed the connection under it', async () => {
		const server = await closingOnce();
		try {
			const res = await fetchIdempotentOnce(server.url, {});
			expect(await res.text()).toBe('ok');
			expect(server.seen()).toBe(2);
		} finally {
			server.close();
		}
	});

	it('never repeats a POST', async () => {
		const server = await closingOnce();
		try {
			await expect(fetchIdempotentOnce(server.url, { method: 'POST', body: '{}' })).rejects.toThrow(
				'fetch failed',
			);
			expect(server.seen()).toBe(1);
		} finally {
			server.close();
		}
	});
});

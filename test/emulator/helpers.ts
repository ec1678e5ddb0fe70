/** Shared helpers for the emulator conformance suite (jsforce drives the emulator). */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import { DEMO_CLIENT, startEmulator, type Emulator, type EmulatorOptions } from '../../emulator';

export const VERSION = '66.0';
export const REDIRECT_URI = 'http://localhost:5678/rest/oauth2-credential/callback';

export async function emulator(opts: EmulatorOptions = {}): Promise<Emulator> {
	return startEmulator({ port: 0, bulkTickMs: 10, ...opts });
}

/**
 * One emulator, and a jsforce Connection to it, for the tests of a describe block: started
 * before them, stopped after; `clearEach` empties its records before each test.
 */
export function useEmulator(opts: EmulatorOptions & { clearEach?: boolean } = {}): {
	emu: Emulator;
	conn: Connection;
} {
	const { clearEach, ...emulatorOptions } = opts;
	const org = {} as { emu: Emulator; conn: Connection };
	beforeAll(async () => {
		org.emu = await emulator(emulatorOptions);
		org.conn = connect(org.emu);
	});
	afterAll(() => org.emu?.stop());
	if (clearEach) beforeEach(() => org.emu.clearRecords());
	return org;
}

/** A jsforce Connection with a fresh token (and the OAuth2 config so it can refresh). */
export function connect(
	emu: Emulator,
	extra: Partial<ConstructorParameters<typeof Connection>[0]> = {},
): Connection {
	const t = emu.issueToken();
	return new Connection({
		oauth2: {
			clientId: DEMO_CLIENT.clientId,
			clientSecret: DEMO_CLIENT.clientSecret,
			redirectUri: REDIRECT_URI,
			loginUrl: emu.url,
		},
		instanceUrl: t.instance_url,
		accessToken: t.access_token,
		refreshToken: t.refresh_token,
		version: VERSION,
		...extra,
	});
}

/** Raw HTTP against the emulator with a bearer token. */
export async function api(
	emu: Emulator,
	token: string,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; headers: Headers; json: unknown; text: string }> {
	const res = await fetch(
		`${emu.url}${path.startsWith('/services') ? path : `/services/data/v${VERSION}${path}`}`,
		{
			method,
			headers: {
				Authorization: `Bearer ${token}`,
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		},
	);
	const text = await res.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, json, text };
}

/** Catches a rejected promise's error (fails the test when it resolves). */
export async function rejection(
	p: PromiseLike<unknown>,
): Promise<Error & { errorCode?: string; data?: unknown; name: string }> {
	try {
		await p;
	} catch (e) {
		return e as Error & { errorCode?: string; data?: unknown };
	}
	throw new Error('expected a rejection');
}

/** A REST call through jsforce with request headers jsforce has no option for (Sforce-Auto-Assign…). */
export function requestWithHeaders(
	conn: Connection,
	method: 'POST' | 'PATCH',
	path: string,
	body: unknown,
	headers: Record<string, string>,
): Promise<unknown> {
	return conn.request({
		method,
		url: path.startsWith('/services') ? path : `/services/data/v${VERSION}${path}`,
		body: JSON.stringify(body),
		headers: { 'Content-Type': 'application/json', ...headers },
	});
}

/** Runs `npm run emulator -- <args>` (tsx emulator/cli.ts); resolves on its first stdout line. */
export async function startCli(
	args: string[],
): Promise<{ line: string; url: string; stop: () => void }> {
	const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'emulator/cli.ts', ...args], {
		cwd: join(__dirname, '../..'),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let timer: NodeJS.Timeout | undefined;
	try {
		const line = await new Promise<string>((resolve, reject) => {
			let out = '';
			child.stdout.on('data', (d: Buffer) => {
				out += d.toString();
				if (out.includes('\n')) resolve(out.split('\n')[0]);
			});
			child.on('exit', (code) => reject(new Error(`exited ${code}`)));
			timer = setTimeout(() => reject(new Error('timeout')), 15000);
		});
		return { line, url: line.split(' ').pop()!, stop: () => child.kill('SIGTERM') };
	} catch (e) {
		child.kill('SIGTERM');
		throw e;
	} finally {
		clearTimeout(timer);
	}
}

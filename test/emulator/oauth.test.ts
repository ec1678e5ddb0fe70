import { createHash, randomBytes } from 'node:crypto';
import { Connection, OAuth2 } from 'jsforce';
import { DEMO_CLIENT, type Emulator } from '../../emulator';
import { api, emulator, REDIRECT_URI, rejection, VERSION } from './helpers';

const oauth2For = (emu: Emulator, extra: Record<string, unknown> = {}) =>
	new OAuth2({
		clientId: DEMO_CLIENT.clientId,
		clientSecret: DEMO_CLIENT.clientSecret,
		redirectUri: REDIRECT_URI,
		loginUrl: emu.url,
		...extra,
	});

/** Follows the authorize step with plain HTTP: GET the consent page, POST Allow, read the redirect. */
async function authorize(url: string): Promise<URL> {
	const page = await fetch(url, { redirect: 'manual' });
	expect(page.status).toBe(200);
	const html = await page.text();
	expect(html).toContain('Allow Access?');
	const form = new URLSearchParams();
	for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
		form.set(
			m[1],
			m[2].replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
		);
	form.set('approve', 'Allow');
	const res = await fetch(new URL('/services/oauth2/authorize', url), {
		method: 'POST',
		body: form,
		redirect: 'manual',
	});
	expect(res.status).toBe(302);
	return new URL(res.headers.get('location')!);
}

describe('OAuth (jsforce OAuth2 against the emulator)', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await emulator({ rotateRefreshTokens: true });
	});
	afterAll(() => emu.stop());

	test('authorization code with PKCE: consent page → redirect with code+state → jsforce requestToken', async () => {
		const oauth2 = oauth2For(emu, { useVerifier: true });
		const authUrl = oauth2.getAuthorizationUrl({ scope: 'full refresh_token', state: 'xyz-42' });
		expect(authUrl).toContain('code_challenge=');
		const back = await authorize(authUrl);
		expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
		expect(back.searchParams.get('state')).toBe('xyz-42');
		const code = back.searchParams.get('code')!;
		const token = await oauth2.requestToken(code);
		expect(token.access_token).toMatch(/^00D\w{12}!/);
		expect(token.refresh_token).toBeTruthy();
		expect(token.instance_url).toBe(emu.url);
		expect(token.id).toMatch(new RegExp(`^${emu.url}/id/00D\\w{15}/005\\w{15}$`));
		expect(token).toMatchObject({ token_type: 'Bearer', scope: 'full refresh_token' });
		expect(token).not.toHaveProperty('expires_in');
		// a code is single-use
		const again = await rejection(oauth2.requestToken(code));
		expect(again.name).toBe('invalid_grant');
	});

	test('a wrong code_verifier is refused', async () => {
		const verifier = randomBytes(48).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const loc = await fetch(
			`${emu.url}/services/oauth2/authorize?response_type=code&client_id=${DEMO_CLIENT.clientId}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_challenge=${challenge}&code_challenge_method=S256&auto_approve=true`,
			{ redirect: 'manual' },
		);
		const code = new URL(loc.headers.get('location')!).searchParams.get('code')!;
		const err = await rejection(
			oauth2For(emu).requestToken(code, { code_verifier: 'x'.repeat(43) }),
		);
		expect(err.name).toBe('invalid_grant');
		expect(err.message).toBe('invalid code verifier');
	});

	test('unknown client and unregistered redirect URI are rejected; requirePkce demands a challenge', async () => {
		const strict = await emulator({
			clients: [
				{
					clientId: 'strict',
					clientSecret: 's',
					redirectUris: ['https://n8n.example.com/cb'],
					requirePkce: true,
				},
			],
		});
		try {
			const unknown = await fetch(
				`${strict.url}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=https://n8n.example.com/cb`,
				{ redirect: 'manual' },
			);
			expect(unknown.status).toBe(400);
			expect(await unknown.text()).toContain('invalid_client_id');
			const badRedirect = await fetch(
				`${strict.url}/services/oauth2/authorize?response_type=code&client_id=strict&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
				{ redirect: 'manual' },
			);
			expect(badRedirect.status).toBe(400);
			expect(await badRedirect.text()).toContain('redirect_uri_mismatch');
			const noPkce = await fetch(
				`${strict.url}/services/oauth2/authorize?response_type=code&client_id=strict&redirect_uri=https://n8n.example.com/cb&state=s1&auto_approve=true`,
				{ redirect: 'manual' },
			);
			const loc = new URL(noPkce.headers.get('location')!);
			expect(loc.searchParams.get('error')).toBe('invalid_request');
			expect(loc.searchParams.get('error_description')).toBe('missing required code challenge');
			expect(loc.searchParams.get('state')).toBe('s1');
		} finally {
			await strict.stop();
		}
	});

	test('Deny on the consent page redirects with access_denied', async () => {
		const form = new URLSearchParams({
			response_type: 'code',
			client_id: DEMO_CLIENT.clientId,
			redirect_uri: REDIRECT_URI,
			state: 'st',
			approve: 'Deny',
		});
		const res = await fetch(`${emu.url}/services/oauth2/authorize`, {
			method: 'POST',
			body: form,
			redirect: 'manual',
		});
		const loc = new URL(res.headers.get('location')!);
		expect(loc.searchParams.get('error')).toBe('access_denied');
	});

	test('jsforce Connection refreshes on INVALID_SESSION_ID; with rotation the old refresh token dies', async () => {
		const t = emu.issueToken();
		const conn = new Connection({
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
		});
		const refreshed: Array<{
			accessToken: string;
			res: { refresh_token?: string; instance_url?: string };
		}> = [];
		conn.on('refresh', (accessToken: string, res: { refresh_token?: string }) =>
			refreshed.push({ accessToken, res }),
		);
		emu.expireAllTokens();
		const before = emu.counters().refreshes;
		const r = await conn.query('SELECT Id FROM Contact LIMIT 1');
		expect(r.done).toBe(true);
		expect(emu.counters().refreshes).toBe(before + 1);
		expect(refreshed).toHaveLength(1);
		expect(refreshed[0].accessToken).not.toBe(t.access_token);
		expect(refreshed[0].res.refresh_token).toBeTruthy();
		expect(refreshed[0].res.refresh_token).not.toBe(t.refresh_token);
		expect(refreshed[0].res.instance_url).toBe(emu.url);
		// the old refresh token is dead, the rotated one works
		const old = await rejection(oauth2For(emu).refreshToken(t.refresh_token!));
		expect(old.name).toBe('invalid_grant');
		const next = await oauth2For(emu).refreshToken(refreshed[0].res.refresh_token!);
		expect(next.access_token).toBeTruthy();
	});

	test('without rotation the refresh answer has no refresh_token and the same one keeps working', async () => {
		const plain = await emulator();
		try {
			const t = plain.issueToken();
			const a = await oauth2For(plain).refreshToken(t.refresh_token!);
			expect(a).not.toHaveProperty('refresh_token');
			const b = await oauth2For(plain).refreshToken(t.refresh_token!);
			expect(b.access_token).not.toBe(a.access_token);
		} finally {
			await plain.stop();
		}
	});

	test('client_credentials: integration user, no refresh token; wrong secret → invalid_client', async () => {
		const tok = await oauth2For(emu).requestToken({ grant_type: 'client_credentials' });
		expect(tok.access_token).toBeTruthy();
		expect(tok).not.toHaveProperty('refresh_token');
		const bad = await rejection(
			oauth2For(emu, { clientSecret: 'wrong' }).requestToken({ grant_type: 'client_credentials' }),
		);
		expect(bad.name).toBe('invalid_client');
		const info = await fetch(`${emu.url}/services/oauth2/userinfo`, {
			headers: { Authorization: `Bearer ${tok.access_token}` },
		});
		const body = (await info.json()) as Record<string, unknown>;
		expect(body.preferred_username).toBe('integration@skeepers-emulator.example');
		expect((body.urls as Record<string, string>).rest).toBe(`${emu.url}/services/data/v66.0/`);
	});

	test('jsforce identity() and revoke', async () => {
		const t = emu.issueToken();
		const conn = new Connection({
			instanceUrl: t.instance_url,
			accessToken: t.access_token,
			version: VERSION,
		});
		const id = await conn.identity();
		expect(id.username).toBe('demo.admin@skeepers-emulator.example');
		await oauth2For(emu).revokeToken(t.refresh_token!);
		const after = await api(emu, t.access_token, 'GET', '/limits');
		expect(after.status).toBe(401);
		expect(after.json).toEqual([
			{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
		]);
	});

	test('tokens expire after N calls (tokenTtlCalls) with 401 INVALID_SESSION_ID', async () => {
		const short = await emulator({ tokenTtlCalls: 2 });
		try {
			const t = short.issueToken();
			expect((await api(short, t.access_token, 'GET', '/limits')).status).toBe(200);
			expect((await api(short, t.access_token, 'GET', '/limits')).status).toBe(200);
			const third = await api(short, t.access_token, 'GET', '/limits');
			expect(third.status).toBe(401);
			expect((third.json as Array<{ errorCode: string }>)[0].errorCode).toBe('INVALID_SESSION_ID');
		} finally {
			await short.stop();
		}
	});
});

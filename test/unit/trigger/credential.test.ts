import { SkeepersWebhookApi } from '../../../credentials/SkeepersWebhookApi.credentials';
import {
	configProblems,
	DEFAULT_VERIFY_CONFIG,
	verifyConfigFromCredential,
} from '../../../nodes/SkeepersTrigger/signature';
import { SkeepersTrigger } from '../../../nodes/SkeepersTrigger/SkeepersTrigger.node';

const credential = new SkeepersWebhookApi();
const defaults = Object.fromEntries(
	credential.properties.map((p) => [p.name, p.default]),
) as Record<string, unknown>;

describe('Skeepers Webhook API credential', () => {
	it('is named as the node and package expect; the secret is a password field', () => {
		expect(credential.name).toBe('skeepersWebhookApi');
		expect(credential.displayName).toBe('Skeepers Webhook API');
		const secret = credential.properties.find((p) => p.name === 'secret');
		expect(secret?.typeOptions?.password).toBe(true);
	});

	it('its defaults are the verifier defaults (which replay uses too)', () => {
		const config = verifyConfigFromCredential({ ...defaults, secret: 's'.repeat(20) });
		expect(config).toEqual({ ...DEFAULT_VERIFY_CONFIG, secret: 's'.repeat(20) });
		expect(defaults.timestampHeader).toBe('X-Skeepers-Timestamp');
		expect(defaults.toleranceSeconds).toBe(300);
		const withTs = verifyConfigFromCredential({ ...defaults, secret: 'x', useTimestamp: true });
		expect(withTs.timestampHeader).toBe('X-Skeepers-Timestamp');
	});

	it('configProblems names what to fix', () => {
		const ok = verifyConfigFromCredential({ ...defaults, secret: 'a-long-enough-secret' });
		expect(configProblems(ok)).toEqual([]);
		expect(configProblems({ ...ok, secret: '' })).toEqual(['the secret is empty']);
		expect(configProblems({ ...ok, secret: 'short' })).toEqual([
			'the secret is shorter than 16 characters',
		]);
		expect(configProblems({ ...ok, signatureHeader: 'X Bad Header' })).toEqual([
			'Signature Header "X Bad Header" is not a valid HTTP header name',
		]);
	});
});

describe('credential test (testedBy on the trigger)', () => {
	const node = new SkeepersTrigger();
	const test = node.methods.credentialTest.skeepersWebhookApiTest;
	const run = async (data: Record<string, unknown>) =>
		await test.call({} as never, { id: '1', name: 'c', type: 'skeepersWebhookApi', data } as never);

	it('the node declares it for the credential', () => {
		expect(node.description.credentials?.[0]).toMatchObject({
			name: 'skeepersWebhookApi',
			testedBy: 'skeepersWebhookApiTest',
		});
	});

	it('OK for valid settings, Error naming the problem otherwise (never the secret)', async () => {
		expect(await run({ ...defaults, secret: 'a-long-enough-secret' })).toMatchObject({
			status: 'OK',
		});
		const short = await run({ ...defaults, secret: 'tiny' });
		expect(short).toEqual({
			status: 'Error',
			message: 'Check the credential: the secret is shorter than 16 characters',
		});
		expect(short.message).not.toContain('tiny');
	});
});

import { FeedEnv, lastNameRow, people } from './feed.helpers';

const env = new FeedEnv();
beforeAll(async () => await env.start());
afterAll(async () => await env.stop());
beforeEach(() => env.reset());

it('creates one Contact through the harness and the emulator', async () => {
	const out = await env.run({ items: people(1), operation: 'create', rows: [lastNameRow] });
	expect(out).toHaveLength(1);
	expect(out[0].pairedItem).toEqual({ item: 0 });
	expect(out[0].json).toMatchObject({
		success: true,
		created: true,
		operation: 'create',
		object: 'Contact',
		errors: [],
	});
	expect(env.emu.records('Contact').map((r) => r.LastName)).toEqual(['Person 0']);
	expect(env.calls('collections.create')).toBe(1);
});

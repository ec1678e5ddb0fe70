import { closeAllGroups } from '../../runtime/processGroups';

// Real n8n instances take tens of seconds to start and install; individual tests set tighter
// bounds where they wait on something specific.
jest.setTimeout(15 * 60 * 1000);

// At the file's top level, so it runs after every describe block's afterAll (where stacks stop):
// whatever is still running (a start-up that outlived its timed-out beforeAll) is killed, and
// starting more is refused, so jest can exit instead of waiting for it.
afterAll(() => {
	const killed = closeAllGroups('this test file has finished');
	if (killed) console.warn(`killed ${killed} process group(s) still running after the test file`);
});

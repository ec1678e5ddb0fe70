// Real n8n instances take tens of seconds to start and install; individual tests set tighter
// bounds where they wait on something specific.
jest.setTimeout(15 * 60 * 1000);

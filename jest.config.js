/** @type {import('jest').Config} */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }];

const project = (name, extra = {}) => ({
	displayName: name,
	testEnvironment: 'node',
	transform: { '^.+\\.ts$': tsJest },
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	...extra,
});

module.exports = {
	// unit: pure logic, no I/O. integration: nodes and transport against the in-process
	// emulator. emulator: jsforce conformance.
	// e2e: a real n8n (runtime/) with this package installed from its tarball; run in band
	// (`npm run test:e2e`) because each file starts n8n processes.
	projects: [
		project('unit'),
		project('integration'),
		project('emulator'),
		project('e2e', { setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'] }),
		project('browser', { setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'] }),
		project('queue', { setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'] }),
	],
};

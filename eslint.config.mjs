// ESLint for the whole repository, one block per area. `npm run lint` runs `eslint .`.
import js from '@eslint/js';
import { config as n8nCommunityNodes } from '@n8n/node-cli/eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What n8n loads: the n8n community-node rules apply here, and only here. */
const PACKAGE_CODE = ['nodes/**/*.ts', 'credentials/**/*.ts'];

/** The dev kit and the tests: never published, never loaded by n8n. */
const DEV_KIT_TS = [
	'test/**/*.ts',
	'bench/**/*.ts',
	'runtime/**/*.ts',
	'emulator/**/*.ts',
	'replay/**/*.ts',
	'scripts/**/*.ts',
];

/** Plain JavaScript run by Node: build, test and tool configuration. */
const NODE_JS = ['*.js', '*.mjs', 'runtime/fixtures/**/*.js'];

export default tseslint.config(
	// Generated or installed, never edited here (the build, n8n installs, test and bench output).
	{
		ignores: [
			'dist/',
			'coverage/',
			'runtime/.install/',
			'runtime/.cache/',
			'bench/results/',
			'test-results/',
			'screenshots/',
			'.tmp/',
		],
	},

	// Nodes and credentials: the n8n community-node rules (strict / n8n Cloud profile) exactly as
	// @n8n/node-cli ships them, narrowed from every *.ts file to the package's own code.
	// package.json keeps its own block from that config (community package metadata rules).
	...n8nCommunityNodes.map((block) =>
		block.files?.includes('**/*.ts') ? { ...block, files: PACKAGE_CODE } : block,
	),

	// Dev kit and tests: the recommended JavaScript and typescript-eslint rules.
	{
		files: DEV_KIT_TS,
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: { globals: globals.node },
		rules: {
			// `_name` marks a parameter or binding kept for its position (a callback's signature).
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
			],
		},
	},

	// Code that drives a real n8n reads its REST answers (executions, workflows, node types) as
	// untyped JSON: `any` there stands for n8n's internal types, which this package does not import.
	{
		files: [
			'runtime/**/*.ts',
			'bench/**/*.ts',
			'test/e2e/**/*.ts',
			'test/queue/**/*.ts',
			'test/browser/**/*.ts',
		],
		rules: { '@typescript-eslint/no-explicit-any': 'off' },
	},

	// Tests: Jest's globals (describe, it, expect…) come from @types/jest.
	{
		files: ['test/**/*.ts'],
		languageOptions: { globals: globals.jest },
	},

	// Build and tool configuration in plain JavaScript (CommonJS *.js, ES module *.mjs).
	{
		files: NODE_JS,
		extends: [js.configs.recommended],
		languageOptions: { globals: globals.node },
	},
	{
		files: ['*.js', 'runtime/fixtures/**/*.js'],
		languageOptions: { sourceType: 'commonjs' },
	},

	// Last: formatting belongs to Prettier, so no lint rule argues with it. Nodes and credentials
	// keep the n8n rules untouched (they hold no formatting rule that Prettier would contradict).
	{ ...prettier, files: [...DEV_KIT_TS, ...NODE_JS] },
);

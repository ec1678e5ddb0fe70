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
const NODE_JS = ['*.js', '*.mjs', 'runtime/fixtures/**/*.js', 'bench/**/*.cjs'];

// ---------------------------------------------------------------------------------------------
// Import direction in the package (nodes/, credentials/). Imports point one way:
//   node file → run/ → salesforce/ · mapping/ · plan/ → schema/ → domain.ts · codecs/
// and editor-time methods/ never import execution code (run/); credentials/ and nodes/shared/
// never import from a node's folder. `target` is the importing file, `from` what it may not import.
// (import-x is registered by @n8n/node-cli's config, applied to the same files.)
// ---------------------------------------------------------------------------------------------
const FA = './nodes/SkeepersFeedApplication';
const NODE_FOLDERS = ['./nodes/SkeepersFeedApplication', './nodes/SkeepersTrigger'];
const ENTRY = [`${FA}/SkeepersFeedApplication.node.ts`, `${FA}/description.ts`];
const importDirection = {
	files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
	rules: {
		'import-x/no-restricted-paths': [
			'error',
			{
				zones: [
					{
						target: './credentials',
						from: NODE_FOLDERS,
						message: 'credentials/ take shared code from nodes/shared/, never from a node folder.',
					},
					{
						target: './nodes/shared',
						from: NODE_FOLDERS,
						message: 'nodes/shared/ is below the nodes: it never imports from a node folder.',
					},
					{
						target: `${FA}/domain.ts`,
						from: ['./nodes', './credentials'],
						except: ['./SkeepersFeedApplication/domain.ts'],
						message: 'domain.ts is the bottom layer: it imports nothing from the package.',
					},
					{
						target: `${FA}/codecs`,
						from: [
							...ENTRY,
							`${FA}/run`,
							`${FA}/methods`,
							`${FA}/salesforce`,
							`${FA}/mapping`,
							`${FA}/plan`,
							`${FA}/schema`,
						],
						message: 'codecs/ are at the bottom: they may import domain.ts only.',
					},
					{
						target: `${FA}/schema`,
						from: [...ENTRY, `${FA}/run`, `${FA}/methods`, `${FA}/mapping`, `${FA}/plan`],
						message: 'schema/ is pure: it may import domain.ts and salesforce/types.ts only.',
					},
					{
						target: [`${FA}/mapping`, `${FA}/plan`],
						from: [...ENTRY, `${FA}/run`, `${FA}/methods`],
						message: 'mapping/ and plan/ are pure: they never import run/ or methods/.',
					},
					{
						target: [`${FA}/schema`, `${FA}/mapping`, `${FA}/plan`],
						from: `${FA}/salesforce`,
						except: ['./types.ts'],
						message:
							'schema/, mapping/ and plan/ are pure: no Salesforce I/O (salesforce/types.ts only).',
					},
					{
						target: `${FA}/salesforce`,
						from: [...ENTRY, `${FA}/run`, `${FA}/methods`, `${FA}/mapping`],
						message: 'salesforce/ (I/O) does not import run/, methods/, mapping/ or the node file.',
					},
					{
						target: `${FA}/methods`,
						from: [...ENTRY, `${FA}/run`],
						message: 'methods/ run in the editor: they never import execution code (run/).',
					},
					{
						target: `${FA}/run`,
						from: [...ENTRY, `${FA}/methods`],
						message: 'run/ is called by the node file; it does not import it, nor methods/.',
					},
				],
			},
		],
	},
};
// ---------------------------------------------------------------------------------------------

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

	// Nodes and credentials: imports point one way (see importDirection above).
	importDirection,

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

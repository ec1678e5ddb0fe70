// The n8n community-node lint rules, as @n8n/node-cli ships them (strict / n8n Cloud profile).
import { config } from '@n8n/node-cli/eslint';

// ---------------------------------------------------------------------------------------------
// Import direction in the package (nodes/, credentials/). Imports point one way:
//   node file → run/ → salesforce/ · mapping/ · plan/ → schema/ → domain.ts · codecs/
// and editor-time methods/ never import execution code (run/); credentials/ and nodes/shared/
// never import from a node's folder. `target` is the importing file, `from` what it may not import.
// (import-x is registered by @n8n/node-cli's config above.)
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
						from: [...ENTRY, `${FA}/run`, `${FA}/methods`, `${FA}/salesforce`, `${FA}/mapping`, `${FA}/plan`, `${FA}/schema`],
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
						message: 'schema/, mapping/ and plan/ are pure: no Salesforce I/O (salesforce/types.ts only).',
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

export default [...config, importDirection];

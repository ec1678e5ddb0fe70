/**
 * The import-direction rule of eslint.config.mjs, run as `npm run lint` runs it: ESLint reads a
 * file's text on stdin under the path it would have, so a wrong-way import fails lint and a
 * right-way one passes. (ESLint runs in a child process: its config is an ES module.)
 */
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
/** Lints each text as if it were the file at its path, with the repository's config, in one ESLint. */
const LINT_TEXTS = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', async () => {
	const eslint = new ESLint({ cwd: process.cwd() });
	const out = [];
	for (const { file, source } of JSON.parse(input)) {
		const [r] = await eslint.lintText(source, { filePath: file });
		out.push(r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message })));
	}
	process.stdout.write(JSON.stringify(out));
});`;

interface Finding {
	ruleId: string | null;
	message: string;
}

function lintAll(cases: Array<{ file: string; source: string }>): Finding[][] {
	const r = spawnSync(process.execPath, ['-e', LINT_TEXTS], {
		cwd: ROOT,
		input: JSON.stringify(cases),
		encoding: 'utf8',
	});
	if (r.status !== 0) throw new Error(`eslint failed: ${r.stderr}`);
	return JSON.parse(r.stdout) as Finding[][];
}

const FA = 'nodes/SkeepersFeedApplication';

const WRONG_WAY = [
	{
		name: 'editor-time methods/ importing execution code (run/)',
		file: `${FA}/methods/wrongWay.ts`,
		source: "import { executeFeed } from '../run/execute';\nexport const f = executeFeed;\n",
		message: 'methods/ run in the editor',
	},
	{
		name: "a credential importing from a node's folder",
		file: 'credentials/WrongWay.ts',
		source:
			"import { SalesforceTransport } from '../nodes/SkeepersFeedApplication/salesforce/transport';\nexport const t = SalesforceTransport;\n",
		message: 'credentials/ take shared code from nodes/shared/',
	},
	{
		name: 'domain.ts importing the transport',
		file: `${FA}/domain.ts`,
		source:
			"import type { SalesforceApi } from './salesforce/types';\nexport type A = SalesforceApi;\n",
		message: 'domain.ts is the bottom layer',
	},
	{
		name: 'pure plan/ importing Salesforce I/O',
		file: `${FA}/plan/wrongWay.ts`,
		source: "import { Writer } from '../salesforce/write/writer';\nexport const w = Writer;\n",
		message: 'no Salesforce I/O',
	},
];
const RIGHT_WAY = {
	file: `${FA}/run/rightWay.ts`,
	source:
		"import { ERROR_CODES } from '../domain';\nimport { Writer } from '../salesforce/write/writer';\nexport const x = [ERROR_CODES, Writer];\n",
};

describe('imports point one way (npm run lint)', () => {
	const findings = lintAll([...WRONG_WAY, RIGHT_WAY]);

	it.each(WRONG_WAY.map((c, i) => [c.name, i] as const))('%s fails', (_name, i) => {
		const restricted = findings[i].filter((f) => f.ruleId === 'import-x/no-restricted-paths');
		expect(restricted).toHaveLength(1);
		expect(restricted[0].message).toContain(WRONG_WAY[i].message);
	});

	it('run/ importing domain.ts and salesforce/write/ passes', () => {
		expect(findings[WRONG_WAY.length]).toEqual([]);
	});
});

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workflowProblems } from '../../../scripts/lint-workflows';

const DIR = path.join(__dirname, '../../../.github/workflows');

describe('lint:workflows', () => {
	it.each(readdirSync(DIR))('%s parses, with a trigger and jobs made of steps', (file) => {
		expect(workflowProblems(readFileSync(path.join(DIR, file), 'utf8'))).toEqual([]);
	});

	it('refuses broken YAML', () => {
		const broken = 'on: push\njobs:\n  check:\n    steps:\n      - run: a\n     - run: b\n';
		expect(workflowProblems(broken)[0]).toMatch(/^YAML: /);
	});

	it('refuses a workflow without trigger, or a job without steps', () => {
		expect(workflowProblems('jobs:\n  a:\n    runs-on: ubuntu-latest\n')).toEqual([
			'no trigger (`on`)',
			'job a: no `steps`',
		]);
		expect(workflowProblems('on: push\n')).toEqual(['no `jobs`']);
		expect(
			workflowProblems(
				'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - name: nothing\n',
			),
		).toEqual(['job a: step 1 has neither `uses` nor `run`']);
	});
});

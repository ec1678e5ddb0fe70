/**
 * `npm run lint:workflows`: every GitHub Actions workflow parses and has the shape GitHub runs.
 *
 *   tsx scripts/lint-workflows.ts [dir]      (default: .github/workflows)
 *
 * For each *.yml / *.yaml: YAML without errors, a trigger (`on`), and `jobs` where every job has
 * `runs-on` and a non-empty list of `steps`, each step with `uses` or `run`. Exit code 1 and one
 * line per problem otherwise. It cannot run the workflows; GitHub does that.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';

const isMap = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** The problems of one workflow file's text; empty when it is fine. */
export function workflowProblems(text: string): string[] {
	const doc = parseDocument(text);
	if (doc.errors.length > 0)
		return doc.errors.map((e) => `YAML: ${e.message.split('\n')[0].replace(/:$/, '')}`);
	const wf: unknown = doc.toJS();
	if (!isMap(wf)) return ['not a mapping'];
	const problems: string[] = [];
	if (wf.on === undefined || wf.on === null) problems.push('no trigger (`on`)');
	if (!isMap(wf.jobs) || Object.keys(wf.jobs).length === 0) return [...problems, 'no `jobs`'];
	for (const [name, job] of Object.entries(wf.jobs)) {
		if (!isMap(job)) {
			problems.push(`job ${name}: not a mapping`);
			continue;
		}
		if (job.uses !== undefined) continue; // a reusable workflow call has no steps of its own
		if (job['runs-on'] === undefined) problems.push(`job ${name}: no \`runs-on\``);
		if (!Array.isArray(job.steps) || job.steps.length === 0) {
			problems.push(`job ${name}: no \`steps\``);
			continue;
		}
		job.steps.forEach((step: unknown, i) => {
			if (!isMap(step) || (step.uses === undefined && step.run === undefined)) {
				problems.push(`job ${name}: step ${i + 1} has neither \`uses\` nor \`run\``);
			}
		});
	}
	return problems;
}

function main(dir: string): number {
	const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
	if (files.length === 0) {
		console.error(`${dir}: no workflow files`);
		return 1;
	}
	let failed = 0;
	for (const file of files.sort()) {
		const problems = workflowProblems(readFileSync(path.join(dir, file), 'utf8'));
		for (const p of problems) console.error(`${path.join(dir, file)}: ${p}`);
		if (problems.length > 0) failed++;
	}
	if (failed === 0) console.log(`${files.length} workflow(s) OK: ${files.join(', ')}`);
	return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv[2] ?? '.github/workflows');

/**
 * `npm run release -- <patch|minor|major> [--dry-run]`: cuts a version from a clean main.
 *
 *   1. the working tree is clean and CHANGELOG.md has a `## <new version>` entry;
 *   2. lint, typecheck and the fast tests pass;
 *   3. `npm version <bump>`: package.json + package-lock.json, commit "Release <v>", tag v<version>;
 *   4. pushes the commit and the tag; the tag starts .github/workflows/publish.yml, which
 *      publishes to npm with provenance (never from this machine).
 *
 * `--dry-run` runs the checks of steps 1 and 2 and prints the commands of steps 3 and 4.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const BUMPS = ['patch', 'minor', 'major'] as const;
type Bump = (typeof BUMPS)[number];

export interface ReleaseArgs {
	bump: Bump;
	dryRun: boolean;
	remote: string;
}

export function parseReleaseArgs(argv: string[]): ReleaseArgs {
	const { values, positionals } = parseArgs({
		args: argv,
		allowPositionals: true,
		options: {
			'dry-run': { type: 'boolean', default: false },
			remote: { type: 'string', default: 'origin' },
		},
	});
	const bump = positionals[0];
	if (positionals.length !== 1 || !BUMPS.includes(bump as Bump)) {
		throw new Error(`usage: npm run release -- <${BUMPS.join('|')}> [--dry-run] [--remote origin]`);
	}
	return { bump: bump as Bump, dryRun: values['dry-run'], remote: values.remote };
}

/** The version `npm version <bump>` will write (release versions x.y.z only). */
export function nextVersion(current: string, bump: Bump): string {
	const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(current);
	if (!m) throw new Error(`version ${current} is not x.y.z`);
	const [major, minor, patch] = m.slice(1).map(Number);
	if (bump === 'major') return `${major + 1}.0.0`;
	if (bump === 'minor') return `${major}.${minor + 1}.0`;
	return `${major}.${minor}.${patch + 1}`;
}

/** Whether the changelog has a `## <version>` heading (`## 1.2.3`, `## [1.2.3] - date`…). */
export function changelogHasEntry(changelog: string, version: string): boolean {
	const escaped = version.replace(/\./g, '\\.');
	return new RegExp(`^##\\s+\\[?v?${escaped}\\]?(\\s|$)`, 'm').test(changelog);
}

const run = (cmd: string, args: string[]) => {
	console.log(`$ ${cmd} ${args.join(' ')}`);
	execFileSync(cmd, args, { stdio: 'inherit' });
};

function main(): void {
	const args = parseReleaseArgs(process.argv.slice(2));
	const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim();
	if (dirty) throw new Error(`the working tree is not clean:\n${dirty}`);

	const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
	const version = nextVersion(pkg.version, args.bump);
	if (!changelogHasEntry(readFileSync('CHANGELOG.md', 'utf8'), version)) {
		throw new Error(`CHANGELOG.md has no "## ${version}" entry: add it (and commit) first`);
	}

	for (const script of ['lint', 'typecheck', 'test:fast']) run('npm', ['run', script]);

	const steps: Array<[string, string[]]> = [
		['npm', ['version', args.bump, '-m', 'Release %s']],
		['git', ['push', '--atomic', args.remote, 'HEAD', `v${version}`]],
	];
	for (const [cmd, cmdArgs] of steps) {
		if (args.dryRun) console.log(`(dry run) ${cmd} ${cmdArgs.join(' ')}`);
		else run(cmd, cmdArgs);
	}
	console.log(
		args.dryRun
			? `dry run: v${version} would be tagged and pushed`
			: `v${version} pushed: .github/workflows/publish.yml publishes it to npm`,
	);
}

if (require.main === module) {
	try {
		main();
	} catch (e) {
		console.error((e as Error).message);
		process.exitCode = 1;
	}
}

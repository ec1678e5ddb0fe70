import { readFileSync } from 'node:fs';
import path from 'node:path';
import { changelogHasEntry, nextVersion, parseReleaseArgs } from '../../../scripts/release';

describe('npm run release', () => {
	it('takes one bump and options', () => {
		expect(parseReleaseArgs(['minor'])).toEqual({ bump: 'minor', dryRun: false, remote: 'origin' });
		expect(parseReleaseArgs(['patch', '--dry-run', '--remote', 'upstream'])).toEqual({
			bump: 'patch',
			dryRun: true,
			remote: 'upstream',
		});
		expect(() => parseReleaseArgs([])).toThrow(/usage/);
		expect(() => parseReleaseArgs(['huge'])).toThrow(/usage/);
		expect(() => parseReleaseArgs(['patch', '--force'])).toThrow(/Unknown option/);
	});

	it('computes the version npm version writes', () => {
		expect(nextVersion('0.1.0', 'patch')).toBe('0.1.1');
		expect(nextVersion('0.1.3', 'minor')).toBe('0.2.0');
		expect(nextVersion('0.9.3', 'major')).toBe('1.0.0');
		expect(() => nextVersion('1.0.0-rc.1', 'patch')).toThrow(/x\.y\.z/);
	});

	it('finds a version heading in the changelog, and the current version in CHANGELOG.md', () => {
		expect(changelogHasEntry('# Changelog\n\n## 0.2.0\n', '0.2.0')).toBe(true);
		expect(changelogHasEntry('## [0.2.0] - 2026-12-01\n', '0.2.0')).toBe(true);
		expect(changelogHasEntry('## 0.2.01\n', '0.2.0')).toBe(false);
		expect(changelogHasEntry('text 0.2.0\n', '0.2.0')).toBe(false);
		const root = path.join(__dirname, '../../..');
		const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
			version: string;
		};
		expect(changelogHasEntry(readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), version)).toBe(
			true,
		);
	});
});

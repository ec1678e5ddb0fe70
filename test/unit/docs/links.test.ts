/**
 * Every link the package shows resolves: the Markdown documentation (README, CONTRIBUTING,
 * docs/, runtime/README.md, examples/payloads/README.md), the credentials' documentationUrl, the
 * codex resources, package.json's repository / bugs / homepage, and any repository URL written
 * in nodes/ or credentials/. No network: links to the repository host are checked against this
 * checkout, other hosts must be listed in ALLOWED_EXTERNAL.
 */
import * as fs from 'fs';
import * as path from 'path';

import { SkeepersSalesforceOAuth2Api } from '../../../credentials/SkeepersSalesforceOAuth2Api.credentials';
import { SkeepersWebhookApi } from '../../../credentials/SkeepersWebhookApi.credentials';
import { REPO_URL, brokenReason, headingSlugs, markdownLinks, type Link } from './links';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

function filesUnder(dir: string, pattern: RegExp): string[] {
	return fs
		.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
		.map((name) => path.join(dir, name))
		.filter((file) => pattern.test(file))
		.sort();
}

const MARKDOWN = [
	'README.md',
	'CONTRIBUTING.md',
	...filesUnder('docs', /\.md$/),
	'runtime/README.md',
	'examples/payloads/README.md',
];

function markdownLinksOfRepo(): Link[] {
	return MARKDOWN.flatMap((source) =>
		markdownLinks(read(source)).map((target) => ({ source, target })),
	);
}

function credentialLinks(): Link[] {
	return [new SkeepersSalesforceOAuth2Api(), new SkeepersWebhookApi()].map((credential) => ({
		source: `credentials: ${credential.name}.documentationUrl`,
		target: credential.documentationUrl,
	}));
}

function codexLinks(): Link[] {
	return filesUnder('nodes', /\.node\.json$/).flatMap((source) => {
		const codex = JSON.parse(read(source)) as {
			resources?: Record<string, Array<{ url: string }>>;
		};
		return Object.entries(codex.resources ?? {}).flatMap(([kind, entries]) =>
			entries.map((entry) => ({ source: `${source} ${kind}`, target: entry.url })),
		);
	});
}

function packageLinks(): Link[] {
	const pkg = JSON.parse(read('package.json')) as {
		homepage: string;
		bugs: { url: string };
		repository: { type: string; url: string };
	};
	return [
		{ source: 'package.json homepage', target: pkg.homepage },
		{ source: 'package.json bugs', target: pkg.bugs.url },
		{ source: 'package.json repository', target: pkg.repository.url.replace(/^git\+/, '') },
	];
}

/** Repository URLs written anywhere in the published sources (descriptions, notices, hints). */
function sourceLinks(): Link[] {
	const escaped = REPO_URL.replace(/[.]/g, '\\.');
	return [...filesUnder('nodes', /\.ts$/), ...filesUnder('credentials', /\.ts$/)].flatMap(
		(source) =>
			[...read(source).matchAll(new RegExp(`${escaped}[^\\s'"\`)<>\\]]*`, 'g'))].map((m) => ({
				source,
				target: m[0],
			})),
	);
}

const broken = (links: Link[]) =>
	links
		.map((link) => ({ ...link, reason: brokenReason(ROOT, link) }))
		.filter((link) => link.reason !== null);

describe('documentation links', () => {
	it('every link of the Markdown files resolves (files and heading anchors)', () => {
		const links = markdownLinksOfRepo();
		expect(links.length).toBeGreaterThan(40);
		expect(broken(links)).toEqual([]);
	});

	it("the credentials' Docs links point at headings of docs/ on the repository host", () => {
		const links = credentialLinks();
		for (const link of links)
			expect(link.target).toMatch(new RegExp(`^${REPO_URL}/blob/main/docs/.+\\.md#.+`));
		expect(broken(links)).toEqual([]);
	});

	it('the codex resources point at headings of docs/ on the repository host', () => {
		const links = codexLinks();
		expect(links).toHaveLength(4);
		for (const link of links)
			expect(link.target).toMatch(new RegExp(`^${REPO_URL}/blob/main/docs/.+\\.md#.+`));
		expect(broken(links)).toEqual([]);
	});

	it("package.json's repository, bugs and homepage are on the repository host", () => {
		const links = packageLinks();
		for (const link of links) expect(link.target.startsWith(REPO_URL)).toBe(true);
		expect(broken(links)).toEqual([]);
	});

	it('repository URLs written in nodes/ and credentials/ resolve', () => {
		expect(broken(sourceLinks())).toEqual([]);
	});

	it('no documentation links to the npm page or names a tracker number', () => {
		for (const file of MARKDOWN) {
			expect({ file, npm: /npmjs\.com/.test(read(file)) }).toEqual({ file, npm: false });
			expect({ file, issue: read(file).match(/\bissues? #?\d+/i) }).toEqual({ file, issue: null });
		}
	});
});

describe('the link checker', () => {
	const root = ROOT;
	const check = (source: string, target: string) => brokenReason(root, { source, target });

	it('slugs headings as GitHub does, repeated ones with -1, -2', () => {
		const slugs = headingSlugs(
			'# Scaling (queue mode)\n## Dedup Key: feed each event once\n## Results\n### Results\n' +
				'```\n# not a heading\n```\n## `npm run bench` / `npm run soak`\n',
		);
		expect([...slugs]).toEqual([
			'scaling-queue-mode',
			'dedup-key-feed-each-event-once',
			'results',
			'results-1',
			'npm-run-bench--npm-run-soak',
		]);
	});

	it('finds inline links and images, skips code', () => {
		expect(
			markdownLinks('![pic](docs/canvas.png) see [a](#b) and `[c](d)`\n```\n[e](f)\n```\n'),
		).toEqual(['docs/canvas.png', '#b']);
	});

	it('reports a broken anchor, a missing file, an unknown host and a repository URL to a missing heading', () => {
		expect(check('README.md', '#install')).toBeNull();
		expect(check('README.md', '#no-such-heading')).toMatch(/not a heading of README\.md/);
		expect(check('docs/trigger.md', 'feed-application.md#results')).toBeNull();
		expect(check('docs/trigger.md', 'feed-application.md#resultz')).toMatch(/not a heading/);
		expect(check('README.md', 'docs/nothing.md')).toMatch(/does not exist/);
		expect(check('README.md', 'https://example.com/')).toMatch(/external URL/);
		expect(
			check('x', `${REPO_URL}/blob/main/docs/salesforce-setup.md#salesforce-setup`),
		).toBeNull();
		expect(check('x', `${REPO_URL}/blob/main/docs/salesforce-setup.md#connect-salesforce`)).toMatch(
			/not a heading/,
		);
		expect(check('x', `${REPO_URL}#readme`)).toBeNull();
	});
});

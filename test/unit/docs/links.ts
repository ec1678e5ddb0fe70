/**
 * Finds the links a Markdown file shows and checks one link against the repository: a relative
 * path or a `blob/main/<path>` URL on the repository host must name an existing file, and an
 * `#anchor` must be the GitHub slug of a heading of the Markdown file it points to.
 */
import * as fs from 'fs';
import * as path from 'path';
import GithubSlugger from 'github-slugger';

export const REPO_URL = 'https://github.com/skeepers-n8n/n8n-nodes-skeepers';

/** External pages the documentation may link to; never fetched (the tests run offline). */
const ALLOWED_EXTERNAL = [
	'https://github.com/jsforce/jsforce',
	// the documented webhook formats docs/trigger-payloads.md cites as the source of each shape
	'https://www.typeform.com/developers/webhooks/example-payload/',
	'https://app.delighted.com/docs/api/webhooks',
	'https://api.surveymonkey.com/v3/docs',
	'https://developers.survicate.com/webhooks/events/',
	'https://help.productfruits.com/en/article/surveys-webhooks',
	'https://api.qualtrics.com/',
	'https://docs.workato.com/en/connectors/qualtrics/new-survey-response-trigger.html',
	'https://help.trustmary.com/article/survey-answer-webhooks-developers',
	'https://developer.helpscout.com/webhooks/objects/survey-response',
	'https://help.hotjar.com/hc/en-us/articles/13052816995991-Webhooks-Reference',
	// the sources docs/emulator.md cites for what Salesforce answers to an unknown CampaignMember Status
	'https://dfc-org-production.force.com/forums/ForumsMain?id=906F00000008idQIAQ',
	'https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_campaignmember.htm',
];

export interface Link {
	source: string;
	target: string;
}

/** Markdown without fenced code blocks and inline code spans (their text is not a link). */
function prose(markdown: string): string[] {
	const lines: string[] = [];
	let fence: string | null = null;
	for (const line of markdown.split('\n')) {
		const open = /^\s*(```+|~~~+)/.exec(line);
		if (open) {
			if (fence === null) fence = open[1][0];
			else if (open[1][0] === fence) fence = null;
			lines.push('');
			continue;
		}
		lines.push(fence === null ? line.replace(/(`+)[^`]*?\1/g, '') : '');
	}
	return lines;
}

/** Inline links and images, reference definitions, autolinks and bare URLs. */
export function markdownLinks(markdown: string): string[] {
	const found: string[] = [];
	for (const line of prose(markdown)) {
		let rest = line;
		for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			found.push(m[1]);
			rest = rest.replace(m[0], ' ');
		}
		const def = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(rest);
		if (def) {
			found.push(def[1]);
			rest = '';
		}
		for (const m of rest.matchAll(/<(https?:\/\/[^>\s]+)>|(https?:\/\/[^\s<>)\]"'`]+)/g)) {
			found.push((m[1] ?? m[2]).replace(/[.,;:]+$/, ''));
		}
	}
	return found;
}

/** GitHub's anchors of a Markdown file: one slugger per file, so repeats get -1, -2… */
export function headingSlugs(markdown: string): Set<string> {
	const slugger = new GithubSlugger();
	const slugs = new Set<string>();
	let fence: string | null = null;
	for (const line of markdown.split('\n')) {
		const open = /^\s*(```+|~~~+)/.exec(line);
		if (open) {
			if (fence === null) fence = open[1][0];
			else if (open[1][0] === fence) fence = null;
			continue;
		}
		if (fence !== null) continue;
		const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1]
			.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
			.replace(/`([^`]*)`/g, '$1') // code spans: their content
			.replace(/<[^>]+>/g, '') // inline HTML
			.replace(/\*+/g, ''); // emphasis
		slugs.add(slugger.slug(text));
	}
	return slugs;
}

/** Why `target`, linked from `source` (a path relative to `root`), does not resolve; null if it does. */
export function brokenReason(root: string, link: Link): string | null {
	const { source, target } = link;
	let filePart: string;
	let anchor: string | undefined;
	let fromDir = path.dirname(source);
	if (/^https?:\/\//.test(target)) {
		if (
			target === REPO_URL ||
			target.startsWith(REPO_URL + '#') ||
			target.startsWith(REPO_URL + '?')
		) {
			// the repository's front page shows README.md; "#readme" is GitHub's anchor for it
			const hash = target.split('#')[1];
			if (hash !== undefined && hash !== 'readme')
				return `unknown anchor #${hash} on the repository page`;
			return fs.existsSync(path.join(root, 'README.md')) ? null : 'README.md is missing';
		}
		if (target === `${REPO_URL}/issues` || target === `${REPO_URL}.git`) return null;
		const blob = new RegExp(
			`^${REPO_URL.replace(/[.]/g, '\\.')}/(?:blob|tree)/main/([^#?]+)(?:#(.*))?$`,
		).exec(target);
		if (blob) {
			filePart = decodeURIComponent(blob[1]);
			anchor = blob[2];
			fromDir = '';
		} else if (target.startsWith(REPO_URL)) {
			return 'a repository URL that is neither the front page, /issues, nor blob/main/<path>';
		} else if (
			ALLOWED_EXTERNAL.some(
				(allowed) =>
					target === allowed ||
					target.startsWith(allowed + '/') ||
					target.startsWith(allowed + '#'),
			)
		) {
			return null;
		} else {
			return 'an external URL not in ALLOWED_EXTERNAL (and not on the repository host)';
		}
	} else if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
		return 'a link scheme the package does not use';
	} else {
		const hash = target.indexOf('#');
		filePart = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
		anchor = hash === -1 ? undefined : target.slice(hash + 1);
	}
	const file = filePart === '' ? source : path.normalize(path.join(fromDir, filePart));
	if (file.startsWith('..')) return `${file} is outside the repository`;
	if (!fs.existsSync(path.join(root, file))) return `${file} does not exist`;
	if (anchor === undefined || anchor === '') return null;
	anchor = decodeURIComponent(anchor);
	if (!file.endsWith('.md')) return `#${anchor} on ${file}, which is not Markdown`;
	const slugs = headingSlugs(fs.readFileSync(path.join(root, file), 'utf8'));
	return slugs.has(anchor)
		? null
		: `#${anchor} is not a heading of ${file} (${[...slugs].join(', ')})`;
}

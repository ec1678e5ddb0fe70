/**
 * Each Feed Application variant beside the plain path it varies (scenarios/variants.ts), same
 * operation and size: their API calls by kind side by side, and the variant's budget checked.
 */
import type { BenchItem } from '../data';
import type { WriteResult } from '../types';
import type { FeedVariant } from './variants';

/** Kinds whose counts differ between two results, e.g. `describe.sobject 1 vs 0`. */
export function differingKinds(v: WriteResult, plain: WriteResult): string[] {
	const kinds = new Set([...Object.keys(v.apiCallsByKind), ...Object.keys(plain.apiCallsByKind)]);
	return [...kinds]
		.sort()
		.filter((k) => (v.apiCallsByKind[k] ?? 0) !== (plain.apiCallsByKind[k] ?? 0))
		.map((k) => `${k} ${v.apiCallsByKind[k] ?? 0} vs ${plain.apiCallsByKind[k] ?? 0}`);
}

/** Fills `beside` of the variants' results among `results` (one size: `items`), in place. */
export function compareBeside(
	results: WriteResult[],
	items: BenchItem[],
	variants: readonly FeedVariant[],
): void {
	for (const w of results) {
		const v = variants.find((x) => x.path === w.path);
		const plain =
			v &&
			results.find(
				(x) => x.path === v.beside && x.operation === w.operation && x.records === w.records,
			);
		if (!v || !plain || w.error || plain.error) continue;
		const budget = v.expect?.(w, plain, items);
		w.beside = {
			path: plain.path,
			apiCalls: plain.apiCalls,
			apiCallsByKind: plain.apiCallsByKind,
			seconds: plain.seconds,
			differs: differingKinds(w, plain),
			expected: budget?.expected ?? null,
			met: budget?.met ?? null,
		};
	}
}

/** `skeepers-parent-link at 10,000: 51 calls vs 50 without (describe.sobject 1 vs 0)…` */
export function besideLine(w: WriteResult): string | null {
	const b = w.beside;
	if (!b) return null;
	const n = w.records.toLocaleString('en-US');
	const diff = b.differs.length ? b.differs.join(', ') : 'the same kinds and counts';
	const ratio =
		b.seconds > 0 ? `; wall ${(w.seconds / b.seconds).toFixed(2)}× the plain path's` : '';
	const org = w.orgProblems?.length
		? `; **wrong in the org**: ${w.orgProblems.join('; ')}`
		: `; ${w.recordsWritten.toLocaleString('en-US')}/${n} right in the org`;
	const met = b.met === null ? '' : b.met ? ' — **met**' : ' — **not met**';
	return `${w.path} at ${n}: ${w.apiCalls} calls vs ${b.apiCalls} without (${b.path}; ${diff})${ratio}${org}${b.expected ? `. Expected: ${b.expected}${met}` : ''}`;
}

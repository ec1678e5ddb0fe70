/**
 * Feed Application variants measured beside the main paths, each with its API calls per size:
 * the place for options whose cost is in calls rather than time. Per-row write modes and
 * duplicate-rule handling add theirs here when they land (a path name, the node's options); the
 * writes scenario runs every variant at every size and the report lists its calls by kind.
 */
import type { Operation } from '../workflows';

export interface FeedVariant {
	path: `skeepers-${string}`;
	/** what the variant measures, for the report's notes */
	description: string;
	/** the Feed Application's bulk mode and extra options for this operation (null: not for it) */
	options(
		operation: Operation,
	): { bulkMode: 'never' | 'always' | 'auto'; options: Record<string, unknown> } | null;
}

export const FEED_VARIANTS: FeedVariant[] = [];

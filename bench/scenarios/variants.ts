/**
 * Feed Application variants measured beside the main paths, each with its API calls per size:
 * the options whose cost is in calls rather than time. The writes scenario runs every variant at
 * every size and the report lists its calls by kind.
 *
 * - Add to Multi-Select: the Contact upsert plus the respondent's flags added to the current
 *   selection, which the node reads first (one SOQL query per wave, never one per item).
 * - Use the Matched Record: half of the people already exist as Contacts without the respondent
 *   ID, so the org's duplicate rule refuses their upserts; the node reads the matches' respondent
 *   ID (one query per 200) and updates them in batched calls.
 */
import type { Connection } from 'jsforce';

import type { BenchItem } from '../data';
import type { MappingRow, Operation } from '../workflows';

export interface FeedVariant {
	path: `skeepers-${string}`;
	/** what the variant measures, for the report's notes */
	description: string;
	/** the Feed Application's bulk mode, extra options and rows for this operation (null: not for it) */
	options(operation: Operation): {
		bulkMode: 'never' | 'always' | 'auto';
		options: Record<string, unknown>;
		rows?: MappingRow[];
	} | null;
	/** what the org holds before the run (after the records are cleared, before the counters reset) */
	before?(conn: Connection, items: BenchItem[]): Promise<void>;
}

/** Every other item's person as a Contact without the respondent ID (same names, same e-mail). */
async function seedHalfAsExistingContacts(conn: Connection, items: BenchItem[]): Promise<void> {
	const people = items
		.filter((_, i) => i % 2 === 0)
		.map((it) => ({
			FirstName: it.firstName,
			LastName: it.lastName.trim(),
			Email: it.email.toLowerCase(),
		}));
	const results = await conn
		.sobject('Contact')
		.create(people, { allOrNone: true, allowRecursive: true });
	const failed = results.filter((r) => !r.success).length;
	if (failed) throw new Error(`seeding the existing Contacts: ${failed} refused`);
}

export const FEED_VARIANTS: FeedVariant[] = [
	{
		path: 'skeepers-add-to-multiselect',
		description:
			'sObject Collections upsert plus a Skeepers_Flags__c row in Add to Multi-Select (its read of the current selection is one query per wave)',
		options: (operation) =>
			operation === 'upsert'
				? {
						bulkMode: 'never',
						options: {},
						rows: [
							['={{ $json.flags }}', 'Skeepers_Flags__c', 'multiPicklist', 'addToMultiSelect'],
						],
					}
				: null,
	},
	{
		path: 'skeepers-use-matched',
		description:
			'sObject Collections upsert with Duplicate Rules: Use the Matched Record, half of the people already Contacts without the respondent ID (refused by the duplicate rule, then updated in batches)',
		options: (operation) =>
			operation === 'upsert'
				? { bulkMode: 'never', options: { duplicateRules: 'useMatched' } }
				: null,
		before: seedHalfAsExistingContacts,
	},
];

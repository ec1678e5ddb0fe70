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
 * - Parent link and ordered keys (linkVariants.ts).
 *
 * Each runs beside a plain path (`beside`), and the report puts their calls side by side.
 */
import type { Connection } from 'jsforce';

import type { Emulator } from '../../emulator';
import type { BenchItem } from '../data';
import type { WriteResult } from '../types';
import type { MappingRow, Operation } from '../workflows';
import { LINK_VARIANTS } from './linkVariants';
import { personOf, seedRecords } from './seed';

export interface FeedVariant {
	path: `skeepers-${string}`;
	/** what the variant measures, for the report's notes */
	description: string;
	/** the Feed Application's bulk mode, extra options and rows for this operation (null: not for it) */
	options(operation: Operation): {
		bulkMode: 'never' | 'always' | 'auto';
		options: Record<string, unknown>;
		rows?: MappingRow[];
		/** node parameters beside the options (e.g. More Match Keys) */
		parameters?: Record<string, unknown>;
	} | null;
	/** what the org holds before the run (after the records are cleared, before the counters reset; latency model off) */
	before?(conn: Connection, items: BenchItem[]): Promise<void>;
	/** the plain path of the same run it is compared with, call for call (scenarios/beside.ts) */
	beside: 'skeepers-collections' | 'skeepers-bulk';
	/** what it may cost beside that path, checked after the run (absent: the calls are only shown) */
	expect?(
		v: WriteResult,
		plain: WriteResult,
		items: BenchItem[],
	): { expected: string; met: boolean };
	/** the records it left right in the org, and what is wrong (default: written.ts's count) */
	verify?(emu: Emulator, items: BenchItem[]): OrgCheck;
}

/** A variant's result as found in the org after its run. */
export interface OrgCheck {
	/** items whose record is as the variant should leave it */
	right: number;
	/** what is wrong, a few examples (empty: nothing) */
	problems: string[];
}

/** Every other item's person as a Contact without the respondent ID (same names, same e-mail). */
async function seedHalfAsExistingContacts(conn: Connection, items: BenchItem[]): Promise<void> {
	await seedRecords(conn, 'Contact', items.filter((_, i) => i % 2 === 0).map(personOf));
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
		beside: 'skeepers-collections',
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
		beside: 'skeepers-collections',
	},
	...LINK_VARIANTS,
];

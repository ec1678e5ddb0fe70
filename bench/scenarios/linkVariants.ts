/**
 * Feed Application variants that link records, measured beside the plain Contact upsert:
 *
 * - Parent link: the same upserts with one more mapping row setting the Contact's Account by its
 *   external ID (`Account.Skeepers_Account_Id__c`, one Account per respondent seeded before the run), through
 *   sObject Collections and Bulk API 2.0. Salesforce resolves the parents, so the writes are the
 *   plain path's; the parent's describe is cached across executions like the object's (the
 *   warm-up run fills it), so a measured run adds no call.
 * - Ordered keys: Match On the respondent ID, then Email (More Match Keys), Link to First Match
 *   Key on. A third of the people exist with their respondent ID, a third only by e-mail, a third
 *   not at all: one lookup per key per wave (chunked by URL length), the e-mail one only for the
 *   items the ID did not find; the ones found by e-mail get their respondent ID.
 *
 * Each checks the org after its run (`verify`), so a wrong write is reported, not only timed.
 */
import type { Connection } from 'jsforce';

import type { Emulator } from '../../emulator';
import { buildLookupQueries } from '../../nodes/SkeepersFeedApplication/plan/soql';
import { LOOKUP_QUERY_LENGTH } from '../../nodes/SkeepersFeedApplication/salesforce/write/lookup';
import type { BenchItem } from '../data';
import type { WriteResult } from '../types';
import type { MappingRow } from '../workflows';
import { differingKinds } from './beside';
import { personOf, seedRecords } from './seed';
import type { FeedVariant, OrgCheck } from './variants';

/**
 * One Account per respondent, `account-<respondent ID>`: records sharing a parent lock it while
 * they are written, and Salesforce refuses the others at the same time (UNABLE_TO_LOCK_ROW, re-sent
 * by the node); that is the data's cost, not the link's, so no two records share one here.
 */
const accountKey = (it: BenchItem) => `account-${it.respondentId}`;
const PARENT_ROW: MappingRow = [
	'=account-{{ $json.respondentId }}',
	'Account.Skeepers_Account_Id__c',
];

async function seedAccounts(conn: Connection, items: BenchItem[]) {
	await seedRecords(
		conn,
		'Account',
		items.map((it) => ({
			Name: `Account of ${it.respondentId}`,
			Skeepers_Account_Id__c: accountKey(it),
		})),
	);
}

const sameId = (a: unknown, b: unknown) =>
	typeof a === 'string' && typeof b === 'string' && a.slice(0, 15) === b.slice(0, 15);

/** Each item's Contact (by respondent ID) points to its Account. */
function verifyParents(emu: Emulator, items: BenchItem[]): OrgCheck {
	const accounts = new Map(
		emu.records('Account').map((a) => [a.Skeepers_Account_Id__c as string, a.Id]),
	);
	const contacts = new Map(
		emu.records('Contact').map((c) => [c.Skeepers_Respondent_Id__c as string, c]),
	);
	const problems: string[] = [];
	let right = 0;
	for (const it of items) {
		const c = contacts.get(it.respondentId);
		if (c && sameId(c.AccountId, accounts.get(accountKey(it)))) right++;
		else if (problems.length < 3)
			problems.push(
				c
					? `${it.respondentId}: AccountId ${String(c.AccountId ?? 'empty')}, not ${accountKey(it)}'s`
					: `${it.respondentId}: no Contact`,
			);
	}
	return { right, problems };
}

/**
 * The parent link's budget: every call the plain path makes, no more (Bulk's status polls, which
 * follow the job's timing, aside); the parent's describe is cached, as the object's is.
 */
function sameWrites(polls: boolean) {
	return (v: WriteResult, plain: WriteResult) => {
		const free = new Set(polls ? ['bulk.status'] : []);
		const other = differingKinds(v, plain).filter((d) => !free.has(d.split(' ')[0]));
		return {
			expected: `the same calls as without${polls ? ' (status polls aside)' : ''}`,
			met: other.length === 0,
		};
	};
}

/** i % 3: 0 → a Contact with this e-mail but no respondent ID; 1 → one with both; 2 → none. */
const existsByEmailOnly = (i: number) => i % 3 === 0;
const existsById = (i: number) => i % 3 === 1;

/** SOQL queries of one lookup on `field` for `values`, chunked as the node chunks them. */
function lookupQueries(field: string, values: string[]): number {
	return buildLookupQueries({
		object: 'Contact',
		matchField: field,
		values,
		...LOOKUP_QUERY_LENGTH,
	}).length;
}

/** Every item's Contact (by e-mail) holds its respondent ID, and no person is there twice. */
function verifyOrderedKeys(emu: Emulator, items: BenchItem[]): OrgCheck {
	const contacts = emu.records('Contact');
	const byEmail = new Map<string, Array<Record<string, unknown>>>();
	for (const c of contacts) {
		const k = String(c.Email ?? '').toLowerCase();
		byEmail.set(k, [...(byEmail.get(k) ?? []), c]);
	}
	const problems: string[] = [];
	if (contacts.length !== items.length)
		problems.push(`${contacts.length} Contacts for ${items.length} people`);
	let right = 0;
	for (const it of items) {
		const found = byEmail.get(it.email.toLowerCase()) ?? [];
		if (found.length === 1 && found[0].Skeepers_Respondent_Id__c === it.respondentId) right++;
		else if (problems.length < 3)
			problems.push(
				`${it.email.toLowerCase()}: ${found.length} Contacts, respondent ID ${found.map((c) => String(c.Skeepers_Respondent_Id__c ?? 'empty')).join(', ')}`,
			);
	}
	return { right, problems };
}

const parentLink = (
	path: `skeepers-${string}`,
	bulkMode: 'never' | 'always',
	api: string,
): FeedVariant => ({
	path,
	description: `${api} upsert plus an Account.Skeepers_Account_Id__c row (the Contact's Account by its external ID; one Account per respondent, seeded before the run): the same calls as without (the parent's describe is cached like the object's)`,
	options: (operation) =>
		operation === 'upsert' ? { bulkMode, options: {}, rows: [PARENT_ROW] } : null,
	before: seedAccounts,
	beside: bulkMode === 'never' ? 'skeepers-collections' : 'skeepers-bulk',
	expect: sameWrites(bulkMode === 'always'),
	verify: verifyParents,
});

export const LINK_VARIANTS: FeedVariant[] = [
	parentLink('skeepers-parent-link', 'never', 'sObject Collections'),
	parentLink('skeepers-parent-link-bulk', 'always', 'Bulk API 2.0'),
	{
		path: 'skeepers-ordered-keys',
		description:
			'sObject Collections, Match On Skeepers_Respondent_Id__c then Email, Link to First Match Key: a third of the people exist with their ID, a third only by e-mail (linked by the run), a third are new; the org is checked after the run',
		options: (operation) =>
			operation === 'upsert'
				? {
						bulkMode: 'never',
						options: { linkFirstMatchKey: true },
						parameters: {
							moreMatchKeys: { keys: [{ field: 'Email', value: '={{ $json.email }}' }] },
						},
					}
				: null,
		before: (conn, items) =>
			seedRecords(
				conn,
				'Contact',
				items.flatMap((it, i) =>
					existsByEmailOnly(i)
						? [personOf(it)]
						: existsById(i)
							? [{ ...personOf(it), Skeepers_Respondent_Id__c: it.respondentId }]
							: [],
				),
			),
		beside: 'skeepers-collections',
		expect: (v, _plain, items) => {
			// one wave (no two items share an ID or an e-mail): the IDs of all, the e-mails of the rest
			const byId = lookupQueries(
				'Skeepers_Respondent_Id__c',
				items.map((it) => it.respondentId),
			);
			const byEmail = lookupQueries(
				'Email',
				items.filter((_, i) => !existsById(i)).map((it) => it.email),
			);
			const queries = v.apiCallsByKind.query ?? 0;
			return {
				expected: `one lookup per key per wave, 1 wave: ≤ ${byId} + ${byEmail} queries (IDs of all, e-mails of the ${items.length - items.filter((_, i) => existsById(i)).length} the ID did not find, chunked at ${LOOKUP_QUERY_LENGTH.maxQueryLength.toLocaleString('en-US')} URL characters)`,
				met: queries <= byId + byEmail,
			};
		},
		verify: verifyOrderedKeys,
	},
];

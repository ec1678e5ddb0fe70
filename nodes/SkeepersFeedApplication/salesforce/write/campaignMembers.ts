/**
 * Adds the records a run wrote (Contacts or Leads) to the Campaign option's campaign, batched
 * like every write: per 200 written records, one SOQL query for their existing memberships, one
 * sObject Collections create for the new members, one Collections update for the existing
 * members whose status changes (plan/campaignMembers.ts decides which). Each item gets its
 * membership, or Salesforce's error: the record itself stays written either way.
 */
import { ERROR_CODES, ownError, type SalesforceError } from '../../domain';
import {
	planMembers,
	type ExistingMemberMode,
	type MemberOp,
	type WrittenRecord,
} from '../../plan/campaignMembers';
import { chunk, COLLECTION_LIMIT } from '../../plan/chunk';
import { findMembers } from '../campaignMembers';
import { errorsOf, saveResultOf } from '../errors';
import type { SalesforceApi, SaveResult } from '../types';

export interface MembershipSettings {
	campaignId: string;
	field: 'ContactId' | 'LeadId';
	status: string;
	existingMember: ExistingMemberMode;
}

/** An item's membership: the member, or why it could not be written. */
export type MemberAnswer =
	| { member: { id: string; status: string | null; created: boolean } }
	| { error: SalesforceError };

const COLLECTIONS = '/composite/sobjects';

/** Writes the memberships of `written`; every item of `written` gets an answer. */
export async function writeMemberships(
	api: SalesforceApi,
	settings: MembershipSettings,
	written: readonly WrittenRecord[],
): Promise<Map<number, MemberAnswer>> {
	const answers = new Map<number, MemberAnswer>();
	const failAll = (items: readonly number[], error: unknown) => {
		const first = errorsOf(error).errors[0];
		for (const i of items) answers.set(i, { error: first });
	};
	for (const batch of chunk(written, COLLECTION_LIMIT)) {
		let plan;
		try {
			const ids = [...new Set(batch.map((w) => w.id))];
			const existing = await findMembers(api, settings.campaignId, settings.field, ids);
			plan = planMembers(
				batch,
				existing,
				settings.field,
				settings.campaignId,
				settings.status,
				settings.existingMember,
			);
		} catch (error) {
			failAll(
				batch.map((w) => w.itemIndex),
				error,
			);
			continue;
		}
		for (const k of plan.kept)
			for (const i of k.items)
				answers.set(i, { member: { id: k.memberId, status: k.status, created: false } });
		await send(api, 'POST', plan.creates, settings.status, answers);
		await send(api, 'PATCH', plan.updates, settings.status, answers);
	}
	return answers;
}

/** One Collections call (≤ 200 memberships): creates (POST) or updates (PATCH). */
async function send(
	api: SalesforceApi,
	method: 'POST' | 'PATCH',
	ops: readonly MemberOp[],
	status: string,
	answers: Map<number, MemberAnswer>,
): Promise<void> {
	if (!ops.length) return;
	let results: SaveResult[];
	try {
		const res = await api.request<unknown[]>({
			method,
			path: COLLECTIONS,
			body: { allOrNone: false, records: ops.map((op) => op.body) },
			retry: method === 'POST' ? 'non-idempotent' : 'idempotent',
		});
		results = Array.isArray(res.body) ? res.body.map(saveResultOf) : [];
	} catch (error) {
		const first = errorsOf(error).errors[0];
		for (const op of ops) for (const i of op.items) answers.set(i, { error: first });
		return;
	}
	ops.forEach((op, k) => {
		const r = results[k];
		const answer: MemberAnswer =
			r?.success && r.id
				? { member: { id: r.id, status, created: method === 'POST' } }
				: {
						error:
							r?.errors[0] ??
							ownError(ERROR_CODES.NO_RESULT, 'Salesforce returned no result for this membership'),
					};
		for (const i of op.items) answers.set(i, answer);
	});
}

/**
 * Duplicate and assignment rules on the wire, the same choice on both paths:
 * - sObject Collections: `Sforce-Duplicate-Rule-Header: allowSave=true` (Save Anyway) and
 *   `Sforce-Auto-Assign: TRUE | FALSE | <AssignmentRule Id>` (absent = the org's default, TRUE);
 * - Bulk API 2.0 has no headers: a job runs an assignment rule only when it names it
 *   (`assignmentRuleId`), so Active Rule sends the object's active rule's Id, looked up once per
 *   run with SOQL (`activeAssignmentRules`), and Specific Rule its Id. Duplicate rules on Bulk:
 *   salesforce/write/duplicates.ts.
 * Also the AssignmentRule records the editor lists and the check of a Specific Rule before
 * anything is written.
 */
import type { AssignmentRulesMode, DuplicateRulesMode } from '../domain';
import { soqlString } from '../plan/soql';
import { queryRows } from './query';
import type { SalesforceApi } from './types';

export interface RuleOptions {
	duplicateRules?: DuplicateRulesMode;
	/** Default: Don't Run (`none`), so an Update never reassigns a record unasked. */
	assignmentRules?: AssignmentRulesMode;
	/** Specific Rule: the AssignmentRule Id. */
	assignmentRuleId?: string;
}

const DUPLICATE_RULE_HEADER = 'Sforce-Duplicate-Rule-Header';
const AUTO_ASSIGN_HEADER = 'Sforce-Auto-Assign';

/** The headers a Collections write carries for these options (none for the defaults of Salesforce). */
export function ruleHeaders(o: RuleOptions): Record<string, string> {
	const headers: Record<string, string> = {};
	if (o.duplicateRules === 'allowSave') headers[DUPLICATE_RULE_HEADER] = 'allowSave=true';
	const mode = o.assignmentRules ?? 'none';
	if (mode === 'none') headers[AUTO_ASSIGN_HEADER] = 'FALSE';
	else if (mode === 'active') headers[AUTO_ASSIGN_HEADER] = 'TRUE';
	else if (mode === 'specific' && o.assignmentRuleId)
		headers[AUTO_ASSIGN_HEADER] = o.assignmentRuleId;
	return headers;
}

/**
 * The Bulk API 2.0 job properties for these options: `assignmentRuleId` for Active Rule (the
 * object's active rule, when it has one) and Specific Rule; nothing otherwise (no rule runs).
 */
export async function bulkJobRuleProperties(
	o: RuleOptions,
	activeRuleId: (() => Promise<string | undefined>) | undefined,
): Promise<Record<string, string>> {
	const mode = o.assignmentRules ?? 'none';
	let id: string | undefined;
	if (mode === 'specific') id = o.assignmentRuleId;
	else if (mode === 'active') id = await activeRuleId?.();
	return id ? { assignmentRuleId: id } : {};
}

interface AssignmentRuleRow {
	Id: string;
	Name?: string;
	Active?: boolean;
	SobjectType?: string;
}

const query = async (api: SalesforceApi, soql: string) =>
	await queryRows<AssignmentRuleRow>(api, soql);

/** The object's assignment rules (the editor's Specific Rule dropdown), active first. */
export async function listAssignmentRules(
	api: SalesforceApi,
	object: string,
): Promise<AssignmentRuleRow[]> {
	const rows = await query(
		api,
		`SELECT Id, Name, Active FROM AssignmentRule WHERE SobjectType = ${soqlString(object)} ORDER BY Name`,
	);
	return [...rows.filter((r) => r.Active), ...rows.filter((r) => !r.Active)];
}

/** The run's lookups of an object's active assignment rule: one SOQL query per object and run. */
export function activeAssignmentRules(
	api: SalesforceApi,
): (object: string) => Promise<string | undefined> {
	const cache = new Map<string, Promise<string | undefined>>();
	return async (object) => {
		const key = object.toLowerCase();
		let found = cache.get(key);
		if (!found) {
			found = query(
				api,
				`SELECT Id FROM AssignmentRule WHERE SobjectType = ${soqlString(object)} AND Active = true`,
			).then((rows) => rows[0]?.Id);
			cache.set(key, found);
		}
		return await found;
	};
}

/**
 * Why a Specific Rule cannot be used for `object` (no Id, no such rule, another object's rule),
 * or undefined when it can.
 */
export async function specificRuleProblem(
	api: SalesforceApi,
	object: string,
	id: string | undefined,
): Promise<string | undefined> {
	const ruleId = (id ?? '').trim();
	if (!ruleId) return 'Assignment Rules is set to Specific Rule but no assignment rule is chosen';
	if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(ruleId)) {
		return `"${ruleId}" is not a Salesforce record Id, so it names no assignment rule`;
	}
	const rows = await query(
		api,
		`SELECT Id, Name, SobjectType FROM AssignmentRule WHERE Id = ${soqlString(ruleId)}`,
	);
	const rule = rows[0];
	if (!rule) return `No assignment rule has the Id ${ruleId}`;
	if ((rule.SobjectType ?? '').toLowerCase() !== object.toLowerCase()) {
		return `Assignment rule ${rule.Name ?? ruleId} (${ruleId}) assigns ${rule.SobjectType ?? 'another object'} records, not ${object}`;
	}
	return undefined;
}

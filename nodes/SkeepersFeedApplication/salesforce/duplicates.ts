/**
 * Duplicate rules as Salesforce reports them: a save that a rule with an alert matches fails
 * with `DUPLICATES_DETECTED` and a `duplicateResult` naming the rule and the matched records
 * (`matchResults[].matchRecords[].record.Id`). Read here once, for errors.ts, so every path
 * reports the rule and the matched Ids the same way.
 */
import type { SalesforceError } from '../domain';

const DUPLICATES_DETECTED = 'DUPLICATES_DETECTED';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rule and matched Ids of a `duplicateResult`, if the error object carries one. */
function readDuplicateResult(
	raw: Record<string, unknown>,
): { rule?: string; matchedIds: string[] } | undefined {
	const dr = raw.duplicateResult;
	if (!isRecord(dr)) return undefined;
	const ids: string[] = [];
	for (const mr of Array.isArray(dr.matchResults) ? dr.matchResults : []) {
		if (!isRecord(mr)) continue;
		for (const rec of Array.isArray(mr.matchRecords) ? mr.matchRecords : []) {
			const id = isRecord(rec) && isRecord(rec.record) ? rec.record.Id : undefined;
			if (typeof id === 'string' && id && !ids.includes(id)) ids.push(id);
		}
	}
	const rule =
		typeof dr.duplicateRule === 'string' && dr.duplicateRule ? dr.duplicateRule : undefined;
	return { rule, matchedIds: ids };
}

/**
 * A DUPLICATES_DETECTED error with its rule and matched Ids in the message, as MULTIPLE_MATCHES
 * lists its Ids: "Use one of these records? (duplicate rule Standard_Contact_Duplicate_Rule
 * matched 003…)". Other errors are returned as they are.
 */
export function withDuplicateResult(
	error: SalesforceError,
	raw: Record<string, unknown>,
): SalesforceError {
	const found = readDuplicateResult(raw);
	if (!found) return error;
	const rule = found.rule ? `duplicate rule ${found.rule}` : 'a duplicate rule';
	const matched = found.matchedIds.length
		? `matched ${found.matchedIds.join(', ')}`
		: 'matched records it did not list';
	return {
		...error,
		message: `${error.message} (${rule} ${matched})`,
		...(found.rule ? { duplicateRule: found.rule } : {}),
		matchedIds: found.matchedIds,
	};
}

/** The DUPLICATES_DETECTED error among `errors`, if any. */
export function duplicatesDetected(
	errors: readonly SalesforceError[],
): SalesforceError | undefined {
	return errors.find((e) => e.errorCode === DUPLICATES_DETECTED);
}

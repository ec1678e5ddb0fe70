/**
 * The Feed Application's own words, at the bottom of the package: operations, match kinds,
 * what the writer is given (WriteInput) and what it answers (WriteOutcome, WriteReport), and
 * the catalogue of the error codes this package raises itself (part of the output contract),
 * with the messages that more than one place gives. Imports nothing from the package.
 */

/** Create, Update, or Create or Update (upsert); also what is asked of Salesforce per record. */
export type FeedOperation = 'create' | 'update' | 'upsert' | 'find';
/** The operations that write (Find only reads). */
export const FEED_OPERATIONS: readonly FeedOperation[] = ['create', 'update', 'upsert'];

/** How Match On finds the record: the Id, an external ID field, or another idLookup field. */
export type MatchKind = 'id' | 'externalId' | 'idLookup';

/** How a mapping row's value meets the record's current value (plan/writeModes.ts). */
export type WriteMode = 'overwrite' | 'onlyIfEmpty' | 'addToMultiSelect';

/** Field → value, as sent to Salesforce. */
export type SObjectRecord = Record<string, unknown>;

/**
 * A Salesforce error, normalised: top-level error arrays use `errorCode`, sObject Collections
 * results use `statusCode`; both become `errorCode`. The node's own errors take the same shape.
 */
export interface SalesforceError {
	errorCode: string;
	message: string;
	fields: string[];
	/** DUPLICATES_DETECTED: the duplicate rule that matched (its `duplicateResult`). */
	duplicateRule?: string;
	/** DUPLICATES_DETECTED: the Ids of the records the rule matched. */
	matchedIds?: string[];
}

/** Duplicate Rules option: let Salesforce block, save anyway, or update the matched record. */
export type DuplicateRulesMode = 'block' | 'allowSave' | 'useMatched';

/** Assignment Rules option (Leads, Cases, Accounts). */
export type AssignmentRulesMode = 'orgDefault' | 'none' | 'active' | 'specific';

/** A record refused because its dedup key is already held by another record (Dedup Key Field). */
export interface KeyDuplicate {
	/** The dedup field, as named in the describe. */
	field: string;
	/** The record that already holds the key, when Salesforce's message gives it. */
	existingId: string | null;
}

/** One item, mapped and checked, ready to write. */
export interface WriteInput {
	itemIndex: number;
	/** Field → value, without `attributes` and without the match field. */
	record: SObjectRecord;
	/** The match value (Update / Create or Update). */
	matchValue?: string;
	/** The values of More Match Keys, in their order ('' when the item has none). */
	moreMatchValues?: string[];
	/** Field (as in `record`) → its row's Write Mode, for the fields not overwritten. */
	writeModes?: Record<string, WriteMode>;
}

/** A call the writer made (or would make, in a dry run). */
export interface CallRecord {
	method: string;
	path: string;
	/** Records carried (writes) or values looked up (SOQL). */
	records: number;
	kind: 'lookup' | 'write' | 'bulk';
	/** Duplicate and assignment rule headers sent with the call. */
	headers?: Record<string, string>;
	/** Bulk API 2.0 job properties chosen by the options (`assignmentRuleId`). */
	job?: Record<string, string>;
}

/** What happened to one item. */
export interface WriteOutcome {
	itemIndex: number;
	success: boolean;
	id: string | null;
	created: boolean;
	/** What was (or would be) asked of Salesforce for this item; null when nothing was sent. */
	action: FeedOperation | null;
	errors: SalesforceError[];
	/** The record as sent (with `attributes` for collections). */
	sent?: SObjectRecord;
	/** false: the item was never sent (run stopped after another failure). */
	attempted: boolean;
	/** The request failed after it may have reached Salesforce; a create may exist. */
	outcomeUnknown?: boolean;
	/** Index in `WriteReport.calls` of the call that carried (or would carry) the item. */
	call?: number;
	bulkJobId?: string;
	/** Ids that matched the item's value (several matches). */
	matchedIds?: string[];
	/** Not written because its dedup key is already in Salesforce (Dedup Key Field). */
	duplicate?: KeyDuplicate;
	/** Duplicate Rules → Use the Matched Record: the record updated instead of creating one. */
	usedMatchedRecord?: { id: string; rule?: string };
	/** With More Match Keys, and always with Find: the field whose value found the record (absent when none did). */
	matchedOn?: string;
	/** Find: the found record's fields. */
	found?: Record<string, unknown>;
	/** Missing Parents → Leave the Lookup Empty: the parents not found, left out of the record. */
	parentsNotFound?: ParentNotFound[];
}

/** A parent named by an External ID or idLookup field that no record has. */
export interface ParentNotFound {
	/** The remote field, e.g. `Contact.Skeepers_Respondent_Id__c`. */
	field: string;
	value: string | number;
	/** The parent object looked in. */
	object: string;
}

export type WritePath = 'collections' | 'bulk';

/** What the writer answers for one group of inputs. */
export interface WriteReport {
	/** One per input, in input order. */
	outcomes: WriteOutcome[];
	path: WritePath;
	/** Calls made, or planned in a dry run (lookups are always made: they only read). */
	calls: CallRecord[];
	/** True when the writer stopped scheduling calls after a failure. */
	stopped: boolean;
	bulkJobIds: string[];
	/** Why this path (Bulk API 2.0 on Auto weighs calls and time: plan/pathChoice.ts). */
	pathReason?: string;
	/**
	 * Requests in Flight: the setting, the most write calls in flight at once, the pushbacks seen;
	 * with Auto, the width it started at and whether that was where the org's last run left it.
	 */
	flight?: {
		setting: number | 'auto';
		peakInFlight: number;
		pushbacks: number;
		startedAt?: number;
		resumed?: boolean;
	};
}

// ---------------------------------------------------------------- the package's own error codes

/**
 * Every error code the package raises itself (the others are Salesforce's, or pre-flight
 * checks that use Salesforce's own codes, such as STRING_TOO_LONG).
 */
export const ERROR_CODES = {
	// settings and parameters
	INVALID_SETTINGS: 'INVALID_SETTINGS',
	PARAMETER_ERROR: 'PARAMETER_ERROR',
	// mapping
	MISSING_FIELD_MAPPING: 'MISSING_FIELD_MAPPING',
	UNKNOWN_TRANSFORMATION: 'UNKNOWN_TRANSFORMATION',
	DUPLICATE_FIELD_MAPPING: 'DUPLICATE_FIELD_MAPPING',
	INVALID_TRANSFORMATION_PARAMETER: 'INVALID_TRANSFORMATION_PARAMETER',
	TRANSFORMATION_FAILED: 'TRANSFORMATION_FAILED',
	INVALID_WRITE_MODE: 'INVALID_WRITE_MODE',
	// matching
	MISSING_MATCH_VALUE: 'MISSING_MATCH_VALUE',
	NOT_FOUND: 'NOT_FOUND',
	MULTIPLE_MATCHES: 'MULTIPLE_MATCHES',
	// the run
	NOT_ATTEMPTED: 'NOT_ATTEMPTED',
	NOT_WRITTEN: 'NOT_WRITTEN',
	NO_RESULT: 'NO_RESULT',
	REQUEST_FAILED: 'REQUEST_FAILED',
	UNKNOWN_ERROR: 'UNKNOWN_ERROR',
	// Bulk API 2.0
	NOT_PROCESSED: 'NOT_PROCESSED',
	BULK_JOB_STATUS_UNKNOWN: 'BULK_JOB_STATUS_UNKNOWN',
	BULK_JOB_TIMEOUT: 'BULK_JOB_TIMEOUT',
	BULK_RESULTS_UNAVAILABLE: 'BULK_RESULTS_UNAVAILABLE',
	BULK_RECORD_UNPROCESSED: 'BULK_RECORD_UNPROCESSED',
	BULK_RESULT_NOT_FOUND: 'BULK_RESULT_NOT_FOUND',
	// transport
	INSTANCE_URL_UNKNOWN: 'INSTANCE_URL_UNKNOWN',
	NETWORK_ERROR: 'NETWORK_ERROR',
} as const;

export type OwnErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * Codes of the node's own checks on an item (not a Salesforce refusal): a result failing with
 * only these is reported as a NodeOperationError, not a NodeApiError.
 */
export const NODE_CHECK_CODES: ReadonlySet<string> = new Set<OwnErrorCode>([
	ERROR_CODES.NOT_FOUND,
	ERROR_CODES.MULTIPLE_MATCHES,
	ERROR_CODES.MISSING_MATCH_VALUE,
	ERROR_CODES.NOT_ATTEMPTED,
	ERROR_CODES.NOT_WRITTEN,
	ERROR_CODES.NO_RESULT,
]);

/** An error of the package's own, in Salesforce's shape. */
export function ownError(
	errorCode: OwnErrorCode,
	message: string,
	fields: string[] = [],
): SalesforceError {
	return { errorCode, message, fields };
}

/** Update with an empty match value: there is no record to update. */
export function missingMatchValueMessage(itemIndex: number, matchField: string): string {
	return `Item ${itemIndex + 1}: the match value (${matchField}) is empty, so there is no record to update`;
}

/** Update whose match value finds no record (`more`: the More Match Keys tried too, in order). */
export function notFoundError(
	object: string,
	matchField: string,
	value: string,
	more: ReadonlyArray<{ field: string; value: string }> = [],
): SalesforceError {
	const nor = more.map((k) => `, nor ${k.field} = "${k.value}"`).join('');
	return ownError(
		ERROR_CODES.NOT_FOUND,
		`No ${object} record has ${matchField} = "${value}"${nor}`,
		[matchField, ...more.map((k) => k.field)],
	);
}

/** A match value that finds several records: nothing is guessed, nothing is written. */
export function multipleMatchesError(
	object: string,
	matchField: string,
	value: string,
	ids: readonly string[],
): SalesforceError {
	return ownError(
		ERROR_CODES.MULTIPLE_MATCHES,
		`${ids.length} ${object} records have ${matchField} = "${value}" (${ids.join(', ')}); nothing was written for this item`,
		[matchField],
	);
}

/** The outcome of an item never sent, because the run stopped after another item failed. */
export function notAttempted(itemIndex: number): WriteOutcome {
	return {
		itemIndex,
		success: false,
		id: null,
		created: false,
		action: null,
		errors: [
			ownError(
				ERROR_CODES.NOT_ATTEMPTED,
				'Not sent: the run stopped after an earlier item failed. Nothing was written for this item.',
			),
		],
		attempted: false,
	};
}

/**
 * Shared contracts between the Salesforce transport (I/O), the pure planning code
 * (mapping/, plan) and the writer. Shapes follow Salesforce's REST API documentation.
 */
import type { SalesforceError } from '../domain';

type SalesforceFieldType =
	| 'id'
	| 'string'
	| 'textarea'
	| 'email'
	| 'phone'
	| 'url'
	| 'picklist'
	| 'multipicklist'
	| 'combobox'
	| 'reference'
	| 'boolean'
	| 'int'
	| 'double'
	| 'currency'
	| 'percent'
	| 'date'
	| 'datetime'
	| 'time'
	| 'address'
	| 'location'
	| 'encryptedstring'
	| 'base64'
	| 'anyType';

export interface PicklistValue {
	value: string;
	label: string;
	active: boolean;
	defaultValue?: boolean;
}

/** One entry of `fields[]` in `GET /sobjects/<Obj>/describe`. */
export interface FieldDescribe {
	name: string;
	label: string;
	type: SalesforceFieldType | string;
	length: number;
	precision?: number;
	scale?: number;
	nillable: boolean;
	createable: boolean;
	updateable: boolean;
	custom: boolean;
	externalId: boolean;
	idLookup: boolean;
	unique: boolean;
	picklistValues: PicklistValue[];
	restrictedPicklist: boolean;
	referenceTo: string[];
	relationshipName: string | null;
	defaultedOnCreate: boolean;
	/** Whether SOQL can filter on it (WHERE); absent in older fixtures: taken as true. */
	filterable?: boolean;
}

/** `GET /sobjects/<Obj>/describe` (the parts this package reads). */
export interface SObjectDescribe {
	name: string;
	label: string;
	custom: boolean;
	createable: boolean;
	updateable: boolean;
	queryable: boolean;
	fields: FieldDescribe[];
	/** The object's record types (empty or absent when it has none; Master included otherwise). */
	recordTypeInfos?: RecordTypeInfo[];
}

/** One entry of a describe's `recordTypeInfos`. */
export interface RecordTypeInfo {
	recordTypeId: string;
	developerName: string;
	name: string;
	/** Assigned to the running user's profile or permission sets. */
	available: boolean;
	active?: boolean;
	master: boolean;
	defaultRecordTypeMapping?: boolean;
}

/** One entry of `sobjects[]` in the global describe `GET /sobjects`. */
export interface SObjectSummary {
	name: string;
	label: string;
	custom: boolean;
	createable: boolean;
	updateable: boolean;
	queryable: boolean;
}

/** A Salesforce error, normalised (domain.ts). */
export type { SalesforceError };

/** One record's outcome in an sObject Collections answer (request order). */
export interface SaveResult {
	id: string | null;
	success: boolean;
	errors: SalesforceError[];
	created?: boolean;
}

/** Parsed `Sforce-Limit-Info: api-usage=<used>/<max>`. */
export interface ApiUsage {
	used: number;
	max: number;
}

/**
 * How a request may be retried after a transient failure.
 * - `idempotent`: sending it twice has the same effect as once (reads, update by Id,
 *   upsert by external ID). Retried on any transient failure.
 * - `non-idempotent`: it may create something (create). Retried only when the failure proves
 *   nothing was applied (e.g. HTTP 503 / concurrency limit answered before processing, or a
 *   connection that was never established).
 */
export type RetryClass = 'idempotent' | 'non-idempotent';

export interface SalesforceRequest {
	method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
	/**
	 * Relative to `<instance_url>/services/data/v<version>` when it does not start with
	 * `/services/` (e.g. `/composite/sobjects`); otherwise relative to the instance URL
	 * (e.g. a `nextRecordsUrl`).
	 */
	path: string;
	qs?: Record<string, string | number | boolean>;
	/** JSON body. */
	body?: unknown;
	/** Text body (Bulk API 2.0 CSV upload); sent as `text/csv`. */
	text?: string;
	/** Expect a text answer (Bulk API 2.0 result CSVs) instead of JSON. */
	responseType?: 'json' | 'text';
	/** Extra request headers (e.g. `Sforce-Duplicate-Rule-Header`, `Sforce-Auto-Assign`). */
	headers?: Record<string, string>;
	retry: RetryClass;
	/**
	 * Told at once when an attempt is pushed back on (503, 429, REQUEST_LIMIT_EXCEEDED,
	 * UNABLE_TO_LOCK_ROW) and will be retried (Requests in Flight: Auto halves right away).
	 */
	onPushback?: () => void;
}

export interface SalesforceResponse<T = unknown> {
	status: number;
	body: T;
	headers: Record<string, string>;
}

/** Counters a transport keeps, for results, logs and benchmarks. */
export interface TransportStats {
	calls: number;
	retries: number;
}

/**
 * The one way the node talks to Salesforce. The n8n implementation goes through
 * `httpRequestWithAuthentication`; tests may provide another implementation
 * (e.g. direct HTTP to the emulator) because the writer depends only on this interface.
 * Failures throw `SalesforceRequestError` (see errors.ts) after retries are exhausted.
 */
export interface SalesforceApi {
	readonly apiVersion: string;
	request<T = unknown>(req: SalesforceRequest): Promise<SalesforceResponse<T>>;
	/** Last `Sforce-Limit-Info` seen, if any. */
	readonly usage: ApiUsage | undefined;
	readonly stats: TransportStats;
	/** Registers a listener told about every request's final answer (see ResponseEvent). */
	observe?(listener: (event: ResponseEvent) => void): void;
}

/** A request's final answer (after retries): a success body, or the errors it failed with. */
export interface ResponseEvent {
	method: string;
	path: string;
	status: number;
	body?: unknown;
	errors?: SalesforceError[];
}

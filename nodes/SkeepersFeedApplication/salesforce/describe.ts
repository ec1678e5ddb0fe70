/**
 * Describe calls, cached two ways:
 * - per `SalesforceApi` instance (one instance = one execution or one dropdown load):
 *   `describeGlobal`, `describeSObject`;
 * - per n8n process, across executions (`sharedDescribes`): keyed by what determines the answer
 *   (credential id, instance URL, API version, object), with a maximum age chosen by the caller
 *   and at most SHARED_DESCRIBE_MAX_ENTRIES keys. run/describeForRun.ts decides when to use
 *   it and when a cached describe must be dropped.
 * Concurrent requests for the same object share one HTTP call; a failed call is forgotten so
 * the next caller tries again.
 */
import { TtlCache } from '../../shared/ttlCache';
import type { SObjectDescribe, SObjectSummary, SalesforceApi } from './types';

/** Most object describes kept per n8n process (least recently used dropped first); a large org's describe can weigh 0.5 MB. */
const SHARED_DESCRIBE_MAX_ENTRIES = 50;

/** The process-level describe cache (shared by every execution of the node in this process). */
export const sharedDescribes = new TtlCache<SObjectDescribe>({
	maxEntries: SHARED_DESCRIBE_MAX_ENTRIES,
});

export interface DescribeKeyParts {
	/** n8n credential id (the same credential may be used by many workflows). */
	credentialId: string;
	/** The org's instance origin: a credential reconnected to another org gets another key. */
	instanceUrl: string;
	apiVersion: string;
	object: string;
}

/** Cache key of one object's describe. Object names are case-insensitive in Salesforce. */
export function describeKey(parts: DescribeKeyParts): string {
	return JSON.stringify([
		parts.credentialId,
		parts.instanceUrl.trim().replace(/\/+$/, '').toLowerCase(),
		parts.apiVersion,
		parts.object.trim().toLowerCase(),
	]);
}

/** One `GET /sobjects/<name>/describe`, no caching. */
export async function fetchDescribe(
	api: SalesforceApi,
	objectName: string,
): Promise<SObjectDescribe> {
	const res = await api.request<SObjectDescribe>({
		method: 'GET',
		path: `/sobjects/${encodeURIComponent(objectName.trim())}/describe`,
		retry: 'idempotent',
	});
	return res.body;
}

interface DescribeCache {
	global?: Promise<SObjectSummary[]>;
	objects: Map<string, Promise<SObjectDescribe>>;
}

const caches = new WeakMap<SalesforceApi, DescribeCache>();

function cacheFor(api: SalesforceApi): DescribeCache {
	let cache = caches.get(api);
	if (!cache) {
		cache = { objects: new Map() };
		caches.set(api, cache);
	}
	return cache;
}

/** `GET /sobjects` → the org's objects (standard and custom). */
export async function describeGlobal(api: SalesforceApi): Promise<SObjectSummary[]> {
	const cache = cacheFor(api);
	if (!cache.global) {
		const pending = api
			.request<{ sobjects?: SObjectSummary[] }>({
				method: 'GET',
				path: '/sobjects',
				retry: 'idempotent',
			})
			.then((res) => res.body?.sobjects ?? []);
		cache.global = pending;
		pending.catch(() => {
			if (cache.global === pending) cache.global = undefined;
		});
	}
	return await cache.global;
}

/** `GET /sobjects/<name>/describe`. Object names are case-insensitive in Salesforce. */
export async function describeSObject(
	api: SalesforceApi,
	objectName: string,
): Promise<SObjectDescribe> {
	const cache = cacheFor(api);
	const key = objectName.trim().toLowerCase();
	let pending = cache.objects.get(key);
	if (!pending) {
		const created = fetchDescribe(api, objectName);
		pending = created;
		cache.objects.set(key, created);
		created.catch(() => {
			if (cache.objects.get(key) === created) cache.objects.delete(key);
		});
	}
	return await pending;
}

/**
 * Describe calls, cached per `SalesforceApi` instance (one instance = one execution or one
 * dropdown load). Concurrent requests for the same object share one HTTP call; a failed call
 * is forgotten so the next caller tries again.
 */
import type { SObjectDescribe, SObjectSummary, SalesforceApi } from './types';

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
export async function describeSObject(api: SalesforceApi, objectName: string): Promise<SObjectDescribe> {
	const cache = cacheFor(api);
	const key = objectName.trim().toLowerCase();
	let pending = cache.objects.get(key);
	if (!pending) {
		const created = api
			.request<SObjectDescribe>({
				method: 'GET',
				path: `/sobjects/${encodeURIComponent(objectName.trim())}/describe`,
				retry: 'idempotent',
			})
			.then((res) => res.body);
		pending = created;
		cache.objects.set(key, created);
		created.catch(() => {
			if (cache.objects.get(key) === created) cache.objects.delete(key);
		});
	}
	return await pending;
}

/** Forget everything cached for this API instance. */
export function clearDescribeCache(api: SalesforceApi): void {
	caches.delete(api);
}

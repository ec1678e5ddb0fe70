/** One SOQL query of a few setup rows (first page only: at most 2,000 rows). */
import type { SalesforceApi } from './types';

export async function queryRows<T>(api: SalesforceApi, soql: string): Promise<T[]> {
	const res = await api.request<{ records?: T[] }>({
		method: 'GET',
		path: '/query',
		qs: { q: soql },
		retry: 'idempotent',
	});
	return res.body?.records ?? [];
}

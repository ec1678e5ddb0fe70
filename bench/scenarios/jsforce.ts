/** jsforce, the documented way: `sobject(x).upsert(records, extIdField, { allowRecursive: true })`. */
import { Connection } from 'jsforce';

import type { Emulator } from '../../emulator';
import { caseRecords, contactRecords, type BenchItem } from '../data';
import { round } from '../n8n-exec';
import type { WriteResult } from '../types';
import type { Operation } from '../workflows';
import { countWritten, emptyRatios } from './written';

export function jsforceConnection(token: { access_token: string; instance_url: string }) {
	return new Connection({ instanceUrl: token.instance_url, accessToken: token.access_token });
}

export async function warmJsforce(conn: Connection, warm: BenchItem[]): Promise<void> {
	await conn
		.sobject('Contact')
		.upsert(contactRecords(warm), 'Skeepers_Respondent_Id__c', { allowRecursive: true });
}

export async function runJsforce(
	conn: Connection,
	emu: Emulator,
	operation: Operation,
	items: BenchItem[],
): Promise<WriteResult> {
	emu.clearRecords();
	emu.resetCounters();
	const t = performance.now();
	let error: string | undefined;
	try {
		const rets =
			operation === 'upsert'
				? await conn
						.sobject('Contact')
						.upsert(contactRecords(items), 'Skeepers_Respondent_Id__c', { allowRecursive: true })
				: await conn.sobject('Case').create(caseRecords(items), { allowRecursive: true });
		const failed = (Array.isArray(rets) ? rets : [rets]).filter((x) => !x.success).length;
		if (failed) error = `${failed} records failed`;
	} catch (e) {
		error = e instanceof Error ? e.message : String(e);
	}
	const seconds = (performance.now() - t) / 1000;
	const c = emu.counters();
	return {
		path: 'jsforce',
		operation,
		records: items.length,
		apiCalls: c.total,
		seconds: round(seconds, 3),
		recordsWritten: countWritten(emu, operation, items),
		apiCallsByKind: c.byKind,
		recordsPerSecond: round(items.length / seconds, 1),
		nodeSeconds: null,
		...emptyRatios(),
		...(error ? { error } : {}),
	};
}

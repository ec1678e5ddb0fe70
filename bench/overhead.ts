/**
 * The Feed Application's pure steps timed in this process, on the same items and rows as the
 * overhead run inside n8n: rows → record (mapItem, with the transformations), pre-flight
 * (validateRecord against the emulator's describe), key planning (planKeys) and batching (chunk).
 * What the node spends beyond these inside n8n is n8n resolving the parameters (getNodeParameter
 * evaluates 10 row expressions + the match value per item) and building the result items.
 */
import {
	mapItem,
	validateRecord,
	type MappingRow,
	type TransformationName,
} from '../nodes/SkeepersFeedApplication/mapping';
import { chunk } from '../nodes/SkeepersFeedApplication/plan/chunk';
import { planKeys } from '../nodes/SkeepersFeedApplication/plan/keys';
import type { SObjectDescribe } from '../nodes/SkeepersFeedApplication/salesforce/types';
import type { BenchItem } from './data';
import { OVERHEAD_ROWS } from './workflows';

export interface PureTimings {
	items: number;
	/** mapItem (rows + transformations) over all items */
	mapMs: number;
	/** validateRecord over all items */
	validateMs: number;
	/** planKeys + chunk(200) */
	planMs: number;
	totalMs: number;
	itemsPerSecond: number;
	/** items that mapped and validated without error (should be all) */
	okItems: number;
}

export async function fetchDescribe(
	token: { access_token: string; instance_url: string },
	object = 'Contact',
): Promise<SObjectDescribe> {
	const res = await fetch(`${token.instance_url}/services/data/v66.0/sobjects/${object}/describe`, {
		headers: { authorization: `Bearer ${token.access_token}` },
	});
	if (res.status !== 200) throw new Error(`describe ${object}: ${res.status}`);
	return (await res.json()) as SObjectDescribe;
}

export async function timePureFunctions(
	items: BenchItem[],
	token: { access_token: string; instance_url: string },
): Promise<PureTimings> {
	const describe = await fetchDescribe(token);
	const rowsOf = (it: BenchItem): MappingRow[] =>
		OVERHEAD_ROWS.map((r) => ({
			field: r.field,
			value: (it as unknown as Record<string, unknown>)[r.source],
			transformation: r.transformation as TransformationName,
			parameter: r.parameter,
		}));
	// the rows as n8n hands them over (values already resolved): built outside the timed part
	const allRows = items.map(rowsOf);
	const run = () => {
		let ok = 0;
		const t0 = performance.now();
		const mapped = allRows.map((rows, i) =>
			mapItem(rows, { itemIndex: i, emptyValues: 'skip', describe }),
		);
		const t1 = performance.now();
		const records: Array<Record<string, unknown>> = [];
		mapped.forEach((m, i) => {
			if (!m.ok) return;
			const toCheck = { ...m.record, Skeepers_Respondent_Id__c: items[i].respondentId };
			const problems = validateRecord(toCheck, {
				describe,
				operation: 'upsert',
				matchField: 'Skeepers_Respondent_Id__c',
				itemIndex: i,
				rowByField: m.rowByField,
			});
			if (!problems.length) {
				ok++;
				records.push(toCheck);
			}
		});
		const t2 = performance.now();
		planKeys(items.map((it) => it.respondentId));
		chunk(records, 200);
		const t3 = performance.now();
		return { mapMs: t1 - t0, validateMs: t2 - t1, planMs: t3 - t2, totalMs: t3 - t0, ok };
	};
	run(); // warm-up (JIT)
	const r = run();
	const round = (x: number) => Math.round(x * 10) / 10;
	return {
		items: items.length,
		mapMs: round(r.mapMs),
		validateMs: round(r.validateMs),
		planMs: round(r.planMs),
		totalMs: round(r.totalMs),
		itemsPerSecond: Math.round(items.length / (r.totalMs / 1000)),
		okItems: r.ok,
	};
}

/** What a write path left in the emulator, and the ratios every write result starts without. */
import type { Emulator } from '../../emulator';
import type { BenchItem } from '../data';
import type { WriteResult } from '../types';
import type { Operation } from '../workflows';

/** Records of `items` found in the emulator after a path ran (it is cleared before each path). */
export function countWritten(emu: Emulator, operation: Operation, items: BenchItem[]): number {
	if (operation === 'upsert') {
		const want = new Set(items.map((i) => i.respondentId));
		const seen = new Set<string>();
		for (const r of emu.records('Contact')) {
			const k = r.Skeepers_Respondent_Id__c as string | undefined;
			if (k && want.has(k)) seen.add(k);
		}
		return seen.size;
	}
	const want = new Set(items.map((i) => `NPS ${i.nps} from ${i.respondentId}`));
	return emu.records('Case').filter((r) => want.has(r.Subject as string)).length;
}

/** Filled in by compare.ts once every path of the run is in. */
export function emptyRatios(): Pick<
	WriteResult,
	'vsBuiltin' | 'limitSeconds' | 'vsLimit' | 'nodeVsLimit' | 'vsJsforce'
> {
	return {
		vsBuiltin: null,
		limitSeconds: null,
		vsLimit: null,
		nodeVsLimit: null,
		vsJsforce: null,
	};
}

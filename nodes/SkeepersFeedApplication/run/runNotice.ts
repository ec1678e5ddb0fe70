/**
 * What Auto did, in words: the path each written object took and why, and with Requests in
 * Flight on Auto, the most calls it had in flight and the pushbacks it halved on. Shown as an
 * execution hint above the node's output, and added to the node's error when the run fails.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { WriteReport } from '../domain';
import type { GroupPlan } from './groups';

const PATH_NAMES = { collections: 'sObject Collections', bulk: 'Bulk API 2.0' } as const;

function describeReport(object: string, records: number, report: WriteReport): string {
	const parts = [
		`${object}: ${records} record(s) through ${PATH_NAMES[report.path]}${report.pathReason ? ` (${report.pathReason})` : ''}`,
	];
	const flight = report.flight;
	// (a dry run sends no write: nothing to say about calls in flight)
	if (flight?.setting === 'auto' && report.path === 'collections' && flight.peakInFlight > 0) {
		const start = flight.resumed
			? `started at ${flight.startedAt}, where this org's last run left off, `
			: '';
		parts.push(
			`Requests in Flight Auto: ${start}at most ${flight.peakInFlight} call(s) in flight${flight.pushbacks ? `, ${flight.pushbacks} pushback(s) from Salesforce (halved each time)` : ''}`,
		);
	}
	return parts.join('; ');
}

/** One sentence per written group; undefined when nothing was written. */
export function autoNotice(planned: readonly GroupPlan[]): string | undefined {
	const lines = planned
		.filter((g) => g.report && g.settings.operation !== 'find') // Find writes nothing
		.map((g) => describeReport(g.object, g.report?.outcomes.length ?? 0, g.report as WriteReport));
	return lines.length ? `${lines.join('. ')}.` : undefined;
}

/** Shows the notice above the output (n8n's execution hints; older n8n without them: nothing). */
export function tellWhatAutoDid(ctx: IExecuteFunctions, notice: string | undefined): void {
	if (!notice || typeof ctx.addExecutionHints !== 'function') return;
	ctx.addExecutionHints({ message: notice, location: 'outputPane' });
}

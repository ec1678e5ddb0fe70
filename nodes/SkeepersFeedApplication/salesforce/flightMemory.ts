/**
 * Requests in Flight Auto's memory of each org: the state its last run ended in, kept in the
 * n8n process (each queue-mode worker learns on its own; a restart forgets), so the org's next
 * run resumes there instead of starting again at 2 (salesforce/adaptiveConcurrency.ts,
 * `resumeAutoState`).
 *
 * - Keyed by credential and instance URL: the concurrency limits are the org's, whatever the
 *   object or the workflow.
 * - Forgotten after `FLIGHT_MEMORY_MS` (10 minutes) without a run: the org's load, and the other
 *   integrations sharing its limits, change; a run after a lull starts modestly again.
 * - What a run that met pushback left (a halved width, one-at-a-time growth) is what the next
 *   run starts from.
 */
import { TtlCache } from '../../shared/ttlCache';
import type { AutoState } from './adaptiveConcurrency';

export const FLIGHT_MEMORY_MS = 10 * 60_000;

/** Orgs remembered at most (the least recently used is forgotten first). */
const FLIGHT_MEMORY_MAX_ORGS = 200;

export const rememberedFlight = new TtlCache<AutoState>({ maxEntries: FLIGHT_MEMORY_MAX_ORGS });

/** The org a run writes to: its credential and instance URL. */
export function flightKey(credentialId: string, instanceUrl: string): string {
	return JSON.stringify([credentialId, instanceUrl.trim().replace(/\/+$/, '').toLowerCase()]);
}

/** What the org's last run left, if it ended at most FLIGHT_MEMORY_MS ago. */
export async function recallFlight(
	key: string | undefined,
	memory: TtlCache<AutoState> = rememberedFlight,
): Promise<AutoState | undefined> {
	if (key === undefined) return undefined;
	return await memory.peek(key, FLIGHT_MEMORY_MS)?.promise;
}

/** Keeps the state a run ended in, for the org's next run. */
export function keepFlight(
	key: string | undefined,
	state: AutoState | undefined,
	memory: TtlCache<AutoState> = rememberedFlight,
): void {
	if (key !== undefined && state !== undefined) memory.set(key, state);
}

/**
 * `Sforce-Limit-Info` parsing (pure).
 *
 * Salesforce sends e.g. `api-usage=18/5000` and, for connected apps with a per-app limit,
 * `api-usage=18/5000, per-app-api-usage=17/250(appName=sample-app)`.
 */
import type { ApiUsage } from './types';

export interface LimitInfo {
	/** Org-wide daily API requests. */
	apiUsage?: ApiUsage;
	/** Per connected app allocation, when the org set one. */
	perAppUsage?: ApiUsage & { appName?: string };
}

const ENTRY =
	/(per-app-api-usage|api-usage)\s*=\s*(\d+)\s*\/\s*(\d+)(?:\s*\(\s*appName\s*=\s*([^)]*)\))?/gi;

export function parseLimitInfoHeader(header: string | string[] | undefined): LimitInfo {
	const text = Array.isArray(header) ? header.join(', ') : header;
	const out: LimitInfo = {};
	if (!text) return out;
	for (const match of text.matchAll(ENTRY)) {
		const used = Number(match[2]);
		const max = Number(match[3]);
		if (!Number.isFinite(used) || !Number.isFinite(max)) continue;
		if (match[1].toLowerCase() === 'api-usage') {
			out.apiUsage ??= { used, max };
		} else {
			out.perAppUsage ??= { used, max, ...(match[4] ? { appName: match[4].trim() } : {}) };
		}
	}
	return out;
}

/** The org-wide `api-usage` pair, or undefined. */
export function parseApiUsage(header: string | string[] | undefined): ApiUsage | undefined {
	return parseLimitInfoHeader(header).apiUsage;
}

/** Share of the daily allocation spent, 0..1 (undefined when unknown or max is 0). */
export function usageRatio(usage: ApiUsage | undefined): number | undefined {
	if (!usage || usage.max <= 0) return undefined;
	return usage.used / usage.max;
}

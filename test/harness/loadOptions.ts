/**
 * The parts of n8n's ILoadOptionsFunctions the Feed Application's dropdown methods use, so they
 * can run in-process against the emulator as n8n runs them for the editor
 * (POST /rest/dynamic-node-parameters/options and /resource-locator-results):
 *
 * - getCurrentNodeParameter(path, { extractValue }): a lodash-style read of the node's current
 *   parameters (`options.apiVersion`); `extractValue` turns a resource locator
 *   (`{ __rl, mode, value }`) into its value, as n8n does;
 * - getCredentials, helpers.httpRequestWithAuthentication and helpers.httpRequest: those of the execute harness
 *   (real HTTP with the credential's token, refreshed once on a 401).
 */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { createExecuteContext, type HarnessCredential } from './execute';

export interface LoadOptionsHarness {
	ctx: ILoadOptionsFunctions;
	httpCalls: () => number;
	/** URLs of the HTTP requests made so far. */
	urls: () => string[];
}

export function createLoadOptionsContext(opts: {
	parameters: Record<string, unknown>;
	credential: HarnessCredential;
}): LoadOptionsHarness {
	const exec = createExecuteContext({ items: [], parameters: {}, credential: opts.credential });
	const urls: string[] = [];
	const http = exec.ctx.helpers.httpRequestWithAuthentication as (
		type: string,
		o: { url: string },
	) => Promise<unknown>;
	const unsigned = exec.ctx.helpers.httpRequest as (o: { url: string }) => Promise<unknown>;
	const read = (path: string): unknown =>
		path
			.split('.')
			.reduce<unknown>(
				(v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
				opts.parameters,
			);
	const ctx = {
		getNode: () => exec.ctx.getNode(),
		getCurrentNodeParameters: () => opts.parameters,
		getCurrentNodeParameter: (path: string, o?: { extractValue?: boolean }) => {
			const value = read(path);
			const locator = value as { __rl?: boolean; value?: unknown } | undefined;
			if (o?.extractValue && locator && typeof locator === 'object' && locator.__rl)
				return locator.value;
			return value;
		},
		getCredentials: exec.ctx.getCredentials,
		helpers: {
			httpRequestWithAuthentication: async (type: string, o: { url: string }) => {
				urls.push(o.url);
				return await http(type, o);
			},
			httpRequest: async (o: { url: string }) => {
				urls.push(o.url);
				return await unsigned(o);
			},
		},
	} as unknown as ILoadOptionsFunctions;
	return { ctx, httpCalls: exec.httpCalls, urls: () => [...urls] };
}

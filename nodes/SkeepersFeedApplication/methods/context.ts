/** What every editor-time method starts from: an API client for the node's credential, the chosen object. */
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { createSalesforceApi } from '../salesforce/transport';

export function apiFor(ctx: ILoadOptionsFunctions) {
	const options = (ctx.getCurrentNodeParameter('options') ?? {}) as { apiVersion?: string };
	return createSalesforceApi(ctx, { apiVersion: options.apiVersion || undefined });
}

export function currentObject(ctx: ILoadOptionsFunctions): string {
	const value = ctx.getCurrentNodeParameter('object', { extractValue: true });
	return typeof value === 'string' ? value.trim() : '';
}

// Step 4 of a delivery: the workflow's items, one per kept event: the normalised view, where it
// came from (`delivery`), and the event as received (`raw`).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BodyKind } from './body';
import type { NormalizedEvent } from './event';
import type { HeaderBag, VerifyConfig } from './signature';

/** Request headers for the item, without anything that authenticates. */
function safeHeaders(headers: HeaderBag, config: VerifyConfig | undefined): IDataObject {
	const hidden = new Set([
		'authorization',
		'proxy-authorization',
		'cookie',
		'x-skeepers-token',
		'x-skeepers-signature',
	]);
	if (config) {
		hidden.add(config.headerName.toLowerCase());
		hidden.add(config.signatureHeader.toLowerCase());
	}
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || hidden.has(name.toLowerCase())) continue;
		out[name.toLowerCase()] = value;
	}
	return out;
}

export interface ItemsInput {
	normalized: NormalizedEvent[];
	kept: NormalizedEvent[];
	mediaType: string;
	format: BodyKind;
	/** The verification material used; undefined when authentication is off. */
	config: VerifyConfig | undefined;
	/** The request headers, when the user asked to include them. */
	headers: HeaderBag | undefined;
}

export function toItems(input: ItemsInput): INodeExecutionData[] {
	const { normalized, kept, config } = input;
	const headers = input.headers ? safeHeaders(input.headers, config) : undefined;
	return kept.map((event) => {
		const { raw, ...view } = event;
		const delivery: IDataObject = {
			index: normalized.indexOf(event),
			batchSize: normalized.length,
			contentType: input.mediaType,
			format: input.format,
			verification: config ? config.mode : 'none',
		};
		if (headers) delivery.headers = headers;
		return { json: { ...view, delivery, raw } as unknown as IDataObject };
	});
}

// The trigger's node parameters, read once per delivery into one plain value.
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { FIELD_PATH_OPTIONS } from './description';
import { FIELDS, type FieldName, type FieldPaths } from './event';
import { parseList, type EventFilters } from './filters';
import { parsePath } from './paths';

export interface RequiredFields {
	fields: FieldName[];
	/** `reject`: 422 and nothing starts; `output`: such events leave on the second output. */
	onMissing: 'reject' | 'output';
}

export interface TriggerSettings {
	/** 'none', or the credential type that verifies deliveries. */
	authentication: string;
	filters: EventFilters;
	/** The Options collection as the user set it (response kind, code, body, headers). */
	options: IDataObject;
	fieldPaths: FieldPaths;
	required: RequiredFields;
	/** A setting that cannot be used (answered 500 once the delivery is verified). */
	problem?: string;
}

/** The Field Paths option, parsed; a path that cannot be read is a configuration problem. */
export function readFieldPaths(values: IDataObject): { paths: FieldPaths; problem?: string } {
	const paths: FieldPaths = {};
	for (const [option, raw] of Object.entries(values)) {
		const field = FIELD_PATH_OPTIONS[option];
		if (field === undefined || typeof raw !== 'string' || raw.trim() === '') continue;
		const segments = parsePath(raw);
		if (segments === undefined || segments.length === 0) {
			return {
				paths,
				problem: `Skeepers Trigger is misconfigured: the Field Path for ${field} ("${raw}") is not a path`,
			};
		}
		paths[field] = segments;
	}
	return { paths };
}

export function readRequired(fields: unknown, onMissing: unknown): RequiredFields {
	const known = new Set<string>(FIELDS);
	const list = (Array.isArray(fields) ? fields : parseList(fields)).filter(
		(f): f is FieldName => typeof f === 'string' && known.has(f),
	);
	return { fields: list, onMissing: onMissing === 'output' ? 'output' : 'reject' };
}

export function readSettings(ctx: IWebhookFunctions): TriggerSettings {
	const authentication = ctx.getNodeParameter('authentication', 'skeepersWebhookApi') as string;
	const filterValues = ctx.getNodeParameter('filters', {}) as IDataObject;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const fieldPaths = readFieldPaths((ctx.getNodeParameter('fieldPaths', {}) ?? {}) as IDataObject);
	return {
		authentication,
		filters: {
			campaignIds: parseList(filterValues.campaignIds),
			eventTypes: parseList(filterValues.eventTypes),
			flags: parseList(filterValues.flags),
			flagsMatch: filterValues.flagsMatch === 'all' ? 'all' : 'any',
		},
		options,
		fieldPaths: fieldPaths.paths,
		required: readRequired(
			ctx.getNodeParameter('requiredFields', []),
			ctx.getNodeParameter('onMissing', 'reject'),
		),
		problem: fieldPaths.problem,
	};
}

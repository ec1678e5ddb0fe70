/**
 * The transformations a mapping row can apply to its value before it is written to
 * Salesforce (the Skeepers "Transformation" column, extended). Pure functions: a value in,
 * a value out, or a `TransformationError` saying what form was expected.
 * The catalogue and its editor labels live here; the converters in `converters.ts`, the Value
 * Map's table in `valueMap.ts`.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import {
	DEFAULT_TIME_ZONE,
	EXPECTED,
	asText,
	passEmpty,
	capitalizeWords,
	parseLocaleNumber,
	parseBooleanValue,
	toMultiPicklist,
	truncateText,
	npsCategory,
	timeZoneParameter,
	toSalesforceDate,
	toSalesforceDateTime,
	phoneFrNational,
	phoneE164,
} from './converters';
import { applyValueMap } from './valueMap';
import type { TransformationContext, TransformationDef, TransformationName } from './types';
import { TransformationError, isEmptyValue } from './types';

export { TransformationError } from './types';
export type { TransformationContext, TransformationDef, TransformationName } from './types';
function truncate(value: unknown, ctx: TransformationContext): unknown {
	const text = asText('truncate', value);
	let max: number | undefined;
	if (ctx.parameter !== undefined && ctx.parameter.trim() !== '') {
		const n = Number(ctx.parameter.trim());
		if (!Number.isInteger(n) || n <= 0) {
			throw new TransformationError(
				'truncate',
				'a maximum length, a whole number above 0 (e.g. 255)',
				{
					parameterError: true,
					detail: `"${ctx.parameter}" is not a length`,
				},
			);
		}
		max = n;
	} else if (ctx.field && ctx.field.length > 0) {
		max = ctx.field.length;
	}
	if (max === undefined) {
		throw new TransformationError(
			'truncate',
			'a maximum length: set the parameter, or map the row to a text field whose length Salesforce gives',
			{
				parameterError: true,
				detail: 'no maximum length is known',
			},
		);
	}
	return truncateText(text, max);
}

export const TRANSFORMATIONS: Record<TransformationName, TransformationDef> = {
	none: {
		name: 'none',
		displayName: 'None',
		description: 'Send the value as it is',
		example: { input: 'Élodie', output: 'Élodie' },
		apply: (value) => value,
	},
	trim: {
		name: 'trim',
		displayName: 'Trim',
		description: 'Remove spaces at both ends, e.g. "  Dupont " → "Dupont"',
		example: { input: '  Dupont ', output: 'Dupont' },
		apply: (value) => (typeof value === 'string' ? value.trim() : value),
	},
	lowercase: {
		name: 'lowercase',
		displayName: 'Lower Case',
		description: 'e.g. "Jean.Dupont@Exemple.FR" → "jean.dupont@exemple.fr"',
		example: { input: 'Jean.Dupont@Exemple.FR', output: 'jean.dupont@exemple.fr' },
		apply: passEmpty((value) => asText('lowercase', value).toLocaleLowerCase('fr-FR')),
	},
	uppercase: {
		name: 'uppercase',
		displayName: 'Upper Case',
		description: 'e.g. "élodie" → "ÉLODIE"',
		example: { input: 'élodie', output: 'ÉLODIE' },
		apply: passEmpty((value) => asText('uppercase', value).toLocaleUpperCase('fr-FR')),
	},
	capitalize: {
		name: 'capitalize',
		displayName: 'Capitalize Words',
		description:
			'Capital at the start of each word, e.g. "jean-pierre DE LA tour" → "Jean-Pierre De La Tour"',
		example: { input: 'jean-pierre DE LA tour', output: 'Jean-Pierre De La Tour' },
		apply: passEmpty((value) => capitalizeWords(asText('capitalize', value))),
	},
	phoneFrNational: {
		name: 'phoneFrNational',
		displayName: 'Phone to French National',
		description:
			'e.g. "+33 6 12 34 56 78" or "0033612345678" → "0612345678"; a foreign number is an error',
		example: { input: '+33 6 12 34 56 78', output: '0612345678' },
		apply: passEmpty((value) => phoneFrNational(value)),
	},
	phoneE164: {
		name: 'phoneE164',
		displayName: 'Phone to E.164',
		description: 'International format, e.g. "06 12 34 56 78" → "+33612345678"',
		example: { input: '06 12 34 56 78', output: '+33612345678', parameter: 'FR' },
		parameter: {
			displayName: 'Default Country',
			description:
				'Country of numbers written without a country code (FR, BE, CH, LU, DE, ES, IT, GB, US, CA...)',
			placeholder: 'FR',
			default: 'FR',
		},
		apply: passEmpty((value, ctx) => phoneE164(value, ctx.parameter)),
	},
	date: {
		name: 'date',
		displayName: 'Date',
		description: 'To a Salesforce date, e.g. "31/05/2024" → "2024-05-31"',
		example: { input: '31/05/2024', output: '2024-05-31' },
		parameter: {
			displayName: 'Time Zone',
			description: 'Time zone giving the calendar day of timestamps and of date-times with a zone',
			placeholder: 'Europe/Paris',
			default: DEFAULT_TIME_ZONE,
		},
		apply: passEmpty((value, ctx) =>
			toSalesforceDate(value, timeZoneParameter('date', ctx.parameter)),
		),
	},
	datetime: {
		name: 'datetime',
		displayName: 'Date-Time',
		description:
			'To a Salesforce date-time in UTC, e.g. "31/05/2024 14:30" (Paris) → "2024-05-31T12:30:00.000Z"',
		example: {
			input: '31/05/2024 14:30',
			output: '2024-05-31T12:30:00.000Z',
			parameter: 'Europe/Paris',
		},
		parameter: {
			displayName: 'Time Zone',
			description: 'Time zone of values written without one (default Europe/Paris)',
			placeholder: 'Europe/Paris',
			default: DEFAULT_TIME_ZONE,
		},
		apply: passEmpty((value, ctx) =>
			toSalesforceDateTime(value, timeZoneParameter('datetime', ctx.parameter)),
		),
	},
	number: {
		name: 'number',
		displayName: 'Number',
		description: 'French or English number, e.g. "1 234,56" → 1234.56, "15 %" → 15',
		example: { input: '1 234,56', output: 1234.56 },
		apply: passEmpty((value) => {
			const n = parseLocaleNumber(value);
			if (n === undefined) throw new TransformationError('number', EXPECTED.number);
			return n;
		}),
	},
	boolean: {
		name: 'boolean',
		displayName: 'Boolean',
		description: 'Yes/no value, e.g. "oui" → true, "non" → false (also yes/no, vrai/faux, 1/0)',
		example: { input: 'oui', output: true },
		apply: passEmpty((value) => {
			const b = parseBooleanValue(value);
			if (b === undefined) throw new TransformationError('boolean', EXPECTED.boolean);
			return b;
		}),
	},
	multiPicklist: {
		name: 'multiPicklist',
		displayName: 'List to Multi-Select Picklist',
		description: 'e.g. ["Prix", "Livraison"] or "Prix, Livraison" → "Prix;Livraison"',
		example: { input: 'Prix, Livraison | Prix', output: 'Prix;Livraison' },
		apply: passEmpty((value) => toMultiPicklist(value)),
	},
	valueMap: {
		name: 'valueMap',
		displayName: 'Value Map',
		description:
			'Replace values by a table, e.g. with "detractor=Detractor, passive=Passive": "detractor" → "Detractor"',
		example: {
			input: 'passive',
			output: 'Passive',
			parameter: 'detractor=Detractor, passive=Passive, promoter=Promoter',
		},
		parameter: {
			displayName: 'Value Map',
			description:
				'Pairs "from=to" separated by commas, or a JSON object; "*=value" sets a default for other values',
			placeholder: 'detractor=Detractor, passive=Passive, *=Other',
			required: true,
		},
		apply: passEmpty((value, ctx) => applyValueMap(value, ctx.parameter)),
	},
	defaultWhenEmpty: {
		name: 'defaultWhenEmpty',
		displayName: 'Default When Empty',
		description: 'Use a fixed value when the value is empty, e.g. "" → "Skeepers"',
		example: { input: '', output: 'Skeepers', parameter: 'Skeepers' },
		parameter: {
			displayName: 'Default Value',
			description:
				'Value sent when the mapped value is empty (nothing, blank text or an empty list)',
			placeholder: 'Skeepers',
			required: true,
		},
		apply: (value, ctx) => (isEmptyValue(value) ? (ctx.parameter ?? '') : value),
	},
	truncate: {
		name: 'truncate',
		displayName: 'Truncate',
		description:
			'Cut text to the field\'s length (or the length given), e.g. to 10: "Commentaire trop long" → "Commentair"',
		example: { input: 'Commentaire trop long', output: 'Commentair', parameter: '10' },
		parameter: {
			displayName: 'Maximum Length',
			description: "Number of characters to keep; empty uses the Salesforce field's length",
			placeholder: '255',
		},
		apply: passEmpty((value, ctx) => truncate(value, ctx)),
	},
	npsCategory: {
		name: 'npsCategory',
		displayName: 'NPS Score to Category',
		description: 'NPS score 0-6 → Detractor, 7-8 → Passive, 9-10 → Promoter',
		example: { input: '9', output: 'Promoter' },
		parameter: {
			displayName: 'Category Labels',
			description: 'Three labels for detractor, passive and promoter, separated by commas',
			placeholder: 'Detractor,Passive,Promoter',
			default: 'Detractor,Passive,Promoter',
		},
		apply: passEmpty((value, ctx) => npsCategory(value, ctx.parameter)),
	},
};

export function isTransformationName(name: unknown): name is TransformationName {
	return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TRANSFORMATIONS, name);
}

/** Runs a transformation by name. Unknown names throw a `TransformationError`. */
export function applyTransformation(
	name: TransformationName,
	value: unknown,
	ctx: TransformationContext = {},
): unknown {
	if (!isTransformationName(name)) {
		throw new TransformationError('none', `one of: ${Object.keys(TRANSFORMATIONS).join(', ')}`, {
			parameterError: true,
			detail: `unknown transformation "${String(name)}"`,
		});
	}
	return TRANSFORMATIONS[name].apply(value, ctx);
}

/** Dropdown options: "None" first, then by display name. */
export function transformationOptions(): INodePropertyOptions[] {
	const defs = Object.values(TRANSFORMATIONS);
	const none = defs.filter((d) => d.name === 'none');
	const rest = defs
		.filter((d) => d.name !== 'none')
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return [...none, ...rest].map((d) => ({
		name: d.displayName,
		value: d.name,
		description: d.description,
	}));
}

/** Names of the transformations whose parameter field should be shown. */
export function transformationsWithParameter(): TransformationName[] {
	return Object.values(TRANSFORMATIONS)
		.filter((d) => d.parameter !== undefined)
		.map((d) => d.name);
}

/**
 * The transformations a mapping row can apply to its value before it is written to
 * Salesforce (the Skeepers "Transformation" column, extended). Pure functions: a value in,
 * a value out, or a `TransformationError` saying what form was expected.
 * (600 lines: one catalogue, 16 small transformations with their editor labels; the value
 * converters, lines 63-345, are the piece to move to their own file when it grows.)
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import {
	formatDate,
	formatIsoUtc,
	isValidTimeZone,
	localToEpochMs,
	parseDateInput,
	wallClock,
} from './datetime';
import { FRENCH_CALLING_CODES, parsePhone, planForCountry } from './phone';
import type { TransformationContext, TransformationDef, TransformationName } from './types';
import { TransformationError, isEmptyValue } from './types';

export { TransformationError } from './types';
export type { TransformationContext, TransformationDef, TransformationName } from './types';

const DEFAULT_TIME_ZONE = 'Europe/Paris';

const EXPECTED = {
	phoneFrNational: 'a French mobile or landline number like +33 6 12 34 56 78 or 06 12 34 56 78',
	phoneE164:
		'a phone number like +33 6 12 34 56 78, 0033 6 12 34 56 78 or a national number of the default country (06 12 34 56 78 for FR)',
	text: 'a text value (not an object or a list)',
	date: 'a date like 2024-05-31, 31/05/2024, 31-05-2024, 2024-05-31T14:30:00Z or an epoch timestamp (1717164000)',
	datetime:
		'a date and time like 2024-05-31T14:30:00Z, 2024-05-31 14:30, 31/05/2024 14:30, 31/05/2024 or an epoch timestamp (1717164000 or 1717164000000)',
	number: 'a number like 12.5, 12,5, 1 234,56 or 15 %',
	boolean: 'a yes/no value: true/false, oui/non, yes/no, vrai/faux, 1/0, o/n or y/n',
	multiPicklist: 'a list (array) or a text with values separated by , ; or |',
	npsCategory: 'an NPS score, a whole number from 0 to 10',
	timeZone: 'an IANA time zone like Europe/Paris, Europe/Brussels or UTC',
} as const;

/** Text for string-like transformations: strings as is, numbers and booleans as text. */
function asText(name: TransformationName, value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	throw new TransformationError(name, EXPECTED.text, {
		detail: 'the value is an object or a list',
	});
}

/** Wraps `apply` so empty values pass through untouched. */
function passEmpty(
	fn: (value: unknown, ctx: TransformationContext) => unknown,
): (value: unknown, ctx: TransformationContext) => unknown {
	return (value, ctx) => (isEmptyValue(value) ? value : fn(value, ctx));
}

/**
 * French-aware capitalisation: every word starts with a capital, the rest is lower case;
 * words are separated by spaces, hyphens and apostrophes (jean-pierre d'ormesson →
 * Jean-Pierre D'Ormesson), accented letters included (élodie → Élodie).
 */
function capitalizeWords(text: string): string {
	return text
		.toLocaleLowerCase('fr-FR')
		.replace(
			/(^|[\s\-'’‐])(\p{L})/gu,
			(_m, sep: string, letter: string) => sep + letter.toLocaleUpperCase('fr-FR'),
		);
}

/** Parses a French or English formatted number: `12,5`, `1 234,56`, `1,234.56`, `15 %`. */
function parseLocaleNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'bigint') return Number(value);
	if (typeof value !== 'string') return undefined;
	let text = value.trim().replace(/[\s\u00a0\u202f'’_]/g, '');
	text = text
		.replace(/%$/, '')
		.replace(/^[€$£]|[€$£]$/g, '')
		.replace(/^\+/, '');
	if (text === '' || text === '-') return undefined;
	const commas = (text.match(/,/g) ?? []).length;
	const dots = (text.match(/\./g) ?? []).length;
	if (commas > 0 && dots > 0) {
		// The separator that comes last is the decimal one: 1.234,56 or 1,234.56.
		if (text.lastIndexOf(',') > text.lastIndexOf('.')) {
			if (commas > 1) return undefined;
			text = text.replace(/\./g, '').replace(',', '.');
		} else {
			if (dots > 1) return undefined;
			text = text.replace(/,/g, '');
		}
	} else if (commas > 1) {
		if (!/^-?\d{1,3}(,\d{3})+$/.test(text)) return undefined;
		text = text.replace(/,/g, '');
	} else if (commas === 1) {
		text = text.replace(',', '.'); // French decimal comma: 12,5 (and 1,234 reads 1.234)
	} else if (dots > 1) {
		if (!/^-?\d{1,3}(\.\d{3})+$/.test(text)) return undefined;
		text = text.replace(/\./g, '');
	}
	if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
	const n = Number(text);
	return Number.isFinite(n) ? n : undefined;
}

const TRUE_WORDS = new Set(['true', 'vrai', 'oui', 'yes', 'y', 'o', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'faux', 'non', 'no', 'n', '0', 'off']);

function parseBooleanValue(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value !== 'string') return undefined;
	const word = value.trim().toLowerCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	return undefined;
}

/** Splits and cleans a list for a multi-select picklist: trimmed, empty dropped, deduplicated. */
function toMultiPicklist(value: unknown): string {
	const parts: string[] = [];
	const add = (v: unknown): void => {
		if (v === undefined || v === null) return;
		if (Array.isArray(v)) {
			v.forEach(add);
			return;
		}
		if (typeof v === 'string') {
			parts.push(...v.split(/[,;|]/));
			return;
		}
		if (typeof v === 'number' || typeof v === 'boolean') {
			parts.push(String(v));
			return;
		}
		throw new TransformationError('multiPicklist', EXPECTED.multiPicklist, {
			detail: 'the list contains an object',
		});
	};
	add(value);
	const seen = new Set<string>();
	const out: string[] = [];
	for (const raw of parts) {
		const part = raw.trim();
		if (part === '' || seen.has(part)) continue;
		seen.add(part);
		out.push(part);
	}
	return out.join(';');
}

interface ValueTable {
	entries: Map<string, unknown>;
	/** Lower-cased keys, for a case-insensitive second chance. */
	folded: Map<string, unknown>;
	fallback?: { value: unknown };
}

const VALUE_MAP_FORM =
	'a table like "detractor=Detractor, passive=Passive, *=Other" or a JSON object {"detractor":"Detractor"}';

/**
 * Reads the value-map parameter: `key=value` pairs separated by commas, semicolons or new
 * lines, or a JSON object. `*` is the default for unmatched values. Keys are trimmed and
 * matched exactly first, then ignoring case.
 */
function parseValueTable(parameter: string | undefined): ValueTable {
	const text = (parameter ?? '').trim();
	if (text === '') {
		throw new TransformationError('valueMap', VALUE_MAP_FORM, {
			parameterError: true,
			detail: 'the value map is empty',
		});
	}
	const table: ValueTable = { entries: new Map(), folded: new Map() };
	const put = (key: string, value: unknown) => {
		const k = key.trim();
		if (k === '*') {
			table.fallback = { value };
			return;
		}
		table.entries.set(k, value);
		if (!table.folded.has(k.toLowerCase())) table.folded.set(k.toLowerCase(), value);
	};
	if (text.startsWith('{')) {
		let parsed: unknown;
		let parses = true;
		try {
			parsed = JSON.parse(text);
		} catch {
			parses = false;
		}
		if (!parses) {
			throw new TransformationError('valueMap', VALUE_MAP_FORM, {
				parameterError: true,
				detail: 'the value map looks like JSON but does not parse',
			});
		}
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
			throw new TransformationError('valueMap', VALUE_MAP_FORM, {
				parameterError: true,
				detail: 'the JSON is not an object',
			});
		}
		for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) put(k, v);
		return table;
	}
	for (const pair of text.split(/[,;\n]/)) {
		if (pair.trim() === '') continue;
		const eq = pair.indexOf('=');
		if (eq < 0) {
			throw new TransformationError('valueMap', VALUE_MAP_FORM, {
				parameterError: true,
				detail: `"${pair.trim()}" has no "="`,
			});
		}
		put(pair.slice(0, eq), pair.slice(eq + 1).trim());
	}
	return table;
}

function applyValueMap(value: unknown, parameter: string | undefined): unknown {
	const table = parseValueTable(parameter);
	const key = typeof value === 'string' ? value.trim() : String(value);
	if (table.entries.has(key)) return table.entries.get(key);
	if (table.folded.has(key.toLowerCase())) return table.folded.get(key.toLowerCase());
	if (table.fallback) return table.fallback.value;
	const keys = [...table.entries.keys()];
	const shown = keys.slice(0, 10).join(', ') + (keys.length > 10 ? ', ...' : '');
	throw new TransformationError(
		'valueMap',
		`one of the values of the map (${shown}), or add a default "*=..."`,
	);
}

/** Cuts text to `max` UTF-16 code units without splitting a surrogate pair (an emoji). */
function truncateText(text: string, max: number): string {
	if (text.length <= max) return text;
	let end = max;
	const code = text.charCodeAt(end - 1);
	if (end > 0 && code >= 0xd800 && code <= 0xdbff) end -= 1; // high surrogate left alone
	return text.slice(0, end);
}

const NPS_LABELS = ['Detractor', 'Passive', 'Promoter'];

export function npsCategory(value: unknown, parameter?: string): string {
	let labels = NPS_LABELS;
	if (parameter && parameter.trim() !== '') {
		labels = parameter.split(/[,;]/).map((l) => l.trim());
		if (labels.length !== 3 || labels.some((l) => l === '')) {
			throw new TransformationError(
				'npsCategory',
				'three labels separated by commas, like Détracteur,Passif,Promoteur',
				{
					parameterError: true,
					detail: 'the labels parameter needs exactly three names',
				},
			);
		}
	}
	let score: number;
	if (typeof value === 'number') score = value;
	else if (typeof value === 'string' && /^\s*[+-]?\d+(?:[.,]0+)?\s*$/.test(value))
		score = Number(value.trim().replace(',', '.'));
	else throw new TransformationError('npsCategory', EXPECTED.npsCategory);
	if (!Number.isInteger(score) || score < 0 || score > 10) {
		throw new TransformationError('npsCategory', EXPECTED.npsCategory, {
			detail: 'the score is out of range or not whole',
		});
	}
	return score <= 6 ? labels[0] : score <= 8 ? labels[1] : labels[2];
}

function timeZoneParameter(name: TransformationName, parameter: string | undefined): string {
	const zone = parameter && parameter.trim() !== '' ? parameter.trim() : DEFAULT_TIME_ZONE;
	if (!isValidTimeZone(zone)) {
		throw new TransformationError(name, EXPECTED.timeZone, {
			parameterError: true,
			detail: `"${zone}" is not a time zone`,
		});
	}
	return zone;
}

/** To `YYYY-MM-DD`. Instants (timestamps, `Z` or offsets) are read in `timeZone`. */
function toSalesforceDate(value: unknown, timeZone = DEFAULT_TIME_ZONE): string {
	const parsed = parseDateInput(value);
	if (!parsed) throw new TransformationError('date', EXPECTED.date);
	if (parsed.kind === 'local') return formatDate(parsed.year, parsed.month, parsed.day);
	const w = wallClock(parsed.epochMs, timeZone);
	return formatDate(w.year, w.month, w.day);
}

/** To `YYYY-MM-DDTHH:mm:ss.SSSZ`. Inputs without a zone are read in `timeZone`. */
export function toSalesforceDateTime(value: unknown, timeZone = DEFAULT_TIME_ZONE): string {
	const parsed = parseDateInput(value);
	if (!parsed) throw new TransformationError('datetime', EXPECTED.datetime);
	if (parsed.kind === 'instant') return formatIsoUtc(parsed.epochMs);
	return formatIsoUtc(localToEpochMs(parsed, timeZone));
}

function phoneFrNational(value: unknown): string {
	const fr = planForCountry('FR');
	if (!fr) throw new TransformationError('phoneFrNational', EXPECTED.phoneFrNational);
	const parsed = parsePhone(value, fr);
	if (!parsed.ok)
		throw new TransformationError('phoneFrNational', EXPECTED.phoneFrNational, {
			detail: parsed.reason,
		});
	if (!FRENCH_CALLING_CODES.has(parsed.callingCode)) {
		const country = parsed.plan ? `${parsed.plan.name} (+${parsed.plan.callingCode})` : 'foreign';
		throw new TransformationError('phoneFrNational', EXPECTED.phoneFrNational, {
			detail: `it is a ${country} number`,
		});
	}
	if (parsed.nationalNumber.length !== 9 || parsed.nationalNumber.startsWith('0')) {
		throw new TransformationError('phoneFrNational', EXPECTED.phoneFrNational, {
			detail: 'a French number has 10 digits',
		});
	}
	return `0${parsed.nationalNumber}`;
}

function phoneE164(value: unknown, parameter: string | undefined): string {
	const iso = parameter && parameter.trim() !== '' ? parameter.trim() : 'FR';
	const plan = planForCountry(iso);
	if (!plan) {
		throw new TransformationError(
			'phoneE164',
			'a supported country code: FR, BE, CH, LU, MC, DE, AT, NL, ES, PT, IT, GB, US, CA, RE, GP, GF, MQ',
			{
				parameterError: true,
				detail: `"${iso}" is not a supported default country`,
			},
		);
	}
	const parsed = parsePhone(value, plan);
	if (!parsed.ok)
		throw new TransformationError('phoneE164', EXPECTED.phoneE164, { detail: parsed.reason });
	return `+${parsed.callingCode}${parsed.nationalNumber}`;
}

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

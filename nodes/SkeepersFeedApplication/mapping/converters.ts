/**
 * The value converters behind the transformations: text, numbers, yes/no, multi-select lists,
 * NPS categories, Salesforce dates and phone numbers. Pure functions that throw a
 * `TransformationError` saying what form was expected.
 */
import {
	formatDate,
	formatIsoUtc,
	isValidTimeZone,
	localToEpochMs,
	parseDateInput,
	wallClock,
} from './datetime';
import { FRENCH_CALLING_CODES, parsePhone, planForCountry } from './phone';
import type { TransformationContext, TransformationName } from './types';
import { TransformationError, isEmptyValue } from './types';

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

export const EXPECTED = {
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
export function asText(name: TransformationName, value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		return String(value);
	throw new TransformationError(name, EXPECTED.text, {
		detail: 'the value is an object or a list',
	});
}

/** Wraps `apply` so empty values pass through untouched. */
export function passEmpty(
	fn: (value: unknown, ctx: TransformationContext) => unknown,
): (value: unknown, ctx: TransformationContext) => unknown {
	return (value, ctx) => (isEmptyValue(value) ? value : fn(value, ctx));
}

/**
 * French-aware capitalisation: every word starts with a capital, the rest is lower case;
 * words are separated by spaces, hyphens and apostrophes (jean-pierre d'ormesson →
 * Jean-Pierre D'Ormesson), accented letters included (élodie → Élodie).
 */
export function capitalizeWords(text: string): string {
	return text
		.toLocaleLowerCase('fr-FR')
		.replace(
			/(^|[\s\-'’‐])(\p{L})/gu,
			(_m, sep: string, letter: string) => sep + letter.toLocaleUpperCase('fr-FR'),
		);
}

/** Parses a French or English formatted number: `12,5`, `1 234,56`, `1,234.56`, `15 %`. */
export function parseLocaleNumber(value: unknown): number | undefined {
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

export function parseBooleanValue(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value !== 'string') return undefined;
	const word = value.trim().toLowerCase();
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	return undefined;
}

/** Splits and cleans a list for a multi-select picklist: trimmed, empty dropped, deduplicated. */
export function toMultiPicklist(value: unknown): string {
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

/** Cuts text to `max` UTF-16 code units without splitting a surrogate pair (an emoji). */
export function truncateText(text: string, max: number): string {
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

export function timeZoneParameter(name: TransformationName, parameter: string | undefined): string {
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
export function toSalesforceDate(value: unknown, timeZone = DEFAULT_TIME_ZONE): string {
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

export function phoneFrNational(value: unknown): string {
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

export function phoneE164(value: unknown, parameter: string | undefined): string {
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

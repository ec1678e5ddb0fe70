/**
 * Phone number normalisation for the phone transformations. A small numbering-plan table,
 * enough to check lengths and remove trunk prefixes; not a full libphonenumber.
 */

export interface CountryPlan {
	/** ISO 3166-1 alpha-2 codes sharing this plan. */
	iso: string[];
	name: string;
	/** Country calling code, digits only. */
	callingCode: string;
	/** National trunk prefix dropped in international form (FR `0`, NANP `1`). */
	trunk?: string;
	/** Accepted lengths of the national significant number. */
	min: number;
	max: number;
}

const COUNTRY_PLANS: CountryPlan[] = [
	{ iso: ['FR'], name: 'France', callingCode: '33', trunk: '0', min: 9, max: 9 },
	{
		iso: ['RE', 'YT'],
		name: 'La Réunion / Mayotte',
		callingCode: '262',
		trunk: '0',
		min: 9,
		max: 9,
	},
	{ iso: ['GP', 'BL', 'MF'], name: 'Guadeloupe', callingCode: '590', trunk: '0', min: 9, max: 9 },
	{ iso: ['GF'], name: 'Guyane', callingCode: '594', trunk: '0', min: 9, max: 9 },
	{ iso: ['MQ'], name: 'Martinique', callingCode: '596', trunk: '0', min: 9, max: 9 },
	{ iso: ['BE'], name: 'Belgium', callingCode: '32', trunk: '0', min: 8, max: 9 },
	{ iso: ['CH'], name: 'Switzerland', callingCode: '41', trunk: '0', min: 9, max: 9 },
	{ iso: ['LU'], name: 'Luxembourg', callingCode: '352', min: 4, max: 11 },
	{ iso: ['MC'], name: 'Monaco', callingCode: '377', min: 8, max: 9 },
	{ iso: ['DE'], name: 'Germany', callingCode: '49', trunk: '0', min: 6, max: 13 },
	{ iso: ['AT'], name: 'Austria', callingCode: '43', trunk: '0', min: 4, max: 13 },
	{ iso: ['NL'], name: 'Netherlands', callingCode: '31', trunk: '0', min: 9, max: 9 },
	{ iso: ['ES'], name: 'Spain', callingCode: '34', min: 9, max: 9 },
	{ iso: ['PT'], name: 'Portugal', callingCode: '351', min: 9, max: 9 },
	// Italy keeps the leading 0 of landlines in international form (+39 06 ...).
	{ iso: ['IT'], name: 'Italy', callingCode: '39', min: 6, max: 11 },
	{ iso: ['GB', 'UK'], name: 'United Kingdom', callingCode: '44', trunk: '0', min: 9, max: 10 },
	{
		iso: ['US', 'CA'],
		name: 'United States / Canada',
		callingCode: '1',
		trunk: '1',
		min: 10,
		max: 10,
	},
];

/** Calling codes whose numbers are French national numbers (metropolitan France and DOM). */
export const FRENCH_CALLING_CODES = new Set(['33', '262', '590', '594', '596']);

export function planForCountry(iso: string): CountryPlan | undefined {
	const code = iso.trim().toUpperCase();
	return COUNTRY_PLANS.find((p) => p.iso.includes(code));
}

function planForCallingCode(digits: string): CountryPlan | undefined {
	for (const len of [3, 2, 1]) {
		const cc = digits.slice(0, len);
		const plan = COUNTRY_PLANS.find((p) => p.callingCode === cc);
		if (plan) return plan;
	}
	return undefined;
}

export type PhoneParse =
	| { ok: true; callingCode: string; nationalNumber: string; plan?: CountryPlan }
	| { ok: false; reason: string };

/** Strips separators; keeps a leading `+`. Returns undefined for characters a phone never has. */
function cleanPhone(value: unknown): string | undefined {
	let text: string;
	if (typeof value === 'number' && Number.isInteger(value) && value > 0) text = String(value);
	else if (typeof value === 'string') text = value;
	else return undefined;
	text = text.trim().replace(/\(0\)/g, '');
	text = text.replace(/[\s\u00a0\u202f.\-/()]/g, '');
	if (!/^\+?\d+$/.test(text)) return undefined;
	return text;
}

function inRange(nsn: string, plan: CountryPlan): boolean {
	return nsn.length >= plan.min && nsn.length <= plan.max;
}

function fromInternational(digits: string): PhoneParse {
	const plan = planForCallingCode(digits);
	if (!plan) {
		if (digits.length >= 8 && digits.length <= 15 && digits[0] !== '0') {
			// Unknown to our table: keep as is, E.164 only bounds the total length.
			return { ok: true, callingCode: '', nationalNumber: digits };
		}
		return { ok: false, reason: 'the international number has an invalid length' };
	}
	let nsn = digits.slice(plan.callingCode.length);
	// "+33 0 6 12..." : a national trunk 0 kept by mistake after the country code.
	if (plan.trunk === '0' && nsn.startsWith('0') && !inRange(nsn, plan)) nsn = nsn.slice(1);
	if (!inRange(nsn, plan)) {
		return {
			ok: false,
			reason: `a ${plan.name} number (+${plan.callingCode}) has ${lengthText(plan)} after the country code`,
		};
	}
	return { ok: true, callingCode: plan.callingCode, nationalNumber: nsn, plan };
}

function lengthText(plan: CountryPlan): string {
	return plan.min === plan.max ? `${plan.min} digits` : `${plan.min} to ${plan.max} digits`;
}

/** Parses a phone number; national numbers are read in `plan` (the default country). */
export function parsePhone(value: unknown, plan: CountryPlan): PhoneParse {
	const text = cleanPhone(value);
	if (text === undefined)
		return { ok: false, reason: 'it contains characters a phone number cannot have' };
	if (text.startsWith('+')) return fromInternational(text.slice(1));
	if (text.startsWith('00')) return fromInternational(text.slice(2));
	const digits = text;
	if (
		plan.trunk &&
		digits.startsWith(plan.trunk) &&
		inRange(digits.slice(plan.trunk.length), plan)
	) {
		return {
			ok: true,
			callingCode: plan.callingCode,
			nationalNumber: digits.slice(plan.trunk.length),
			plan,
		};
	}
	if (inRange(digits, plan) && !(plan.trunk === '0' && digits.startsWith('0'))) {
		// Either a country without trunk prefix, or a French number whose leading 0 was lost
		// (a spreadsheet that read 0612345678 as the number 612345678).
		return { ok: true, callingCode: plan.callingCode, nationalNumber: digits, plan };
	}
	// International number written without + or 00 (33612345678).
	if (digits.startsWith(plan.callingCode)) {
		const parsed = fromInternational(digits);
		if (parsed.ok) return parsed;
	}
	return {
		ok: false,
		reason: `it is not a ${plan.name} number (${lengthText(plan)} after the trunk prefix)`,
	};
}

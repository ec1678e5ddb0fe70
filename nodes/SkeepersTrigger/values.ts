// Reading values the way the normalised view wants them: dates as ISO 8601, lists of names,
// NPS scores 0..10 and their category.
import { asText, isObj, normalizeKey, pick } from './lookup';

export type NpsCategory = 'detractor' | 'passive' | 'promoter';

export function toIso(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) {
		const ms = value > 1e11 ? value : value * 1000;
		const d = new Date(ms);
		return Number.isNaN(d.getTime()) ? null : d.toISOString();
	}
	if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		if (/^\d{9,13}$/.test(text)) return toIso(Number(text));
		// DD/MM/YYYY[ HH:mm[:ss]] (French order)
		const fr = /^(\d{2})\/(\d{2})\/(\d{4})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
		if (fr) {
			const [, dd, mm, yyyy, hh = '00', mi = '00', ss = '00'] = fr;
			const d = new Date(`${yyyy}-${mm}-${dd}T${hh}:${mi}:${ss}Z`);
			return Number.isNaN(d.getTime()) ? text : d.toISOString();
		}
		const d = new Date(text);
		return Number.isNaN(d.getTime()) ? text : d.toISOString();
	}
	return null;
}

export function nameList(value: unknown): string[] {
	const out: string[] = [];
	const add = (v: unknown) => {
		const text = asText(v);
		if (text !== null && !out.includes(text)) out.push(text);
	};
	if (typeof value === 'string') {
		for (const part of value.split(/[,;|]/)) add(part);
	} else if (Array.isArray(value)) {
		for (const entry of value) {
			if (isObj(entry))
				add(pick(entry, ['name', 'label', 'code', 'value', 'nom', 'libelle', 'title', 'id']));
			else add(entry);
		}
	} else if (isObj(value)) {
		// `{ "vip": true, "churn_risk": false }`: the keys whose value is truthy.
		for (const [key, v] of Object.entries(value)) {
			if (v === true || v === 1 || v === '1' || v === 'true' || v === 'yes' || v === 'oui')
				add(key);
			else if (
				typeof v === 'string' &&
				v !== '' &&
				!['0', 'false', 'no', 'non'].includes(v.toLowerCase())
			)
				add(key);
		}
	} else {
		add(value);
	}
	return out;
}

/** An NPS score: an integer 0..10, from a number or a string such as "9" or "9/10". */
export function npsScoreOf(value: unknown): number | null {
	if (isObj(value)) return npsScoreOf(pick(value, ['score', 'value', 'note', 'valeur']));
	let n: number | undefined;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string') {
		const m = /^\s*(\d{1,2})(?:\s*\/\s*10)?\s*$/.exec(value);
		if (m) n = Number(m[1]);
	}
	if (n === undefined || !Number.isInteger(n) || n < 0 || n > 10) return null;
	return n;
}

export function npsCategoryOf(score: number | null): NpsCategory | null {
	if (score === null) return null;
	if (score <= 6) return 'detractor';
	if (score <= 8) return 'passive';
	return 'promoter';
}

export function categoryFromText(value: unknown): NpsCategory | null {
	const text = typeof value === 'string' ? normalizeKey(value) : '';
	if (/^(detractor|detracteur|detracteurs|detractors)$/.test(text)) return 'detractor';
	if (/^(passive|passif|passifs|neutral|neutre|passives)$/.test(text)) return 'passive';
	if (/^(promoter|promoteur|promoteurs|promoters)$/.test(text)) return 'promoter';
	return null;
}

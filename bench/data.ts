/**
 * Deterministic bench data: N survey respondents, the same for every path, so each path writes
 * exactly the same Contacts and Cases.
 */

export interface BenchItem {
	respondentId: string;
	eventId: string;
	firstName: string;
	lastName: string;
	email: string;
	phone: string;
	mobile: string;
	nps: number;
	flags: string;
	surveyDate: string;
	city: string;
	comment: string;
}

const FIRST = ['élodie', 'jean', 'marie', 'luc', 'anne', 'paul', 'chloé', 'hugo', 'léa', 'louis'];
const LAST = [
	'Dupont',
	'Martin',
	'Bernard',
	'Durand',
	'Lefèvre',
	'Moreau',
	'Laurent',
	'Simon',
	'Michel',
	'Garcia',
];
const CITIES = ['paris', 'lyon', 'marseille', 'lille', 'nantes', 'bordeaux'];
const FLAGS = ['VIP', 'To call back', 'Complaint', 'Newsletter', 'Ambassador'];

const ascii = (s: string) => s.normalize('NFD').replace(/[^a-z]/gi, '');

/**
 * `prefix` keeps the respondent ids of different runs apart, and their people: the e-mail carries
 * it, so runs that share an emulator (the reliability suite) do not write the same person twice,
 * which the configured org's duplicate rule (same first name, last name and e-mail) refuses.
 */
export function makeItems(n: number, prefix = 'bench'): BenchItem[] {
	const out: BenchItem[] = [];
	for (let i = 0; i < n; i++) {
		const first = FIRST[i % FIRST.length];
		const last = LAST[(i * 7) % LAST.length];
		const digits = String(10_000_000 + i).slice(-8);
		out.push({
			respondentId: `${prefix}-${String(i).padStart(6, '0')}`,
			eventId: `${prefix}-evt-${i}`,
			firstName: first,
			lastName: `  ${last} ${i} `,
			email: `${ascii(first)}.${ascii(last)}.${prefix}.${i}@Example.FR`,
			phone: `+33 6 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6, 8)}`,
			mobile: `06${digits}`,
			nps: i % 11,
			flags: `${FLAGS[i % FLAGS.length]}, ${FLAGS[(i + 2) % FLAGS.length]}`,
			surveyDate: `${String((i % 28) + 1).padStart(2, '0')}/05/2026 14:30`,
			city: CITIES[i % CITIES.length],
			comment: `Réponse ${i}: la livraison était ${i % 3 === 0 ? 'en retard' : 'parfaite'}, merci.`,
		});
	}
	return out;
}

/** What jsforce sends: the records, already shaped (jsforce has no mapping step). */
export function contactRecords(items: BenchItem[]): Array<Record<string, unknown>> {
	return items.map((it) => ({
		Skeepers_Respondent_Id__c: it.respondentId,
		LastName: it.lastName.trim(),
		FirstName: it.firstName,
		Email: it.email.toLowerCase(),
		Phone: it.mobile,
		NPS_Score__c: it.nps,
	}));
}

export function caseRecords(items: BenchItem[]): Array<Record<string, unknown>> {
	return items.map((it) => ({
		Subject: `NPS ${it.nps} from ${it.respondentId}`,
		Description: it.comment,
		Origin: 'Skeepers Survey',
		Type: 'Problem',
		NPS_Score__c: it.nps,
	}));
}

// Normalizes one Skeepers event into a stable view while keeping the original whole.
// Skeepers' payload schema is not public, so every field is looked up under several names:
// camelCase, snake_case, French (prénom, nom, téléphone, étiquettes, réponses…), at the top
// level or nested under respondent / contact / customer. What is not recognized stays in `raw`.
import { createHash } from 'crypto';

export type NpsCategory = 'detractor' | 'passive' | 'promoter';

export interface NormalizedAnswer {
	questionId: string | null;
	question: string | null;
	type: string | null;
	value: unknown;
}

export interface NormalizedEvent {
	eventType: string | null;
	/** From the payload when present, else `sha256:<hex>` of the event's canonical JSON. */
	eventId: string;
	eventIdSource: 'payload' | 'hash';
	/** When the event happened, per the payload (ISO 8601 when it could be read as a date). */
	occurredAt: string | null;
	/** When the trigger received it (ISO 8601). */
	receivedAt: string;
	campaign: { id: string | null; name: string | null };
	respondent: {
		id: string | null;
		email: string | null;
		phone: string | null;
		firstName: string | null;
		lastName: string | null;
	};
	attributes: Record<string, unknown>;
	labels: string[];
	flags: string[];
	answers: NormalizedAnswer[];
	nps: { score: number | null; category: NpsCategory | null };
	/** A free-text comment: a `comment` / `verbatim` field, else the first free-text answer. */
	comment: string | null;
	/** The event exactly as received. */
	raw: Record<string, unknown>;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `First_Name`, `firstName`, `prénom` → `firstname`, `prenom`. */
export function normalizeKey(key: string): string {
	return key
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}

/** The value of the first key of `obj` that matches one of `names` (in order of `names`). */
export function pick(obj: unknown, names: readonly string[]): unknown {
	if (!isObj(obj)) return undefined;
	const byKey = new Map<string, unknown>();
	for (const [key, value] of Object.entries(obj)) {
		const k = normalizeKey(key);
		if (!byKey.has(k)) byKey.set(k, value);
	}
	for (const name of names) {
		const value = byKey.get(normalizeKey(name));
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

function asText(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	return null;
}

/** A piece of JSON text already written, as opposed to a value still to serialise. */
class Written {
	constructor(readonly text: string) {}
}

/**
 * Recursively sorted JSON, so the same event hashes the same whatever its key order. Iterative
 * (an explicit stack): any nesting depth serialises without overflowing the call stack.
 */
export function canonicalJson(value: unknown): string {
	const out: string[] = [];
	const todo: unknown[] = [value];
	while (todo.length > 0) {
		const next = todo.pop();
		if (next instanceof Written) {
			out.push(next.text);
		} else if (Array.isArray(next)) {
			todo.push(new Written(']'));
			for (let i = next.length - 1; i >= 0; i--) {
				todo.push(next[i]);
				if (i > 0) todo.push(new Written(','));
			}
			todo.push(new Written('['));
		} else if (isObj(next)) {
			const keys = Object.keys(next)
				.filter((k) => next[k] !== undefined)
				.sort();
			todo.push(new Written('}'));
			for (let i = keys.length - 1; i >= 0; i--) {
				todo.push(next[keys[i]]);
				todo.push(new Written(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
			}
			todo.push(new Written('{'));
		} else {
			out.push(JSON.stringify(next) ?? 'null');
		}
	}
	return out.join('');
}

export function eventHash(event: unknown): string {
	return `sha256:${createHash('sha256').update(canonicalJson(event), 'utf8').digest('hex')}`;
}

const NAMES = {
	eventType: ['eventType', 'event_type', 'event', 'type', 'eventName', 'event_name', 'topic', 'trigger', 'action'],
	eventId: [
		'eventId',
		'event_id',
		'id',
		'uuid',
		'deliveryId',
		'delivery_id',
		'notificationId',
		'responseId',
		'response_id',
		'submissionId',
		'answerId',
	],
	occurredAt: [
		'createdAt',
		'created_at',
		'occurredAt',
		'timestamp',
		'submittedAt',
		'answeredAt',
		'completedAt',
		'sentAt',
		'date',
		'datetime',
		'dateReponse',
		'date_de_reponse',
	],
	campaign: ['campaign', 'campagne', 'survey', 'questionnaire', 'form', 'enquete'],
	campaignId: ['campaignId', 'campaign_id', 'campagneId', 'surveyId', 'survey_id', 'questionnaireId', 'formId'],
	campaignName: ['campaignName', 'campaign_name', 'campagneName', 'nomCampagne', 'surveyName', 'surveyTitle'],
	objectId: ['id', 'uuid', 'code', 'key', 'identifiant'],
	objectName: ['name', 'title', 'label', 'nom', 'libelle', 'titre'],
	respondent: [
		'respondent',
		'repondant',
		'contact',
		'customer',
		'client',
		'participant',
		'panelist',
		'user',
		'person',
		'personne',
		'individual',
	],
	respondentId: [
		'respondentId',
		'respondent_id',
		'repondantId',
		'contactId',
		'customerId',
		'clientId',
		'externalId',
		'external_id',
		'userId',
		'uid',
	],
	email: ['email', 'e_mail', 'emailAddress', 'email_address', 'mail', 'courriel', 'adresseEmail', 'respondentEmail'],
	phone: [
		'phone',
		'phoneNumber',
		'phone_number',
		'mobile',
		'mobilePhone',
		'mobile_phone',
		'telephone',
		'tel',
		'portable',
		'numeroTelephone',
		'respondentPhone',
	],
	firstName: ['firstName', 'first_name', 'firstname', 'prenom', 'givenName', 'given_name', 'respondentFirstName'],
	lastName: ['lastName', 'last_name', 'lastname', 'nom', 'nomDeFamille', 'familyName', 'surname', 'respondentLastName'],
	attributes: [
		'attributes',
		'attributs',
		'customAttributes',
		'custom_fields',
		'customFields',
		'properties',
		'proprietes',
		'variables',
		'metadata',
		'extra',
	],
	labels: ['labels', 'label', 'tags', 'tag', 'etiquettes', 'etiquette'],
	flags: ['flags', 'flag', 'drapeaux', 'marqueurs'],
	answers: ['answers', 'answer', 'reponses', 'responses', 'questions', 'results', 'resultats', 'fields'],
	questionId: ['questionId', 'question_id', 'id', 'code', 'key', 'questionCode', 'name'],
	questionText: ['question', 'questionLabel', 'question_label', 'questionText', 'label', 'title', 'text', 'libelle', 'intitule'],
	questionType: ['type', 'questionType', 'question_type', 'kind', 'format'],
	answerValue: [
		'value',
		'answer',
		'reponse',
		'response',
		'score',
		'note',
		'rating',
		'choice',
		'choices',
		'choix',
		'valeur',
		'values',
		'comment',
		'text',
	],
	npsDirect: ['nps', 'npsScore', 'nps_score', 'npsValue', 'recommendationScore', 'noteRecommandation', 'score'],
	npsCategory: ['npsCategory', 'nps_category', 'npsSegment', 'categorieNps', 'segment'],
} as const;

function toIso(value: unknown): string | null {
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

function nameList(value: unknown): string[] {
	const out: string[] = [];
	const add = (v: unknown) => {
		const text = asText(v);
		if (text !== null && !out.includes(text)) out.push(text);
	};
	if (typeof value === 'string') {
		for (const part of value.split(/[,;|]/)) add(part);
	} else if (Array.isArray(value)) {
		for (const entry of value) {
			if (isObj(entry)) add(pick(entry, ['name', 'label', 'code', 'value', 'nom', 'libelle', 'title', 'id']));
			else add(entry);
		}
	} else if (isObj(value)) {
		// `{ "vip": true, "churn_risk": false }`: the keys whose value is truthy.
		for (const [key, v] of Object.entries(value)) {
			if (v === true || v === 1 || v === '1' || v === 'true' || v === 'yes' || v === 'oui') add(key);
			else if (typeof v === 'string' && v !== '' && !['0', 'false', 'no', 'non'].includes(v.toLowerCase())) add(key);
		}
	} else {
		add(value);
	}
	return out;
}

function attributeMap(value: unknown): Obj {
	if (isObj(value)) return { ...value };
	const out: Obj = {};
	if (Array.isArray(value)) {
		for (const entry of value) {
			if (!isObj(entry)) continue;
			const key = asText(pick(entry, ['name', 'key', 'code', 'label', 'nom', 'id']));
			if (key === null) continue;
			out[key] = pick(entry, ['value', 'valeur', 'val']) ?? null;
		}
	}
	return out;
}

function normalizeAnswers(value: unknown): NormalizedAnswer[] {
	if (Array.isArray(value)) {
		return value.map((entry): NormalizedAnswer => {
			if (!isObj(entry)) return { questionId: null, question: null, type: null, value: entry };
			const nested = pick(entry, ['question']);
			const q = isObj(nested) ? nested : undefined;
			const answerObj = pick(entry, ['answer', 'reponse', 'response']);
			const answerValue: unknown = isObj(answerObj)
				? (pick(answerObj, NAMES.answerValue) ?? answerObj)
				: pick(entry, NAMES.answerValue);
			return {
				questionId: asText(
					(q && pick(q, NAMES.questionId)) ?? pick(entry, ['questionId', 'question_id', 'questionCode', 'id', 'code', 'key']),
				),
				question: asText(q ? pick(q, NAMES.questionText) : pick(entry, NAMES.questionText)),
				type: asText((q && pick(q, NAMES.questionType)) ?? pick(entry, NAMES.questionType)),
				value: answerValue ?? null,
			};
		});
	}
	if (isObj(value)) {
		return Object.entries(value).map(([key, v]) => ({ questionId: key, question: key, type: null, value: v }));
	}
	return [];
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

function categoryFromText(value: unknown): NpsCategory | null {
	const text = typeof value === 'string' ? normalizeKey(value) : '';
	if (/^(detractor|detracteur|detracteurs|detractors)$/.test(text)) return 'detractor';
	if (/^(passive|passif|passifs|neutral|neutre|passives)$/.test(text)) return 'passive';
	if (/^(promoter|promoteur|promoteurs|promoters)$/.test(text)) return 'promoter';
	return null;
}

const NPS_QUESTION = /\bnps\b|recommand|recommend|net promoter/i;

function findNps(event: Obj, respondent: Obj | undefined, answers: NormalizedAnswer[]): NormalizedEvent['nps'] {
	const direct = pick(event, NAMES.npsDirect) ?? (respondent ? pick(respondent, ['nps', 'npsScore', 'nps_score']) : undefined);
	let score = npsScoreOf(direct);
	if (score === null) {
		for (const answer of answers) {
			const isNps =
				(answer.type !== null && /nps/i.test(answer.type)) ||
				(answer.question !== null && NPS_QUESTION.test(answer.question)) ||
				(answer.questionId !== null && /nps/i.test(answer.questionId));
			if (!isNps) continue;
			score = npsScoreOf(answer.value);
			if (score !== null) break;
		}
	}
	const explicit = isObj(direct) ? pick(direct, ['category', 'categorie', 'segment']) : pick(event, NAMES.npsCategory);
	return { score, category: npsCategoryOf(score) ?? categoryFromText(explicit) };
}

const TEXT_TYPE = /text|comment|open|verbatim|libre|free/i;

function findComment(event: Obj, answers: NormalizedAnswer[]): string | null {
	const direct = asText(pick(event, ['comment', 'commentaire', 'verbatim', 'feedback', 'remarque']));
	if (direct !== null) return direct;
	for (const answer of answers) {
		if (answer.type !== null && TEXT_TYPE.test(answer.type) && typeof answer.value === 'string') {
			const text = asText(answer.value);
			if (text !== null) return text;
		}
	}
	return null;
}

/** Normalizes one event. `receivedAt` is the delivery time (ISO 8601). */
export function normalizeEvent(event: Obj, receivedAt: string): NormalizedEvent {
	const campaignValue = pick(event, NAMES.campaign);
	const campaignObj = isObj(campaignValue) ? campaignValue : undefined;
	const campaign = {
		id: asText(
			(campaignObj && pick(campaignObj, NAMES.objectId)) ??
				pick(event, NAMES.campaignId) ??
				(campaignObj ? undefined : campaignValue),
		),
		name: asText((campaignObj && pick(campaignObj, NAMES.objectName)) ?? pick(event, NAMES.campaignName)),
	};

	const respondentValue = pick(event, NAMES.respondent);
	const respondentObj = isObj(respondentValue) ? respondentValue : undefined;
	const fromRespondent = (names: readonly string[]) => (respondentObj ? pick(respondentObj, names) : undefined);
	const respondent = {
		id: asText(
			fromRespondent(['id', ...NAMES.respondentId, 'uuid']) ??
				pick(event, NAMES.respondentId) ??
				(respondentObj ? undefined : asText(respondentValue)),
		),
		email: asText(fromRespondent(NAMES.email) ?? pick(event, NAMES.email)),
		phone: asText(fromRespondent(NAMES.phone) ?? pick(event, NAMES.phone)),
		firstName: asText(fromRespondent(NAMES.firstName) ?? pick(event, NAMES.firstName)),
		lastName: asText(fromRespondent(NAMES.lastName) ?? pick(event, NAMES.lastName)),
	};

	const attributes = {
		...attributeMap(fromRespondent(NAMES.attributes)),
		...attributeMap(pick(event, NAMES.attributes)),
	};
	const labels = nameList(pick(event, NAMES.labels) ?? fromRespondent(NAMES.labels));
	const flags = nameList(pick(event, NAMES.flags) ?? fromRespondent(NAMES.flags));
	const answers = normalizeAnswers(pick(event, NAMES.answers));

	const payloadId = asText(pick(event, NAMES.eventId));
	return {
		eventType: asText(pick(event, NAMES.eventType)),
		eventId: payloadId ?? eventHash(event),
		eventIdSource: payloadId === null ? 'hash' : 'payload',
		occurredAt: toIso(pick(event, NAMES.occurredAt)),
		receivedAt,
		campaign,
		respondent,
		attributes,
		labels,
		flags,
		answers,
		nps: findNps(event, respondentObj, answers),
		comment: findComment(event, answers),
		raw: event,
	};
}

// Normalizes one event into a stable view while keeping the original whole, and says what it
// recognised and where (`recognition`). Skeepers' payload schema is not public, so every field
// is looked up under several names (names.ts), in the event and in the envelopes around it
// (docs/trigger-payloads.md lists the shapes and the precedence). What is not recognised stays
// in `raw`; a user's Field Paths replace recognition field by field.
import { createHash } from 'crypto';

import type { NormalizedAnswer } from './answers';
import { asText, isObj, type Obj } from './lookup';
import { FLAT_FULL_NAME, NAMES, PERSON_FULL_NAME } from './names';
import { formatPath, valueAt, type PathSegment } from './paths';
import {
	answersOf,
	attributesOf,
	campaignOf,
	commentOf,
	emailFromAnswers,
	firstIn,
	firstList,
	isText,
	npsOf,
	personField,
	respondentId,
	scopesOf,
	splitName,
	type Hit,
} from './recognize';
import { nameList, npsCategoryOf, npsScoreOf, toIso, type NpsCategory } from './values';

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
	/** What was recognised, where, and what is missing. */
	recognition: Recognition;
	/** The event exactly as received. */
	raw: Record<string, unknown>;
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

/** The normalised fields the trigger recognises, as `recognition` and Field Paths name them. */
export const FIELDS = [
	'eventId',
	'eventType',
	'occurredAt',
	'campaign.id',
	'campaign.name',
	'respondent.id',
	'respondent.email',
	'respondent.phone',
	'respondent.firstName',
	'respondent.lastName',
	'nps.score',
	'comment',
	'flags',
	'labels',
] as const;

export type FieldName = (typeof FIELDS)[number];

/** Paths the user set (Field Paths option), already parsed. */
export type FieldPaths = Partial<Record<FieldName, PathSegment[]>>;

interface Recognition {
	/** Where each recognised field was read in the event (a path, as Field Paths takes them). */
	found: Partial<Record<FieldName, string>>;
	/** The fields that came back empty (`eventId` when the id is a hash). */
	missing: FieldName[];
}

/** Normalizes one event. `receivedAt` is the delivery time (ISO 8601). */
export function normalizeEvent(
	event: Obj,
	receivedAt: string,
	fieldPaths: FieldPaths = {},
): NormalizedEvent {
	const scopes = scopesOf(event);
	const hits: Partial<Record<FieldName, Hit | undefined>> = {};
	const answersFound = answersOf(scopes);

	hits.eventId = firstIn(scopes, NAMES.eventId, isText);
	hits.eventType = firstIn(scopes, NAMES.eventType, isText);
	hits.occurredAt = firstIn(scopes, NAMES.occurredAt, (v) => toIso(v) !== null);
	const campaign = campaignOf(scopes);
	hits['campaign.id'] = campaign.id;
	hits['campaign.name'] = campaign.name;
	hits['respondent.id'] = respondentId(scopes);
	hits['respondent.email'] = personField(scopes, NAMES.email) ?? emailFromAnswers(answersFound);
	hits['respondent.phone'] = personField(scopes, NAMES.phone);
	hits['respondent.firstName'] = personField(scopes, NAMES.firstName);
	hits['respondent.lastName'] = personField(scopes, NAMES.lastName);
	if (!hits['respondent.firstName'] && !hits['respondent.lastName']) {
		const full = personField(scopes, PERSON_FULL_NAME, FLAT_FULL_NAME);
		const text = full ? asText(full.value) : null;
		if (full && text !== null) {
			const { first, last } = splitName(text);
			hits['respondent.firstName'] = { value: first, path: full.path };
			if (last !== null) hits['respondent.lastName'] = { value: last, path: full.path };
		}
	}
	const nps = npsOf(scopes, answersFound);
	hits['nps.score'] = nps.score;
	hits.comment = commentOf(scopes, answersFound);
	hits.labels = firstList(scopes, NAMES.labels);
	hits.flags = firstList(scopes, NAMES.flags);

	// Field Paths: the user's path replaces recognition for that field (found or not).
	for (const [field, segments] of Object.entries(fieldPaths) as Array<[FieldName, PathSegment[]]>) {
		const value = valueAt(event, segments);
		hits[field] =
			value === undefined || value === null || value === '' ? undefined : { value, path: segments };
	}

	const text = (field: FieldName) => asText(hits[field]?.value);
	const score = hits['nps.score'] ? npsScoreOf(hits['nps.score'].value) : null;
	if (hits['nps.score'] && score === null) hits['nps.score'] = undefined;
	const eventId = text('eventId');
	const occurredAt = hits.occurredAt ? toIso(hits.occurredAt.value) : null;
	const labels = hits.labels ? nameList(hits.labels.value) : [];
	const flags = hits.flags ? nameList(hits.flags.value) : [];

	const found: Recognition['found'] = {};
	const missing: FieldName[] = [];
	const values: Record<FieldName, unknown> = {
		eventId,
		eventType: text('eventType'),
		occurredAt,
		'campaign.id': text('campaign.id'),
		'campaign.name': text('campaign.name'),
		'respondent.id': text('respondent.id'),
		'respondent.email': text('respondent.email'),
		'respondent.phone': text('respondent.phone'),
		'respondent.firstName': text('respondent.firstName'),
		'respondent.lastName': text('respondent.lastName'),
		'nps.score': score,
		comment: hits.comment && typeof hits.comment.value === 'string' ? text('comment') : null,
		flags: flags.length > 0 ? flags : null,
		labels: labels.length > 0 ? labels : null,
	};
	for (const field of FIELDS) {
		const hit = hits[field];
		if (values[field] !== null && hit) found[field] = formatPath(hit.path);
		else missing.push(field);
	}

	return {
		eventType: values.eventType as string | null,
		eventId: eventId ?? eventHash(event),
		eventIdSource: eventId === null ? 'hash' : 'payload',
		occurredAt,
		receivedAt,
		campaign: {
			id: values['campaign.id'] as string | null,
			name: values['campaign.name'] as string | null,
		},
		respondent: {
			id: values['respondent.id'] as string | null,
			email: values['respondent.email'] as string | null,
			phone: values['respondent.phone'] as string | null,
			firstName: values['respondent.firstName'] as string | null,
			lastName: values['respondent.lastName'] as string | null,
		},
		attributes: attributesOf(scopes),
		labels,
		flags,
		answers: answersFound.map((a) => a.answer),
		nps: {
			score,
			category:
				npsCategoryOf(score) ??
				(hits['nps.score'] || fieldPaths['nps.score'] ? null : nps.category),
		},
		comment: values.comment as string | null,
		recognition: { found, missing },
		raw: event,
	};
}

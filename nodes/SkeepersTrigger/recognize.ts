// Where the trigger finds each normalised field: the event, then the envelopes around it, each
// with its person object and that object's property maps; answer lists for NPS, comment and
// e-mail. Every finder returns the value with the path it came from.
import {
	isEmailAnswer,
	isNpsAnswer,
	isTextAnswer,
	readAnswers,
	scalarOf,
	singleAnswer,
	titlesOf,
	type FoundAnswer,
} from './answers';
import { asText, isObj, normalizeKey, pick, pickEntry, type Obj } from './lookup';
import { COMMENT, ENVELOPES, NAMES } from './names';
import type { PathSegment } from './paths';
import { categoryFromText, nameList, npsScoreOf, type NpsCategory } from './values';

export interface Scope {
	obj: Obj;
	path: PathSegment[];
}

export interface Hit {
	value: unknown;
	path: PathSegment[];
}

/**
 * Where fields are looked for, in order: the event itself, then the objects it wraps (`data`,
 * `event_data`, `form_response`…, and a lone object inside one of those), breadth first, at most
 * three levels down. A field found in an earlier scope wins: top level beats nested.
 */
export function scopesOf(event: Obj): Scope[] {
	const scopes: Scope[] = [{ obj: event, path: [] }];
	const seen = new Set<Obj>([event]);
	const add = (obj: unknown, path: PathSegment[]) => {
		if (!isObj(obj) || seen.has(obj) || scopes.length >= 8) return;
		seen.add(obj);
		scopes.push({ obj, path });
	};
	for (let i = 0; i < scopes.length; i++) {
		const { obj, path } = scopes[i];
		if (path.length >= 3) continue;
		for (const name of ENVELOPES) {
			const entry = pickEntry(obj, [name]);
			if (entry) add(entry.value, [...path, entry.key]);
		}
		// A lone object inside an envelope (`event.questionAnswered`), unless it is a person.
		const keys = Object.keys(obj);
		const lone = keys.length === 1 && pickEntry(obj, NAMES.respondent) === undefined;
		if (i > 0 && lone) add(obj[keys[0]], [...path, keys[0]]);
	}
	return scopes;
}

export function firstIn(
	scopes: Scope[],
	names: readonly string[],
	accept: (v: unknown) => boolean,
): Hit | undefined {
	for (const scope of scopes) {
		const entry = pickEntry(scope.obj, names);
		if (entry && accept(entry.value))
			return { value: entry.value, path: [...scope.path, entry.key] };
	}
	return undefined;
}

export const isText = (v: unknown) => asText(v) !== null;

/** A person object of a scope (respondent, contact, customer, person, author…). */
function personOf(scope: Scope): { obj?: Obj; value?: unknown; path: PathSegment[] } {
	const entry = pickEntry(scope.obj, NAMES.respondent);
	if (!entry) return { path: scope.path };
	const path = [...scope.path, entry.key];
	return isObj(entry.value) ? { obj: entry.value, path } : { value: entry.value, path };
}

/** `{ key: value }` and `[{ name, value }]` maps (attributes, properties, traits, hidden…). */
function mapHit(owner: Obj, ownerPath: PathSegment[], names: readonly string[]): Hit | undefined {
	const map = pickEntry(owner, NAMES.attributes);
	if (!map) return undefined;
	const base = [...ownerPath, map.key];
	if (isObj(map.value)) {
		const entry = pickEntry(map.value, names);
		return entry && isText(entry.value)
			? { value: entry.value, path: [...base, entry.key] }
			: undefined;
	}
	if (!Array.isArray(map.value)) return undefined;
	const wanted = new Set(names.map(normalizeKey));
	for (let i = 0; i < map.value.length; i++) {
		const row: unknown = map.value[i];
		const key = asText(pick(row, ['name', 'key', 'code', 'label', 'nom', 'id']));
		const value = pickEntry(row, ['value', 'valeur', 'val']);
		if (key !== null && wanted.has(normalizeKey(key)) && value && isText(value.value)) {
			return { value: value.value, path: [...base, i, value.key] };
		}
	}
	return undefined;
}

/** A respondent detail: per scope, the person object, the flat fields, then their maps. */
export function personField(
	scopes: Scope[],
	names: readonly string[],
	flatNames = names,
): Hit | undefined {
	for (const scope of scopes) {
		const person = personOf(scope);
		const direct = person.obj ? pickEntry(person.obj, names) : undefined;
		if (direct && isText(direct.value))
			return { value: direct.value, path: [...person.path, direct.key] };
		const flat = pickEntry(scope.obj, flatNames);
		if (flat && isText(flat.value)) return { value: flat.value, path: [...scope.path, flat.key] };
		const inPerson = person.obj ? mapHit(person.obj, person.path, names) : undefined;
		if (inPerson) return inPerson;
		const inScope = mapHit(scope.obj, scope.path, names);
		if (inScope) return inScope;
	}
	return undefined;
}

export function respondentId(scopes: Scope[]): Hit | undefined {
	for (const scope of scopes) {
		const person = personOf(scope);
		const direct = person.obj
			? pickEntry(person.obj, ['id', ...NAMES.respondentId, 'uuid'])
			: undefined;
		if (direct && isText(direct.value))
			return { value: direct.value, path: [...person.path, direct.key] };
		const flat = pickEntry(scope.obj, NAMES.respondentId);
		if (flat && isText(flat.value)) return { value: flat.value, path: [...scope.path, flat.key] };
		if (!person.obj && isText(person.value)) return { value: person.value, path: person.path };
		const inMaps =
			(person.obj ? mapHit(person.obj, person.path, NAMES.respondentId) : undefined) ??
			mapHit(scope.obj, scope.path, NAMES.respondentId);
		if (inMaps) return inMaps;
	}
	return undefined;
}

export function campaignOf(scopes: Scope[]): { id?: Hit; name?: Hit } {
	let id: Hit | undefined;
	let name: Hit | undefined;
	for (const scope of scopes) {
		const campaign = pickEntry(scope.obj, NAMES.campaign);
		const obj = campaign && isObj(campaign.value) ? campaign.value : undefined;
		const base = campaign ? [...scope.path, campaign.key] : scope.path;
		const objId = obj ? pickEntry(obj, NAMES.objectId) : undefined;
		const flatId = pickEntry(scope.obj, NAMES.campaignId);
		const idHit: Hit | undefined =
			objId && isText(objId.value)
				? { value: objId.value, path: [...base, objId.key] }
				: flatId && isText(flatId.value)
					? { value: flatId.value, path: [...scope.path, flatId.key] }
					: campaign && !obj && isText(campaign.value)
						? { value: campaign.value, path: base }
						: undefined;
		const objName = obj ? pickEntry(obj, NAMES.objectName) : undefined;
		const flatName = pickEntry(scope.obj, NAMES.campaignName);
		const nameHit: Hit | undefined =
			objName && isText(objName.value)
				? { value: objName.value, path: [...base, objName.key] }
				: flatName && isText(flatName.value)
					? { value: flatName.value, path: [...scope.path, flatName.key] }
					: undefined;
		id ??= idHit;
		name ??= nameHit;
		if (id && name) break;
	}
	return { id, name };
}

export function answersOf(scopes: Scope[]): FoundAnswer[] {
	for (const scope of scopes) {
		const list = pickEntry(scope.obj, NAMES.answers);
		if (list && (Array.isArray(list.value) || isObj(list.value))) {
			return readAnswers(list.value, [...scope.path, list.key], titlesOf(scope.obj));
		}
		const single = singleAnswer(scope.obj, scope.path);
		if (single) return [single];
	}
	return [];
}

export function npsOf(
	scopes: Scope[],
	answers: FoundAnswer[],
): { score: Hit | undefined; category: NpsCategory | null } {
	let explicit: unknown;
	for (const scope of scopes) {
		const person = personOf(scope);
		const direct =
			pickEntry(scope.obj, NAMES.npsDirect) ??
			(person.obj ? pickEntry(person.obj, ['nps', 'npsScore', 'nps_score']) : undefined);
		const directPath = direct
			? pickEntry(scope.obj, NAMES.npsDirect)
				? [...scope.path, direct.key]
				: [...person.path, direct.key]
			: [];
		if (direct) {
			const score = npsScoreOf(direct.value);
			explicit ??= isObj(direct.value)
				? pick(direct.value, ['category', 'categorie', 'segment'])
				: undefined;
			if (score !== null) {
				const inner = isObj(direct.value)
					? pickEntry(direct.value, ['score', 'value', 'note', 'valeur'])
					: undefined;
				return {
					score: { value: score, path: inner ? [...directPath, inner.key] : directPath },
					category: null,
				};
			}
		}
		explicit ??= pick(scope.obj, NAMES.npsCategory);
	}
	for (const { answer, path } of answers) {
		if (!isNpsAnswer(answer)) continue;
		const scalar = scalarOf(answer.value, path);
		const score = npsScoreOf(scalar.value);
		if (score !== null) return { score: { value: score, path: scalar.path }, category: null };
	}
	return { score: undefined, category: categoryFromText(explicit) };
}

export function commentOf(scopes: Scope[], answers: FoundAnswer[]): Hit | undefined {
	const direct = firstIn(scopes, COMMENT, isText);
	if (direct) return direct;
	for (const { answer, path } of answers) {
		if (!isTextAnswer(answer)) continue;
		const scalar = scalarOf(answer.value, path);
		if (typeof scalar.value === 'string' && isText(scalar.value)) return scalar;
	}
	return undefined;
}

export function emailFromAnswers(answers: FoundAnswer[]): Hit | undefined {
	for (const { answer, path } of answers) {
		if (!isEmailAnswer(answer)) continue;
		const scalar = scalarOf(answer.value, path);
		if (typeof scalar.value === 'string' && scalar.value.includes('@')) return scalar;
	}
	return undefined;
}

/** "Charlie Gravis" → Charlie / Gravis (one word: a first name). */
export function splitName(full: string): { first: string; last: string | null } {
	const parts = full.trim().split(/\s+/);
	return { first: parts[0], last: parts.length > 1 ? parts.slice(1).join(' ') : null };
}

export function firstList(scopes: Scope[], names: readonly string[]): Hit | undefined {
	for (const scope of scopes) {
		const flat = pickEntry(scope.obj, names);
		if (flat && nameList(flat.value).length > 0)
			return { value: flat.value, path: [...scope.path, flat.key] };
		const person = personOf(scope);
		const inPerson = person.obj ? pickEntry(person.obj, names) : undefined;
		if (inPerson && nameList(inPerson.value).length > 0)
			return { value: inPerson.value, path: [...person.path, inPerson.key] };
	}
	return undefined;
}

/** The attribute maps of the first scope that has any (the person's, then the event's). */
export function attributesOf(scopes: Scope[]): Record<string, unknown> {
	for (const scope of scopes) {
		const person = personOf(scope);
		const merged = {
			...attributeMap(person.obj ? pick(person.obj, NAMES.attributes) : undefined),
			...attributeMap(pick(scope.obj, NAMES.attributes)),
		};
		if (Object.keys(merged).length > 0) return merged;
	}
	return {};
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

// Answer lists as payloads carry them: a list of entries (question object or fields, value in
// one of several places, Typeform's typed key), a map question → value, or one answer held by
// the event itself (Survicate's questionAnswered). Each answer keeps where its value was.
import { asText, isObj, pick, pickEntry, type Obj } from './lookup';
import { NAMES } from './names';
import type { PathSegment } from './paths';

export interface NormalizedAnswer {
	questionId: string | null;
	question: string | null;
	type: string | null;
	value: unknown;
}

export interface FoundAnswer {
	answer: NormalizedAnswer;
	/** Where the answer's value is in the event. */
	path: PathSegment[];
}

/** Question titles by id from a form definition (Typeform's `definition.fields`). */
export function titlesOf(scope: Obj): Map<string, string> {
	const titles = new Map<string, string>();
	const definition = pick(scope, ['definition', 'form_definition']);
	const fields = isObj(definition) ? pick(definition, ['fields', 'questions']) : undefined;
	if (!Array.isArray(fields)) return titles;
	for (const field of fields) {
		const id = asText(pick(field, ['id', 'ref']));
		const title = asText(pick(field, ['title', 'text', 'label', 'question']));
		if (id !== null && title !== null) titles.set(id, title);
	}
	return titles;
}

function entryAnswer(entry: Obj, base: PathSegment[], titles: Map<string, string>): FoundAnswer {
	const nested = pickEntry(entry, ['question', 'field']);
	const q = nested && isObj(nested.value) ? nested.value : undefined;
	const answerObj = pickEntry(entry, ['answer', 'reponse', 'response']);
	let value: unknown;
	let path: PathSegment[] = base;
	if (answerObj && isObj(answerObj.value)) {
		const inner = pickEntry(answerObj.value, NAMES.answerValue);
		value = inner?.value ?? answerObj.value;
		path = inner ? [...base, answerObj.key, inner.key] : [...base, answerObj.key];
	} else {
		const direct = pickEntry(entry, NAMES.answerValue);
		// Typeform: `{ "type": "number", "number": 9 }`, the value under the key its type names.
		const kind = entry.type;
		const typed =
			typeof kind === 'string' && kind !== 'type' ? pickEntry(entry, [kind]) : undefined;
		const found = direct ?? typed;
		value = found?.value;
		if (found) path = [...base, found.key];
	}
	const questionId = asText(
		(q && pick(q, NAMES.questionId)) ??
			pick(entry, ['questionId', 'questionCode', 'id', 'code', 'key']),
	);
	const question =
		asText(
			q ? (pick(q, NAMES.questionText) ?? pick(q, ['body'])) : pick(entry, NAMES.questionText),
		) ?? (questionId !== null ? (titles.get(questionId) ?? null) : null);
	return {
		answer: {
			questionId,
			question,
			type: asText((q && pick(q, NAMES.questionType)) ?? pick(entry, NAMES.questionType)),
			value: value ?? null,
		},
		path,
	};
}

/** The answers of a list or map found at `base`. */
export function readAnswers(
	value: unknown,
	base: PathSegment[],
	titles: Map<string, string>,
): FoundAnswer[] {
	if (Array.isArray(value)) {
		return value.map((entry, i): FoundAnswer => {
			if (!isObj(entry))
				return {
					answer: { questionId: null, question: null, type: null, value: entry },
					path: [...base, i],
				};
			return entryAnswer(entry, [...base, i], titles);
		});
	}
	if (isObj(value)) {
		return Object.entries(value).map(([key, v]) => ({
			answer: { questionId: key, question: key, type: null, value: v },
			path: [...base, key],
		}));
	}
	return [];
}

/** An event that is itself one answer: a `question` object next to a `choice` / `answer`. */
export function singleAnswer(scope: Obj, base: PathSegment[]): FoundAnswer | undefined {
	const q = pick(scope, ['question']);
	if (!isObj(q) || pickEntry(scope, ['choice', 'answer', 'value', 'choices']) === undefined)
		return undefined;
	return entryAnswer(scope, base, new Map());
}

/** The scalar inside an answer value (`{ "label": "x" }`, `[{ "text": "x" }]`, `"x"`). */
export function scalarOf(
	value: unknown,
	path: PathSegment[],
	depth = 0,
): { value: unknown; path: PathSegment[] } {
	if (depth > 4) return { value, path };
	if (Array.isArray(value))
		return value.length > 0 ? scalarOf(value[0], [...path, 0], depth + 1) : { value: null, path };
	if (isObj(value)) {
		const inner = pickEntry(value, NAMES.innerValue);
		return inner ? scalarOf(inner.value, [...path, inner.key], depth + 1) : { value: null, path };
	}
	return { value, path };
}

const NPS_TYPE = /nps|net.?promoter/i;
const NPS_QUESTION = /\bnps\b|recommand|recommend|net promoter|weiterempfehlen/i;
const TEXT_TYPE = /text|txt|comment|open|verbatim|libre|free|paragraph|essay/i;
const EMAIL = /e-?mail|courriel/i;

export function isNpsAnswer(answer: NormalizedAnswer): boolean {
	return (
		(answer.type !== null && NPS_TYPE.test(answer.type)) ||
		(answer.question !== null && NPS_QUESTION.test(answer.question)) ||
		(answer.questionId !== null && /nps/i.test(answer.questionId))
	);
}

export const isTextAnswer = (answer: NormalizedAnswer): boolean =>
	answer.type !== null && TEXT_TYPE.test(answer.type);

export const isEmailAnswer = (answer: NormalizedAnswer): boolean =>
	(answer.type !== null && EMAIL.test(answer.type)) ||
	(answer.question !== null && EMAIL.test(answer.question));

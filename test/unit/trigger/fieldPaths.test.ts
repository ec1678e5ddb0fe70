import { normalizeEvent } from '../../../nodes/SkeepersTrigger/event';
import { formatPath, parsePath, valueAt } from '../../../nodes/SkeepersTrigger/paths';
import { readFieldPaths, readRequired } from '../../../nodes/SkeepersTrigger/settings';

const AT = '2025-03-14T18:00:00.000Z';

describe('paths', () => {
	it('parses dots, indexes, quoted keys, and a leading raw. or $.', () => {
		expect(parsePath('data.respondent.mail')).toEqual(['data', 'respondent', 'mail']);
		expect(parsePath('answers[2].value')).toEqual(['answers', 2, 'value']);
		expect(parsePath('hidden["e-mail"]')).toEqual(['hidden', 'e-mail']);
		expect(parsePath("hidden['a.b']")).toEqual(['hidden', 'a.b']);
		expect(parsePath('raw.data.x')).toEqual(['data', 'x']);
		expect(parsePath('$.data[0]')).toEqual(['data', 0]);
		expect(parsePath('data..x')).toBeUndefined();
		expect(parsePath('data[')).toBeUndefined();
	});

	it('formats what it parses back to the same path', () => {
		for (const text of [
			'data.respondent.mail',
			'answers[2].value',
			'hidden["e-mail"]',
			'_embedded.customer.id',
		]) {
			expect(formatPath(parsePath(text)!)).toBe(text);
		}
	});

	it('reads a value, undefined when the path leaves the event', () => {
		const event = { a: [{ b: 1 }], c: null };
		expect(valueAt(event, ['a', 0, 'b'])).toBe(1);
		expect(valueAt(event, ['a', 'x'])).toBeUndefined();
		expect(valueAt(event, ['c', 'd'])).toBeUndefined();
		expect(valueAt(event, ['toString'])).toBeUndefined();
	});
});

describe('Field Paths', () => {
	const helpScout = {
		response: { value: '9', category: 'promoter', comment: 'Très bon suivi.' },
		_embedded: { customer: { id: 70021, firstName: 'Anne' } },
		data: { respondent: { mail: 'anne@example.fr' } },
		answers: [{ v: 1 }, { v: 2 }, { value: 'third' }],
	};

	it('a path overrides recognition for its field and is reported as where the value came from', () => {
		const event = normalizeEvent(helpScout, AT, {
			'nps.score': ['response', 'value'],
			comment: ['response', 'comment'],
			'respondent.email': ['data', 'respondent', 'mail'],
			'campaign.name': ['answers', 2, 'value'],
		});
		expect(event.nps).toEqual({ score: 9, category: 'promoter' });
		expect(event.comment).toBe('Très bon suivi.');
		expect(event.respondent.email).toBe('anne@example.fr');
		expect(event.campaign.name).toBe('third');
		expect(event.recognition.found).toMatchObject({
			'nps.score': 'response.value',
			comment: 'response.comment',
			'respondent.email': 'data.respondent.mail',
			'campaign.name': 'answers[2].value',
		});
	});

	it('a path that finds nothing makes the field missing, even when recognition would find it', () => {
		const event = normalizeEvent({ email: 'top@example.fr' }, AT, {
			'respondent.email': ['data', 'mail'],
		});
		expect(event.respondent.email).toBeNull();
		expect(event.recognition.missing).toContain('respondent.email');
	});

	it('a path to a non-NPS value leaves the score missing', () => {
		const event = normalizeEvent({ r: { v: 'great' } }, AT, { 'nps.score': ['r', 'v'] });
		expect(event.nps).toEqual({ score: null, category: null });
		expect(event.recognition.missing).toContain('nps.score');
	});

	it('option names map to fields; an unreadable path is a configuration problem', () => {
		expect(readFieldPaths({ npsScore: 'response.value', email: ' ', unknown: 'x' })).toEqual({
			paths: { 'nps.score': ['response', 'value'] },
		});
		expect(readFieldPaths({ comment: 'a..b' }).problem).toBe(
			'Skeepers Trigger is misconfigured: the Field Path for comment ("a..b") is not a path',
		);
	});

	it('required fields keep only known field names', () => {
		expect(readRequired(['respondent.email', 'nope', 'nps.score'], 'output')).toEqual({
			fields: ['respondent.email', 'nps.score'],
			onMissing: 'output',
		});
		expect(readRequired(undefined, undefined)).toEqual({ fields: [], onMissing: 'reject' });
	});
});

import { readFileSync } from 'fs';
import * as path from 'path';

import { parseDelivery } from '../../../nodes/SkeepersTrigger/body';
import {
	canonicalJson,
	eventHash,
	normalizeEvent,
	type NormalizedEvent,
} from '../../../nodes/SkeepersTrigger/event';
import { normalizeKey } from '../../../nodes/SkeepersTrigger/lookup';
import { npsCategoryOf, npsScoreOf } from '../../../nodes/SkeepersTrigger/values';

const DIR = path.join(__dirname, '../../../examples/payloads');
const AT = '2025-03-14T18:00:00.000Z';

function sample(file: string): NormalizedEvent[] {
	const bytes = readFileSync(path.join(DIR, file));
	const type = file.endsWith('.json') ? 'application/json' : 'application/x-www-form-urlencoded';
	const parsed = parseDelivery(bytes, type);
	if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
	return parsed.events.map((e) => normalizeEvent(e as Record<string, unknown>, AT));
}

describe('sample payloads', () => {
	// file → per event: respondent id, email, nps score, category, flags, labels
	const expected: Record<
		string,
		Array<[string, string, number | null, string | null, string[], string[]]>
	> = {
		'promoter.json': [
			['R-1001', 'camille.martin@example.fr', 10, 'promoter', [], ['client_fidele']],
		],
		'passive.json': [['R-1002', 'hugo.bernard@example.fr', 8, 'passive', [], []]],
		'detractor-with-comment.json': [
			['R-1003', 'lea.dubois@example.fr', 3, 'detractor', ['callback_requested'], ['sav']],
		],
		'abandoned-cart.json': [
			['R-1004', 'nadia.petit@example.fr', 7, 'passive', ['abandoned_cart'], ['prospect']],
		],
		'labels-and-flags.json': [
			[
				'R-1005',
				'thomas.leroy@example.fr',
				9,
				'promoter',
				['vip', 'callback_requested'],
				['client_fidele', 'newsletter', 'ambassadeur'],
			],
		],
		'form-encoded.form': [
			['R-1006', 'julien.moreau@example.fr', 5, 'detractor', ['callback_requested'], ['sav']],
		],
		'batch.json': [
			['R-1007', 'ines.garcia@example.fr', 9, 'promoter', [], []],
			['R-1008', 'paul.roux@example.fr', 2, 'detractor', [], ['sav']],
			['R-1009', 'emma.fournier@example.fr', 7, 'passive', [], []],
		],
		'missing-optional-fields.json': [['R-1010', 'sam.lambert@example.fr', 6, 'detractor', [], []]],
		'non-ascii-names.json': [
			['R-1011', 'zoe.aeroskobing@example.dk', 4, 'detractor', [], ['étranger']],
			['R-1012', 'li.wei@example.cn', 10, 'promoter', [], []],
		],
	};

	it.each(Object.entries(expected))('%s', (file, rows) => {
		const events = sample(file);
		expect(events).toHaveLength(rows.length);
		events.forEach((event, i) => {
			const [id, email, score, category, flags, labels] = rows[i];
			expect(event.respondent.id).toBe(id);
			expect(event.respondent.email).toBe(email);
			expect(event.nps).toEqual({ score, category });
			expect(event.flags).toEqual(flags);
			expect(event.labels).toEqual(labels);
			expect(event.eventType).toBe('response.completed');
			expect(event.receivedAt).toBe(AT);
		});
	});

	it('every sample respondent has a unique id and e-mail', () => {
		const all = Object.keys(expected).flatMap(sample);
		expect(new Set(all.map((e) => e.respondent.id)).size).toBe(all.length);
		expect(new Set(all.map((e) => e.respondent.email)).size).toBe(all.length);
		expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);
	});

	it('detractor: names, phone, campaign, comment, answers, raw kept whole', () => {
		const [event] = sample('detractor-with-comment.json');
		const raw = JSON.parse(
			readFileSync(path.join(DIR, 'detractor-with-comment.json'), 'utf8'),
		) as Record<string, unknown>;
		expect(event).toMatchObject({
			eventId: 'evt_20250314_0003',
			eventIdSource: 'payload',
			occurredAt: '2025-03-14T11:45:30.000Z',
			campaign: { id: 'CMP-NPS-2025', name: 'NPS post-achat 2025' },
			respondent: { phone: '+33 6 12 34 56 03', firstName: 'Léa', lastName: 'Dubois' },
			comment: 'Colis arrivé abîmé, et personne ne répond au service client depuis une semaine.',
			attributes: { order_id: 'CMD-459120', store: 'Lille Euralille', order_amount: 129.9 },
		});
		expect(event.answers).toHaveLength(3);
		expect(event.answers[0]).toEqual({
			questionId: 'Q1',
			question: 'Quelle est la probabilité que vous nous recommandiez ?',
			type: 'nps',
			value: 3,
		});
		expect(event.raw).toEqual(raw);
	});

	it('abandoned cart: the cart attributes come through', () => {
		const [event] = sample('abandoned-cart.json');
		expect(event.attributes).toMatchObject({
			cart_status: 'abandoned',
			cart_amount: 249.5,
			company: 'Boulangerie Petit',
		});
		expect(event.campaign.id).toBe('CMP-CART-2025');
	});

	it('missing optional fields: nulls and empty lists, a stable hash id', () => {
		const [event] = sample('missing-optional-fields.json');
		expect(event).toMatchObject({
			eventIdSource: 'hash',
			occurredAt: null,
			campaign: { id: null, name: null },
			respondent: { phone: null, firstName: null, lastName: null },
			attributes: {},
			labels: [],
			flags: [],
			comment: null,
		});
		expect(event.eventId).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(event.eventId).toBe(sample('missing-optional-fields.json')[0].eventId);
	});

	it('non-ASCII names survive', () => {
		const [zoe, li] = sample('non-ascii-names.json');
		expect(zoe.respondent).toMatchObject({ firstName: 'Zoë', lastName: 'Ærøskøbing' });
		expect(zoe.comment).toBe('Délai de livraison trop long vers le Danemark 😕');
		expect(li.respondent).toMatchObject({ firstName: '伟', lastName: '李' });
		expect(li.attributes.city).toBe('上海');
	});
});

describe('naming variants', () => {
	it('camelCase, nested contact, answers as an object, nps at the top', () => {
		const event = normalizeEvent(
			{
				eventType: 'answer',
				eventId: 42,
				createdAt: 1741944000,
				campaignId: 'C1',
				campaignName: 'Camp',
				contact: {
					contactId: 'X9',
					emailAddress: 'a@b.c',
					mobilePhone: '0612',
					firstName: 'Ann',
					lastName: 'Lee',
				},
				npsScore: '9',
				answers: { satisfaction: 'good', nps: 9 },
			},
			AT,
		);
		expect(event).toMatchObject({
			eventType: 'answer',
			eventId: '42',
			occurredAt: '2025-03-14T09:20:00.000Z',
			campaign: { id: 'C1', name: 'Camp' },
			respondent: { id: 'X9', email: 'a@b.c', phone: '0612', firstName: 'Ann', lastName: 'Lee' },
			nps: { score: 9, category: 'promoter' },
		});
		expect(event.answers).toEqual([
			{ questionId: 'satisfaction', question: 'satisfaction', type: null, value: 'good' },
			{ questionId: 'nps', question: 'nps', type: null, value: 9 },
		]);
	});

	it('French keys at the top level: prénom, nom, téléphone, étiquettes, réponses, campagne', () => {
		const event = normalizeEvent(
			{
				evenement: 'x',
				prénom: 'Zoë',
				nom: 'Ærøskøbing',
				téléphone: '+33 6 00 00 00 00',
				courriel: 'zoe@example.fr',
				étiquettes: 'fidèle; vip',
				drapeaux: { relance: true, churn: false },
				campagne: { identifiant: 'CAMP-7', libelle: 'Enquête' },
				réponses: [{ intitule: 'Recommanderiez-vous notre marque ?', valeur: 4 }],
				attributs: [{ nom: 'magasin', valeur: 'Lyon' }],
				date: '14/03/2025 10:30',
			},
			AT,
		);
		expect(event).toMatchObject({
			respondent: {
				firstName: 'Zoë',
				lastName: 'Ærøskøbing',
				phone: '+33 6 00 00 00 00',
				email: 'zoe@example.fr',
			},
			labels: ['fidèle', 'vip'],
			flags: ['relance'],
			campaign: { id: 'CAMP-7', name: 'Enquête' },
			attributes: { magasin: 'Lyon' },
			occurredAt: '2025-03-14T10:30:00.000Z',
			nps: { score: 4, category: 'detractor' },
		});
		expect(event.answers[0]).toMatchObject({
			question: 'Recommanderiez-vous notre marque ?',
			value: 4,
		});
	});

	it('customer object, tags as objects, answer with nested question/answer objects', () => {
		const event = normalizeEvent(
			{
				customer: { id: 'C-1', email: 'c@x.io', attributes: { tier: 'gold' }, flags: ['vip'] },
				tags: [{ name: 'a' }, { label: 'b' }, 'c', 'a'],
				responses: [
					{
						question: { id: 'q1', label: 'How likely are you to recommend us?', type: 'NPS' },
						answer: { value: 10 },
					},
				],
			},
			AT,
		);
		expect(event.respondent).toMatchObject({ id: 'C-1', email: 'c@x.io' });
		expect(event.labels).toEqual(['a', 'b', 'c']);
		expect(event.flags).toEqual(['vip']);
		expect(event.attributes).toEqual({ tier: 'gold' });
		expect(event.answers).toEqual([
			{ questionId: 'q1', question: 'How likely are you to recommend us?', type: 'NPS', value: 10 },
		]);
		expect(event.nps).toEqual({ score: 10, category: 'promoter' });
	});

	it('nps under nps (object), nps_score, score, and an explicit category without score', () => {
		expect(normalizeEvent({ nps: { score: 6 } }, AT).nps).toEqual({
			score: 6,
			category: 'detractor',
		});
		expect(normalizeEvent({ nps_score: 8 }, AT).nps).toEqual({ score: 8, category: 'passive' });
		expect(normalizeEvent({ score: '10/10' }, AT).nps).toEqual({ score: 10, category: 'promoter' });
		expect(normalizeEvent({ nps_category: 'Détracteur' }, AT).nps).toEqual({
			score: null,
			category: 'detractor',
		});
		expect(normalizeEvent({ score: 85 }, AT).nps).toEqual({ score: null, category: null });
	});

	it('does not take a non-NPS numeric answer for the NPS', () => {
		const event = normalizeEvent(
			{ answers: [{ question: 'Votre âge ?', type: 'number', value: 7 }] },
			AT,
		);
		expect(event.nps).toEqual({ score: null, category: null });
	});
});

describe('unknown shapes', () => {
	it('keeps everything in raw and fills the view with nulls', () => {
		const input = { foo: { bar: [1, 2, { baz: 'ü' }] }, qux: true, n: null };
		const snapshot = JSON.parse(JSON.stringify(input)) as unknown;
		const event = normalizeEvent(input, AT);
		expect(event.raw).toEqual(snapshot);
		expect(event.raw).toBe(input);
		expect(event).toMatchObject({
			eventType: null,
			eventIdSource: 'hash',
			campaign: { id: null, name: null },
			respondent: { id: null, email: null, phone: null, firstName: null, lastName: null },
			attributes: {},
			labels: [],
			flags: [],
			answers: [],
			nps: { score: null, category: null },
		});
		expect(input).toEqual(snapshot); // not mutated
	});

	it('the hash id ignores key order and changes with content', () => {
		expect(eventHash({ a: 1, b: { c: 2, d: [1, 2] } })).toBe(
			eventHash({ b: { d: [1, 2], c: 2 }, a: 1 }),
		);
		expect(eventHash({ a: 1 })).not.toBe(eventHash({ a: 2 }));
		expect(eventHash({ a: [1, 2] })).not.toBe(eventHash({ a: [2, 1] }));
		expect(canonicalJson({ b: 1, a: 'é' })).toBe('{"a":"é","b":1}');
	});

	it('canonical JSON is JSON.stringify with sorted keys (arrays, empties, nulls, undefined)', () => {
		const value = { z: [1, { y: null, x: [] }, 'a'], a: {}, m: undefined, n: [undefined, true] };
		expect(canonicalJson(value)).toBe('{"a":{},"n":[null,true],"z":[1,{"x":[],"y":null},"a"]}');
		expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
	});

	it('the hash of an event nested 100,000 levels deep does not overflow the stack', () => {
		let deep: Record<string, unknown> = { leaf: 1 };
		for (let i = 0; i < 100_000; i++) deep = { a: deep };
		expect(() => JSON.stringify(deep)).toThrow(RangeError); // what the recursive version hit
		expect(eventHash(deep)).toMatch(/^sha256:[0-9a-f]{64}$/);
	});
});

describe('helpers', () => {
	it('normalizeKey folds case, separators and accents', () => {
		expect(normalizeKey('First_Name')).toBe('firstname');
		expect(normalizeKey('prénom')).toBe('prenom');
		expect(normalizeKey('Étiquettes')).toBe('etiquettes');
	});

	it('NPS score bounds and categories', () => {
		expect([0, 6, 7, 8, 9, 10].map(npsCategoryOf)).toEqual([
			'detractor',
			'detractor',
			'passive',
			'passive',
			'promoter',
			'promoter',
		]);
		expect(npsScoreOf(11)).toBeNull();
		expect(npsScoreOf(-1)).toBeNull();
		expect(npsScoreOf(7.5)).toBeNull();
		expect(npsScoreOf(' 7 ')).toBe(7);
		expect(npsScoreOf('abc')).toBeNull();
	});
});

// One test per documented webhook shape (docs/trigger-payloads.md, fixtures in
// test/fixtures/payloads/): what the trigger recognises, where it read it, and what is missing.
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';

import { parseDelivery } from '../../../nodes/SkeepersTrigger/body';
import { normalizeEvent, type NormalizedEvent } from '../../../nodes/SkeepersTrigger/event';

const DIR = path.join(__dirname, '../../fixtures/payloads');
const AT = '2025-03-14T18:00:00.000Z';

function fixture(file: string): NormalizedEvent {
	const type = file.endsWith('.form') ? 'application/x-www-form-urlencoded' : 'application/json';
	const parsed = parseDelivery(readFileSync(path.join(DIR, file)), type);
	if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
	expect(parsed.events).toHaveLength(1);
	return normalizeEvent(parsed.events[0] as Record<string, unknown>, AT);
}

interface Expected {
	view: Record<string, unknown>;
	found: Record<string, string>;
	missing: string[];
}

const SHAPES: Record<string, Expected> = {
	'typeform-form-response.json': {
		view: {
			eventId: '01JTF0EXAMPLE000000000001',
			eventType: 'form_response',
			occurredAt: '2025-03-14T10:00:41.000Z',
			campaign: { id: 'tfNPS2025', name: 'Votre avis compte' },
			respondent: { id: 'CUST-2201', email: 'marie.lefevre@example.fr' },
			nps: { score: 4, category: 'detractor' },
			comment: 'Livraison en retard de cinq jours.',
		},
		found: {
			eventId: 'event_id',
			'campaign.name': 'form_response.definition.title',
			'respondent.id': 'form_response.hidden.customer_id',
			'respondent.email': 'form_response.answers[2].email',
			'nps.score': 'form_response.answers[0].number',
			comment: 'form_response.answers[1].text',
		},
		missing: ['respondent.phone', 'respondent.firstName', 'respondent.lastName', 'flags', 'labels'],
	},
	'delighted-survey-response.json': {
		view: {
			eventType: 'survey_response.updated',
			occurredAt: '2025-03-14T09:01:00.000Z',
			respondent: {
				id: '40517',
				email: 'olivier.garnier@example.fr',
				firstName: 'Olivier',
				lastName: 'Garnier',
			},
			nps: { score: 10, category: 'promoter' },
			comment: "Conseiller très à l'écoute.",
			labels: ['vip'],
			attributes: { Magasin: 'Nantes', Segment: 'VIP' },
		},
		found: {
			eventId: 'event_id',
			'respondent.email': 'event_data.person.email',
			'respondent.firstName': 'event_data.person.name',
			'nps.score': 'event_data.score',
			comment: 'event_data.comment',
		},
		missing: ['campaign.id', 'campaign.name', 'respondent.phone', 'flags'],
	},
	'surveymonkey-response-completed.json': {
		view: {
			eventId: '10987654321',
			eventType: 'response_completed',
			occurredAt: '2025-03-14T10:15:00.000Z',
			campaign: { id: '412000987', name: null },
			respondent: { id: '118000222333', email: null },
			nps: { score: null, category: null },
		},
		found: { 'campaign.id': 'resources.survey_id', 'respondent.id': 'resources.respondent_id' },
		missing: [
			'campaign.name',
			'respondent.email',
			'respondent.phone',
			'respondent.firstName',
			'respondent.lastName',
			'nps.score',
			'comment',
			'flags',
			'labels',
		],
	},
	'survicate-question-answered.json': {
		view: {
			eventId: '5e1d0c9b8a7f6e5d4c3b2a1908f7e6d5',
			campaign: { id: 'a81c22d0e4f5b6c7', name: 'NPS après livraison' },
			respondent: {
				id: '771204',
				email: 'sophie.bonnet@example.fr',
				firstName: 'Sophie',
				lastName: 'Bonnet',
			},
			nps: { score: 9, category: 'promoter' },
		},
		found: {
			eventId: 'messageId',
			'respondent.email': 'event.questionAnswered.respondent.attributes.email',
			'nps.score': 'event.questionAnswered.choice.body',
		},
		missing: ['eventType', 'respondent.phone', 'comment', 'flags', 'labels'],
	},
	'productfruits-survey-answer.json': {
		view: {
			eventType: 'webhook:newsurveyanswer',
			eventIdSource: 'hash',
			campaign: { id: '0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', name: null },
			respondent: { email: 'karim.haddad@example.fr', firstName: 'Karim', lastName: 'Haddad' },
			nps: { score: 6, category: 'detractor' },
			comment: 'Le support met trop de temps à répondre.',
		},
		found: {
			'respondent.email': 'data.authorEmail',
			'nps.score': 'data.answers[0].answer',
			comment: 'data.answers[1].answer',
		},
		missing: [
			'eventId',
			'occurredAt',
			'campaign.name',
			'respondent.id',
			'respondent.phone',
			'flags',
			'labels',
		],
	},
	'qualtrics-completed-response.form': {
		view: {
			eventId: 'R_1pExampleResp',
			eventType: 'surveyengine.completedResponse.SV_3a7Example',
			occurredAt: '2025-03-14T10:30:00.000Z',
			campaign: { id: 'SV_3a7Example', name: null },
			respondent: { id: 'MLRP_8kExample', email: null },
		},
		found: {
			eventId: 'ResponseID',
			eventType: 'Topic',
			'campaign.id': 'SurveyID',
			'respondent.id': 'RecipientID',
		},
		missing: [
			'campaign.name',
			'respondent.email',
			'respondent.phone',
			'respondent.firstName',
			'respondent.lastName',
			'nps.score',
			'comment',
			'flags',
			'labels',
		],
	},
	'trustmary-survey-answer.json': {
		view: {
			eventId: 'tm-answer-9001',
			campaign: { id: 'tm-survey-42', name: 'Satisfaction client 2025' },
			respondent: { email: 'julie.perrin@example.fr' },
			nps: { score: 8, category: 'passive' },
			comment: 'Produit conforme, délai correct.',
		},
		found: { eventId: 'answer_id', 'nps.score': 'nps', comment: 'feedback' },
		missing: [
			'eventType',
			'respondent.id',
			'respondent.phone',
			'respondent.firstName',
			'respondent.lastName',
			'flags',
			'labels',
		],
	},
	'hotjar-survey-response.json': {
		view: {
			eventType: 'survey_response',
			eventId: 'hj-resp-300451',
			campaign: { id: null, name: 'Feedback site' },
			nps: { score: 7, category: 'passive' },
			comment: 'Le tunnel de paiement.',
		},
		found: {
			eventType: 'event',
			eventId: 'data.response_id',
			'nps.score': 'data.answers[0].answer',
		},
		missing: [
			'campaign.id',
			'respondent.id',
			'respondent.email',
			'respondent.phone',
			'respondent.firstName',
			'respondent.lastName',
			'flags',
			'labels',
		],
	},
	'helpscout-survey-response.json': {
		view: {
			eventIdSource: 'hash',
			respondent: { id: '70021', firstName: 'Anne', lastName: 'Morel', email: null },
			nps: { score: null, category: null },
			comment: null,
		},
		found: {
			'respondent.id': '_embedded.customer.id',
			'respondent.firstName': '_embedded.customer.firstName',
		},
		missing: [
			'eventId',
			'eventType',
			'occurredAt',
			'campaign.id',
			'campaign.name',
			'respondent.email',
			'respondent.phone',
			'nps.score',
			'comment',
			'flags',
			'labels',
		],
	},
};

describe('documented webhook shapes', () => {
	it('every fixture has its test, and every test its fixture', () => {
		expect(readdirSync(DIR).sort()).toEqual(Object.keys(SHAPES).sort());
	});

	it.each(Object.entries(SHAPES))('%s', (file, expected) => {
		const event = fixture(file);
		expect(event).toMatchObject(expected.view);
		expect(event.recognition.found).toMatchObject(expected.found);
		expect(event.recognition.missing).toEqual(expected.missing);
		// found and missing partition the fields
		expect(Object.keys(event.recognition.found).length + event.recognition.missing.length).toBe(14);
		expect(event.raw).toEqual(JSON.parse(JSON.stringify(event.raw)));
	});
});

describe('precedence', () => {
	it('a top-level field beats the same field inside an envelope', () => {
		const event = normalizeEvent(
			{
				email: 'top@example.fr',
				score: 9,
				data: { person: { email: 'nested@example.fr' }, score: 2 },
			},
			AT,
		);
		expect(event.respondent.email).toBe('top@example.fr');
		expect(event.nps.score).toBe(9);
		expect(event.recognition.found).toMatchObject({
			'respondent.email': 'email',
			'nps.score': 'score',
		});
	});

	it('a nested field is used when the top level has none', () => {
		const event = normalizeEvent(
			{ data: { person: { email: 'nested@example.fr' }, score: 2 } },
			AT,
		);
		expect(event.respondent.email).toBe('nested@example.fr');
		expect(event.recognition.found['respondent.email']).toBe('data.person.email');
	});

	it('an explicit id beats the hash, at the top level or in an envelope; the hash only when none', () => {
		expect(normalizeEvent({ event_id: 'E1', data: { id: 'D1' } }, AT)).toMatchObject({
			eventId: 'E1',
			eventIdSource: 'payload',
		});
		expect(normalizeEvent({ data: { id: 'D1' } }, AT)).toMatchObject({
			eventId: 'D1',
			eventIdSource: 'payload',
		});
		const hashed = normalizeEvent({ data: { score: 3 } }, AT);
		expect(hashed.eventIdSource).toBe('hash');
		expect(hashed.recognition.missing).toContain('eventId');
	});

	it('a person object beats flat fields of the same scope; its property map comes after both', () => {
		const event = normalizeEvent(
			{
				contact: { email: 'p@x.fr', traits: { phone: '0600' } },
				email: 'flat@x.fr',
				phone: '0700',
			},
			AT,
		);
		expect(event.respondent).toMatchObject({ email: 'p@x.fr', phone: '0700' });
		const fromTraits = normalizeEvent({ contact: { traits: { phone: '0600' } } }, AT);
		expect(fromTraits.respondent.phone).toBe('0600');
		expect(fromTraits.recognition.found['respondent.phone']).toBe('contact.traits.phone');
	});

	it('NPS from a question titled in French or typed NPS; comment from the first free-text answer', () => {
		const event = normalizeEvent(
			{
				payload: {
					answers: [
						{ question: { title: 'Âge', type: 'number' }, value: 7 },
						{ question: { title: 'Recommanderiez-vous la marque ?' }, value: { label: '3' } },
						{ question: { title: 'Précisez', type: 'paragraph' }, value: 'Trop cher' },
						{ question: { title: 'Autre', type: 'free_text' }, value: 'Second' },
					],
				},
			},
			AT,
		);
		expect(event.nps.score).toBe(3);
		expect(event.recognition.found['nps.score']).toBe('payload.answers[1].value.label');
		expect(event.comment).toBe('Trop cher');
		expect(normalizeEvent({ answers: [{ type: 'NPS', value: 10 }] }, AT).nps.score).toBe(10);
	});
});

// One test per documented webhook shape (docs/trigger-payloads.md, fixtures in
// test/fixtures/payloads/): what the trigger recognises, where it read it, and what is missing.
import { readFileSync, readdirSync } from 'fs';
import * as path from 'path';

import { parseDelivery } from '../../../nodes/SkeepersTrigger/body';
import { normalizeEvent, type NormalizedEvent } from '../../../nodes/SkeepersTrigger/event';
import { PAYLOAD_FIXTURES as DIR, SHAPES } from '../../fixtures/payloadShapes';

const AT = '2025-03-14T18:00:00.000Z';

function fixture(file: string): NormalizedEvent {
	const type = file.endsWith('.form') ? 'application/x-www-form-urlencoded' : 'application/json';
	const parsed = parseDelivery(readFileSync(path.join(DIR, file)), type);
	if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
	expect(parsed.events).toHaveLength(1);
	return normalizeEvent(parsed.events[0] as Record<string, unknown>, AT);
}

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

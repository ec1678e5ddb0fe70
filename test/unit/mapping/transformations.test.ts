import {
	TRANSFORMATIONS,
	TransformationError,
	applyTransformation,
	transformationOptions,
	transformationsWithParameter,
} from '../../../nodes/SkeepersFeedApplication/mapping/transformations';
import type { TransformationName } from '../../../nodes/SkeepersFeedApplication/mapping/types';
import { field } from './fixtures';

const run = (name: TransformationName, value: unknown, parameter?: string) =>
	TRANSFORMATIONS[name].apply(value, { parameter });

/** The TransformationError thrown, or fails the test. */
function failure(
	name: TransformationName,
	value: unknown,
	parameter?: string,
): TransformationError {
	try {
		run(name, value, parameter);
	} catch (error) {
		expect(error).toBeInstanceOf(TransformationError);
		return error as TransformationError;
	}
	throw new Error(`${name}(${JSON.stringify(value)}) did not throw`);
}

describe('registry', () => {
	it('has every transformation, each with a name matching its key, a description and an example that holds', () => {
		const names: TransformationName[] = [
			'none',
			'trim',
			'lowercase',
			'uppercase',
			'capitalize',
			'phoneFrNational',
			'phoneE164',
			'date',
			'datetime',
			'number',
			'boolean',
			'multiPicklist',
			'valueMap',
			'defaultWhenEmpty',
			'truncate',
			'npsCategory',
		];
		expect(Object.keys(TRANSFORMATIONS).sort()).toEqual([...names].sort());
		for (const def of Object.values(TRANSFORMATIONS)) {
			expect(TRANSFORMATIONS[def.name]).toBe(def);
			expect(def.description.length).toBeGreaterThan(5);
			expect(run(def.name, def.example.input, def.example.parameter)).toEqual(def.example.output);
		}
	});

	it('offers dropdown options with None first, then sorted by name', () => {
		const options = transformationOptions();
		expect(options).toHaveLength(Object.keys(TRANSFORMATIONS).length);
		expect(options[0]).toEqual({
			name: 'None',
			value: 'none',
			description: 'Send the value as it is',
		});
		const rest = options.slice(1).map((o) => o.name);
		expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b)));
		expect(options.find((o) => o.value === 'phoneFrNational')?.description).toContain('0612345678');
	});

	it('lists the transformations that take a parameter', () => {
		expect(transformationsWithParameter().sort()).toEqual(
			[
				'date',
				'datetime',
				'defaultWhenEmpty',
				'npsCategory',
				'phoneE164',
				'truncate',
				'valueMap',
			].sort(),
		);
	});

	it('applyTransformation refuses an unknown name as a parameter error', () => {
		expect(() => applyTransformation('reverse' as TransformationName, 'x')).toThrow(
			TransformationError,
		);
	});

	it.each(
		Object.keys(TRANSFORMATIONS).filter((n) => n !== 'defaultWhenEmpty') as TransformationName[],
	)('%s passes empty values through for the empty-value rule', (name) => {
		const parameter = name === 'valueMap' ? 'a=b' : undefined;
		expect(run(name, undefined, parameter)).toBeUndefined();
		expect(run(name, null, parameter)).toBeNull();
		expect(run(name, [], parameter)).toEqual([]);
	});
});

describe('phoneFrNational', () => {
	it.each([
		['+33 6 12 34 56 78', '0612345678'],
		['0033612345678', '0612345678'],
		['+33612345678', '0612345678'],
		['33612345678', '0612345678'],
		['06 12 34 56 78', '0612345678'],
		['06.12.34.56.78', '0612345678'],
		['06-12-34-56-78', '0612345678'],
		['+33 (0)1 42 68 53 00', '0142685300'],
		['+33 0 6 12 34 56 78', '0612345678'],
		['\u00a0+33\u00a06\u00a012 34 56 78 ', '0612345678'],
		[612345678, '0612345678'],
		['+262 692 12 34 56', '0692123456'],
		['+596 696 12 34 56', '0696123456'],
	])('%j → %s', (input, output) => {
		expect(run('phoneFrNational', input)).toBe(output);
	});

	it.each([
		'+32 2 555 12 12',
		'+44 20 7946 0958',
		'+1 555 123 4567',
		'0612345',
		'06 12 34 56 78 9',
		'appelez-moi',
		{ n: 1 },
		true,
	])('refuses %j with the expected French form', (input) => {
		const error = failure('phoneFrNational', input);
		expect(error.expected).toBe(
			'a French mobile or landline number like +33 6 12 34 56 78 or 06 12 34 56 78',
		);
		expect(error.parameterError).toBe(false);
	});

	it('says which country a foreign number belongs to', () => {
		expect(failure('phoneFrNational', '+32 475 12 34 56').detail).toContain('Belgium (+32)');
	});
});

describe('phoneE164', () => {
	it.each([
		['06 12 34 56 78', undefined, '+33612345678'],
		['06 12 34 56 78', '', '+33612345678'],
		['+33 6 12 34 56 78', 'BE', '+33612345678'],
		['0033 6 12 34 56 78', undefined, '+33612345678'],
		['0475 12 34 56', 'BE', '+32475123456'],
		['02 555 12 12', 'be', '+3225551212'],
		['079 123 45 67', 'CH', '+41791234567'],
		['621 123 456', 'LU', '+352621123456'],
		['0151 23456789', 'DE', '+4915123456789'],
		['612 34 56 78', 'ES', '+34612345678'],
		['06 1234 5678', 'IT', '+390612345678'],
		['07911 123456', 'GB', '+447911123456'],
		['+44 (0)20 7946 0958', 'FR', '+442079460958'],
		['(555) 123-4567', 'US', '+15551234567'],
		['1 555 123 4567', 'CA', '+15551234567'],
		['+81 3 1234 5678', 'FR', '+81312345678'],
	])('%j with default country %j → %s', (input, country, output) => {
		expect(run('phoneE164', input, country)).toBe(output);
	});

	it.each(['06 12 34', '+33 6 12 34 56 78 90', 'n/a', '+0 12'])('refuses %j', (input) => {
		expect(failure('phoneE164', input).expected).toContain('+33 6 12 34 56 78');
	});

	it('refuses an unsupported default country as a parameter error', () => {
		const error = failure('phoneE164', '0612345678', 'XX');
		expect(error.parameterError).toBe(true);
		expect(error.expected).toContain('FR, BE, CH');
	});
});

describe('text case', () => {
	it('trim removes spaces and no-break spaces at both ends only', () => {
		expect(run('trim', '\u00a0  Jean  Dupont \t')).toBe('Jean  Dupont');
		expect(run('trim', '   ')).toBe('');
		expect(run('trim', 42)).toBe(42);
	});

	it('lowercase / uppercase handle accents', () => {
		expect(run('lowercase', 'ÉLODIE.Müller@Exemple.FR')).toBe('élodie.müller@exemple.fr');
		expect(run('uppercase', 'françois-xavier')).toBe('FRANÇOIS-XAVIER');
		expect(run('uppercase', 12)).toBe('12');
	});

	it.each([
		['jean-pierre DE LA tour', 'Jean-Pierre De La Tour'],
		['élodie', 'Élodie'],
		['ÈVE-MARIE lefèvre', 'Ève-Marie Lefèvre'],
		["jeanne d'arc", "Jeanne D'Arc"],
		['anne-sophie  o’brien', 'Anne-Sophie  O’Brien'],
		['ÇA', 'Ça'],
	])('capitalize %j → %j', (input, output) => {
		expect(run('capitalize', input)).toBe(output);
	});

	it('refuses objects for text transformations', () => {
		expect(failure('capitalize', { first: 'Jean' }).expected).toBe(
			'a text value (not an object or a list)',
		);
		expect(failure('lowercase', ['a']).expected).toBe('a text value (not an object or a list)');
	});
});

describe('date', () => {
	it.each([
		['2024-05-31', '2024-05-31'],
		['31/05/2024', '2024-05-31'],
		['1/5/2024', '2024-05-01'],
		['31-05-2024', '2024-05-31'],
		['31.05.2024', '2024-05-31'],
		['2024-05-31 14:30', '2024-05-31'],
		['31/05/2024 23:59', '2024-05-31'],
		['29/02/2024', '2024-02-29'],
		['20240531', '2024-05-31'],
		[20240531, '2024-05-31'],
		// Instants take their calendar day in Paris: 22:30 UTC on 30 April is 1 May in Paris.
		['2024-04-30T22:30:00Z', '2024-05-01'],
		['2024-04-30T22:30:00.000+00:00', '2024-05-01'],
		[1717164000, '2024-05-31'],
		['1717164000', '2024-05-31'],
		[1717164000000, '2024-05-31'],
		['1717164000000', '2024-05-31'],
	])('%j → %s', (input, output) => {
		expect(run('date', input)).toBe(output);
	});

	it('reads instants in the time zone parameter', () => {
		expect(run('date', '2024-04-30T22:30:00Z', 'UTC')).toBe('2024-04-30');
		expect(run('date', '2024-05-01T02:00:00Z', 'America/New_York')).toBe('2024-04-30');
	});

	it('accepts Date objects and n8n DateTime-like objects', () => {
		expect(run('date', new Date('2024-12-24T12:00:00Z'))).toBe('2024-12-24');
		expect(run('date', { toISO: () => '2024-12-24T10:00:00.000+01:00' })).toBe('2024-12-24');
	});

	it.each([
		'31/02/2024',
		'29/02/2023',
		'2024-13-01',
		'00/01/2024',
		'31/05/24',
		'demain',
		'2024-05-31T25:00',
		true,
		{ a: 1 },
		'2024',
		2024,
		12345,
		'20241341',
	])('refuses %j with the expected date form', (input) => {
		expect(failure('date', input).expected).toContain('31/05/2024');
	});

	it('refuses an unknown time zone as a parameter error', () => {
		const error = failure('date', 1717164000, 'Europe/Lutece');
		expect(error.parameterError).toBe(true);
		expect(error.expected).toContain('Europe/Paris');
	});
});

describe('datetime', () => {
	it.each([
		['31/05/2024 14:30', undefined, '2024-05-31T12:30:00.000Z'],
		['31/05/2024 14h30', undefined, '2024-05-31T12:30:00.000Z'],
		['2024-05-31 14:30', undefined, '2024-05-31T12:30:00.000Z'],
		['2024-05-31T14:30:15.5', undefined, '2024-05-31T12:30:15.500Z'],
		['15/01/2024 09:00', undefined, '2024-01-15T08:00:00.000Z'], // winter: UTC+1
		['31/05/2024', undefined, '2024-05-30T22:00:00.000Z'], // midnight Paris
		['2024-05-31T14:30:00Z', undefined, '2024-05-31T14:30:00.000Z'],
		['2024-05-31T14:30:00+02:00', 'UTC', '2024-05-31T12:30:00.000Z'],
		['2024-05-31T14:30:00-0400', undefined, '2024-05-31T18:30:00.000Z'],
		[1717164000, undefined, '2024-05-31T14:00:00.000Z'],
		['1717164000123', undefined, '2024-05-31T14:00:00.123Z'],
		['31/05/2024 14:30', 'UTC', '2024-05-31T14:30:00.000Z'],
		['31/05/2024 14:30', 'America/New_York', '2024-05-31T18:30:00.000Z'],
		['31/05/2024 14:30', 'Europe/Brussels', '2024-05-31T12:30:00.000Z'],
	])('%j in %s → %s', (input, zone, output) => {
		expect(run('datetime', input, zone)).toBe(output);
	});

	it('handles the spring-forward gap by moving forward (02:30 does not exist in Paris on 31/03/2024)', () => {
		expect(run('datetime', '31/03/2024 02:30')).toBe('2024-03-31T01:30:00.000Z'); // = 03:30 CEST
		expect(run('datetime', '31/03/2024 01:59')).toBe('2024-03-31T00:59:00.000Z');
		expect(run('datetime', '31/03/2024 03:00')).toBe('2024-03-31T01:00:00.000Z');
	});

	it('takes the first occurrence in the fall-back overlap (02:30 happens twice on 27/10/2024)', () => {
		expect(run('datetime', '27/10/2024 02:30')).toBe('2024-10-27T00:30:00.000Z'); // CEST
		expect(run('datetime', '27/10/2024 03:30')).toBe('2024-10-27T02:30:00.000Z'); // CET
	});

	it.each([
		'31/02/2024 10:00',
		'2024-05-31 24:00',
		'hier soir',
		'31/05/2024 14:60',
		''.padEnd(3, 'x'),
	])('refuses %j', (input) => {
		expect(failure('datetime', input).expected).toContain('2024-05-31T14:30:00Z');
	});
});

describe('number', () => {
	it.each([
		['12,5', 12.5],
		['1 234,56', 1234.56],
		['1\u00a0234,56', 1234.56],
		['1\u202f234\u202f567', 1234567],
		['1.234,56', 1234.56],
		['1,234.56', 1234.56],
		['1,234,567', 1234567],
		['15 %', 15],
		['-3,75', -3.75],
		['+7', 7],
		['12 €', 12],
		['0.5', 0.5],
		['1e3', 1000],
		[42, 42],
		[-0.25, -0.25],
	])('%j → %d', (input, output) => {
		expect(run('number', input)).toBe(output);
	});

	it.each([
		'douze',
		'12,5,3',
		'1.2.3',
		'--1',
		true,
		{ v: 1 },
		Number.NaN,
		Number.POSITIVE_INFINITY,
	])('refuses %j', (input) => {
		expect(failure('number', input).expected).toBe('a number like 12.5, 12,5, 1 234,56 or 15 %');
	});
});

describe('boolean', () => {
	it.each([
		['oui', true],
		['Non', false],
		[' OUI ', true],
		['yes', true],
		['NO', false],
		['1', true],
		['0', false],
		['true', true],
		['False', false],
		['vrai', true],
		['FAUX', false],
		['y', true],
		['n', false],
		['o', true],
		['N', false],
		[true, true],
		[false, false],
		[1, true],
		[0, false],
	])('%j → %s', (input, output) => {
		expect(run('boolean', input)).toBe(output);
	});

	it.each(['peut-être', '2', 2, 'ouii', { oui: true }])('refuses %j', (input) => {
		expect(failure('boolean', input).expected).toContain('oui/non');
	});
});

describe('multiPicklist', () => {
	it.each([
		[['Prix', 'Livraison'], 'Prix;Livraison'],
		['Prix, Livraison', 'Prix;Livraison'],
		['Prix;Livraison|Service client', 'Prix;Livraison;Service client'],
		[' Prix ,, Prix ; ; Livraison ', 'Prix;Livraison'],
		[['Prix', ['Livraison', 'Prix'], null, ' '], 'Prix;Livraison'],
		[[1, 2], '1;2'],
		['Prix', 'Prix'],
	])('%j → %j', (input, output) => {
		expect(run('multiPicklist', input)).toBe(output);
	});

	it('refuses objects in the list', () => {
		expect(failure('multiPicklist', [{ label: 'Prix' }]).expected).toContain(
			'separated by , ; or |',
		);
	});
});

describe('valueMap', () => {
	const table = 'detractor=Detractor, passive=Passive, promoter=Promoter';

	it('maps by the table, exact first then ignoring case and spaces', () => {
		expect(run('valueMap', 'detractor', table)).toBe('Detractor');
		expect(run('valueMap', ' PASSIVE ', table)).toBe('Passive');
		expect(run('valueMap', 'Web', 'Web=Site web\nmagasin=Magasin')).toBe('Site web');
	});

	it('reads JSON objects, keeping non-text values', () => {
		expect(run('valueMap', 'oui', '{"oui": true, "non": false}')).toBe(true);
		expect(run('valueMap', 9, '{"9": "Promoteur", "*": "Autre"}')).toBe('Promoteur');
	});

	it('uses * for unmatched values when present', () => {
		expect(run('valueMap', 'neutre', `${table}, *=Passive`)).toBe('Passive');
	});

	it('refuses unmatched values without a default, listing the keys', () => {
		const error = failure('valueMap', 'neutre', table);
		expect(error.parameterError).toBe(false);
		expect(error.expected).toContain('detractor, passive, promoter');
		expect(error.expected).toContain('*=');
	});

	it.each(['', 'detractor:Detractor', '{"a": ', '["a"]'])(
		'refuses the table %j as a parameter error',
		(parameter) => {
			const error = failure('valueMap', 'x', parameter);
			expect(error.parameterError).toBe(true);
			expect(error.expected).toContain('detractor=Detractor');
		},
	);
});

describe('defaultWhenEmpty', () => {
	it.each([undefined, null, '', '   ', []])('replaces %j by the parameter', (input) => {
		expect(run('defaultWhenEmpty', input, 'Skeepers')).toBe('Skeepers');
	});

	it('keeps non-empty values, including 0 and false', () => {
		expect(run('defaultWhenEmpty', 'Web', 'Skeepers')).toBe('Web');
		expect(run('defaultWhenEmpty', 0, '5')).toBe(0);
		expect(run('defaultWhenEmpty', false, 'true')).toBe(false);
	});
});

describe('truncate', () => {
	it('cuts to the parameter length', () => {
		expect(run('truncate', 'Très bon accueil en magasin', '9')).toBe('Très bon ');
		expect(run('truncate', 'court', '10')).toBe('court');
	});

	it("cuts to the field's length when no parameter is given", () => {
		const ctx = { field: field({ name: 'Comment__c', length: 5 }) };
		expect(TRANSFORMATIONS.truncate.apply('Élodie Dupont', ctx)).toBe('Élodi');
		expect(TRANSFORMATIONS.truncate.apply('Élodie', { ...ctx, parameter: '3' })).toBe('Élo');
	});

	it('never splits a surrogate pair', () => {
		expect(run('truncate', 'Top 😀😀', '5')).toBe('Top ');
		expect(run('truncate', 'Top 😀😀', '6')).toBe('Top 😀');
		expect(run('truncate', '😀', '1')).toBe('');
	});

	it('refuses a bad length or no known length as parameter errors', () => {
		expect(failure('truncate', 'abc', '-2').parameterError).toBe(true);
		expect(failure('truncate', 'abc', 'dix').expected).toContain('whole number');
		expect(failure('truncate', 'abc').expected).toContain('set the parameter');
	});
});

describe('npsCategory', () => {
	it.each([
		[0, 'Detractor'],
		[6, 'Detractor'],
		['6', 'Detractor'],
		[7, 'Passive'],
		[' 8 ', 'Passive'],
		[9, 'Promoter'],
		['10', 'Promoter'],
		['9.0', 'Promoter'],
	])('%j → %s', (input, output) => {
		expect(run('npsCategory', input)).toBe(output);
	});

	it('renames the categories with the parameter', () => {
		expect(run('npsCategory', 3, 'Détracteur,Passif,Promoteur')).toBe('Détracteur');
		expect(run('npsCategory', 8, 'Détracteur, Passif, Promoteur')).toBe('Passif');
		expect(run('npsCategory', 10, 'Détracteur;Passif;Promoteur')).toBe('Promoteur');
	});

	it.each([11, -1, 7.5, '7,5', 'neuf', true, '1e1'])('refuses %j', (input) => {
		expect(failure('npsCategory', input).expected).toBe(
			'an NPS score, a whole number from 0 to 10',
		);
	});

	it('refuses a label list that is not three names', () => {
		const error = failure('npsCategory', 5, 'Bad,Good');
		expect(error.parameterError).toBe(true);
		expect(error.expected).toContain('Détracteur,Passif,Promoteur');
	});
});

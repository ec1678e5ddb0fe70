import {
	buildLookupQueries,
	matchLookupResults,
	soqlEscape,
	soqlString,
} from '../../../nodes/SkeepersFeedApplication/plan/soql';

describe('soqlString', () => {
	it.each([
		["O'Brien", String.raw`'O\'Brien'`],
		['C:\\Users\\élodie', String.raw`'C:\\Users\\élodie'`],
		['dit "bonjour"', String.raw`'dit \"bonjour\"'`],
		['ligne 1\nligne 2\r\n', String.raw`'ligne 1\nligne 2\r\n'`],
		['a\tb\bc\fd', String.raw`'a\tb\bc\fd'`],
		['bell\u0007', String.raw`'bell\u0007'`],
		['100% _exact_', "'100% _exact_'"],
		['Zoé 😀 日本', "'Zoé 😀 日本'"],
		["\\'", String.raw`'\\\''`],
	])('%j → %s', (input, literal) => {
		expect(soqlString(input)).toBe(literal);
	});

	it('escape never leaves a bare quote or backslash that could end the literal', () => {
		const nasty = "x' OR Name != '' OR Name = '\\";
		const escaped = soqlEscape(nasty);
		// Remove escape pairs; no quote may remain.
		expect(escaped.replace(/\\./g, '')).not.toMatch(/['\\]/);
	});
});

describe('buildLookupQueries', () => {
	it('selects Id and the match field, dedupes values ignoring case and drops empty ones', () => {
		const queries = buildLookupQueries({
			object: 'Contact',
			matchField: 'Email',
			values: [
				'elodie@exemple.fr',
				'ELODIE@exemple.fr',
				'',
				undefined,
				null,
				"o'brien@exemple.ie",
				'elodie@exemple.fr',
			],
			selectFields: ['email', 'AccountId'],
		});
		expect(queries).toEqual([
			String.raw`SELECT Id, Email, AccountId FROM Contact WHERE Email IN ('elodie@exemple.fr','o\'brien@exemple.ie')`,
		]);
	});

	it('keeps Ids that differ only by case (Ids are case sensitive)', () => {
		const [query] = buildLookupQueries({
			object: 'Contact',
			matchField: 'Id',
			values: ['0035g00000AbCdE', '0035g00000ABCDE'],
		});
		expect(query).toContain("IN ('0035g00000AbCdE','0035g00000ABCDE')");
	});

	it('writes numbers unquoted', () => {
		const [query] = buildLookupQueries({
			object: 'Contact',
			matchField: 'Member_Number__c',
			values: [42, 42, 7],
		});
		expect(query).toBe('SELECT Id, Member_Number__c FROM Contact WHERE Member_Number__c IN (42,7)');
	});

	it('splits queries to stay within the length limit, long values included', () => {
		const values = Array.from(
			{ length: 300 },
			(_, i) => `répondant-${String(i).padStart(3, '0')}-${'x'.repeat(200)}@exemple.fr`,
		);
		const maxQueryLength = 5000;
		const queries = buildLookupQueries({
			object: 'Contact',
			matchField: 'Email',
			values,
			maxQueryLength,
		});
		expect(queries.length).toBeGreaterThan(1);
		for (const q of queries) expect(q.length).toBeLessThanOrEqual(maxQueryLength);
		// Every value appears exactly once across the queries, in order.
		const found = queries.flatMap((q) => [...q.matchAll(/'([^']*)'/g)].map((m) => m[1]));
		expect(found).toEqual(values);
		// Splitting is greedy: no query could have taken the next value.
		for (let i = 0; i < queries.length - 1; i++) {
			const next = queries[i + 1].match(/IN \(('[^']*')/)?.[1] ?? '';
			expect(queries[i].length + 1 + next.length).toBeGreaterThan(maxQueryLength);
		}
	});

	it('measures escaped length, and can measure URL-encoded length for GET', () => {
		const values = Array.from({ length: 50 }, (_, i) => `l'été ${i}`);
		const measure = (q: string) => encodeURIComponent(q).length;
		const queries = buildLookupQueries({
			object: 'Contact',
			matchField: 'LastName',
			values,
			maxQueryLength: 600,
			measure,
		});
		for (const q of queries) expect(measure(q)).toBeLessThanOrEqual(600);
		expect(queries.length).toBeGreaterThan(1);
	});

	it('honours the 100,000 character default and a value-count cap', () => {
		const values = Array.from({ length: 5000 }, (_, i) => `${'v'.repeat(40)}${i}`);
		const defaults = buildLookupQueries({ object: 'Lead', matchField: 'Email', values });
		expect(defaults.length).toBe(3);
		for (const q of defaults) expect(q.length).toBeLessThanOrEqual(100_000);
		const capped = buildLookupQueries({
			object: 'Lead',
			matchField: 'Email',
			values: values.slice(0, 450),
			maxValuesPerQuery: 200,
		});
		expect(capped.map((q) => q.split("','").length)).toEqual([200, 200, 50]);
	});

	it('returns no query for no values', () => {
		expect(
			buildLookupQueries({ object: 'Contact', matchField: 'Email', values: ['', ' '] }),
		).toEqual([]);
	});

	it('refuses a value too long for any query, and names that are not API names', () => {
		expect(() =>
			buildLookupQueries({
				object: 'Contact',
				matchField: 'Email',
				values: ['x'.repeat(200)],
				maxQueryLength: 100,
			}),
		).toThrow(RangeError);
		expect(() =>
			buildLookupQueries({ object: 'Contact; DELETE', matchField: 'Email', values: ['a'] }),
		).toThrow(RangeError);
		expect(() =>
			buildLookupQueries({
				object: 'Contact',
				matchField: 'Email',
				values: ['a'],
				selectFields: ['Name)'],
			}),
		).toThrow(RangeError);
	});
});

describe('matchLookupResults', () => {
	const rows = [
		{ attributes: { type: 'Contact' }, Id: '0035g00000000001AAA', Email: 'A.Martin@Exemple.fr' },
		{ attributes: { type: 'Contact' }, Id: '0035g00000000002AAA', Email: 'doublon@exemple.fr' },
		{ attributes: { type: 'Contact' }, Id: '0035g00000000003AAA', Email: 'DOUBLON@exemple.fr' },
	];

	it('groups by value ignoring case; none, one and several matches', () => {
		const matches = matchLookupResults(
			['a.martin@exemple.fr', 'Doublon@Exemple.fr', 'inconnu@exemple.fr', undefined],
			rows,
			{
				matchField: 'Email',
			},
		);
		expect([...matches.entries()]).toEqual([
			['a.martin@exemple.fr', ['0035g00000000001AAA']],
			['Doublon@Exemple.fr', ['0035g00000000002AAA', '0035g00000000003AAA']],
			['inconnu@exemple.fr', []],
		]);
	});

	it('matches 15-character Ids against the 18-character Ids Salesforce returns', () => {
		const matches = matchLookupResults(['0035g00000000001'], [{ Id: '0035g00000000001AAA' }], {
			matchField: 'Id',
		});
		expect(matches.get('0035g00000000001')).toEqual(['0035g00000000001AAA']);
	});
});

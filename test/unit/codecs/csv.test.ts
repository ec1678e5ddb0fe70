import {
	BULK_NULL,
	csvColumns,
	parseCsv,
	parseCsvRows,
	toCsv,
} from '../../../nodes/SkeepersFeedApplication/codecs/csv';

const records = [
	{
		LastName: 'Lefèvre',
		FirstName: 'Élodie',
		Description: 'Avis : "très bon", livraison rapide',
		Email: 'elodie@exemple.fr',
	},
	{
		LastName: "D'Artagnan",
		FirstName: ' Charles',
		Description: 'Ligne 1\nLigne 2\r\nLigne 3',
		Email: null,
	},
	{
		LastName: 'Dupont',
		Description: '',
		Email: undefined,
		NPS_Score__c: 9,
		HasOptedOutOfEmail: false,
	},
];

describe('toCsv', () => {
	it('quotes commas, quotes, line breaks and edge spaces; null is #N/A; undefined is empty', () => {
		const columns = csvColumns(records);
		expect(columns).toEqual([
			'LastName',
			'FirstName',
			'Description',
			'Email',
			'NPS_Score__c',
			'HasOptedOutOfEmail',
		]);
		expect(toCsv(records, columns)).toBe(
			[
				'LastName,FirstName,Description,Email,NPS_Score__c,HasOptedOutOfEmail',
				'Lefèvre,Élodie,"Avis : ""très bon"", livraison rapide",elodie@exemple.fr,,',
				'D\'Artagnan," Charles","Ligne 1\nLigne 2\r\nLigne 3",#N/A,,',
				'Dupont,,,,9,false',
				'',
			].join('\n'),
		);
		expect(BULK_NULL).toBe('#N/A');
	});

	it('uses CRLF between rows when asked, leaving line breaks inside values alone', () => {
		const csv = toCsv([{ A: 'x\ny' }, { A: 'z' }], ['A'], 'CRLF');
		expect(csv).toBe('A\r\n"x\ny"\r\nz\r\n');
	});

	it('writes dates as ISO and trailing spaces quoted', () => {
		expect(toCsv([{ D: new Date('2024-05-31T12:30:00Z'), T: 'fin ' }], ['D', 'T'])).toBe(
			'D,T\n2024-05-31T12:30:00.000Z,"fin "\n',
		);
	});
});

describe('parseCsv', () => {
	it('round-trips records with multi-line and quoted values (LF and CRLF)', () => {
		const columns = csvColumns(records);
		for (const eol of ['LF', 'CRLF'] as const) {
			const parsed = parseCsv(toCsv(records, columns, eol));
			expect(parsed).toEqual([
				{
					LastName: 'Lefèvre',
					FirstName: 'Élodie',
					Description: 'Avis : "très bon", livraison rapide',
					Email: 'elodie@exemple.fr',
					NPS_Score__c: '',
					HasOptedOutOfEmail: '',
				},
				{
					LastName: "D'Artagnan",
					FirstName: ' Charles',
					Description: 'Ligne 1\nLigne 2\r\nLigne 3',
					Email: '#N/A',
					NPS_Score__c: '',
					HasOptedOutOfEmail: '',
				},
				{
					LastName: 'Dupont',
					FirstName: '',
					Description: '',
					Email: '',
					NPS_Score__c: '9',
					HasOptedOutOfEmail: 'false',
				},
			]);
		}
	});

	it('reads Salesforce result files: BOM, quoted headers, no final line ending', () => {
		const text =
			'\ufeff"sf__Id","sf__Created","LastName"\r\n"0035g00000000001AAA","true","Lefèvre"\r\n"0035g00000000002AAA","false","O\'Neil"';
		expect(parseCsv(text)).toEqual([
			{ sf__Id: '0035g00000000001AAA', sf__Created: 'true', LastName: 'Lefèvre' },
			{ sf__Id: '0035g00000000002AAA', sf__Created: 'false', LastName: "O'Neil" },
		]);
	});

	it('keeps empty cells and empty quoted values', () => {
		expect(parseCsvRows('a,b,c\n,"",x\n')).toEqual([
			['a', 'b', 'c'],
			['', '', 'x'],
		]);
	});

	it('returns nothing for an empty file or a header only', () => {
		expect(parseCsv('')).toEqual([]);
		expect(parseCsv('sf__Id,sf__Error\n')).toEqual([]);
	});

	it('refuses an unterminated quote and text after a closing quote', () => {
		expect(() => parseCsvRows('a\n"open')).toThrow(SyntaxError);
		expect(() => parseCsvRows('a\n"x"y\n')).toThrow(SyntaxError);
	});
});

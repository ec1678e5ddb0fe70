import fc from 'fast-check';
import type { Connection } from 'jsforce';
import type { Emulator } from '../../emulator';
import { parseSoql } from '../../emulator/soql/parse';
import { runSoql } from '../../emulator/soql/run';
import { api, connect, emulator, rejection } from './helpers';

describe('SOQL through jsforce', () => {
	let emu: Emulator;
	let conn: Connection;
	beforeAll(async () => {
		emu = await emulator();
		conn = connect(emu);
		await conn.sobject('Contact').create(
			[
				{
					FirstName: 'Ada',
					LastName: 'Lovelace',
					Email: 'ada@example.com',
					NPS_Score__c: 10,
					HasOptedOutOfEmail: false,
				},
				{
					FirstName: "O'Brien",
					LastName: 'Flann',
					Email: 'flann@example.com',
					NPS_Score__c: 3,
					HasOptedOutOfEmail: true,
				},
				{ FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@example.org', NPS_Score__c: 8 },
				{ FirstName: 'back\\slash', LastName: '100%_sure', Email: null },
			],
			{ allOrNone: true },
		);
	});
	afterAll(() => emu.stop());

	const names = async (where: string): Promise<string[]> =>
		(
			await conn.query<{ LastName: string }>(
				`SELECT LastName FROM Contact WHERE ${where} ORDER BY LastName`,
			)
		).records.map((r) => r.LastName);

	test.each([
		["Email = 'ADA@example.com'", ['Lovelace']],
		["Email != 'ada@example.com'", ['100%_sure', 'Flann', 'Hopper']],
		['Email = null', ['100%_sure']],
		["Email IN ('grace@example.org', 'flann@example.com')", ['Flann', 'Hopper']],
		["Email NOT IN ('grace@example.org')", ['Flann', 'Lovelace']],
		["Email LIKE '%@example.com'", ['Flann', 'Lovelace']],
		["LastName LIKE 'H_pper'", ['Hopper']],
		["LastName LIKE '100\\%\\_%'", ['100%_sure']],
		["LastName LIKE '1_0\\%%'", ['100%_sure']],
		["FirstName = 'O\\'Brien'", ['Flann']],
		["FirstName = 'back\\\\slash'", ['100%_sure']],
		['NPS_Score__c >= 8 AND HasOptedOutOfEmail = false', ['Hopper', 'Lovelace']],
		["(NPS_Score__c < 5 OR Email LIKE '%.org') AND NOT LastName = 'Hopper'", ['Flann']],
	])('WHERE %s', async (where, expected) => {
		expect(await names(where)).toEqual(expected);
	});

	test('ORDER BY DESC, LIMIT, COUNT()', async () => {
		const r = await conn.query<{ LastName: string }>(
			'SELECT LastName, NPS_Score__c FROM Contact WHERE NPS_Score__c != null ORDER BY NPS_Score__c DESC LIMIT 2',
		);
		expect(r.records.map((x) => x.LastName)).toEqual(['Lovelace', 'Hopper']);
		expect(r.totalSize).toBe(2);
		const c = await api(
			emu,
			conn.accessToken!,
			'GET',
			`/query?q=${encodeURIComponent('SELECT COUNT() FROM Contact')}`,
		);
		expect(c.json).toEqual({ totalSize: 4, done: true, records: [] });
	});

	test('errors: unknown column, unknown object, malformed query, bad escape', async () => {
		expect((await rejection(conn.query('SELECT Nope FROM Contact'))).errorCode).toBe(
			'INVALID_FIELD',
		);
		expect((await rejection(conn.query('SELECT Id FROM Nope__c'))).errorCode).toBe('INVALID_TYPE');
		expect((await rejection(conn.query('SELECT Id FROM Contact WHERE'))).errorCode).toBe(
			'MALFORMED_QUERY',
		);
		expect(
			(await rejection(conn.query("SELECT Id FROM Contact WHERE LastName = 'a\\q'"))).errorCode,
		).toBe('MALFORMED_QUERY');
	});

	test('string literal escapes: \\n \\t \\" \\u', () => {
		const q = parseSoql('SELECT Id FROM Contact WHERE Description = \'l1\\nl2\\t\\"q\\" \\u00e9\'');
		expect(
			runSoql(q, [
				{ Id: '1', Description: 'l1\nl2\t"q" é' },
				{ Id: '2', Description: 'l1 l2' },
			]).map((r) => r.Id),
		).toEqual(['1']);
	});
});

describe('IN, answered through an index of its values', () => {
	// Id-shaped (15/18 characters, compared on the 15-character prefix, case-sensitive) and other
	// text (case-insensitive), numbers and null: IN must answer exactly as a chain of = does
	const idA = '003000000000001AAA';
	const valueArb = fc.constantFrom<string | number | null>(
		idA,
		idA.slice(0, 15),
		idA.toLowerCase(),
		'003000000000001aaB',
		'003000000000002AAA',
		'ada@example.com',
		'ADA@example.com',
		'bob',
		'42',
		42,
		7,
		null,
	);
	const lit = (v: string | number | null) =>
		v === null ? 'null' : typeof v === 'number' ? String(v) : `'${v}'`;

	test('property: `F IN (…)` selects the records `F = a OR F = b …` selects, and NOT IN its complement among non-null values', () => {
		fc.assert(
			fc.property(
				fc.array(valueArb, { minLength: 1, maxLength: 6 }),
				fc.array(valueArb, { maxLength: 12 }),
				(values, stored) => {
					const rows = stored.map((v, i) => ({ Id: String(i), Description: v }));
					const ids = (where: string) =>
						runSoql(parseSoql(`SELECT Id FROM Contact WHERE ${where}`), rows).map((r) => r.Id);
					const list = values.map(lit).join(', ');
					const ors = values.map((v) => `Description = ${lit(v)}`).join(' OR ');
					expect(ids(`Description IN (${list})`)).toEqual(ids(ors));
					const notIn = ids(`Description NOT IN (${list})`);
					expect(notIn).toEqual(
						rows.filter((r) => r.Description !== null && !ids(ors).includes(r.Id)).map((r) => r.Id),
					);
				},
			),
		);
	});
});

describe('query paging over 2,000 rows', () => {
	let emu: Emulator;
	let conn: Connection;
	beforeAll(async () => {
		emu = await emulator();
		conn = connect(emu);
		const csv =
			'LastName,Skeepers_Respondent_Id__c\n' +
			Array.from({ length: 4500 }, (_, i) => `P${String(i).padStart(5, '0')},PG-${i}`).join('\n') +
			'\n';
		const r = await conn.bulk2.loadAndWaitForResults({
			object: 'Contact',
			operation: 'insert',
			input: csv,
			pollInterval: 20,
			pollTimeout: 20000,
		});
		expect(r.successfulResults).toHaveLength(4500);
	});
	afterAll(() => emu.stop());

	test('first page has 2,000 rows and a nextRecordsUrl like /services/data/vXX.X/query/01g...-2000', async () => {
		const page = await api(
			emu,
			conn.accessToken!,
			'GET',
			`/query?q=${encodeURIComponent('SELECT Id, LastName FROM Contact ORDER BY LastName')}`,
		);
		const body = page.json as {
			totalSize: number;
			done: boolean;
			records: unknown[];
			nextRecordsUrl: string;
		};
		expect(body.totalSize).toBe(4500);
		expect(body.done).toBe(false);
		expect(body.records).toHaveLength(2000);
		expect(body.nextRecordsUrl).toMatch(
			/^\/services\/data\/v66\.0\/query\/01g[A-Za-z0-9]{15}-2000$/,
		);
	});

	test('jsforce autoFetch follows nextRecordsUrl (queryMore) to the end', async () => {
		emu.resetCounters();
		const recs: Array<{ LastName: string }> = [];
		await new Promise<void>((resolve, reject) => {
			conn
				.query<{ LastName: string }>('SELECT LastName FROM Contact ORDER BY LastName')
				.on('record', (r: { LastName: string }) => recs.push(r))
				.on('end', () => resolve())
				.on('error', reject)
				.run({ autoFetch: true, maxFetch: 10000 });
		});
		expect(recs).toHaveLength(4500);
		expect(recs[0].LastName).toBe('P00000');
		expect(recs[4499].LastName).toBe('P04499');
		expect(emu.counters().byKind).toMatchObject({ query: 1, 'query.more': 2 });
	});

	test('conn.queryMore with the locator', async () => {
		const first = await conn.query('SELECT Id FROM Contact');
		const second = await conn.queryMore(first.nextRecordsUrl!);
		expect(second.records).toHaveLength(2000);
		const third = await conn.queryMore(second.nextRecordsUrl!);
		expect(third.records).toHaveLength(500);
		expect(third.done).toBe(true);
		expect(third.nextRecordsUrl).toBeUndefined();
	});
});

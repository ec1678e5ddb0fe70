/**
 * What Find relies on, through jsforce: the describe's `filterable` (a long text area cannot be
 * filtered), and the queries Find sends, its conditions in parentheses before the match key's
 * IN list, with an escaped value that tries to widen the query.
 */
import { useEmulator } from './helpers';

describe('Find queries, through jsforce', () => {
	const sf = useEmulator({ org: false, clearEach: true });

	test('describe: filterable is false for a long text area, true for Email and the Id', async () => {
		const d = await sf.conn.sobject('Contact').describe();
		const filterable = (name: string) => d.fields.find((f) => f.name === name)?.filterable;
		expect([filterable('Description'), filterable('Email'), filterable('Id')]).toEqual([
			false,
			true,
			true,
		]);
	});

	test('conditions before the IN list narrow the match; an escaped value cannot widen it', async () => {
		await sf.conn.sobject('Contact').create([
			{ LastName: 'Twin A', Email: 'twin@example.com', Title: 'Buyer' },
			{ LastName: 'Twin B', Email: 'twin@example.com', Title: 'CEO' },
			{ LastName: 'Solo', Email: 'solo@example.com', Title: 'Buyer' },
		]);
		const names = async (soql: string) =>
			(await sf.conn.query<{ LastName: string }>(soql)).records.map((r) => r.LastName).sort();
		const head = 'SELECT Id, Email, LastName FROM Contact WHERE';
		const inList = "Email IN ('twin@example.com','solo@example.com')";
		expect(await names(`${head} ${inList}`)).toEqual(['Solo', 'Twin A', 'Twin B']);
		expect(await names(`${head} (Title = 'Buyer') AND ${inList}`)).toEqual(['Solo', 'Twin A']);
		expect(
			await names(`${head} (Title != 'Buyer' AND LastName LIKE 'Twin%') AND ${inList}`),
		).toEqual(['Twin B']);
		// Find's escaping of x' OR LastName != ' : one string literal, no record has that title
		expect(
			await names(String.raw`${head} (Title = 'x\' OR LastName != \'') AND ${inList}`),
		).toEqual([]);
	});
});

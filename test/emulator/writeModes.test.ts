/**
 * What the Feed Application's Write Modes rely on, through jsforce: a multi-select picklist is
 * one `;`-separated text (written and read back as such), an empty field reads as null, the
 * fields a SOQL `IN` query selects come back (by 15- or 18-character Id and by external ID), an
 * unknown field in the SELECT is refused with INVALID_FIELD, and a Bulk API 2.0 update leaves a
 * field whose CSV cell is empty unchanged.
 */

import { rejection, useEmulator } from './helpers';

describe('Write Modes through jsforce', () => {
	const sf = useEmulator({ clearEach: true });

	test('multi-select values are one ;-separated text; a SOQL IN query by Id returns the selected fields, null when empty', async () => {
		const [a, b] = (await sf.conn
			.sobject('Contact')
			.create([
				{ LastName: 'A', Skeepers_Flags__c: 'VIP;Newsletter', Title: 'Boss' },
				{ LastName: 'B' },
			])) as Array<{ id: string; success: boolean }>;
		const q = `SELECT Id, Skeepers_Flags__c, Title FROM Contact WHERE Id IN ('${a.id.slice(0, 15)}','${b.id}')`;
		const res = await sf.conn.query<Record<string, unknown>>(q);
		const rows = new Map(res.records.map((r) => [r.Id as string, r]));
		expect(rows.get(a.id)).toMatchObject({ Skeepers_Flags__c: 'VIP;Newsletter', Title: 'Boss' });
		expect(rows.get(b.id)).toMatchObject({ Skeepers_Flags__c: null, Title: null });

		const up = await sf.conn
			.sobject('Contact')
			.update([{ Id: a.id, Skeepers_Flags__c: 'VIP;Newsletter;To call back' }]);
		expect(up).toEqual([{ id: a.id, success: true, errors: [] }]);
		const again = await sf.conn.query<Record<string, unknown>>(
			`SELECT Id, Skeepers_Flags__c FROM Contact WHERE Id = '${a.id}'`,
		);
		expect(again.records[0].Skeepers_Flags__c).toBe('VIP;Newsletter;To call back');
	});

	test('a SOQL IN query by external ID returns the match field and the selected fields', async () => {
		await sf.conn
			.sobject('Contact')
			.create([
				{ LastName: 'R', Skeepers_Respondent_Id__c: 'R-1', Skeepers_Flags__c: 'Ambassador' },
			]);
		const res = await sf.conn.query<Record<string, unknown>>(
			"SELECT Id, Skeepers_Respondent_Id__c, Skeepers_Flags__c FROM Contact WHERE Skeepers_Respondent_Id__c IN ('R-1','R-2')",
		);
		expect(res.records).toHaveLength(1);
		expect(res.records[0]).toMatchObject({
			Skeepers_Respondent_Id__c: 'R-1',
			Skeepers_Flags__c: 'Ambassador',
		});
	});

	test('an unknown field in the SELECT is refused with INVALID_FIELD', async () => {
		const error = await rejection(
			sf.conn.query("SELECT Id, No_Such__c FROM Contact WHERE Email IN ('a@x.fr')"),
		);
		expect(error.errorCode).toBe('INVALID_FIELD');
	});

	test('Bulk API 2.0 update: an empty CSV cell leaves the field unchanged', async () => {
		const [a, b] = (await sf.conn
			.sobject('Contact')
			.create([
				{ LastName: 'A', Title: 'Kept', Skeepers_Flags__c: 'VIP' },
				{ LastName: 'B' },
			])) as Array<{ id: string }>;
		const res = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Contact',
			operation: 'update',
			input: `Id,Title,Skeepers_Flags__c\n${a.id},,VIP;Newsletter\n${b.id},New,\n`,
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(res.successfulResults).toHaveLength(2);
		const stored = new Map(sf.emu.records('Contact').map((r) => [r.Id as string, r]));
		expect(stored.get(a.id)).toMatchObject({ Title: 'Kept', Skeepers_Flags__c: 'VIP;Newsletter' });
		expect(stored.get(b.id)).toMatchObject({ Title: 'New' });
		expect(stored.get(b.id)?.Skeepers_Flags__c ?? null).toBeNull();
	});
});

import { toCsv } from '../../emulator/csv';
import { rejection, useEmulator } from './helpers';

/** Waits (polling, at most 5 s) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
	for (let i = 0; i < 250 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
	if (!done()) throw new Error('waited 5 s in vain');
}

describe('parents named by their external ID or idLookup field, through jsforce', () => {
	const sf = useEmulator({ org: false, clearEach: true });
	let anna: string;
	let lead: string;
	beforeEach(async () => {
		const made = await sf.conn.sobject('Contact').create([
			{ LastName: 'Anna', Skeepers_Respondent_Id__c: 'r-1', Email: 'anna@example.com' },
			{ LastName: 'Twin A', Email: 'twin@example.com' },
			{ LastName: 'Twin B', Email: 'twin@example.com' },
		]);
		anna = String(made[0].id);
		const l = await sf.conn.sobject('Lead').create({
			LastName: 'Lea',
			Company: 'ACME',
			Email: 'lea@example.com',
		});
		lead = String(l.id);
	});

	const stored = (object: string, id: string | undefined) =>
		sf.emu.records(object).find((r) => r.Id === id)!;

	test('the describe gives each reference field its relationshipName and referenceTo', async () => {
		const d = await sf.conn.sobject('Skeepers_Feedback__c').describe();
		const contact = d.fields.find((f) => f.name === 'Contact__c')!;
		expect(contact).toMatchObject({ relationshipName: 'Contact__r', referenceTo: ['Contact'] });
		const task = await sf.conn.sobject('Task').describe();
		expect(task.fields.find((f) => f.name === 'WhoId')).toMatchObject({
			relationshipName: 'Who',
			referenceTo: ['Contact', 'Lead'],
		});
	});

	test('REST create: a nested relationship object stores the parent Id (standard and custom lookups)', async () => {
		const c = await sf.conn
			.sobject('Case')
			.create({ Subject: 'by ext id', Contact: { Skeepers_Respondent_Id__c: 'r-1' } });
		expect(c.success).toBe(true);
		expect(stored('Case', c.id).ContactId).toBe(anna);
		const fb = await sf.conn
			.sobject('Skeepers_Feedback__c')
			.create({ Event_Id__c: 'e-1', Contact__r: { Skeepers_Respondent_Id__c: 'R-1' } });
		expect(stored('Skeepers_Feedback__c', fb.id).Contact__c).toBe(anna);
	});

	test('REST update and upsert by external ID accept the nested form; idLookup fields (Email) work too', async () => {
		const c = await sf.conn.sobject('Case').create({ Subject: 'later' });
		await sf.conn.sobject('Case').update({ Id: c.id!, Contact: { Email: 'anna@example.com' } });
		expect(stored('Case', c.id).ContactId).toBe(anna);
		const up = await sf.conn
			.sobject('Case')
			.upsert(
				{ Skeepers_Event_Id__c: 'ev-1', Contact: { Skeepers_Respondent_Id__c: 'r-1' } },
				'Skeepers_Event_Id__c',
			);
		expect(up.success).toBe(true);
		expect(stored('Case', up.id).ContactId).toBe(anna);
	});

	test('a polymorphic field names the parent type in attributes', async () => {
		const t = await sf.conn.sobject('Task').create({
			Subject: 'call',
			Who: { attributes: { type: 'Lead' }, Email: 'lea@example.com' },
		});
		expect(stored('Task', t.id).WhoId).toBe(lead);
		const err = await rejection(
			sf.conn.sobject('Task').create({ Subject: 'no type', Who: { Email: 'lea@example.com' } }),
		);
		expect(err.errorCode).toBe('INVALID_FIELD');
	});

	test('REST: a missing parent answers INVALID_FIELD "Foreign key external ID … not found"; nothing is written', async () => {
		const err = await rejection(
			sf.conn
				.sobject('Case')
				.create({ Subject: 'x', Contact: { Skeepers_Respondent_Id__c: 'r-9' } }),
		);
		expect(err.errorCode).toBe('INVALID_FIELD');
		expect(err.message).toBe(
			'Foreign key external ID: r-9 not found for field Skeepers_Respondent_Id__c in entity Contact',
		);
		expect(sf.emu.records('Case')).toHaveLength(0);
	});

	test('REST: a parent field that is neither External ID nor idLookup, or unknown, fails the request', async () => {
		const notIndexed = await rejection(
			sf.conn.sobject('Case').create({ Subject: 'x', Contact: { LastName: 'Anna' } }),
		);
		expect(notIndexed.errorCode).toBe('INVALID_FIELD');
		expect(notIndexed.message).toContain('LastName');
		const unknown = await rejection(
			sf.conn.sobject('Case').create({ Subject: 'x', Contact: { Nope__c: 'a' } }),
		);
		expect(unknown.errorCode).toBe('INVALID_FIELD');
		expect(unknown.message).toBe("No such column 'Nope__c' on sobject of type Contact");
		const notNested = await rejection(
			sf.conn.sobject('Case').create({ Subject: 'x', Contact: 'r-1' }),
		);
		expect(notNested.message).toBe(
			'The value provided for foreign key reference Contact is not a nested SObject',
		);
		expect(sf.emu.records('Case')).toHaveLength(0);
	});

	test('Collections: a missing parent or a parent found twice fails that record alone', async () => {
		const res = await sf.conn.sobject('Case').create([
			{ Subject: 'ok', Contact: { Skeepers_Respondent_Id__c: 'r-1' } },
			{ Subject: 'missing', Contact: { Skeepers_Respondent_Id__c: 'r-9' } },
			{ Subject: 'twice', Contact: { Email: 'twin@example.com' } },
		]);
		expect(res.map((r) => r.success)).toEqual([true, false, false]);
		expect(stored('Case', res[0].id).ContactId).toBe(anna);
		const errors = res.map((r) => (r.success ? undefined : r.errors[0]));
		expect(errors[1]).toMatchObject({
			statusCode: 'INVALID_FIELD',
			message:
				'Foreign key external ID: r-9 not found for field Skeepers_Respondent_Id__c in entity Contact',
		});
		expect(errors[2]).toMatchObject({
			statusCode: 'INVALID_FIELD',
			message:
				'Foreign key external ID: twin@example.com found more than once for field Email in entity Contact',
		});
		expect(sf.emu.records('Case').map((r) => r.Subject)).toEqual(['ok']);
	});

	test('Bulk API 2.0: RelationshipName.Field columns (Type: prefix for polymorphic); a missing parent fails its row', async () => {
		const res = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Case',
			operation: 'insert',
			input: toCsv([
				['Subject', 'Contact.Skeepers_Respondent_Id__c'],
				['ok', 'r-1'],
				['missing', 'r-9'],
				['no parent', ''],
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(res.successfulResults).toHaveLength(2);
		const ok = (res.successfulResults as Array<Record<string, unknown>>).find(
			(r) => r.Subject === 'ok',
		)!;
		expect(stored('Case', String(ok.sf__Id)).ContactId).toBe(anna);
		expect(res.failedResults.map((r) => String(r.sf__Error))).toEqual([
			'INVALID_FIELD:Foreign key external ID: r-9 not found for field Skeepers_Respondent_Id__c in entity Contact:--',
		]);
		const tasks = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Task',
			operation: 'insert',
			input: toCsv([
				['Subject', 'Lead:Who.Email'],
				['call', 'lea@example.com'],
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(stored('Task', String(tasks.successfulResults[0].sf__Id)).WhoId).toBe(lead);
	});

	test('Bulk API 2.0: a column naming a non-indexed parent field or no relationship fails the job', async () => {
		let deletes = sf.emu.counters().byKind['bulk.delete'] ?? 0;
		for (const column of ['Contact.LastName', 'Nope.Email']) {
			const err = await rejection(
				sf.conn.bulk2.loadAndWaitForResults({
					object: 'Case',
					operation: 'insert',
					input: toCsv([
						['Subject', column],
						['x', 'y'],
					]),
					pollInterval: 20,
					pollTimeout: 10000,
				}),
			);
			expect(err.message).toContain(`InvalidBatch : Field name not found : ${column}`);
			// jsforce deletes a failed job without waiting (loadAndWaitForResults' clean-up): wait
			// for that DELETE here, or it is still going (and retried) once the emulator stops
			await until(() => (sf.emu.counters().byKind['bulk.delete'] ?? 0) >= deletes + 1);
			deletes++;
		}
		expect(sf.emu.records('Case')).toHaveLength(0);
	});
});

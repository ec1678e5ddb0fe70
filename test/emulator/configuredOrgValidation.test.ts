/** The configured org's validation rules and field-level security, through jsforce. */
import { toCsv } from '../../emulator/csv';
import { connect, emulator, rejection, useEmulator } from './helpers';

const NPS = {
	message: 'NPS score must be between 0 and 10',
	fields: ['NPS_Score__c'],
};
const FLS_MESSAGE =
	'Unable to create/update fields: Lifetime_Value__c. Please check the security settings of this field and verify that it is read/write for your profile or permission set.';

describe('configured org: validation rules and field-level security', () => {
	const sf = useEmulator({ clearEach: true });

	test('REST create, update and upsert: NPS_Score__c outside 0..10 → FIELD_CUSTOM_VALIDATION_EXCEPTION', async () => {
		const err = await rejection(
			sf.conn.sobject('Contact').create({ LastName: 'A', NPS_Score__c: 11 }),
		);
		expect(err.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
		expect(err.data).toMatchObject({ ...NPS, errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' });
		const ok = await sf.conn
			.sobject('Lead')
			.create({ LastName: 'A', Company: 'C', NPS_Score__c: 10 });
		const upd = await rejection(sf.conn.sobject('Lead').update({ Id: ok.id!, NPS_Score__c: -1 }));
		expect(upd.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
		const ups = await rejection(
			sf.conn
				.sobject('Contact')
				.upsert(
					{ Skeepers_Respondent_Id__c: 'R-1', LastName: 'A', NPS_Score__c: 42 },
					'Skeepers_Respondent_Id__c',
				),
		);
		expect(ups.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
		expect(sf.emu.records('Lead')[0].NPS_Score__c).toBe(10);
		expect(sf.emu.records('Contact')).toHaveLength(0);
	});

	test('Case: Status Closed needs a Description (also when the update only sets the Status)', async () => {
		const c = await sf.conn.sobject('Case').create({ Subject: 'S' });
		const err = await rejection(sf.conn.sobject('Case').update({ Id: c.id!, Status: 'Closed' }));
		expect(err.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
		expect(err.data).toMatchObject({
			message: 'Describe the resolution before closing the case',
			fields: ['Description'],
		});
		await sf.conn.sobject('Case').update({ Id: c.id!, Status: 'Closed', Description: 'Refunded' });
		expect(sf.emu.records('Case')[0].Status).toBe('Closed');
	});

	test('Collections: the failing record gets a statusCode error, the others are saved', async () => {
		const res = await sf.conn.sobject('Contact').create(
			[
				{ LastName: 'A', NPS_Score__c: 7 },
				{ LastName: 'B', NPS_Score__c: 12 },
			],
			{
				allOrNone: false,
			},
		);
		expect(res[0].success).toBe(true);
		expect(res[1]).toEqual({
			success: false,
			errors: [{ statusCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION', ...NPS }],
		});
	});

	test('Bulk API 2.0: the failed row carries the rule message and field', async () => {
		const res = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Lead',
			operation: 'insert',
			input: toCsv([
				['LastName', 'Company', 'NPS_Score__c'],
				['A', 'C', '3'],
				['B', 'C', '99'],
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(res.successfulResults).toHaveLength(1);
		expect(res.failedResults.map((r) => r.sf__Error)).toEqual([
			'FIELD_CUSTOM_VALIDATION_EXCEPTION:NPS score must be between 0 and 10:NPS_Score__c --',
		]);
	});

	test('FLS: Contact.Lifetime_Value__c is read-only in the describe and a write is refused on every path', async () => {
		const d = await sf.conn.sobject('Contact').describe();
		expect(d.fields.find((f) => f.name === 'Lifetime_Value__c')).toMatchObject({
			type: 'currency',
			createable: false,
			updateable: false,
		});
		const err = await rejection(
			sf.conn.sobject('Contact').create({ LastName: 'A', Lifetime_Value__c: 5 }),
		);
		expect(err.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
		expect(err.data).toMatchObject({ message: FLS_MESSAGE, fields: ['Lifetime_Value__c'] });
		const ok = await sf.conn.sobject('Contact').create({ LastName: 'A' });
		const res = await sf.conn
			.sobject('Contact')
			.update([{ Id: ok.id!, Lifetime_Value__c: 10 }], { allOrNone: false });
		expect(res[0]).toEqual({
			success: false,
			errors: [
				{
					statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
					message: FLS_MESSAGE,
					fields: ['Lifetime_Value__c'],
				},
			],
		});
		const bulk = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Contact',
			operation: 'insert',
			input: toCsv([
				['LastName', 'Lifetime_Value__c'],
				['B', '12.5'],
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(bulk.failedResults.map((r) => r.sf__Error)).toEqual([
			`INVALID_FIELD_FOR_INSERT_UPDATE:${FLS_MESSAGE}:Lifetime_Value__c --`,
		]);
		// Readable: it is in SOQL results.
		const q = await sf.conn.query<{ Lifetime_Value__c: unknown }>(
			'SELECT Id, Lifetime_Value__c FROM Contact',
		);
		expect(q.records[0].Lifetime_Value__c).toBeNull();
	});

	test('switched off (blank org, validationRules: false, fieldSecurity: false): the same writes succeed', async () => {
		for (const org of [false, { validationRules: false, fieldSecurity: false }] as const) {
			const blank = await emulator({ org });
			try {
				const c = connect(blank);
				const d = await c.sobject('Contact').describe();
				expect(d.fields.find((f) => f.name === 'Lifetime_Value__c')?.updateable).toBe(true);
				expect(
					(
						await c
							.sobject('Contact')
							.create({ LastName: 'A', NPS_Score__c: 11, Lifetime_Value__c: 5 })
					).success,
				).toBe(true);
				expect((await c.sobject('Case').create({ Subject: 'S', Status: 'Closed' })).success).toBe(
					true,
				);
			} finally {
				await blank.stop();
			}
		}
	});

	test('each part switches alone: validationRules off keeps FLS, fieldSecurity off keeps validation', async () => {
		const noRules = await emulator({ org: { validationRules: false } });
		const noFls = await emulator({ org: { fieldSecurity: false } });
		try {
			const a = connect(noRules);
			expect((await a.sobject('Contact').create({ LastName: 'A', NPS_Score__c: 11 })).success).toBe(
				true,
			);
			expect(
				(await rejection(a.sobject('Contact').create({ LastName: 'A', Lifetime_Value__c: 1 })))
					.errorCode,
			).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
			const b = connect(noFls);
			expect(
				(await b.sobject('Contact').create({ LastName: 'A', Lifetime_Value__c: 1 })).success,
			).toBe(true);
			expect(
				(await rejection(b.sobject('Contact').create({ LastName: 'A', NPS_Score__c: 11 })))
					.errorCode,
			).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
		} finally {
			await noRules.stop();
			await noFls.stop();
		}
	});
});

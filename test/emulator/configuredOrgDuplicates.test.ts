/** The configured org's standard Contact/Lead duplicate rules, through jsforce on every save path. */
import { toCsv } from '../../emulator/csv';
import { connect, emulator, rejection, requestWithHeaders, useEmulator, VERSION } from './helpers';

const ANNA = { FirstName: 'Anna', LastName: 'Karlsson', Email: 'anna.karlsson@example.com' };
/** The same person as typed by someone else: other case, stray spaces. */
const ANNA_AGAIN = {
	FirstName: ' anna',
	LastName: 'KARLSSON ',
	Email: 'Anna.Karlsson@Example.com',
};

type DupError = {
	errorCode?: string;
	statusCode?: string;
	message: string;
	duplicateResult: {
		duplicateRule: string;
		matchResults: Array<{
			rule: string;
			size: number;
			matchRecords: Array<{ record: { Id: string } }>;
		}>;
	};
};

function expectDuplicateResult(e: DupError, object: 'Contact' | 'Lead', ids: string[]): void {
	expect(e.message).toBe('Use one of these records?');
	const matchRule =
		object === 'Contact' ? 'Standard_Contact_Match_Rule_v1_1' : 'Standard_Lead_Match_Rule_v1_0';
	expect(e.duplicateResult).toEqual({
		allowSave: true,
		duplicateRule: `Standard_${object}_Duplicate_Rule`,
		duplicateRuleEntityType: object,
		errorMessage:
			"You're creating a duplicate record. We recommend you use an existing record instead.",
		matchResults: [
			{
				entityType: object,
				errors: [],
				matchEngine: 'FuzzyMatchEngine',
				matchRecords: ids.map((Id) => ({
					additionalInformation: [],
					fieldDiffs: [],
					matchConfidence: 100,
					record: {
						attributes: {
							type: object,
							url: `/services/data/v${VERSION}/sobjects/${object}/${Id}`,
						},
						Id,
					},
				})),
				rule: matchRule,
				size: ids.length,
				success: true,
			},
		],
	});
}

describe('configured org: duplicate rules', () => {
	const sf = useEmulator({ clearEach: true });

	const post = (path: string, body: unknown, headers: Record<string, string>) =>
		requestWithHeaders(sf.conn, 'POST', path, body, headers);

	test('REST create of an identical Contact fails with DUPLICATES_DETECTED and the duplicateResult', async () => {
		const first = await sf.conn.sobject('Contact').create(ANNA);
		const err = await rejection(sf.conn.sobject('Contact').create(ANNA_AGAIN));
		expect(err.errorCode).toBe('DUPLICATES_DETECTED');
		expectDuplicateResult(err.data as DupError, 'Contact', [first.id!]);
		expect(sf.emu.records('Contact')).toHaveLength(1);
	});

	test('Lead rule too; names or e-mail that differ, or a blank FirstName, do not match', async () => {
		const lead = { ...ANNA, Company: 'Acme' };
		const first = await sf.conn.sobject('Lead').create(lead);
		const err = await rejection(sf.conn.sobject('Lead').create({ ...lead, Company: 'Other' }));
		expect(err.errorCode).toBe('DUPLICATES_DETECTED');
		expectDuplicateResult(err.data as DupError, 'Lead', [first.id!]);
		for (const other of [
			{ ...lead, FirstName: 'Anne' },
			{ ...lead, Email: 'anna@example.org' },
			{ ...lead, FirstName: undefined },
		])
			expect((await sf.conn.sobject('Lead').create(other)).success).toBe(true);
		// The same person as a Contact: the rules compare records of one object only.
		expect((await sf.conn.sobject('Contact').create(ANNA)).success).toBe(true);
	});

	test('update and upsert that make a record identical to another fail; saving a record unchanged does not', async () => {
		const a = await sf.conn.sobject('Contact').create(ANNA);
		const b = await sf.conn
			.sobject('Contact')
			.create({ ...ANNA, FirstName: 'Bo', Skeepers_Respondent_Id__c: 'R-B' });
		expect((await sf.conn.sobject('Contact').update({ Id: a.id!, ...ANNA })).success).toBe(true);
		const upd = await rejection(
			sf.conn.sobject('Contact').update({ Id: b.id!, FirstName: 'ANNA' }),
		);
		expect(upd.errorCode).toBe('DUPLICATES_DETECTED');
		expectDuplicateResult(upd.data as DupError, 'Contact', [a.id!]);
		const ups = await rejection(
			sf.conn
				.sobject('Contact')
				.upsert(
					{ Skeepers_Respondent_Id__c: 'R-B', FirstName: 'Anna' },
					'Skeepers_Respondent_Id__c',
				),
		);
		expect(ups.errorCode).toBe('DUPLICATES_DETECTED');
		const created = await rejection(
			sf.conn
				.sobject('Contact')
				.upsert({ ...ANNA_AGAIN, Skeepers_Respondent_Id__c: 'R-NEW' }, 'Skeepers_Respondent_Id__c'),
		);
		expect(created.errorCode).toBe('DUPLICATES_DETECTED');
		expect(
			sf.emu
				.records('Contact')
				.map((r) => r.FirstName)
				.sort(),
		).toEqual(['Anna', 'Bo']);
	});

	test('Collections: per-record statusCode error with the duplicateResult; two identical new records in one call are both saved', async () => {
		const first = await sf.conn.sobject('Contact').create(ANNA);
		const res = await sf.conn
			.sobject('Contact')
			.create(
				[
					ANNA_AGAIN,
					{ LastName: 'Other' },
					{ ...ANNA, Email: 'twin@example.com' },
					{ ...ANNA, Email: 'twin@example.com' },
				],
				{
					allOrNone: false,
				},
			);
		expect(res.map((r) => r.success)).toEqual([false, true, true, true]);
		const e = (res[0] as unknown as { errors: DupError[] }).errors[0];
		expect(e.statusCode).toBe('DUPLICATES_DETECTED');
		expect((e as unknown as { fields: string[] }).fields).toEqual([]);
		expectDuplicateResult(e, 'Contact', [first.id!]);
		// The twins are in the database now: a later save of a third one matches both.
		const later = await sf.conn
			.sobject('Contact')
			.create([{ ...ANNA, Email: 'twin@example.com' }], { allOrNone: false });
		const ids = res.slice(2).map((r) => r.id!);
		expectDuplicateResult(
			(later[0] as unknown as { errors: DupError[] }).errors[0],
			'Contact',
			ids,
		);
	});

	test('Collections update and upsert answer the duplicate per record', async () => {
		const a = await sf.conn.sobject('Contact').create(ANNA);
		const b = await sf.conn.sobject('Contact').create({
			LastName: 'Karlsson',
			FirstName: 'Bo',
			Email: ANNA.Email,
			Skeepers_Respondent_Id__c: 'R-B',
		});
		const upd = await sf.conn
			.sobject('Contact')
			.update([{ Id: b.id!, FirstName: 'Anna' }], { allOrNone: false });
		expect((upd[0] as unknown as { errors: DupError[] }).errors[0].statusCode).toBe(
			'DUPLICATES_DETECTED',
		);
		const ups = await sf.conn
			.sobject('Contact')
			.upsert(
				[{ Skeepers_Respondent_Id__c: 'R-B', FirstName: 'Anna' }],
				'Skeepers_Respondent_Id__c',
				{
					allOrNone: false,
				},
			);
		expect((ups[0] as unknown as { errors: DupError[] }).errors[0].statusCode).toBe(
			'DUPLICATES_DETECTED',
		);
		expect(sf.emu.records('Contact').find((r) => r.Id === a.id)?.FirstName).toBe('Anna');
		expect(sf.emu.records('Contact').find((r) => r.Id === b.id)?.FirstName).toBe('Bo');
	});

	test('Sforce-Duplicate-Rule-Header allowSave=true lets the alert rule save (REST and Collections, "; " or ", " separated)', async () => {
		await sf.conn.sobject('Contact').create(ANNA);
		const one = (await post('/sobjects/Contact', ANNA, {
			'Sforce-Duplicate-Rule-Header':
				'allowSave=true; includeRecordDetails=false; runAsCurrentUser=false',
		})) as { success: boolean };
		expect(one.success).toBe(true);
		const many = (await post(
			'/composite/sobjects',
			{ allOrNone: false, records: [{ attributes: { type: 'Contact' }, ...ANNA }] },
			{ 'Sforce-Duplicate-Rule-Header': 'includeRecordDetails=false, allowSave=TRUE' },
		)) as Array<{ success: boolean }>;
		expect(many[0].success).toBe(true);
		const refused = await rejection(
			post('/sobjects/Contact', ANNA, { 'Sforce-Duplicate-Rule-Header': 'allowSave=false' }),
		);
		expect(refused.errorCode).toBe('DUPLICATES_DETECTED');
		expect(sf.emu.records('Contact')).toHaveLength(3);
	});

	test('a record that repeats a unique value and matches the rule answers DUPLICATES_DETECTED (unique fields are enforced later, at the database save)', async () => {
		const keyed = { ...ANNA, Skeepers_Respondent_Id__c: 'R-1' };
		await sf.conn.sobject('Contact').create(keyed);
		const err = await rejection(sf.conn.sobject('Contact').create(keyed));
		expect(err.errorCode).toBe('DUPLICATES_DETECTED');
		const allowed = await rejection(
			post('/sobjects/Contact', keyed, { 'Sforce-Duplicate-Rule-Header': 'allowSave=true' }),
		);
		expect(allowed.errorCode).toBe('DUPLICATE_VALUE');
		const other = await rejection(sf.conn.sobject('Contact').create({ ...keyed, FirstName: 'Bo' }));
		expect(other.errorCode).toBe('DUPLICATE_VALUE');
	});

	test('the header needs API v52.0+: on v51.0 allowSave is not read', async () => {
		await sf.conn.sobject('Contact').create(ANNA);
		const err = await rejection(
			requestWithHeaders(sf.conn, 'POST', '/services/data/v51.0/sobjects/Contact', ANNA, {
				'Sforce-Duplicate-Rule-Header': 'allowSave=true',
			}),
		);
		expect(err.errorCode).toBe('DUPLICATES_DETECTED');
	});

	test('Bulk API 2.0: the duplicate row fails with DUPLICATES_DETECTED:Use one of these records?:-- (no Ids); rows of one job do not match each other', async () => {
		await sf.conn.sobject('Contact').create(ANNA);
		const res = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'Contact',
			operation: 'insert',
			input: toCsv([
				['FirstName', 'LastName', 'Email'],
				[ANNA_AGAIN.FirstName, ANNA_AGAIN.LastName, ANNA_AGAIN.Email],
				['Twin', 'Row', 'twin@example.com'],
				['Twin', 'Row', 'twin@example.com'],
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(res.failedResults.map((r) => r.sf__Error)).toEqual([
			'DUPLICATES_DETECTED:Use one of these records?:--',
		]);
		expect(res.successfulResults).toHaveLength(2);
	});

	test('blank org (or duplicateRules: false): identical records are saved', async () => {
		for (const org of [false, { duplicateRules: false }] as const) {
			const blank = await emulator({ org });
			try {
				const c = connect(blank);
				await c.sobject('Contact').create(ANNA);
				expect((await c.sobject('Contact').create(ANNA_AGAIN)).success).toBe(true);
				expect(blank.records('Contact')).toHaveLength(2);
			} finally {
				await blank.stop();
			}
		}
	});
});

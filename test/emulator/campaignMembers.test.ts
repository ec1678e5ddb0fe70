/**
 * Campaign membership through jsforce: CampaignMemberStatus seeded per campaign and queryable;
 * CampaignMember written through REST and sObject Collections (create, update), queryable,
 * one per campaign and Contact/Lead, its Status one of the campaign's.
 */
import { toCsv } from '../../emulator/csv';
import { useEmulator } from './helpers';

type Row = Record<string, unknown>;

describe('CampaignMember and CampaignMemberStatus', () => {
	const sf = useEmulator({ clearEach: true });

	const campaignId = async (name: string): Promise<string> => {
		const res = await sf.conn.query<Row>(`SELECT Id FROM Campaign WHERE Name = '${name}'`);
		return String(res.records[0].Id);
	};
	const contact = async (lastName: string): Promise<string> => {
		const res = await sf.conn.sobject('Contact').create({ LastName: lastName });
		if (!res.success) throw new Error('Contact not created');
		return res.id;
	};

	test('CampaignMemberStatus is queryable: each campaign its own statuses, one default', async () => {
		const detractors = await campaignId('Detractors follow-up');
		const res = await sf.conn.query<Row>(
			`SELECT Id, Label, IsDefault, HasResponded, SortOrder FROM CampaignMemberStatus WHERE CampaignId = '${detractors}' ORDER BY SortOrder`,
		);
		expect(
			res.records.map(({ Label, IsDefault, HasResponded }) => [Label, IsDefault, HasResponded]),
		).toEqual([
			['Sent', true, false],
			['Responded', false, true],
			['To call back', false, false],
		]);
		expect(res.records.every((r) => /^01Y\w{15}$/.test(String(r.Id)))).toBe(true);
		const promoters = await campaignId('Promoters referral');
		const other = await sf.conn.query<Row>(
			`SELECT Label FROM CampaignMemberStatus WHERE CampaignId = '${promoters}' ORDER BY SortOrder`,
		);
		expect(other.records.map((r) => r.Label)).toEqual(['Sent', 'Responded', 'Referred a friend']);
	});

	test('REST create: a Contact joins with the given Status; no Status takes the default; HasResponded follows', async () => {
		const campaign = await campaignId('Detractors follow-up');
		const [a, b] = [await contact('A'), await contact('B')];
		const one = await sf.conn
			.sobject('CampaignMember')
			.create({ CampaignId: campaign, ContactId: a, Status: 'Responded' });
		const two = await sf.conn
			.sobject('CampaignMember')
			.create({ CampaignId: campaign, ContactId: b });
		expect(one.success && two.success).toBe(true);
		const res = await sf.conn.query<Row>(
			`SELECT Id, ContactId, Status, HasResponded FROM CampaignMember WHERE CampaignId = '${campaign}' AND ContactId IN ('${a}', '${b}') ORDER BY Status`,
		);
		expect(
			res.records.map(({ ContactId, Status, HasResponded }) => [ContactId, Status, HasResponded]),
		).toEqual([
			[a, 'Responded', true],
			[b, 'Sent', false],
		]);
		expect(res.records.every((r) => /^00v\w{15}$/.test(String(r.Id)))).toBe(true);
	});

	test('a second membership of the same Contact fails: DUPLICATE_VALUE "Already a campaign member."', async () => {
		const campaign = await campaignId('Detractors follow-up');
		const a = await contact('A');
		await sf.conn.sobject('CampaignMember').create({ CampaignId: campaign, ContactId: a });
		await expect(
			sf.conn.sobject('CampaignMember').create({ CampaignId: campaign, ContactId: a }),
		).rejects.toMatchObject({
			errorCode: 'DUPLICATE_VALUE',
			message: 'Already a campaign member.',
		});
		// another campaign is another membership
		const other = await sf.conn
			.sobject('CampaignMember')
			.create({ CampaignId: await campaignId('Promoters referral'), ContactId: a });
		expect(other.success).toBe(true);
	});

	test('Collections create: per-record results, a Lead joins, a duplicate in the same call fails alone', async () => {
		const campaign = await campaignId('Detractors follow-up');
		const a = await contact('A');
		const lead = await sf.conn.sobject('Lead').create({ LastName: 'L', Company: 'Acme' });
		if (!lead.success) throw new Error('Lead not created');
		const res = await sf.conn.sobject('CampaignMember').create([
			{ CampaignId: campaign, ContactId: a, Status: 'To call back' },
			{ CampaignId: campaign, LeadId: lead.id },
			{ CampaignId: campaign, ContactId: a },
		]);
		expect(res.map((r) => r.success)).toEqual([true, true, false]);
		expect(res[2]).toMatchObject({
			errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'Already a campaign member.' }],
		});
		expect(sf.emu.counters().byKind['collections.create']).toBe(1);
	});

	test('a Status the campaign does not have fails: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, on create and on update', async () => {
		const campaign = await campaignId('Detractors follow-up');
		const a = await contact('A');
		// "Referred a friend" belongs to another campaign
		const [bad] = await sf.conn
			.sobject('CampaignMember')
			.create([{ CampaignId: campaign, ContactId: a, Status: 'Referred a friend' }]);
		expect(bad).toMatchObject({
			success: false,
			errors: [
				{
					statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
					message: 'Status: bad value for restricted picklist field: Referred a friend',
					fields: ['Status'],
				},
			],
		});
		const made = await sf.conn
			.sobject('CampaignMember')
			.create({ CampaignId: campaign, ContactId: a });
		if (!made.success) throw new Error('member not created');
		await expect(
			sf.conn.sobject('CampaignMember').update({ Id: made.id, Status: 'Nope' }),
		).rejects.toMatchObject({ errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
	});

	test('Collections update: the Status changes, HasResponded with it; ContactId cannot change', async () => {
		const campaign = await campaignId('Detractors follow-up');
		const [a, b] = [await contact('A'), await contact('B')];
		const made = await sf.conn.sobject('CampaignMember').create([
			{ CampaignId: campaign, ContactId: a },
			{ CampaignId: campaign, ContactId: b },
		]);
		const ids = made.map((m) => (m.success ? m.id : ''));
		const res = await sf.conn.sobject('CampaignMember').update([
			{ Id: ids[0], Status: 'Responded' },
			{ Id: ids[1], ContactId: a },
		]);
		expect(res[0].success).toBe(true);
		expect(res[1]).toMatchObject({
			success: false,
			errors: [{ statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' }],
		});
		expect(sf.emu.counters().byKind['collections.update']).toBe(1);
		const row = await sf.conn.sobject('CampaignMember').retrieve(ids[0]);
		expect(row).toMatchObject({ Status: 'Responded', HasResponded: true, ContactId: a });
	});

	test('a campaign that does not exist fails: INVALID_CROSS_REFERENCE_KEY', async () => {
		const a = await contact('A');
		await expect(
			sf.conn.sobject('CampaignMember').create({ CampaignId: '701000000000099AAA', ContactId: a }),
		).rejects.toMatchObject({ errorCode: 'INVALID_CROSS_REFERENCE_KEY' });
	});

	test('Bulk API 2.0 insert: the same rules per row (status, one membership per Contact)', async () => {
		const campaign = await campaignId('Detractors follow-up');
		const [a, b] = [await contact('A'), await contact('B')];
		const res = await sf.conn.bulk2.loadAndWaitForResults({
			object: 'CampaignMember',
			operation: 'insert',
			input: toCsv([
				['CampaignId', 'ContactId', 'Status'],
				[campaign, a, 'To call back'],
				[campaign, a, 'Sent'],
				[campaign, b, 'Nope'],
			]),
			pollInterval: 20,
			pollTimeout: 10000,
		});
		expect(res.successfulResults).toHaveLength(1);
		expect(res.failedResults.map((r) => String(r.sf__Error))).toEqual([
			'DUPLICATE_VALUE:Already a campaign member.:--',
			'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Status: bad value for restricted picklist field: Nope:Status --',
		]);
	});
});

/**
 * `npm run demo`: the whole loop on this machine, with no Salesforce org and no Skeepers account.
 *
 *   build + pack the package → Salesforce emulator → real n8n 2.41.1 with the package installed
 *   from its tarball → Salesforce credential by the real OAuth flow (authorization code + PKCE)
 *   → webhook credential (HMAC secret) → example workflows imported and activated → the sample
 *   payloads replayed, signed, to each workflow's production URL → executions awaited → summary.
 *
 * Then n8n and the emulator keep running (editor URL and login printed) until Ctrl-C.
 *
 *   --once      print the summary and exit: 0 only if every expected record landed
 *   --verbose   n8n's own log on the terminal (otherwise in a file, path printed)
 *   --major 1   n8n 1.123.81 instead of 2.41.1
 *   --no-build  pack dist/ as it is
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { Command } from 'commander';

import { replay, type ReplaySummary } from '../replay/replay';
import {
	campaignMismatches,
	caseLinkMismatches,
	detractorsCampaignId,
	enrichmentMismatches,
	expectedRecords,
} from './demo-expected';
import { ensureN8n } from './n8n';
import { loadExampleSeed, PAYLOADS_DIR, startStack, type Stack } from './stack';

const flags = new Command('demo')
	.option('--once', 'print the summary and exit: 0 only if every expected record landed')
	.option('--verbose', "n8n's own log on the terminal (otherwise in a file, path printed)")
	.option('--major <major>', 'n8n major: 2 (2.41.1) or 1 (1.123.81)', '2')
	.option('--no-build', 'pack dist/ as it is')
	.parse(process.argv)
	.opts<{ once?: boolean; verbose?: boolean; major: string; build: boolean }>();
const { once, verbose } = flags;
const noBuild = !flags.build;
if (flags.major !== '1' && flags.major !== '2') {
	console.error('--major must be 1 or 2');
	process.exit(2);
}
const major = Number(flags.major) as 2 | 1;

const tty = process.stdout.isTTY;
const c = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = c(1);
const dim = c(2);
const green = c(32);
const red = c(31);
const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const step = (s: string) => console.log(`${dim(secs().padStart(7))}  ${s}`);

const logFile = path.join(os.tmpdir(), `skeepers-demo-n8n-${process.pid}.log`);
const logStream = verbose ? undefined : fs.createWriteStream(logFile);
const log = (line: string) => {
	if (verbose) console.log(dim(line));
	else logStream!.write(line + '\n');
};

function table(rows: string[][], header: string[]): string {
	const all = [header, ...rows];
	const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
	const line = (r: string[]) =>
		'    ' + r.map((cell, i) => (cell ?? '').padEnd(widths[i])).join('  ');
	return [bold(line(header)), ...rows.map(line)].join('\n');
}

const short = (v: unknown, n = 38) => {
	const s = v === undefined || v === null ? '' : String(v).replace(/\s+/g, ' ');
	return s.length > n ? s.slice(0, n - 1) + '…' : s;
};

async function main(): Promise<number> {
	console.log(
		bold(`Skeepers → n8n → Salesforce demo`) +
			dim(`  (n8n ${major === 2 ? '2.41.1' : '1.123.81'}, Salesforce emulator)`),
	);
	if (!verbose) step(`n8n's log: ${logFile}`);

	step('installing n8n if needed (first time: several minutes)…');
	await ensureN8n(major, log);
	step(noBuild ? 'packing the package…' : 'building and packing the package…');
	let stack: Stack | undefined;
	const stopAll = async () => {
		if (stack) {
			const s = stack;
			stack = undefined;
			await s.stop();
		}
	};
	for (const sig of ['SIGINT', 'SIGTERM'] as const) {
		process.once(sig, () => {
			console.log(dim('\nstopping n8n and the emulator…'));
			stopAll()
				.catch(() => undefined)
				.finally(() => process.exit(0));
		});
	}
	try {
		stack = await startStack({
			major,
			oauth: 'flow',
			workflows: 'examples',
			seed: 'examples',
			build: !noBuild,
			log: (l) => {
				log(l);
				if (l.startsWith('[stack] n8n ')) step(`n8n ${l.slice('[stack] n8n '.length)}`);
				else if (l.startsWith('[stack] OAuth flow'))
					step(`Salesforce credential: ${l.slice('[stack] '.length)}`);
				else if (l.startsWith('[stack] Salesforce emulator')) step(l.slice('[stack] '.length));
				else if (l.startsWith('[stack] workflow')) step(l.slice('[stack] '.length));
			},
		});
		const st = stack;
		const expected = await expectedRecords([PAYLOADS_DIR], loadExampleSeed());

		step(
			`replaying ${expected.deliveries} sample payloads (${expected.events.length} events), HMAC-signed, to each workflow…`,
		);
		const replays: Array<{ name: string; summary: ReplaySummary }> = [];
		for (const w of st.workflows) {
			replays.push({
				name: w.name,
				summary: await replay({
					url: w.triggerUrl,
					paths: [PAYLOADS_DIR],
					mode: 'hmac',
					secret: st.webhookSecret,
					concurrency: 4,
				}),
			});
		}
		const wanted = replays.reduce((n, r) => n + r.summary.status2xx, 0);
		step(`waiting for ${wanted} executions…`);
		const execs = await st.executions.waitFor(wanted, {
			workflowIds: st.workflows.map((w) => w.id),
			timeoutMs: 180_000,
			settleMs: 500,
		});

		// ---- summary
		console.log('\n' + bold('Deliveries') + dim(' (Skeepers Trigger answers)'));
		console.log(
			table(
				replays.map((r) => [
					r.name.replace(/^Skeepers: /, ''),
					String(r.summary.sent),
					String(r.summary.status2xx),
					String(r.summary.status4xx + r.summary.status5xx + r.summary.other),
					`${r.summary.p50Ms} ms`,
				]),
				['workflow', 'sent', '2xx', 'other', 'p50'],
			),
		);
		const byWf = new Map<string, Record<string, number>>();
		for (const e of execs) {
			const m = byWf.get(e.workflowId) ?? {};
			m[e.status] = (m[e.status] ?? 0) + 1;
			byWf.set(e.workflowId, m);
		}
		console.log('\n' + bold('Executions'));
		console.log(
			table(
				st.workflows.map((w) => {
					const m = byWf.get(w.id) ?? {};
					return [
						w.name.replace(/^Skeepers: /, ''),
						String(m.success ?? 0),
						String((m.error ?? 0) + (m.crashed ?? 0) + (m.canceled ?? 0)),
					];
				}),
				['workflow', 'success', 'failed'],
			),
		);
		const failedExecs = execs.filter((e) => e.status !== 'success');
		for (const e of failedExecs.slice(0, 3)) {
			const d = await st.executions.get(String(e.id));
			console.log(red(`    execution ${e.id}: ${short(d.data?.resultData?.error?.message, 200)}`));
		}

		const recs = (o: string) => st.emu.records(o) as Array<Record<string, any>>;
		const contactsById = new Map(recs('Contact').map((r) => [r.Id, r]));
		console.log('\n' + bold('Salesforce (emulator) records'));
		console.log(
			`  ${bold('Contact')} (detractors: upsert by Skeepers_Respondent_Id__c; seeded Contacts: NPS ≥ 7 answers matched by Email)`,
		);
		console.log(
			table(
				recs('Contact').map((r) => [
					r.Skeepers_Respondent_Id__c ?? '',
					short(r.LastName, 24),
					short(r.FirstName, 12),
					short(r.Email, 28),
					r.Phone ?? '',
					String(r.NPS_Score__c ?? ''),
					r.NPS_Category__c ?? '',
					r.Last_Survey_Date__c ?? '',
				]),
				['respondent', 'LastName', 'FirstName', 'Email', 'Phone', 'NPS', 'category', 'last survey'],
			),
		);
		const enrichWf = st.workflows.find((w) => w.file?.endsWith('enrich-contact-by-email.json'));
		const unmatched: Array<Record<string, any>> = [];
		if (enrichWf) {
			for (const e of execs.filter((x) => x.workflowId === enrichWf.id))
				unmatched.push(
					...st.executions.nodeOutput(
						await st.executions.get(String(e.id)),
						'No Contact for this e-mail',
					),
				);
			console.log(
				`  ${bold('No Contact for this e-mail')} (NPS ≥ 7 respondents the enrich workflow could not match: per-item results, the executions succeed)`,
			);
			console.log(
				table(
					unmatched.map((u) => [
						u.respondentId ?? '',
						short(u.email, 28),
						String(u.npsScore ?? ''),
						u.errorCode ?? '',
					]),
					['respondent', 'email', 'NPS', 'result'],
				),
			);
		}
		console.log(
			`  ${bold('Case')} (one per detractor answer, on the respondent's Contact: linked by Contact.Skeepers_Respondent_Id__c)`,
		);
		console.log(
			table(
				recs('Case').map((r) => [
					r.CaseNumber ?? '',
					short(r.Subject, 40),
					r.Priority ?? '',
					r.Origin ?? '',
					short(contactsById.get(r.ContactId)?.LastName ?? r.ContactId, 20),
					contactsById.get(r.ContactId)?.Skeepers_Respondent_Id__c ?? '',
					short(r.Skeepers_Event_Id__c, 22),
				]),
				[
					'number',
					'Subject',
					'Priority',
					'Origin',
					'Contact',
					"Contact's respondent",
					'Skeepers_Event_Id__c (dedup)',
				],
			),
		);
		console.log(
			`  ${bold('CampaignMember')} (detractors' Contacts in "Detractors follow-up"): ${recs(
				'CampaignMember',
			)
				.map(
					(m) =>
						`${contactsById.get(m.ContactId)?.Skeepers_Respondent_Id__c ?? m.ContactId} ${m.Status}`,
				)
				.join(', ')}`,
		);
		console.log(`  ${bold('Lead')} (abandoned carts)`);
		console.log(
			table(
				recs('Lead').map((r) => [
					r.Skeepers_Respondent_Id__c,
					short(r.LastName, 20),
					short(r.Company, 24),
					short(r.Email, 28),
					r.Status ?? '',
				]),
				['respondent', 'LastName', 'Company', 'Email', 'Status'],
			),
		);
		console.log(
			`  ${bold('Skeepers_Feedback__c')} (every answer, raw payload kept; Contact: the respondent's, when one existed at the time)`,
		);
		console.log(
			table(
				recs('Skeepers_Feedback__c').map((r) => [
					short(r.Event_Id__c, 22),
					r.Respondent_Id__c ?? '',
					String(r.NPS_Score__c ?? ''),
					r.NPS_Category__c ?? '',
					short(r.Campaign__c, 26),
					short(contactsById.get(r.Contact__c)?.LastName ?? '', 20),
					`${String(r.Raw_Payload__c ?? '').length} chars`,
				]),
				['Event_Id__c', 'respondent', 'NPS', 'category', 'campaign', 'Contact', 'raw'],
			),
		);

		const counters = st.emu.counters();
		console.log(
			dim(`\n  Salesforce API calls: ${counters.total} (token refreshes: ${counters.refreshes})`),
		);

		// ---- verdict
		const problems: string[] = [];
		for (const [object, count] of Object.entries(expected.counts)) {
			const got = recs(object).length;
			if (got !== count) problems.push(`${object}: ${got} records, expected ${count}`);
		}
		const contactsByEmail = new Map(
			recs('Contact').map((r) => [String(r.Email ?? '').toLowerCase(), r]),
		);
		for (const want of expected.enriched) {
			const wrong = enrichmentMismatches(contactsByEmail.get(want.email.toLowerCase()), want);
			if (wrong.length) problems.push(`Contact ${want.email}: ${wrong.join('; ')}`);
		}
		if (enrichWf) {
			const unmatchedGot = unmatched.map((u) => `${u.respondentId} ${u.errorCode}`).sort();
			const unmatchedWant = expected.unmatched
				.map((u) => `${u.respondentId} ${u.errorCode}`)
				.sort();
			if (JSON.stringify(unmatchedGot) !== JSON.stringify(unmatchedWant))
				problems.push(
					`unmatched respondents: ${unmatchedGot.join(', ')}; expected ${unmatchedWant.join(', ')}`,
				);
		}
		problems.push(...caseLinkMismatches(recs('Case'), recs('Contact'), expected));
		problems.push(
			...campaignMismatches(
				recs('CampaignMember'),
				recs('Contact'),
				detractorsCampaignId(),
				expected,
			),
		);
		for (const r of replays)
			if (!r.summary.allAccepted)
				problems.push(`${r.name}: ${r.summary.sent - r.summary.status2xx} deliveries refused`);
		if (failedExecs.length) problems.push(`${failedExecs.length} executions failed`);
		console.log('');
		if (problems.length) for (const p of problems) console.log(red(`✗ ${p}`));
		else
			console.log(
				green(
					`✓ every expected record landed: ${Object.entries(expected.counts)
						.map(([o, n]) => `${n} ${o}`)
						.join(
							', ',
						)}; ${expected.enriched.length} Contacts enriched by e-mail, ${expected.unmatched.length} respondents without a Contact`,
				),
			);

		if (once) {
			await stopAll();
			return problems.length ? 1 : 0;
		}
		console.log(`
${bold('n8n is running')}   ${st.n8n.url}/
  login            ${st.n8n.owner.email}  /  ${st.n8n.owner.password}
  workflows        ${st.workflows.map((w) => w.name.replace(/^Skeepers: /, '')).join(' · ')}
  trigger URLs     ${st.workflows.map((w) => w.triggerUrl).join('\n                   ')}
  webhook secret   ${st.webhookSecret}
  replay again     npm run replay -- --url <trigger URL> --secret ${st.webhookSecret} examples/payloads
  Salesforce       ${st.emu.url}/__emulator/records/Contact  (also Case, Lead, Skeepers_Feedback__c)
${dim('Ctrl-C stops n8n and the emulator.')}`);
		await new Promise<never>(() => undefined);
		return 0;
	} catch (e) {
		console.error(red(`\n✗ ${(e as Error).message}`));
		if (!verbose) console.error(dim(`  n8n's log: ${logFile}`));
		await stopAll().catch(() => undefined);
		return 2;
	}
}

main().then(
	(code) => {
		logStream?.end();
		process.exit(code);
	},
	(e) => {
		console.error(e);
		process.exit(2);
	},
);

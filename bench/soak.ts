/**
 * The reliability soak: the scenarios of test/e2e/reliability.test.ts at full size, on a real
 * n8n 2.x with this package installed from its tarball (bench/reliability-lib.ts).
 *
 *   npm run soak -- [--records 10000] [--creates 2000] [--batch-size 25] [--json out.json] [--skip-build]
 *
 * The batch size is 25 (not the node's default 200) so that 12,000 items make ~480 write calls:
 * the session then expires every 200 calls and the refresh token rotates several times mid-run.
 *
 * Prints the figures and writes them as JSON with --json. Exit code 1 when a guarantee failed
 * (a lost item, a missing or duplicated record, a wrong webhook status, a leaked secret…).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { packPackage } from '../runtime/n8n';
import {
	runFaults,
	runHostileWebhooks,
	runInjection,
	runLimit,
	runSecretsScan,
	startReliabilityStack,
	type RelContext,
} from './reliability-lib';

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
	const records = Number(arg('records') ?? 10_000);
	const creates = Number(arg('creates') ?? Math.max(1, Math.round(records / 5)));
	const jsonOut = arg('json');
	const batchSize = Number(arg('batch-size') ?? 25);
	if (
		!Number.isInteger(records) ||
		records < 1 ||
		records > 200_000 ||
		!Number.isInteger(creates) ||
		creates < 1 ||
		creates > 100_000
	) {
		console.error('usage: npm run soak -- [--records N (1..200000)] [--creates M] [--json file]');
		return 2;
	}
	const say = (m: string) => console.log(`[soak] ${m}`);
	const t0 = Date.now();
	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'skeepers-soak-pack-'));
	let ctx: RelContext | undefined;
	try {
		say('building and packing the package…');
		const tarball = await packPackage({
			outDir: packDir,
			build: !process.argv.includes('--skip-build'),
		});
		ctx = await startReliabilityStack({ packageTarball: tarball });
		say(`n8n ${ctx.stack.n8n.version} on ${ctx.stack.n8n.url}, emulator on ${ctx.stack.emu.url}`);

		say(`faults: ${records} upserts by external ID + ${creates} creates…`);
		const faults = await runFaults(ctx, { upserts: records, creates, batchSize, say });
		say(
			`items ${faults.items}, results ${faults.results}, records ${faults.recordsFound}/${faults.recordsExpected}, missing ${faults.missing}, duplicates ${faults.duplicates}, ` +
				`faults ${faults.faultsInjected} (503 ${faults.faults.unavailable}, lock ${faults.faults.lock}, delay ${faults.faults.delay}), retries ${faults.retries}, ` +
				`refreshes ${faults.refreshes} (rotated refresh tokens ${faults.refreshTokenRotations}, stored one current: ${faults.storedRefreshTokenIsCurrent})`,
		);
		if (faults.failedResults.length)
			say(`failed results: ${JSON.stringify(faults.failedResults.slice(0, 5))}`);

		say('daily API limit running out mid-run…');
		const limit = await runLimit(ctx, { items: 1000, allowedWriteCalls: 2 });
		say(`continue on fail: ${JSON.stringify(limit.continueOnFail)}`);
		say(`stop: ${limit.stop.status} "${limit.stop.message}" — ${limit.stop.description}`);

		say('hostile webhooks…');
		const hostile = await runHostileWebhooks(ctx, { say });
		say('injection look-alikes…');
		const injection = await runInjection(ctx);
		say(
			`injection ok: ${injection.ok} ${JSON.stringify(injection.wrongMatches)} ${JSON.stringify(injection.lookAlikesTouched)}`,
		);
		say('scanning for secrets…');
		const secrets = await runSecretsScan(ctx);
		say(
			`secrets: ${secrets.secretsChecked} secrets in ${secrets.textsScanned} texts (${(secrets.bytesScanned / 1e6).toFixed(1)} MB, ${secrets.executionsScanned} executions): ${secrets.hits.length} hits; self-check ${JSON.stringify(secrets.selfCheck)}`,
		);

		const problems: string[] = [];
		if (faults.results !== faults.items || !faults.resultsPerItemOk)
			problems.push('results do not match items one to one');
		if (faults.missing || faults.duplicates || faults.failedResults.length)
			problems.push('missing/duplicated/failed records under faults');
		if (!faults.storedRefreshTokenIsCurrent)
			problems.push('n8n did not keep the rotated refresh token');
		if (
			limit.continueOnFail.recordsWritten !== limit.continueOnFail.success ||
			!limit.continueOnFail.successIdsMatch ||
			limit.continueOnFail.limitErrors + limit.continueOnFail.success !== limit.items
		)
			problems.push('limit with continue on fail');
		if (!limit.stop.statesWritten)
			problems.push('limit without continue on fail: the error does not say how many were written');
		for (const c of hostile.cases.filter((x) => !x.ok))
			problems.push(
				`webhook case "${c.case}": ${c.status}, ${c.executionsStarted} executions, healthy ${c.healthy}`,
			);
		if (hostile.dedupCases !== 1)
			problems.push(`duplicate delivery made ${hostile.dedupCases} Cases`);
		if (!injection.ok) problems.push('injection');
		if (
			secrets.hits.length ||
			!secrets.selfCheck.plantedFound ||
			!secrets.selfCheck.storedCredentialHasToken
		)
			problems.push('secrets');

		const report = {
			n8n: ctx.stack.n8n.version,
			batchSize,
			items: faults.items,
			results: faults.results,
			recordsExpected: faults.recordsExpected,
			recordsFound: faults.recordsFound,
			missing: faults.missing,
			duplicates: faults.duplicates,
			failedResults: faults.failedResults.length,
			faultsInjected: faults.faultsInjected,
			faults: faults.faults,
			retries: faults.retries,
			refreshes: faults.refreshes,
			refreshTokenRotations: faults.refreshTokenRotations,
			storedRefreshTokenIsCurrent: faults.storedRefreshTokenIsCurrent,
			apiCalls: faults.apiCalls,
			minimalWriteCalls: faults.minimalCalls,
			seconds: faults.seconds,
			limit,
			webhookCases: hostile.cases.map(
				({ case: c, status, executionsStarted, executionStatus, expected, ok, note }) => ({
					case: c,
					status,
					executionsStarted,
					...(executionStatus ? { executionStatus } : {}),
					expected,
					ok,
					...(note ? { note } : {}),
				}),
			),
			dedupCasesAfterRedelivery: hostile.dedupCases,
			injection,
			secrets: {
				checked: secrets.secretsChecked,
				textsScanned: secrets.textsScanned,
				bytesScanned: secrets.bytesScanned,
				executionsScanned: secrets.executionsScanned,
				hits: secrets.hits,
				selfCheck: secrets.selfCheck,
			},
			problems,
			totalSeconds: Math.round((Date.now() - t0) / 1000),
		};
		if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 2) + '\n');
		say(
			problems.length
				? `PROBLEMS: ${problems.join('; ')}`
				: `all guarantees held (${report.totalSeconds} s)`,
		);
		return problems.length ? 1 : 0;
	} finally {
		if (ctx && process.env.SKEEPERS_SOAK_LOG)
			fs.writeFileSync(process.env.SKEEPERS_SOAK_LOG, ctx.log.join('\n'));
		if (ctx) await ctx.stack.stop();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(e) => {
		console.error(e);
		process.exit(1);
	},
);

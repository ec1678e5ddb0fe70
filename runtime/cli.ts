/**
 * Start a real n8n with this repository's package installed, for a look in the browser.
 *
 *   tsx runtime/cli.ts start [--major 2|1] [--port 45678] [--tarball path.tgz] [--no-package]
 *
 * Builds and packs the repository (unless --tarball or --no-package), starts n8n in a temp
 * user folder, prints the URL and the owner's login, and stops everything on Ctrl-C.
 */
import { Command } from 'commander';

import { packPackage, startN8n, type Major } from './n8n';

interface StartFlags {
	major: string;
	port: string;
	tarball?: string;
	package: boolean;
	quiet?: boolean;
}

async function start(flags: StartFlags) {
	const major = Number(flags.major);
	if (major !== 1 && major !== 2) throw new Error('--major must be 1 or 2');
	const port = Number(flags.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error('--port must be 0–65535');
	let tarball = flags.tarball;
	if (!tarball && flags.package) {
		console.log('building and packing the repository...');
		tarball = await packPackage();
	}
	const n8n = await startN8n({
		major: major as Major,
		port,
		packageTarball: tarball,
		log: flags.quiet ? undefined : (l) => console.log(l),
	});
	console.log(`\nn8n ${n8n.version} is ready: ${n8n.url}`);
	console.log(`login: ${n8n.owner.email} / ${n8n.owner.password}`);
	console.log(`user folder: ${n8n.userFolder} (removed on exit)`);
	console.log('Ctrl-C stops it.');
	// Ctrl-C reaches this process twice (the terminal's process group, then tsx relays it):
	// stop once, ignore the repeats.
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		console.log('stopping n8n...');
		await n8n.stop();
		process.exit(0);
	};
	process.removeAllListeners('SIGINT');
	process.removeAllListeners('SIGTERM');
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	await new Promise(() => undefined);
}

const program = new Command('runtime');
program
	.command('start')
	.description('start a real n8n with this package installed')
	.option('--major <major>', 'n8n major: 1 or 2', '2')
	.option('--port <port>', 'port (0 picks a free one)', '0')
	.option('--tarball <file>', 'install this packed package instead of packing the repository')
	.option('--no-package', 'start n8n without the package')
	.option('--quiet', "do not print n8n's log")
	.action((flags: StartFlags) => start(flags));
program.parseAsync(process.argv).catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});

/**
 * Start a real n8n with this repository's package installed, for a look in the browser.
 *
 *   tsx runtime/cli.ts start [--major 2|1] [--port 45678] [--tarball path.tgz] [--no-package]
 *
 * Builds and packs the repository (unless --tarball or --no-package), starts n8n in a temp
 * user folder, prints the URL and the owner's login, and stops everything on Ctrl-C.
 */
import { packPackage, startN8n, type Major } from './n8n';

function arg(argv: string[], name: string): string | undefined {
	const i = argv.indexOf(`--${name}`);
	return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]) {
	const [command] = argv;
	if (command !== 'start') {
		console.error(
			'usage: tsx runtime/cli.ts start [--major 2|1] [--port N] [--tarball file.tgz] [--no-package] [--quiet]',
		);
		process.exit(2);
	}
	const major = Number(arg(argv, 'major') ?? 2) as Major;
	const port = Number(arg(argv, 'port') ?? 0);
	const quiet = argv.includes('--quiet');
	let tarball = arg(argv, 'tarball');
	if (!tarball && !argv.includes('--no-package')) {
		console.log('building and packing the repository...');
		tarball = await packPackage();
	}
	const n8n = await startN8n({
		major,
		port,
		packageTarball: tarball,
		log: quiet ? undefined : (l) => console.log(l),
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

main(process.argv.slice(2)).catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});

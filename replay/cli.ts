// npm run replay -- --url <trigger URL> [--mode hmac|token-header|token-query|none]
//   [--secret <s> | env SKEEPERS_WEBHOOK_SECRET] [--concurrency N] [--repeat N] [--timestamp]
//   [--encoding hex|base64] [--prefix sha256=] [--signature-header H] [--token-header H]
//   [--query-parameter P] [--timestamp-header H] [--timeout-ms N] <files or folders>
// Prints one line per delivery (status, ms, file) and a summary; exits 1 when a delivery was
// not accepted (not 2xx), 2 on a usage error. The secret is never printed.
import { replay, type DeliveryResult, type ReplayMode, type ReplayOptions } from './replay';

const USAGE =
	'usage: npm run replay -- --url <url> [--mode hmac|token-header|token-query|none] [--secret <s>] ' +
	'[--concurrency N] [--repeat N] [--timestamp] [--encoding hex|base64] [--prefix <p>] <files or folders>';

export interface CliIo {
	out: (line: string) => void;
	err: (line: string) => void;
	env: Record<string, string | undefined>;
}

export function parseArgs(argv: string[], env: Record<string, string | undefined>): ReplayOptions {
	const options: ReplayOptions = { url: '', paths: [] };
	const take = (i: number, flag: string): string => {
		const value = argv[i + 1];
		if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
		return value;
	};
	const int = (value: string, flag: string): number => {
		const n = Number(value);
		if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		switch (arg) {
			case '--url':
				options.url = take(i++, arg);
				break;
			case '--mode': {
				const mode = take(i++, arg);
				if (!['hmac', 'token-header', 'token-query', 'none'].includes(mode)) {
					throw new Error(`--mode must be hmac, token-header, token-query or none`);
				}
				options.mode = mode as ReplayMode;
				break;
			}
			case '--secret':
				options.secret = take(i++, arg);
				break;
			case '--concurrency':
				options.concurrency = int(take(i++, arg), arg);
				break;
			case '--repeat':
				options.repeat = int(take(i++, arg), arg);
				break;
			case '--timeout-ms':
				options.timeoutMs = int(take(i++, arg), arg);
				break;
			case '--timestamp':
				options.timestamp = true;
				break;
			case '--encoding': {
				const encoding = take(i++, arg);
				if (encoding !== 'hex' && encoding !== 'base64')
					throw new Error('--encoding must be hex or base64');
				options.signatureEncoding = encoding;
				break;
			}
			case '--prefix':
				options.signaturePrefix = argv[i + 1] ?? '';
				i++;
				break;
			case '--signature-header':
				options.signatureHeader = take(i++, arg);
				break;
			case '--token-header':
				options.headerName = take(i++, arg);
				break;
			case '--query-parameter':
				options.queryParameter = take(i++, arg);
				break;
			case '--timestamp-header':
				options.timestampHeader = take(i++, arg);
				break;
			default:
				if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
				options.paths.push(arg);
		}
	}
	options.secret ??= env.SKEEPERS_WEBHOOK_SECRET || undefined;
	if (!options.url) throw new Error('--url is required');
	try {
		new URL(options.url);
	} catch {
		throw new Error(`--url is not a URL`);
	}
	if (options.paths.length === 0) throw new Error('give at least one payload file or folder');
	if (options.mode && options.mode !== 'none' && !options.secret) {
		throw new Error(`--mode ${options.mode} needs --secret (or SKEEPERS_WEBHOOK_SECRET)`);
	}
	return options;
}

export function formatDelivery(d: DeliveryResult): string {
	const status = d.status === 0 ? 'ERR' : String(d.status);
	const round = d.round > 1 ? ` #${d.round}` : '';
	const detail = d.error
		? `  (${d.error})`
		: !d.accepted && d.response
			? `  ${d.response.replace(/\s+/g, ' ').slice(0, 160)}`
			: '';
	return `${status.padEnd(4)}${String(d.ms).padStart(6)} ms  ${d.file}${round}${detail}`;
}

/** Runs the command; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
	let options: ReplayOptions;
	try {
		options = parseArgs(argv, io.env);
	} catch (error) {
		io.err(`replay: ${error instanceof Error ? error.message : String(error)}`);
		io.err(USAGE);
		return 2;
	}
	try {
		const summary = await replay({ ...options, onDelivery: (d) => io.out(formatDelivery(d)) });
		io.out(
			`sent ${summary.sent}, 2xx ${summary.status2xx}, 4xx ${summary.status4xx}, 5xx ${summary.status5xx}` +
				`${summary.other ? `, no answer ${summary.other}` : ''}, p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms`,
		);
		return summary.allAccepted ? 0 : 1;
	} catch (error) {
		io.err(`replay: ${error instanceof Error ? error.message : String(error)}`);
		return 2;
	}
}

if (require.main === module) {
	void main(process.argv.slice(2), {
		out: (line) => process.stdout.write(`${line}\n`),
		err: (line) => process.stderr.write(`${line}\n`),
		env: process.env,
	}).then((code) => {
		process.exitCode = code;
	});
}

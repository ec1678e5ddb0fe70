// npm run replay -- --url <trigger URL> [--mode hmac|token-header|token-query|none]
//   [--secret <s> | env SKEEPERS_WEBHOOK_SECRET] [--concurrency N] [--repeat N] [--timestamp]
//   [--encoding hex|base64] [--prefix sha256=] [--signature-header H] [--token-header H]
//   [--query-parameter P] [--timestamp-header H] [--timeout-ms N] <files or folders>
// Prints one line per delivery (status, ms, file) and a summary; exits 1 when a delivery was
// not accepted (not 2xx), 2 on a usage error. The secret is never printed.
import { Command } from 'commander';

import {
	REPLAY_MODES,
	replay,
	type DeliveryResult,
	type ReplayMode,
	type ReplayOptions,
} from './replay';
import type { SignatureEncoding } from '../nodes/SkeepersTrigger/signature';

const ENCODINGS: readonly SignatureEncoding[] = ['hex', 'base64'];

const USAGE =
	'usage: npm run replay -- --url <url> [--mode hmac|token-header|token-query|none] [--secret <s>] ' +
	'[--concurrency N] [--repeat N] [--timestamp] [--encoding hex|base64] [--prefix <p>] <files or folders>';

export interface CliIo {
	out: (line: string) => void;
	err: (line: string) => void;
	env: Record<string, string | undefined>;
}

function positiveInt(flag: string) {
	return (value: string): number => {
		const n = Number(value);
		if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer`);
		return n;
	};
}

function oneOf<T extends string>(flag: string, allowed: readonly T[]) {
	return (value: string): T => {
		if (!(allowed as readonly string[]).includes(value)) {
			throw new Error(`${flag} must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`);
		}
		return value as T;
	};
}

/** The command line as commander reads it; parsing errors throw instead of exiting. */
function command(): Command {
	return new Command('replay')
		.exitOverride()
		.configureOutput({ writeOut: () => {}, writeErr: () => {} })
		.allowExcessArguments(true)
		.argument('[paths...]', 'payload files or folders')
		.option('--url <url>', 'trigger URL')
		.option(
			'--mode <mode>',
			'hmac, token-header, token-query or none',
			oneOf('--mode', REPLAY_MODES),
		)
		.option('--secret <secret>', 'secret (default: env SKEEPERS_WEBHOOK_SECRET)')
		.option('--concurrency <n>', 'deliveries in flight', positiveInt('--concurrency'))
		.option('--repeat <n>', 'send every payload n times', positiveInt('--repeat'))
		.option('--timeout-ms <n>', 'per-delivery timeout', positiveInt('--timeout-ms'))
		.option('--timestamp', 'add a timestamp header')
		.option('--encoding <e>', 'hex or base64', oneOf('--encoding', ENCODINGS))
		.option('--prefix <p>', 'signature prefix, e.g. sha256=')
		.option('--signature-header <h>', 'signature header name')
		.option('--token-header <h>', 'token header name')
		.option('--query-parameter <p>', 'token query parameter name')
		.option('--timestamp-header <h>', 'timestamp header name');
}

interface ParsedFlags {
	url?: string;
	mode?: ReplayMode;
	secret?: string;
	concurrency?: number;
	repeat?: number;
	timeoutMs?: number;
	timestamp?: boolean;
	encoding?: SignatureEncoding;
	prefix?: string;
	signatureHeader?: string;
	tokenHeader?: string;
	queryParameter?: string;
	timestampHeader?: string;
}

export function parseArgs(argv: string[], env: Record<string, string | undefined>): ReplayOptions {
	const program = command();
	try {
		program.parse(argv, { from: 'user' });
	} catch (error) {
		// commander's own messages start with "error: "; ours (from the option parsers) do not.
		const message = error instanceof Error ? error.message : String(error);
		throw new Error(message.replace(/^error: /, ''));
	}
	const flags = program.opts<ParsedFlags>();
	const options: ReplayOptions = {
		url: flags.url ?? '',
		paths: program.args,
		mode: flags.mode,
		secret: flags.secret ?? (env.SKEEPERS_WEBHOOK_SECRET || undefined),
		concurrency: flags.concurrency,
		repeat: flags.repeat,
		timeoutMs: flags.timeoutMs,
		timestamp: flags.timestamp,
		signatureEncoding: flags.encoding,
		signaturePrefix: flags.prefix,
		signatureHeader: flags.signatureHeader,
		headerName: flags.tokenHeader,
		queryParameter: flags.queryParameter,
		timestampHeader: flags.timestampHeader,
	};
	for (const key of Object.keys(options) as Array<keyof ReplayOptions>) {
		if (options[key] === undefined) delete options[key];
	}
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

/**
 * Summarizes a V8 .cpuprofile (from `npm run bench -- --cpu-prof <dir>`, which runs n8n with
 * `--cpu-prof`): self time by package and by function, and inclusive time of the functions whose
 * name matches a pattern.
 *
 *   npx tsx bench/profile.ts <file.cpuprofile> [--top 30] [--match getCredentials,execute] [--under executeFeed]
 *
 * With --under, only the samples taken inside that function count (e.g. the Feed Application's
 * executeFeed: where the node's own time goes); percentages are then of that function's time.
 */
import * as fs from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export function packageOf(url: string): string {
	if (!url) return '(native/idle)';
	const nm = url.lastIndexOf('node_modules/');
	if (nm >= 0) {
		const rest = url.slice(nm + 'node_modules/'.length).split('/');
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	if (url.startsWith('node:')) return 'node:*';
	return url
		.replace(/^file:\/\//, '')
		.split('/')
		.slice(-2)
		.join('/');
}

export function summarize(
	profile: Profile,
	opts: { top?: number; match?: string[]; under?: string } = {},
) {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const inside = (id: number) => {
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			if (byId.get(cur)!.callFrame.functionName === opts.under) return true;
		}
		return false;
	};
	const selfUs = new Map<number, number>();
	for (let i = 0; i < profile.samples.length; i++) {
		const id = profile.samples[i];
		if (opts.under && !inside(id)) continue;
		selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
	}
	const total = opts.under
		? [...selfUs.values()].reduce((a, b) => a + b, 0)
		: profile.endTime - profile.startTime;
	const byPkg = new Map<string, number>();
	const byFn = new Map<string, number>();
	for (const [id, us] of selfUs) {
		const n = byId.get(id)!;
		const pkg = packageOf(n.callFrame.url);
		byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
		const fn = `${n.callFrame.functionName || '(anonymous)'} ${pkg}:${n.callFrame.lineNumber + 1}`;
		byFn.set(fn, (byFn.get(fn) ?? 0) + us);
	}
	// inclusive time of matching functions (outermost match only, so recursion is not counted twice)
	const inclusive = new Map<string, number>();
	for (const [id, us] of selfUs) {
		const hit = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const name = byId.get(cur)!.callFrame.functionName;
			for (const m of opts.match ?? [])
				if (name === m || (m.endsWith('*') && name.startsWith(m.slice(0, -1)))) hit.add(m);
		}
		for (const m of hit) inclusive.set(m, (inclusive.get(m) ?? 0) + us);
	}
	const top = opts.top ?? 25;
	const sort = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
	const ms = (us: number) => Math.round(us / 1000);
	return {
		totalMs: ms(total),
		packages: sort(byPkg).map(([k, v]) => ({
			package: k,
			selfMs: ms(v),
			pct: Math.round((v / total) * 1000) / 10,
		})),
		functions: sort(byFn).map(([k, v]) => ({
			function: k,
			selfMs: ms(v),
			pct: Math.round((v / total) * 1000) / 10,
		})),
		inclusive: [...inclusive].map(([k, v]) => ({
			function: k,
			inclusiveMs: ms(v),
			pct: Math.round((v / total) * 1000) / 10,
		})),
	};
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const file = args.find((a) => !a.startsWith('--'));
	if (!file) {
		process.stderr.write(
			'usage: tsx bench/profile.ts <file.cpuprofile> [--top N] [--match fnA,fnB*]\n',
		);
		process.exit(2);
	}
	const get = (k: string) => {
		const i = args.indexOf(k);
		return i >= 0 ? args[i + 1] : undefined;
	};
	const s = summarize(JSON.parse(fs.readFileSync(file, 'utf8')) as Profile, {
		top: Number(get('--top') ?? 25),
		match: get('--match')?.split(',').filter(Boolean),
		under: get('--under'),
	});
	process.stdout.write(
		`total ${s.totalMs} ms${get('--under') ? ` inside ${get('--under')}` : ''}\n\nself time by package\n`,
	);
	for (const p of s.packages)
		process.stdout.write(
			`${String(p.selfMs).padStart(8)} ms ${String(p.pct).padStart(5)}%  ${p.package}\n`,
		);
	process.stdout.write('\nself time by function\n');
	for (const f of s.functions)
		process.stdout.write(
			`${String(f.selfMs).padStart(8)} ms ${String(f.pct).padStart(5)}%  ${f.function}\n`,
		);
	if (s.inclusive.length) {
		process.stdout.write('\ninclusive\n');
		for (const f of s.inclusive)
			process.stdout.write(
				`${String(f.inclusiveMs).padStart(8)} ms ${String(f.pct).padStart(5)}%  ${f.function}\n`,
			);
	}
}

/**
 * A process's peak resident memory as the OS counts it (Linux): `VmHWM` of /proc/<pid>/status,
 * reset to the current resident size by writing `5` to /proc/<pid>/clear_refs. The kernel keeps
 * it, so it holds while the process is too busy to answer (n8n's /metrics, while one large request
 * blocks its event loop).
 */
import * as fs from 'node:fs';

/** The `<field>:  <n> kB` line of a /proc/<pid>/status text, in kB; null when absent. */
export function statusKb(status: string, field: 'VmHWM' | 'VmRSS'): number | null {
	const m = new RegExp(`^${field}:\\s*(\\d+) kB$`, 'm').exec(status);
	return m ? Number(m[1]) : null;
}

const readKb = (pid: number, field: 'VmHWM' | 'VmRSS') =>
	statusKb(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), field);

export type PeakRss =
	/** bytes the peak rose above the resident size at the reset; null when the process is gone */
	{ growthBytes(): number | null } | { unavailable: string };

/**
 * Resets the peak of `pid` (which must run `command`, matched on its /proc/<pid>/cmdline with the
 * arguments joined by spaces) and returns the reader of its growth since, or why it cannot.
 */
export function resetPeakRss(pid: number | undefined, command?: RegExp): PeakRss {
	if (pid === undefined) return { unavailable: "the process's id is unknown" };
	let before: number | null;
	try {
		const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		if (command && !command.test(cmd))
			return { unavailable: `process ${pid} runs \`${cmd}\`, not ${command}` };
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		before = readKb(pid, 'VmRSS');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code ?? String(e);
		return {
			unavailable: `/proc/${pid}/clear_refs cannot be written (${code}): Linux, as the process's owner or root`,
		};
	}
	if (before === null) return { unavailable: `/proc/${pid}/status has no VmRSS` };
	return {
		growthBytes() {
			try {
				const peak = readKb(pid, 'VmHWM');
				return peak === null ? null : (peak - before) * 1024;
			} catch {
				return null;
			}
		},
	};
}

/**
 * The n8n majors an e2e, browser or queue file runs on: `SKEEPERS_E2E_MAJORS=2` (or 1, or 2,1,
 * the default). A file may pass its own setting first (the browser suite's
 * `SKEEPERS_BROWSER_MAJORS`).
 */
export function e2eMajors(own?: string): Array<2 | 1> {
	return (own ?? process.env.SKEEPERS_E2E_MAJORS ?? '2,1')
		.split(',')
		.map((m) => Number(m.trim()))
		.filter((m): m is 2 | 1 => m === 1 || m === 2);
}

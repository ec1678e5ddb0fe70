/** The n8n majors an e2e file runs on: SKEEPERS_E2E_MAJORS=2 (or 1, or 2,1, the default). */
export function e2eMajors(): Array<2 | 1> {
	return (process.env.SKEEPERS_E2E_MAJORS ?? '2,1')
		.split(',')
		.map((m) => Number(m.trim()))
		.filter((m): m is 2 | 1 => m === 1 || m === 2);
}

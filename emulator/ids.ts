/** Salesforce-like record Ids: 3-char key prefix + 12 base-62 chars + 3-char case-safe checksum. */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** The org's "pod" part of every Id (chars 4-6), like `5g0` in `0035g00000AbCdE`. */
const POD = '5g0';

function checksum(id15: string): string {
	let out = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const c = id15.charCodeAt(chunk * 5 + i);
			if (c >= 65 && c <= 90) bits |= 1 << i;
		}
		out += SUFFIX[bits];
	}
	return out;
}

export function makeId(prefix: string, seq: number): string {
	let n = seq;
	let s = '';
	do {
		s = BASE62[n % 62] + s;
		n = Math.floor(n / 62);
	} while (n > 0);
	const id15 = prefix + POD + s.padStart(9, '0');
	return id15 + checksum(id15);
}

/** Syntactically valid 15- or 18-char Id (18-char ones must carry the right checksum). */
export function isValidId(v: string): boolean {
	if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(v)) return false;
	return v.length === 15 || checksum(v.slice(0, 15)) === v.slice(15);
}

/** The 18-char form of a valid Id. */
export function to18(v: string): string {
	return v.length === 18 ? v : v + checksum(v);
}

export const ORG_ID = makeId('00D', 1);
export const USER_ID = makeId('005', 1);
export const INTEGRATION_USER_ID = makeId('005', 2);

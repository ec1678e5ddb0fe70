/**
 * Date and date-time parsing without dependencies (luxon is not available at runtime).
 * Time-zone offsets come from `Intl.DateTimeFormat`, so daylight saving time follows the
 * IANA database shipped with Node.
 */

/** A parsed input: either a wall-clock reading (no zone) or an exact instant. */
export type ParsedDate =
	| {
			kind: 'local';
			year: number;
			month: number;
			day: number;
			hour: number;
			minute: number;
			second: number;
			millisecond: number;
			/** True when the input had no time part (e.g. `31/12/2024`). */
			dateOnly: boolean;
	  }
	| { kind: 'instant'; epochMs: number };

const MS_PER_DAY = 86_400_000;
/** Epoch values below this (in seconds: 3 March 1973) are not read as timestamps. */
const MIN_EPOCH = 100_000_000;

function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
	return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

export function isValidCalendarDate(year: number, month: number, day: number): boolean {
	return (
		Number.isInteger(year) &&
		year >= 1 &&
		year <= 9999 &&
		month >= 1 &&
		month <= 12 &&
		day >= 1 &&
		day <= daysInMonth(year, month)
	);
}

function isValidTime(hour: number, minute: number, second: number): boolean {
	return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatDate(year: number, month: number, day: number): string {
	return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * Epoch number: below 100,000,000,000 it is read as seconds (that is the year 5138 in
 * seconds, but 1973 in milliseconds), otherwise as milliseconds.
 */
function epochToMs(n: number): number {
	return Math.abs(n) < 1e11 ? n * 1000 : n;
}

const TIME_PART = String.raw`(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?`;
const ZONE_PART = String.raw`\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?`;
const ISO_RE = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME_PART}${ZONE_PART}$`);
const FR_RE = new RegExp(
	String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:(?:\s+|T|\s*[àa]\s*)(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?${ZONE_PART}$`,
);

function zoneOffsetMinutes(zone: string): number {
	if (/^(?:z|utc|gmt)$/i.test(zone)) return 0;
	const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
	if (!m) return Number.NaN;
	const hours = Number(m[2]);
	const minutes = Number(m[3] ?? '0');
	if (hours > 14 || minutes > 59) return Number.NaN;
	return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function fractionToMs(fraction: string | undefined): number {
	if (!fraction) return 0;
	return Number(fraction.slice(0, 3).padEnd(3, '0'));
}

function build(
	year: number,
	month: number,
	day: number,
	hourS: string | undefined,
	minuteS: string | undefined,
	secondS: string | undefined,
	fraction: string | undefined,
	zone: string | undefined,
): ParsedDate | undefined {
	const hour = hourS === undefined ? 0 : Number(hourS);
	const minute = minuteS === undefined ? 0 : Number(minuteS);
	const second = secondS === undefined ? 0 : Number(secondS);
	if (year < 1000) return undefined;
	if (!isValidCalendarDate(year, month, day) || !isValidTime(hour, minute, second))
		return undefined;
	const millisecond = fractionToMs(fraction);
	if (zone) {
		const offset = zoneOffsetMinutes(zone);
		if (Number.isNaN(offset)) return undefined;
		const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
		// Date.UTC maps years 0-99 to 1900-1999; our years are >= 1000 in practice (4 digits).
		return { kind: 'instant', epochMs: asUtc - offset * 60_000 };
	}
	return {
		kind: 'local',
		year,
		month,
		day,
		hour,
		minute,
		second,
		millisecond,
		dateOnly: hourS === undefined,
	};
}

/**
 * Reads ISO 8601 (`2024-05-01`, `2024-05-01T10:30:00.000Z`, `2024-05-01 10:30`), French
 * day-first dates (`01/05/2024`, `01-05-2024`, `01.05.2024`, optionally followed by a time
 * `14:30`, `14h30`), epoch seconds or milliseconds (numbers or numeric strings), `Date`
 * objects and objects with `toISO()`/`toISOString()` (n8n's DateTime). Returns undefined when
 * the input is not one of those or is not a real calendar date (31/02/2024).
 */
export function parseDateInput(value: unknown): ParsedDate | undefined {
	if (value instanceof Date) {
		const t = value.getTime();
		return Number.isNaN(t) ? undefined : { kind: 'instant', epochMs: t };
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return undefined;
		// Small numbers are not timestamps anyone sends (before March 1973): refuse them
		// rather than silently answering 1970. An 8-digit number may be a compact date.
		if (Math.abs(value) < MIN_EPOCH) {
			return Number.isInteger(value) && value >= 10_000_000
				? parseDateInput(String(value))
				: undefined;
		}
		const ms = epochToMs(value);
		return Number.isFinite(new Date(ms).getTime())
			? { kind: 'instant', epochMs: Math.round(ms) }
			: undefined;
	}
	if (value !== null && typeof value === 'object') {
		const obj = value as { toISO?: unknown; toISOString?: unknown };
		if (typeof obj.toISO === 'function')
			return parseDateInput((obj.toISO as () => unknown).call(value));
		if (typeof obj.toISOString === 'function') {
			return parseDateInput((obj.toISOString as () => unknown).call(value));
		}
		return undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (/^-?\d+(?:\.\d+)?$/.test(text) && !/^\d{8}$/.test(text)) {
		if (Math.abs(Number(text)) < MIN_EPOCH) return undefined;
		return parseDateInput(Number(text));
	}
	let m = ISO_RE.exec(text);
	if (m) {
		return build(Number(m[1]), Number(m[2]), Number(m[3]), m[4], m[5], m[6], m[7], m[8]);
	}
	m = FR_RE.exec(text);
	if (m) {
		return build(Number(m[4]), Number(m[3]), Number(m[1]), m[5], m[6], m[7], undefined, m[8]);
	}
	// Compact ISO basic date: 20240501
	m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
	if (m)
		return build(
			Number(m[1]),
			Number(m[2]),
			Number(m[3]),
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
		);
	return undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
			era: 'short',
		});
		formatters.set(timeZone, f);
	}
	return f;
}

/** True when `timeZone` is an IANA zone name Node knows (e.g. `Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

/** The wall-clock reading of an instant in a zone. */
export function wallClock(
	epochMs: number,
	timeZone: string,
): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
	const parts: Record<string, string> = {};
	for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
	let year = Number(parts.year);
	if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
	return {
		year,
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour) % 24,
		minute: Number(parts.minute),
		second: Number(parts.second),
	};
}

/** Offset of the zone from UTC at an instant, in milliseconds (Paris in summer: +7,200,000). */
function zoneOffsetMs(epochMs: number, timeZone: string): number {
	const w = wallClock(epochMs, timeZone);
	const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	const wholeSecond = Math.floor(epochMs / 1000) * 1000;
	return asUtc - wholeSecond;
}

/**
 * The instant at which the wall clock of `timeZone` reads the given local time.
 * Daylight saving time: a time that does not exist (spring forward, 02:30 in Paris on the last
 * Sunday of March) is moved forward by the gap (03:30 summer time); a time that happens twice
 * (fall back, 02:30 on the last Sunday of October) takes the first occurrence (summer time).
 */
export function localToEpochMs(
	local: {
		year: number;
		month: number;
		day: number;
		hour: number;
		minute: number;
		second: number;
		millisecond: number;
	},
	timeZone: string,
): number {
	const asUtc = Date.UTC(
		local.year,
		local.month - 1,
		local.day,
		local.hour,
		local.minute,
		local.second,
		local.millisecond,
	);
	const before = zoneOffsetMs(asUtc - MS_PER_DAY / 2, timeZone);
	const after = zoneOffsetMs(asUtc + MS_PER_DAY / 2, timeZone);
	const candidates: number[] = [];
	for (const offset of before === after ? [before] : [before, after]) {
		const epoch = asUtc - offset;
		if (zoneOffsetMs(epoch, timeZone) === offset) candidates.push(epoch);
	}
	if (candidates.length > 0) return Math.min(...candidates);
	// In a gap: read the wall time with the offset in force before the transition.
	return asUtc - before;
}

/** `YYYY-MM-DDTHH:mm:ss.SSSZ`, always UTC. */
export function formatIsoUtc(epochMs: number): string {
	return new Date(epochMs).toISOString();
}

/**
 * Which object each item goes to. Object, Operation, Match On and Dedup Key Field are usually
 * fixed, and one run writes one object in batches. When one of them is an expression (say
 * `{{ $json.kind === 'b2b' ? 'Lead' : 'Contact' }}`), each item is read on its own and the run is
 * split into groups of items with the same settings, in the order of their first item; each group
 * is planned and written on its own. Pure: no I/O.
 */
import type { FeedOperation } from '../domain';
import type { FindSettings } from './findQuery';

/** The settings that decide where and how an item is written. */
export interface RunSettings {
	object: string;
	operation: FeedOperation;
	/** undefined for Create */
	matchField?: string;
	/** More Match Keys' fields, in order (absent or empty: none). */
	moreMatchFields?: string[];
	/** '' when not set */
	dedupKeyField: string;
	/** Find: the fields to return and the extra conditions (plan/findQuery.ts). */
	find?: FindSettings;
}

export interface SettingsGroup {
	settings: RunSettings;
	/** Input item indexes, ascending. */
	items: number[];
}

/** True when a raw parameter (read with rawExpressions) holds an expression. */
export function isExpression(raw: unknown): boolean {
	if (typeof raw === 'string') return raw.startsWith('=');
	// a resource locator: { __rl: true, mode, value }
	if (raw && typeof raw === 'object' && '__rl' in raw)
		return isExpression((raw as { value?: unknown }).value);
	return false;
}

/**
 * Groups the items by their settings. Object and field names are compared without case (the
 * way Salesforce reads them), and the first spelling seen is kept. Items whose settings could
 * not be read (`undefined`) belong to no group.
 */
export function groupBySettings(perItem: ReadonlyArray<RunSettings | undefined>): SettingsGroup[] {
	const groups = new Map<string, SettingsGroup>();
	perItem.forEach((settings, index) => {
		if (!settings) return;
		const key = [
			settings.object,
			settings.operation,
			settings.matchField ?? '',
			settings.dedupKeyField,
			...(settings.moreMatchFields ?? []),
		]
			.map((part) => part.toLowerCase())
			.concat(settings.find ? [JSON.stringify(settings.find)] : []) // condition values keep their case
			.join('\u0000');
		const group = groups.get(key);
		if (group) group.items.push(index);
		else groups.set(key, { settings, items: [index] });
	});
	return [...groups.values()];
}

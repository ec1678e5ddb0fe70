/**
 * Reading Find's parameters (Fields to Return, Conditions) for an item. They are part of the
 * item's settings (run/settings.ts): items whose conditions differ (an expression in a value)
 * are looked up in separate groups, items with the same conditions together.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import type { FindCondition, FindSettings } from '../plan/findQuery';

interface RawCondition {
	field?: unknown;
	operator?: unknown;
	value?: unknown;
}

function conditionRows(raw: unknown): RawCondition[] {
	return Array.isArray(raw) ? (raw as RawCondition[]) : [];
}

const text = (v: unknown): string =>
	v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);

/** Item `i`'s Find settings (condition rows without a field are left out). */
export function readFindSettings(ctx: IExecuteFunctions, i: number): FindSettings {
	const rawFields = ctx.getNodeParameter('findFields', i, []) as unknown;
	const fields = (Array.isArray(rawFields) ? rawFields : [])
		.map((f) => text(f).trim())
		.filter((f) => f !== '');
	const conditions: FindCondition[] = conditionRows(
		ctx.getNodeParameter('findConditions.conditions', i, []),
	)
		.map((c) => ({
			field: text(c.field).trim(),
			operator: text(c.operator ?? 'equals').trim(),
			value: text(c.value),
		}))
		.filter((c) => c.field !== '');
	return { fields, conditions };
}

/** Find's raw parameters (read with rawExpressions), for the check "is any an expression?". */
export function rawFindParts(raw: (name: string, fallback: unknown) => unknown): unknown[] {
	return [
		raw('findFields', []),
		...conditionRows(raw('findConditions.conditions', [])).flatMap((c) => [
			c.field,
			c.operator,
			c.value,
		]),
	];
}

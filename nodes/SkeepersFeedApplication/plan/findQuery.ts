/**
 * Find: the fields a lookup returns and its extra conditions, checked against the object's
 * describe and turned into the SOQL `WHERE` part that goes before the match key's `IN` list
 * (plan/soql.ts). Pure. Operators come from a fixed list; values are always escaped
 * (soqlString) or, for numbers, booleans and dates, accepted only in their literal form, so an
 * item's value can never change the query's shape.
 */
import type { FieldDescribe, SObjectDescribe } from '../salesforce/types';
import { findField } from '../schema/fields';
import { soqlString } from './soql';

/** The operators a condition may use: the dropdown's value → its label and its SOQL form. */
const FIND_OPERATORS = {
	equals: { name: 'Equals', soql: '=' },
	notEquals: { name: 'Not Equals', soql: '!=' },
	lessThan: { name: 'Less Than', soql: '<' },
	lessOrEqual: { name: 'Less Than or Equal', soql: '<=' },
	greaterThan: { name: 'Greater Than', soql: '>' },
	greaterOrEqual: { name: 'Greater Than or Equal', soql: '>=' },
	like: { name: 'Like (% and _ Wildcards)', soql: 'LIKE' },
	isEmpty: { name: 'Is Empty', soql: '= null' },
	isNotEmpty: { name: 'Is Not Empty', soql: '!= null' },
} as const;

type FindOperator = keyof typeof FIND_OPERATORS;

/** The Operator dropdown of Conditions (descriptions/find.ts), sorted by label. */
export function findOperatorOptions(): Array<{ name: string; value: string }> {
	return Object.entries(FIND_OPERATORS)
		.map(([value, o]) => ({ name: o.name, value }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** One extra condition row, as the node's parameters give it. */
export interface FindCondition {
	field: string;
	operator: string;
	value: string;
}

/** Find's settings as read from the node: the fields to return and the extra conditions. */
export interface FindSettings {
	fields: string[];
	conditions: FindCondition[];
}

/** Find's settings checked against the describe: canonical field names and the `WHERE` part. */
export interface FindPlan {
	/** Fields to return (Id first), as the describe names them. */
	fields: string[];
	/** The conditions joined with AND, or undefined when there are none. */
	where?: string;
}

const NUMERIC = new Set(['int', 'double', 'currency', 'percent']);
const TEXT = new Set(['string', 'email', 'phone', 'url', 'picklist', 'combobox', 'textarea']);
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The fields Find's settings name (returned and in conditions), for the describe check. */
export function findFieldNames(settings: FindSettings | undefined): string[] {
	return settings ? [...settings.fields, ...settings.conditions.map((c) => c.field)] : [];
}

function isOperator(op: string): op is FindOperator {
	return Object.prototype.hasOwnProperty.call(FIND_OPERATORS, op);
}

/** The SOQL literal of `value` for `field`, or the problem in words. */
function literalFor(
	field: FieldDescribe,
	value: string,
): { literal: string } | { problem: string } {
	const v = value.trim();
	if (NUMERIC.has(field.type)) {
		return v !== '' && Number.isFinite(Number(v))
			? { literal: String(Number(v)) }
			: { problem: `${field.name} is a number field: "${value}" is not a number` };
	}
	if (field.type === 'boolean') {
		return /^(true|false)$/i.test(v)
			? { literal: v.toLowerCase() }
			: { problem: `${field.name} is a checkbox: use true or false, not "${value}"` };
	}
	if (field.type === 'date') {
		return DATE_RE.test(v)
			? { literal: v }
			: { problem: `${field.name} is a date: use YYYY-MM-DD, not "${value}"` };
	}
	if (field.type === 'datetime') {
		return DATETIME_RE.test(v)
			? { literal: v }
			: {
					problem: `${field.name} is a date/time: use e.g. 2026-01-31T09:00:00Z, not "${value}"`,
				};
	}
	return { literal: soqlString(value) };
}

/**
 * Find's settings against the describe: every returned field must exist, every condition must
 * name a field that can be filtered (`filterable` in the describe), with an operator of the list
 * and a value of the field's type. Returns the plan, or the first problem in words.
 */
export function planFind(
	describe: SObjectDescribe,
	settings: FindSettings,
	object: string,
): FindPlan | string {
	const fields = ['Id'];
	for (const name of settings.fields) {
		const field = findField(describe, name);
		if (!field) return `Fields to Return: ${object} has no field "${name}"`;
		if (!fields.some((f) => f.toLowerCase() === field.name.toLowerCase())) fields.push(field.name);
	}
	const parts: string[] = [];
	for (const c of settings.conditions) {
		const field = findField(describe, c.field);
		if (!field) return `Conditions: ${object} has no field "${c.field}"`;
		if (field.filterable === false)
			return `Conditions: ${object}.${field.name} cannot be filtered in SOQL (filterable: false in the describe)`;
		if (!isOperator(c.operator))
			return `Conditions: unknown operator "${c.operator}" on ${field.name}; use one of ${Object.keys(FIND_OPERATORS).join(', ')}`;
		const op = FIND_OPERATORS[c.operator].soql;
		if (c.operator === 'isEmpty' || c.operator === 'isNotEmpty') {
			parts.push(`${field.name} ${op}`);
			continue;
		}
		if (c.operator === 'like' && !TEXT.has(field.type))
			return `Conditions: ${field.name} (${field.type}) cannot be compared with LIKE; LIKE is for text fields`;
		const lit = literalFor(field, c.value);
		if ('problem' in lit) return `Conditions: ${lit.problem}`;
		parts.push(`${field.name} ${op} ${lit.literal}`);
	}
	return parts.length ? { fields, where: parts.join(' AND ') } : { fields };
}

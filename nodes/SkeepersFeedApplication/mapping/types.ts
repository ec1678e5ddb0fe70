/**
 * Shapes shared by the pure mapping code (transformations, rows → record, pre-flight
 * validation) and the node that uses it. No I/O here.
 */
import type { FieldDescribe } from '../salesforce/types';

/**
 * One item's failure, as a plain object the node turns into an output item or an error.
 * `itemIndex` is n8n's 0-based index; messages count items and rows from 1, the way the
 * user reads the input list and the mapping rows on the canvas.
 */
export interface ItemError {
	itemIndex: number;
	/** 1-based mapping row number as the user sees it. */
	row?: number;
	field?: string;
	value?: unknown;
	/**
	 * Our own codes (`TRANSFORMATION_FAILED`, `DUPLICATE_FIELD_MAPPING`, `MULTIPLE_MATCHES`...)
	 * or Salesforce's (`INVALID_FIELD`, `STRING_TOO_LONG`...).
	 */
	errorCode: string;
	/** Plain language: names item, row, field, value and the expected form. */
	message: string;
}

export type TransformationName =
	| 'none'
	| 'trim'
	| 'lowercase'
	| 'uppercase'
	| 'capitalize'
	| 'phoneFrNational'
	| 'phoneE164'
	| 'date'
	| 'datetime'
	| 'number'
	| 'boolean'
	| 'multiPicklist'
	| 'valueMap'
	| 'defaultWhenEmpty'
	| 'truncate'
	| 'npsCategory';

export interface TransformationContext {
	/** The row's parameter, as typed in the node (always a string in the UI). */
	parameter?: string;
	/** The target field's describe, when the object's describe is known. */
	field?: FieldDescribe;
}

interface TransformationParameter {
	displayName: string;
	description: string;
	placeholder: string;
	required?: boolean;
	/** Used when the parameter is left empty. */
	default?: string;
}

export interface TransformationDef {
	name: TransformationName;
	displayName: string;
	/** Shown in the UI dropdown, with an example. */
	description: string;
	/** One example for docs and tests: input → output (with `parameter` if any). */
	example: { input: unknown; output: unknown; parameter?: string };
	parameter?: TransformationParameter;
	/**
	 * Converts one value. Empty values (undefined, null, '', whitespace, []) are passed through
	 * unchanged by every transformation except `defaultWhenEmpty` (and `trim`, which turns
	 * whitespace into ''), so the node's empty-value rule decides what happens to them.
	 * Throws `TransformationError` when the value cannot be converted.
	 */
	apply(value: unknown, ctx: TransformationContext): unknown;
}

/**
 * Thrown by a transformation for a value it cannot convert (or a bad parameter).
 * `expected` describes the accepted form in plain language; the caller adds item, row,
 * field and value to the message.
 */
export class TransformationError extends Error {
	readonly expected: string;
	readonly transformation: TransformationName;
	/** True when the row's parameter is wrong (a configuration error, same for every item). */
	readonly parameterError: boolean;
	/** What is wrong with this value, when more can be said than "not the expected form". */
	readonly detail?: string;

	constructor(
		transformation: TransformationName,
		expected: string,
		options: { parameterError?: boolean; detail?: string } = {},
	) {
		super(options.detail ? `${options.detail}; expected ${expected}` : `expected ${expected}`);
		this.name = 'TransformationError';
		this.transformation = transformation;
		this.expected = expected;
		this.parameterError = options.parameterError ?? false;
		this.detail = options.detail;
	}
}

/** undefined, null, '' or whitespace only, or an empty array. */
export function isEmptyValue(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return false;
}

/** A short, readable rendering of a value for error messages. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'an empty value';
	if (value === null) return 'null';
	if (typeof value === 'string') {
		const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
		return JSON.stringify(shown);
	}
	if (value instanceof Date)
		return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
	try {
		const json = JSON.stringify(value);
		if (json === undefined) return String(value);
		return json.length > 80 ? `${json.slice(0, 77)}...` : json;
	} catch {
		return String(value);
	}
}

/** "Item 3, row 2 (Phone)" — item and row numbers as the user counts them (from 1). */
export function itemRowPrefix(itemIndex: number, row?: number, field?: string): string {
	let text = `Item ${itemIndex + 1}`;
	if (row !== undefined) text += `, row ${row}`;
	if (field) text += ` (${field})`;
	return text;
}

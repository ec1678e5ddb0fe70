/**
 * Find's query parts (plan/findQuery.ts), pure: the fields returned, the conditions' SOQL with
 * every value escaped or accepted only as a literal of its type, and the pre-flight problems
 * (unknown field, unfilterable field, unknown operator); then the whole query with the match
 * key's IN list (plan/soql.ts).
 */
import {
	findFieldNames,
	planFind,
	type FindCondition,
} from '../../../nodes/SkeepersFeedApplication/plan/findQuery';
import { buildLookupQueries } from '../../../nodes/SkeepersFeedApplication/plan/soql';
import type { SObjectDescribe } from '../../../nodes/SkeepersFeedApplication/salesforce/types';

const field = (name: string, type = 'string', extra: Record<string, unknown> = {}) =>
	({ name, label: name, type, filterable: true, ...extra }) as never;
const contact = {
	name: 'Contact',
	fields: [
		field('Id', 'id'),
		field('LastName'),
		field('Email', 'email'),
		field('Status__c', 'picklist'),
		field('NPS_Score__c', 'double'),
		field('HasOptedOutOfEmail', 'boolean'),
		field('Birthdate', 'date'),
		field('LastModifiedDate', 'datetime'),
		field('Notes__c', 'textarea', { filterable: false }),
	],
} as unknown as SObjectDescribe;

const where = (...conditions: FindCondition[]) => {
	const plan = planFind(contact, { fields: [], conditions }, 'Contact');
	if (typeof plan === 'string') throw new Error(plan);
	return plan.where;
};
const problem = (fields: string[], conditions: FindCondition[]) =>
	planFind(contact, { fields, conditions }, 'Contact');

describe('planFind: fields to return', () => {
	it('Id first, then the fields as the describe names them, each once', () => {
		expect(
			planFind(
				contact,
				{ fields: ['email', 'LastName', 'EMAIL', 'Id'], conditions: [] },
				'Contact',
			),
		).toEqual({ fields: ['Id', 'Email', 'LastName'] });
	});

	it('an unknown field is refused by name', () => {
		expect(problem(['Emial'], [])).toBe('Fields to Return: Contact has no field "Emial"');
	});

	it('findFieldNames lists the returned and the filtered fields (for the describe check)', () => {
		expect(
			findFieldNames({
				fields: ['Email'],
				conditions: [{ field: 'Status__c', operator: 'equals', value: 'x' }],
			}),
		).toEqual(['Email', 'Status__c']);
		expect(findFieldNames(undefined)).toEqual([]);
	});
});

describe('planFind: conditions', () => {
	it('every operator of the list, joined with AND, field names as the describe spells them', () => {
		expect(
			where(
				{ field: 'status__c', operator: 'equals', value: 'Active' },
				{ field: 'LastName', operator: 'notEquals', value: 'Doe' },
				{ field: 'NPS_Score__c', operator: 'lessThan', value: '5' },
				{ field: 'NPS_Score__c', operator: 'lessOrEqual', value: '5.5' },
				{ field: 'NPS_Score__c', operator: 'greaterThan', value: ' 7 ' },
				{ field: 'NPS_Score__c', operator: 'greaterOrEqual', value: '-1' },
				{ field: 'Email', operator: 'like', value: '%@example.com' },
				{ field: 'Birthdate', operator: 'isEmpty', value: 'ignored' },
				{ field: 'Email', operator: 'isNotEmpty', value: '' },
			),
		).toBe(
			"Status__c = 'Active' AND LastName != 'Doe' AND NPS_Score__c < 5 AND NPS_Score__c <= 5.5 AND NPS_Score__c > 7 AND NPS_Score__c >= -1 AND Email LIKE '%@example.com' AND Birthdate = null AND Email != null",
		);
	});

	it('no conditions: no WHERE part', () => {
		expect(where()).toBeUndefined();
	});

	it.each([
		["x' OR Name != '", String.raw`LastName = 'x\' OR Name != \''`],
		["' OR Id != null OR LastName = '", String.raw`LastName = '\' OR Id != null OR LastName = \''`],
		[String.raw`\' OR 1=1 --`, String.raw`LastName = '\\\' OR 1=1 --'`],
		["a')) OR (Id != null", String.raw`LastName = 'a\')) OR (Id != null'`],
		['line\nbreak', String.raw`LastName = 'line\nbreak'`],
	])('an injection attempt stays one string literal: %j', (value, soql) => {
		expect(where({ field: 'LastName', operator: 'equals', value })).toBe(soql);
	});

	it('numbers, checkboxes and dates are accepted only as literals of their type', () => {
		expect(
			where(
				{ field: 'HasOptedOutOfEmail', operator: 'equals', value: 'TRUE' },
				{ field: 'Birthdate', operator: 'greaterThan', value: '1990-01-31' },
				{ field: 'LastModifiedDate', operator: 'lessThan', value: '2026-01-31T09:00:00Z' },
			),
		).toBe(
			'HasOptedOutOfEmail = true AND Birthdate > 1990-01-31 AND LastModifiedDate < 2026-01-31T09:00:00Z',
		);
		const c = (f: string, value: string): FindCondition[] => [
			{ field: f, operator: 'equals', value },
		];
		expect(problem([], c('NPS_Score__c', '5 OR Id != null'))).toBe(
			'Conditions: NPS_Score__c is a number field: "5 OR Id != null" is not a number',
		);
		expect(problem([], c('NPS_Score__c', ''))).toContain('is not a number');
		expect(problem([], c('HasOptedOutOfEmail', 'true OR Id != null'))).toContain(
			'HasOptedOutOfEmail is a checkbox: use true or false',
		);
		expect(problem([], c('Birthdate', '1990-01-31 OR Id != null'))).toContain(
			'Birthdate is a date: use YYYY-MM-DD',
		);
		expect(problem([], c('LastModifiedDate', '2026-01-31'))).toContain(
			'LastModifiedDate is a date/time',
		);
	});

	it('pre-flight: an unknown field, an unfilterable field, an unknown operator, LIKE on a number', () => {
		expect(problem([], [{ field: 'Nope__c', operator: 'equals', value: 'x' }])).toBe(
			'Conditions: Contact has no field "Nope__c"',
		);
		expect(problem([], [{ field: 'Notes__c', operator: 'equals', value: 'x' }])).toBe(
			'Conditions: Contact.Notes__c cannot be filtered in SOQL (filterable: false in the describe)',
		);
		expect(problem([], [{ field: 'LastName', operator: '= null OR', value: 'x' }])).toContain(
			'Conditions: unknown operator "= null OR" on LastName; use one of equals, notEquals',
		);
		expect(problem([], [{ field: 'LastName', operator: 'toString', value: 'x' }])).toContain(
			'unknown operator "toString"',
		);
		expect(problem([], [{ field: 'NPS_Score__c', operator: 'like', value: '5%' }])).toBe(
			'Conditions: NPS_Score__c (double) cannot be compared with LIKE; LIKE is for text fields',
		);
	});
});

describe('buildLookupQueries with Find conditions', () => {
	it('the conditions go before the IN list, in parentheses, in every chunk', () => {
		const plan = planFind(
			contact,
			{
				fields: ['LastName'],
				conditions: [{ field: 'Status__c', operator: 'equals', value: "x' OR Name != '" }],
			},
			'Contact',
		);
		if (typeof plan === 'string') throw new Error(plan);
		const queries = buildLookupQueries({
			object: 'Contact',
			matchField: 'Email',
			values: ['a@x.fr', 'b@x.fr', 'c@x.fr'],
			selectFields: plan.fields,
			where: plan.where,
			maxValuesPerQuery: 2,
		});
		expect(queries).toEqual([
			String.raw`SELECT Id, Email, LastName FROM Contact WHERE (Status__c = 'x\' OR Name != \'') AND Email IN ('a@x.fr','b@x.fr')`,
			String.raw`SELECT Id, Email, LastName FROM Contact WHERE (Status__c = 'x\' OR Name != \'') AND Email IN ('c@x.fr')`,
		]);
	});

	it('the conditions count in the URL length that splits the IN list', () => {
		const values = Array.from({ length: 300 }, (_, i) => `person${i}@example.com`);
		const opts = {
			object: 'Contact',
			matchField: 'Email',
			values,
			maxQueryLength: 12_000,
			measure: (q: string) => encodeURIComponent(q).length,
		};
		const without = buildLookupQueries(opts);
		const withWhere = buildLookupQueries({ ...opts, where: `LastName = '${'x'.repeat(4000)}'` });
		expect(withWhere.length).toBeGreaterThan(without.length);
		for (const q of withWhere) expect(encodeURIComponent(q).length).toBeLessThanOrEqual(12_000);
		expect(withWhere.flatMap((q) => q.split('IN (')[1].split(','))).toHaveLength(300);
	});
});

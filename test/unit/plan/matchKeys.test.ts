import {
	itemsForKey,
	matchOnKey,
	resolveMoreMatchKeys,
	type ItemKeys,
	type KeyMatch,
} from '../../../nodes/SkeepersFeedApplication/plan/matchKeys';
import type { SObjectDescribe } from '../../../nodes/SkeepersFeedApplication/salesforce/types';

/** Runs the cascade the writer runs, with `records` (field → value → Ids) standing for the queries. */
function cascade(
	items: ItemKeys[],
	records: Array<Record<string, string[]>>,
): { asked: number[][]; settled: Map<number, KeyMatch> } {
	const settled = new Map<number, KeyMatch>();
	const asked: number[][] = [];
	let pending = items;
	for (let k = 0; k < records.length && pending.length; k++) {
		const ask = itemsForKey(pending, k);
		asked.push(ask.map((p) => p.item));
		pending = matchOnKey(pending, k, (v) => records[k][v] ?? [], settled);
	}
	return { asked, settled };
}

describe('ordered match keys: which items go to which key query', () => {
	const items: ItemKeys[] = [
		{ item: 0, values: ['R1', 'a@x.fr'] }, // found by key 1
		{ item: 1, values: ['R2', 'b@x.fr'] }, // found by key 2 only
		{ item: 2, values: [undefined, 'c@x.fr'] }, // no key 1: straight to key 2
		{ item: 3, values: ['R4', 'd@x.fr'] }, // found by neither
		{ item: 4, values: ['R5', 'e@x.fr'] }, // several on key 1: stops there
		{ item: 5, values: ['R6', undefined] }, // not found, no key 2
	];
	const records: Array<Record<string, string[]>> = [
		{ R1: ['001A'], R5: ['001E', '001F'] },
		{ 'b@x.fr': ['001B'], 'c@x.fr': ['001C'], 'e@x.fr': ['001G'] },
	];

	it('key 1 is asked for every item with a value, key 2 only for the items key 1 did not find', () => {
		const { asked } = cascade(items, records);
		expect(asked).toEqual([
			[0, 1, 3, 4, 5],
			[1, 2, 3],
		]);
	});

	it('each item ends on the first key that finds exactly one record; several records stop it', () => {
		const { settled } = cascade(items, records);
		expect(settled.get(0)).toEqual({ kind: 'found', key: 0, id: '001A' });
		expect(settled.get(1)).toEqual({ kind: 'found', key: 1, id: '001B' });
		expect(settled.get(2)).toEqual({ kind: 'found', key: 1, id: '001C' });
		expect(settled.has(3)).toBe(false);
		// never falls through to key 2, which would have found 001G
		expect(settled.get(4)).toEqual({ kind: 'multiple', key: 0, ids: ['001E', '001F'] });
		expect(settled.has(5)).toBe(false);
	});

	it('a key nobody is left for is not asked', () => {
		const { asked } = cascade(items.slice(0, 1), records);
		expect(asked).toEqual([[0]]);
	});
});

describe('resolveMoreMatchKeys', () => {
	const field = (name: string, extra: Record<string, unknown> = {}) =>
		({ name, type: 'string', externalId: false, idLookup: false, ...extra }) as never;
	const describe = {
		name: 'Contact',
		fields: [
			field('Id', { type: 'id', idLookup: true }),
			field('Skeepers_Respondent_Id__c', { externalId: true, idLookup: true }),
			field('Email', { type: 'email', idLookup: true }),
			field('Title'),
		],
	} as unknown as SObjectDescribe;
	const settings = (matchField: string, moreMatchFields: string[]) => ({
		object: 'Contact',
		matchField,
		moreMatchFields,
	});

	it('names the fields as the describe does, with their kind and type', () => {
		expect(
			resolveMoreMatchKeys(describe, settings('Skeepers_Respondent_Id__c', ['email']), true),
		).toEqual([{ field: 'Email', kind: 'idLookup', type: 'email' }]);
	});

	it('refuses a field that cannot match, a repeated key, and linking an Id', () => {
		expect(resolveMoreMatchKeys(describe, settings('Email', ['Title']), false)).toContain(
			'Contact.Title cannot be used to match records',
		);
		expect(resolveMoreMatchKeys(describe, settings('Email', ['EMAIL']), false)).toContain(
			'EMAIL is already a match key',
		);
		expect(resolveMoreMatchKeys(describe, settings('Id', ['Email']), true)).toContain(
			'Link to First Match Key cannot write the record Id',
		);
		expect(resolveMoreMatchKeys(describe, settings('Id', ['Email']), false)).toEqual([
			{ field: 'Email', kind: 'idLookup', type: 'email' },
		]);
	});

	it('no More Match Keys: none', () => {
		expect(resolveMoreMatchKeys(describe, settings('Email', []), true)).toEqual([]);
	});
});

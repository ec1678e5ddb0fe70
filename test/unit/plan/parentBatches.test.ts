import fc from 'fast-check';

import {
	parentBatches,
	parentFieldsOf,
	parentKeysOf,
} from '../../../nodes/SkeepersFeedApplication/plan/parentBatches';
import type {
	FieldDescribe,
	SObjectDescribe,
} from '../../../nodes/SkeepersFeedApplication/salesforce/types';

interface Rec {
	i: number;
	parents: string[];
}
const recs = (parents: Array<string[]>): Rec[] => parents.map((p, i) => ({ i, parents: p }));
const batchesOf = (items: Rec[], size: number) => parentBatches(items, (r) => r.parents, size);

describe('parentBatches', () => {
	it('keeps one parent’s records in one batch, in input order, and fills batches first fit', () => {
		// parents A (3 records), B (2), C (2), plus records without a parent
		const items = recs([['A'], ['B'], ['A'], [], ['C'], ['B'], ['A'], ['C'], []]);
		const chains = batchesOf(items, 4);
		const ids = chains.map((chain) => chain.map((b) => b.map((r) => r.i)));
		expect(ids).toEqual([[[0, 2, 6, 3]], [[1, 5, 4, 7]], [[8]]]);
	});

	it('a parent with more children than a batch spans consecutive batches of one chain', () => {
		const items = recs([...Array(5).fill(['A']), ['B'], ['B']]);
		const chains = batchesOf(items, 2);
		expect(chains.map((c) => c.map((b) => b.map((r) => r.i)))).toEqual([
			[[0, 1], [2, 3], [4]],
			[[5, 6]],
		]);
	});

	it('records linked through any shared parent are one group', () => {
		// 0–1 share A, 1–2 share B: one group
		const items = recs([['A'], ['A', 'B'], ['B'], ['C']]);
		const chains = batchesOf(items, 3);
		expect(chains.map((c) => c.map((b) => b.map((r) => r.i)))).toEqual([[[0, 1, 2]], [[3]]]);
	});

	it('property: every item in exactly one batch; no batch over size; no parent in two chains', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G'), { maxLength: 2 }), {
					maxLength: 300,
				}),
				fc.integer({ min: 1, max: 30 }),
				(parents, size) => {
					const items = recs(parents);
					const chains = batchesOf(items, size);
					const all = chains.flat(2).map((r) => r.i);
					expect([...all].sort((a, b) => a - b)).toEqual(items.map((r) => r.i));
					for (const batch of chains.flat()) {
						expect(batch.length).toBeGreaterThan(0);
						expect(batch.length).toBeLessThanOrEqual(size);
					}
					const chainOf = new Map<string, number>();
					chains.forEach((chain, c) => {
						const inChain = chain.flat();
						for (const r of inChain) {
							for (const p of r.parents) {
								expect(chainOf.get(p) ?? c).toBe(c);
								chainOf.set(p, c);
							}
						}
						// within a chain, each parent's records keep input order
						const order = inChain.map((r) => r.i);
						for (const p of new Set(inChain.flatMap((r) => r.parents))) {
							const mine = order.filter((i) => items[i].parents.includes(p));
							expect(mine).toEqual([...mine].sort((a, b) => a - b));
						}
					});
				},
			),
		);
	});

	it('refuses a size that is not a whole number above 0', () => {
		expect(() => batchesOf([], 0)).toThrow(RangeError);
	});
});

const field = (f: Partial<FieldDescribe>): FieldDescribe =>
	({
		type: 'string',
		referenceTo: [],
		relationshipName: null,
		...f,
	}) as FieldDescribe;

describe('parentFieldsOf / parentKeysOf', () => {
	const describe: SObjectDescribe = {
		name: 'Case',
		fields: [
			field({ name: 'Id', type: 'id' }),
			field({
				name: 'ContactId',
				type: 'reference',
				referenceTo: ['Contact'],
				relationshipName: 'Contact',
			}),
			field({
				name: 'AccountId',
				type: 'reference',
				referenceTo: ['Account'],
				relationshipName: 'Account',
			}),
			field({
				name: 'OwnerId',
				type: 'reference',
				referenceTo: ['Group', 'User'],
				relationshipName: 'Owner',
			}),
			field({ name: 'RecordTypeId', type: 'reference', referenceTo: ['RecordType'] }),
			field({ name: 'Subject' }),
		],
	} as SObjectDescribe;

	it('takes the reference fields to parent records, not owners or record types', () => {
		expect(parentFieldsOf(describe).map((f) => f.name)).toEqual(['ContactId', 'AccountId']);
		expect(parentFieldsOf(undefined)).toEqual([]);
	});

	it('names a parent by its Id (15 and 18 characters alike) or its relationship external ID', () => {
		const fields = parentFieldsOf(describe);
		expect(parentKeysOf({ ContactId: '003000000000001AAA', Subject: 'x' }, fields)).toEqual([
			'003000000000001',
		]);
		expect(parentKeysOf({ ContactId: '003000000000001' }, fields)).toEqual(['003000000000001']);
		expect(parentKeysOf({ Contact: { Ext__c: 'r1' }, AccountId: '' }, fields)).toEqual([
			'Contact:{"Ext__c":"r1"}',
		]);
		expect(parentKeysOf({ OwnerId: '005000000000001' }, fields)).toEqual([]);
	});
});

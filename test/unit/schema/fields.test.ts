/** The pure choices behind the Feed Application's dropdowns (schema/fields.ts). */
import {
	matchFields,
	writableFields,
	writableObjects,
} from '../../../nodes/SkeepersFeedApplication/schema/fields';
import type {
	SObjectDescribe,
	SObjectSummary,
} from '../../../nodes/SkeepersFeedApplication/salesforce/types';
import { field } from '../mapping/fixtures';

const names = (list: Array<{ name: string }>) => list.map((x) => x.name);

const summary = (name: string, label: string, createable: boolean, updateable: boolean) =>
	({ name, label, createable, updateable }) as SObjectSummary;

const ORDER: SObjectDescribe = {
	name: 'Order__c',
	label: 'Order',
	custom: true,
	createable: true,
	updateable: true,
	queryable: true,
	fields: [
		field({ name: 'Zeta__c', label: 'Zeta' }),
		field({
			name: 'Id',
			label: 'Record ID',
			type: 'id',
			createable: false,
			updateable: false,
			idLookup: true,
		}),
		field({
			name: 'CreatedDate',
			label: 'Created Date',
			type: 'datetime',
			createable: false,
			updateable: false,
		}),
		field({ name: 'Channel__c', label: 'Channel', updateable: false }),
		field({ name: 'Status__c', label: 'Status', createable: false }),
		field({ name: 'Email__c', label: 'Email', idLookup: true }),
		field({
			name: 'Order_Key__c',
			label: 'Order Key',
			externalId: true,
			unique: true,
			idLookup: true,
		}),
		field({ name: 'Batch_Key__c', label: 'Batch Key', externalId: true, idLookup: true }),
	],
};

describe('writableObjects', () => {
	it('keeps the objects that can be created or updated, by label', () => {
		const all = [
			summary('Zeta__c', 'Zeta', true, true),
			summary('ContactHistory', 'Contact History', false, false),
			summary('Log__c', 'Audit Log', true, false),
			summary('Settings__c', 'Settings', false, true),
		];
		expect(names(writableObjects(all))).toEqual(['Log__c', 'Settings__c', 'Zeta__c']);
	});
});

describe('writableFields', () => {
	it('create: createable fields; update: updateable ones; upsert: either; never Id; by label', () => {
		expect(names(writableFields(ORDER, 'create'))).toEqual([
			'Batch_Key__c',
			'Channel__c',
			'Email__c',
			'Order_Key__c',
			'Zeta__c',
		]);
		expect(names(writableFields(ORDER, 'update'))).toEqual([
			'Batch_Key__c',
			'Email__c',
			'Order_Key__c',
			'Status__c',
			'Zeta__c',
		]);
		expect(names(writableFields(ORDER, 'upsert'))).toEqual([
			'Batch_Key__c',
			'Channel__c',
			'Email__c',
			'Order_Key__c',
			'Status__c',
			'Zeta__c',
		]);
	});
});

describe('matchFields', () => {
	it('Id first, then external IDs, then other idLookup fields, each group by label', () => {
		expect(names(matchFields(ORDER))).toEqual(['Id', 'Batch_Key__c', 'Order_Key__c', 'Email__c']);
	});
});

import type { SObjectDescribe } from '../../../nodes/SkeepersFeedApplication/salesforce/types';
import {
	nestedParent,
	parentFieldsNamed,
	parseRelationshipPath,
	relationshipChoices,
	resolveRelationship,
} from '../../../nodes/SkeepersFeedApplication/schema/relationships';
import {
	CONTACT,
	field,
	objectDescribe as object,
	referenceField as reference,
} from '../mapping/fixtures';

const CASE = object('Case', [
	field({ name: 'Subject' }),
	reference('ContactId', ['Contact'], 'Contact'),
]);
const TASK = object('Task', [reference('WhoId', ['Contact', 'Lead'], 'Who')]);
const LEAD = object('Lead', [field({ name: 'Email', idLookup: true }), field({ name: 'Company' })]);
const PARENTS = new Map([
	['contact', CONTACT],
	['lead', LEAD],
]);

describe('parseRelationshipPath', () => {
	it('reads Relationship.Field and Type:Relationship.Field; a plain field name is none', () => {
		expect(parseRelationshipPath('Contact.Skeepers_Respondent_Id__c')).toEqual({
			parentType: undefined,
			relationshipName: 'Contact',
			parentField: 'Skeepers_Respondent_Id__c',
		});
		expect(parseRelationshipPath('Lead:Who.Email')).toEqual({
			parentType: 'Lead',
			relationshipName: 'Who',
			parentField: 'Email',
		});
		expect(parseRelationshipPath('ContactId')).toBeUndefined();
		expect(parseRelationshipPath('A.B.C')).toBeUndefined();
	});
});

describe('resolveRelationship', () => {
	const resolve = (o: SObjectDescribe, path: string) =>
		resolveRelationship(o, parseRelationshipPath(path)!, PARENTS);

	it('resolves the reference field, the parent type and the parent field (case-insensitive)', () => {
		const r = resolve(CASE, 'contact.skeepers_respondent_id__c');
		expect(r).toMatchObject({
			reference: { name: 'ContactId' },
			parentType: 'Contact',
			parentField: { name: 'Skeepers_Respondent_Id__c' },
			path: 'Contact.Skeepers_Respondent_Id__c',
		});
		expect(resolve(TASK, 'Lead:Who.Email')).toMatchObject({ path: 'Lead:Who.Email' });
	});

	it.each([
		['Nope.Email', 'has no relationship named Nope'],
		['Contact.LastName', 'Contact.LastName is neither an External ID nor an idLookup field'],
		['Contact.Id', 'neither an External ID nor an idLookup field'],
		['Contact.Nope__c', 'Contact has no field named Nope__c'],
	])('%s on Case: %s', (path, problem) => {
		expect(resolve(CASE, path)).toEqual({ problem: expect.stringContaining(problem) });
	});

	it('a polymorphic reference needs a parent type it can point to', () => {
		expect(resolve(TASK, 'Who.Email')).toEqual({
			problem: expect.stringContaining('name the parent object, e.g. Contact:Who.Email'),
		});
		expect(resolve(TASK, 'Account:Who.Name')).toEqual({
			problem: expect.stringContaining('cannot point to Account'),
		});
	});

	it('says so when the parent describe is missing', () => {
		expect(resolveRelationship(CASE, parseRelationshipPath('Contact.Email')!, new Map())).toEqual({
			problem: expect.stringContaining('describe of Contact could not be read'),
		});
	});
});

describe('choices, parents named, nested form', () => {
	it('lists each External ID and idLookup field of each parent, type-prefixed when polymorphic', () => {
		expect(
			relationshipChoices([...CASE.fields, ...TASK.fields], PARENTS).map((c) => c.path),
		).toEqual([
			'Contact.Skeepers_Respondent_Id__c',
			'Contact.Email',
			'Contact:Who.Skeepers_Respondent_Id__c',
			'Contact:Who.Email',
			'Lead:Who.Email',
		]);
	});

	it('parentFieldsNamed: the parents the names point to, once, with their fields', () => {
		expect(
			parentFieldsNamed(TASK, [
				'Lead:Who.Email',
				'Lead:Who.Company',
				'Lead:Who.Email',
				'Subject',
				'Nope.X',
			]),
		).toEqual(new Map([['Lead', ['Email', 'Company']]]));
		expect(parentFieldsNamed(CASE, ['Contact.Email'])).toEqual(new Map([['Contact', ['Email']]]));
	});

	it('nestedParent: the parent field, with attributes.type when the type is named', () => {
		expect(nestedParent(parseRelationshipPath('Contact.Email')!, 'a@b.c')).toEqual({
			Email: 'a@b.c',
		});
		expect(nestedParent(parseRelationshipPath('Lead:Who.Email')!, 'a@b.c')).toEqual({
			attributes: { type: 'Lead' },
			Email: 'a@b.c',
		});
	});
});

// Write Modes, the pure merge (plan/writeModes.ts): examples, then properties of the
// multi-select union over random selections (fast-check, fixed seed: same cases every run).
import fc from 'fast-check';

import {
	fieldsToRead,
	isEmptyCurrent,
	isWriteMode,
	mergeWithCurrent,
	multiSelectValues,
	unionMultiSelect,
} from '../../../nodes/SkeepersFeedApplication/plan/writeModes';

const run = { seed: 15, numRuns: 300 };
/** Picklist-like values: short, no `;`, may repeat, may differ only by case. */
const value = fc.constantFrom('VIP', 'vip', 'Newsletter', 'To call back', 'Complaint', 'A', 'B');
const selection = fc.array(value, { maxLength: 6 });
const join = (xs: string[]) => xs.join(';');

describe('unionMultiSelect', () => {
	test('keeps the current selection in its order and appends the new values', () => {
		expect(unionMultiSelect('VIP;Newsletter', 'To call back;VIP')).toEqual([
			'VIP',
			'Newsletter',
			'To call back',
		]);
	});
	test('reads null, empty text and blanks around values', () => {
		expect(unionMultiSelect(null, ' VIP ; ;Newsletter')).toEqual(['VIP', 'Newsletter']);
		expect(unionMultiSelect('VIP', null)).toEqual(['VIP']);
		expect(multiSelectValues('')).toEqual([]);
	});
	test('values compare exactly, as Salesforce stores them', () => {
		expect(unionMultiSelect('VIP', 'vip')).toEqual(['VIP', 'vip']);
	});

	test('property: contains every value of both sides, and nothing else', () => {
		fc.assert(
			fc.property(selection, selection, (a, b) => {
				const u = unionMultiSelect(join(a), join(b));
				expect(new Set(u)).toEqual(new Set([...a, ...b]));
			}),
			run,
		);
	});
	test('property: no repeats', () => {
		fc.assert(
			fc.property(selection, selection, (a, b) => {
				const u = unionMultiSelect(join(a), join(b));
				expect(new Set(u).size).toBe(u.length);
			}),
			run,
		);
	});
	test('property: the current selection (without repeats) comes first, in its order; the new values follow in theirs', () => {
		fc.assert(
			fc.property(selection, selection, (a, b) => {
				const u = unionMultiSelect(join(a), join(b));
				const current = [...new Set(a)];
				expect(u.slice(0, current.length)).toEqual(current);
				expect(u.slice(current.length)).toEqual([...new Set(b)].filter((x) => !a.includes(x)));
			}),
			run,
		);
	});
	test('property: idempotent (adding the same values again changes nothing)', () => {
		fc.assert(
			fc.property(selection, selection, (a, b) => {
				const once = unionMultiSelect(join(a), join(b));
				expect(unionMultiSelect(join(once), join(b))).toEqual(once);
				expect(unionMultiSelect(join(once), join(once))).toEqual(once);
			}),
			run,
		);
	});
});

describe('mergeWithCurrent', () => {
	const record = { LastName: 'Leroy', Title: 'New title', Skeepers_Flags__c: 'VIP;To call back' };
	const modes = { Title: 'onlyIfEmpty', Skeepers_Flags__c: 'addToMultiSelect' } as const;

	test('a new record (no current values): every value is written as is', () => {
		expect(mergeWithCurrent(record, modes, undefined)).toEqual(record);
	});
	test('Only If Empty writes into an empty field, and leaves a filled one out of the record', () => {
		expect(mergeWithCurrent(record, modes, { Title: null, Skeepers_Flags__c: null })).toEqual(
			record,
		);
		expect(mergeWithCurrent(record, modes, { Title: '  ', Skeepers_Flags__c: '' })).toEqual(record);
		expect(
			mergeWithCurrent(record, modes, { Title: 'Client platinum', Skeepers_Flags__c: null }),
		).toEqual({ LastName: 'Leroy', Skeepers_Flags__c: 'VIP;To call back' });
	});
	test('Add to Multi-Select sends the union, or leaves the field out when nothing is new', () => {
		expect(
			mergeWithCurrent(record, modes, { Title: null, skeepers_flags__c: 'VIP;Newsletter' }),
		).toEqual({ ...record, Skeepers_Flags__c: 'VIP;Newsletter;To call back' });
		expect(
			mergeWithCurrent(record, modes, {
				Title: null,
				Skeepers_Flags__c: 'To call back;Newsletter;VIP',
			}),
		).toEqual({ LastName: 'Leroy', Title: 'New title' });
	});
	test('Add to Multi-Select with an empty value (Empty Values: Send Null) keeps the selection', () => {
		expect(
			mergeWithCurrent({ Skeepers_Flags__c: null }, modes, { Skeepers_Flags__c: 'VIP' }),
		).toEqual({});
	});
	test('fields without a mode, and Overwrite, are copied unchanged (Id and attributes too)', () => {
		const body = { attributes: { type: 'Contact' }, Id: '003000000000001AAA', Title: 'x' };
		expect(mergeWithCurrent(body, { Title: 'overwrite' }, { Title: 'y' })).toEqual(body);
	});
	test('property: a merged multi-select value is the union of the current and sent values', () => {
		fc.assert(
			fc.property(selection, selection, (a, b) => {
				const out = mergeWithCurrent(
					{ F: join(b) },
					{ F: 'addToMultiSelect' },
					{ F: a.length ? join(a) : null },
				);
				const union = unionMultiSelect(join(a), join(b));
				if (union.length === new Set(a).size) expect(out).toEqual({});
				else expect(out).toEqual({ F: join(union) });
			}),
			run,
		);
	});
});

test('isWriteMode, isEmptyCurrent and fieldsToRead', () => {
	expect(['overwrite', 'onlyIfEmpty', 'addToMultiSelect'].every(isWriteMode)).toBe(true);
	expect(isWriteMode('append')).toBe(false);
	expect([null, undefined, '', ' '].every(isEmptyCurrent)).toBe(true);
	expect([false, 0, 'x'].some(isEmptyCurrent)).toBe(false);
	expect(
		fieldsToRead([
			{ writeModes: { Title: 'onlyIfEmpty' } },
			{ writeModes: { title: 'onlyIfEmpty', Skeepers_Flags__c: 'addToMultiSelect' } },
			{ writeModes: { Phone: 'overwrite' } },
			{},
		]),
	).toEqual(['Title', 'Skeepers_Flags__c']);
});

/**
 * The Find operation's own parameters: Fields to Return and Conditions (its entry in the
 * Operation dropdown is in description.ts). Match On, Match Value and More Match Keys are shared with Update (description.ts).
 * Internal `name`s are a public contract, as in description.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

import { findOperatorOptions } from '../plan/findQuery';

const onlyFind = { show: { operation: ['find'] } };

export const findProperties: INodeProperties[] = [
	{
		displayName: 'Fields to Return Names or IDs',
		name: 'findFields',
		type: 'multiOptions',
		typeOptions: {
			loadOptionsMethod: 'getFindFields',
			loadOptionsDependsOn: ['object.value'],
		},
		default: [],
		description:
			'The fields of the found record to return (the record ID is always returned). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: onlyFind,
	},
	{
		displayName: 'Conditions',
		name: 'findConditions',
		type: 'fixedCollection',
		placeholder: 'Add Condition',
		default: {},
		typeOptions: { multipleValues: true },
		description:
			'Further conditions the record must meet, all of them (AND), e.g. Status__c equals Active. Several records on a key fail the item (MULTIPLE_MATCHES) unless the conditions leave one.',
		displayOptions: onlyFind,
		options: [
			{
				displayName: 'Condition',
				name: 'conditions',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getFilterableFields',
							loadOptionsDependsOn: ['object.value'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						options: findOperatorOptions(),
						default: 'equals',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. Active',
						description:
							'Compared as text, or as a number, true/false or date (YYYY-MM-DD) for such fields; always escaped. Ignored by Is Empty and Is Not Empty.',
					},
				],
			},
		],
	},
];

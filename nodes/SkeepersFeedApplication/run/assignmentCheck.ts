/**
 * Assignment Rules set to Specific Rule: the rule must exist and assign records of the object
 * the group writes. Checked for every group before anything is written (a dry run too).
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { specificRuleProblem } from '../salesforce/assignment';
import { toNodeApiError } from '../salesforce/nodeError';
import type { SalesforceApi } from '../salesforce/types';
import type { GroupPlan } from './groups';
import type { FeedOptions } from './settings';

export async function checkAssignmentRules(
	ctx: IExecuteFunctions,
	api: SalesforceApi,
	planned: readonly GroupPlan[],
	options: FeedOptions,
): Promise<void> {
	if (options.assignmentRules !== 'specific') return;
	const checked = new Set<string>();
	for (const group of planned) {
		if (checked.has(group.object)) continue;
		checked.add(group.object);
		const itemIndex = group.items[0];
		let problem: string | undefined;
		try {
			problem = await specificRuleProblem(api, group.object, options.assignmentRuleId);
		} catch (error) {
			throw toNodeApiError(ctx.getNode(), error, itemIndex);
		}
		if (problem) {
			throw new NodeOperationError(ctx.getNode(), problem, {
				itemIndex,
				description:
					"Nothing was written. Choose one of the object's assignment rules in Options → Assignment Rule, or set Assignment Rules to Active Rule or Don't Run.",
			});
		}
	}
}

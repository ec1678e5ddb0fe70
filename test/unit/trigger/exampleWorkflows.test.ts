// The example workflows require, in their Skeepers Trigger, every normalised field their IF
// conditions and Salesforce match keys read: an event without one is refused (422) instead of
// starting an execution that silently does nothing.
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';

import { FIELDS } from '../../../nodes/SkeepersTrigger/event';

const DIR = path.join(__dirname, '../../../examples/workflows');

interface WorkflowNode {
	type: string;
	parameters: Record<string, unknown>;
}

/** Normalised fields an expression reads (`$json.nps.score` → `nps.score`), except the event id, always present. */
function fieldsRead(expression: unknown): string[] {
	const text = JSON.stringify(expression ?? '');
	const out = new Set<string>();
	for (const field of FIELDS) {
		if (field === 'eventId') continue;
		if (text.includes(`$json.${field}`)) out.add(field);
	}
	return [...out];
}

describe.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))('%s', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as {
		nodes: WorkflowNode[];
	};
	const trigger = workflow.nodes.find((n) => n.type.endsWith('.skeepersTrigger'));

	it('requires what its IF conditions and match keys read', () => {
		const relied = new Set<string>();
		for (const node of workflow.nodes) {
			if (node.type === 'n8n-nodes-base.if')
				fieldsRead(node.parameters.conditions).forEach((f) => relied.add(f));
			if (node.type.endsWith('.skeepersFeedApplication'))
				fieldsRead(node.parameters.matchValue).forEach((f) => relied.add(f));
		}
		const required = (trigger?.parameters.requiredFields ?? []) as string[];
		expect([...relied].filter((f) => !required.includes(f))).toEqual([]);
		if (required.length > 0) expect(trigger?.parameters.onMissing).toBe('reject');
	});
});

// The trigger's outputs as n8n computes them (n8n-workflow's NodeHelpers.getNodeOutputs and
// expression engine): one output, or Recognized + Unrecognized when Required Fields send misses
// to a second output.
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type { INode, INodeParameters, INodeTypes } from 'n8n-workflow';

import { SkeepersTrigger } from '../../../nodes/SkeepersTrigger/SkeepersTrigger.node';

const nodeTypes = {
	getByName: () => undefined,
	getByNameAndVersion: () => undefined,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

function outputsWith(parameters: INodeParameters) {
	const node: INode = {
		id: 't',
		name: 'Skeepers Trigger',
		type: 'n8n-nodes-skeepers.skeepersTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return NodeHelpers.getNodeOutputs(workflow, node, new SkeepersTrigger().description);
}

describe('trigger outputs', () => {
	it('one main output by default and when misses are refused', () => {
		expect(outputsWith({})).toEqual(['main']);
		expect(outputsWith({ requiredFields: ['nps.score'], onMissing: 'reject' })).toEqual(['main']);
	});

	it('Recognized and Unrecognized when misses go to a second output', () => {
		expect(outputsWith({ requiredFields: ['nps.score'], onMissing: 'output' })).toEqual([
			{ type: 'main', displayName: 'Recognized' },
			{ type: 'main', displayName: 'Unrecognized' },
		]);
	});
});

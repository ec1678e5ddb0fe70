/**
 * The part of n8n's execute context the parameter reader uses, with n8n-workflow's real
 * expression engine behind getNodeParameter, as n8n-core's NodeExecutionContext does it
 * (n8n-core 2.41 `_getNodeParameter`): lodash-style `get(node.parameters, name, fallback)`,
 * the raw value for `rawExpressions`, else `workflow.expression.getParameterValue(value, …,
 * itemIndex, node, connectionInputData, …)`. n8n-core then converts Luxon DateTimes nested in
 * objects to strings and validates parameters that declare `validateType` (this node declares
 * none); the fast path never yields either kind of value, so they are left out here.
 *
 * The workflow is `Trigger → Feed`: the Feed node's input items are the Trigger's output in the
 * run data (paired item i → i), so `$('Trigger').item.json` resolves like in a real execution.
 */
import { Expression, LoggerProxy, Workflow } from 'n8n-workflow';
import { SkeepersFeedApplication } from '../../../nodes/SkeepersFeedApplication/SkeepersFeedApplication.node';
import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeTypes,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

export type Engine = 'legacy' | 'vm';

let vmStarted = false;

/**
 * Selects n8n's expression engine for the following evaluations. The VM engine is started the
 * way `Expression.initExpressionEngine({ engine: 'vm' })` starts it (same classes, same sandbox
 * hooks); that method loads the runtime with a dynamic import(), which Jest's module sandbox
 * does not allow, so the same steps are taken here with require().
 */
export async function useEngine(engine: Engine): Promise<void> {
	if (engine === 'vm' && !vmStarted) {
		/* eslint-disable @typescript-eslint/no-require-imports */
		const runtime = require('@n8n/expression-runtime') as typeof import('@n8n/expression-runtime');
		// the package's `./expression-sandboxing` export (this tsconfig resolves no `exports` maps)
		const { expressionSandboxHooks } = require('n8n-workflow/expression-sandboxing') as {
			expressionSandboxHooks: unknown;
		};
		/* eslint-enable @typescript-eslint/no-require-imports */
		const evaluator = new runtime.ExpressionEvaluator({
			createBridge: () =>
				new runtime.IsolatedVmBridge({ timeout: 5000, memoryLimit: 128, logger: LoggerProxy }),
			maxCodeCacheSize: 1024,
			poolSize: 1,
			hooks: expressionSandboxHooks,
			logger: LoggerProxy,
		} as never);
		await evaluator.initialize();
		(Expression as unknown as { vmEvaluator: unknown }).vmEvaluator = evaluator;
		vmStarted = true;
	}
	Expression.setExpressionEngine(engine);
	expect(Expression.getActiveImplementation()).toBe(engine);
}

export async function stopEngines(): Promise<void> {
	await Expression.disposeExpressionEngine();
	vmStarted = false;
	Expression.setExpressionEngine('legacy');
}

// the real node type: n8n's Workflow fills in defaults and keeps only the displayed parameters
const feedType = new SkeepersFeedApplication();
const nodeTypes = {
	getByName: (type: string) => (type === FEED_TYPE ? feedType : undefined),
	getByNameAndVersion: (type: string) => (type === FEED_TYPE ? feedType : undefined),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const FEED_TYPE = 'n8n-nodes-skeepers.skeepersFeedApplication';

/** `a.b[0].c` → ['a', 'b', '0', 'c'], like lodash's get. */
function getPath(obj: unknown, name: string, fallback: unknown): unknown {
	let cur = obj;
	for (const part of name.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
		if (cur === null || typeof cur !== 'object' || !(part in (cur as object))) return fallback;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur === undefined ? fallback : cur;
}

export interface RealContext {
	ctx: IExecuteFunctions;
	/** getNodeParameter calls that resolved expressions (not the raw reads) */
	resolveCalls: () => number;
	/** runs fn with an isolate held, as n8n does around a node's execute() under the VM engine */
	withIsolate<T>(fn: () => T): Promise<T>;
	/** replaces one stored parameter of the Feed node (as if the workflow had been saved with it) */
	setParameter(name: string, value: unknown): void;
}

export function realContext(
	parameters: Record<string, unknown>,
	jsons: IDataObject[],
): RealContext {
	const trigger: INode = {
		id: 'trig',
		name: 'Trigger',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const node: INode = {
		id: 'feed',
		name: 'Feed',
		type: FEED_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: parameters as INode['parameters'],
	};
	const workflow = new Workflow({
		nodes: [trigger, node],
		connections: { Trigger: { main: [[{ node: 'Feed', type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes,
	});
	const items: INodeExecutionData[] = jsons.map((json, i) => ({ json, pairedItem: { item: i } }));
	const runExecutionData = {
		resultData: {
			runData: {
				Trigger: [
					{
						startTime: 0,
						executionTime: 0,
						executionIndex: 0,
						source: [],
						data: { main: [items] },
					},
				],
			},
		},
	} as unknown as IRunExecutionData;
	const executeData = {
		node,
		data: { main: [items] },
		source: { main: [{ previousNode: 'Trigger' }] },
	};
	// what n8n made of the parameters (defaults added, hidden ones dropped)
	const stored = workflow.getNode('Feed');
	if (!stored) throw new Error('no Feed node');
	let calls = 0;
	const getNodeParameter = (
		name: string,
		itemIndex: number,
		fallback?: unknown,
		options?: { rawExpressions?: boolean },
	) => {
		const value = getPath(stored.parameters, name, fallback);
		if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
		if (options?.rawExpressions) return value;
		calls++;
		return workflow.expression.getParameterValue(
			value as never,
			runExecutionData,
			0,
			itemIndex,
			stored.name,
			items,
			'internal',
			{} as never,
			executeData as never,
		);
	};
	const ctx = {
		getInputData: () => items,
		getNode: () => stored,
		getNodeParameter,
		getWorkflow: () => ({ id: 'wf' }),
		additionalData: {} as IWorkflowExecuteAdditionalData,
	} as unknown as IExecuteFunctions;
	return {
		ctx,
		resolveCalls: () => calls,
		withIsolate: (fn) => workflow.expression.withIsolate(async () => fn()),
		setParameter: (name, value) => {
			(stored.parameters as Record<string, unknown>)[name] = value;
		},
	};
}

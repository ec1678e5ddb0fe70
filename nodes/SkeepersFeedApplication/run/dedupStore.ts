/**
 * The Dedup Key in n8n's deduplication store: which keys earlier executions already fed
 * (checked before writing, without keeping them), and recording the keys of the items written.
 *
 * n8n's deduplication store keeps one row per workflow and context, read and written back
 * without a transaction: two executions recording their first keys at the same time both
 * insert that row (SQLite: UNIQUE constraint failed: processed_data.workflowId, …), and two
 * concurrent updates can drop each other's keys. Seen with concurrent webhook deliveries on
 * real n8n (2.41.1). So: every read-modify-write of the store by this node runs one at a time
 * in this n8n process (executions of one process share this module), and a failed call is
 * retried after a short pause (the row exists by then; covers main + workers in queue mode).
 */
import { NodeOperationError, sleep, type IExecuteFunctions, type INode } from 'n8n-workflow';

const DEDUP_SCOPE = 'workflow' as const;
const DEDUP_OPTIONS = { mode: 'entries' as const };

let dedupQueue: Promise<unknown> = Promise.resolve();
function serialized<T>(fn: () => Promise<T>): Promise<T> {
	const run = dedupQueue.then(fn, fn);
	dedupQueue = run.catch(() => undefined);
	return run;
}

async function dedupCall<T>(node: INode, call: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await call();
		} catch (error) {
			if (attempt >= 4) {
				throw new NodeOperationError(node, error as Error, {
					message: `n8n's deduplication store failed: ${(error as Error).message}`,
				});
			}
			await sleep(25 * attempt + Math.floor(Math.random() * 50));
		}
	}
}

/**
 * The keys among `keys` that an earlier execution recorded. Checked without keeping: n8n's
 * helper records what it checks, so the new keys are removed again at once and recorded only
 * after their item was written.
 */
export async function processedKeys(ctx: IExecuteFunctions, keys: string[]): Promise<Set<string>> {
	const checked = await serialized(async () => {
		const c = await dedupCall(ctx.getNode(), () =>
			ctx.helpers.checkProcessedAndRecord(keys, DEDUP_SCOPE, DEDUP_OPTIONS),
		);
		if (c.new.length) {
			await dedupCall(ctx.getNode(), () =>
				ctx.helpers.removeProcessed(c.new, DEDUP_SCOPE, DEDUP_OPTIONS),
			);
		}
		return c;
	});
	return new Set(checked.processed.map(String));
}

/**
 * Records the keys of the items written. Record, then check again: a key that comes back as
 * new was dropped by a concurrent update of the store (and is recorded again by the same call).
 */
export async function recordKeys(ctx: IExecuteFunctions, written: string[]): Promise<void> {
	await serialized(async () => {
		let pending = [...new Set(written)];
		await dedupCall(ctx.getNode(), () =>
			ctx.helpers.checkProcessedAndRecord(pending, DEDUP_SCOPE, DEDUP_OPTIONS),
		);
		for (let round = 0; round < 3 && pending.length; round++) {
			const keys = pending;
			const verify = await dedupCall(ctx.getNode(), () =>
				ctx.helpers.checkProcessedAndRecord(keys, DEDUP_SCOPE, DEDUP_OPTIONS),
			);
			pending = verify.new.map(String);
		}
	});
}

/**
 * Parent-record lock contention. Saving a child (a Contact under an Account, a Case under a
 * Contact, a Skeepers_Feedback__c under a Contact...) locks its parent until the transaction
 * ends. A write that needs a parent another in-flight write holds waits for it; when the wait
 * would pass `lockWaitMs` (Salesforce: 10 s) the record fails with UNABLE_TO_LOCK_ROW instead.
 * Waiters queue: each one extends the parent's release time by its own duration.
 */
export interface LockPlan {
	/** Indexes of the records that fail UNABLE_TO_LOCK_ROW. */
	failed: Set<number>;
	/** How long the request waits for the locks its other records need, ms. */
	waitMs: number;
}

export class LockTable {
	/** parent Id → holder request → when that holder releases it (model time, ms). */
	private held = new Map<string, Map<number, number>>();

	/** Which records of a request (their parent Ids, in record order) fail and how long the rest waits. */
	plan(holder: number, now: number, parents: string[][], lockWaitMs: number): LockPlan {
		const failed = new Set<number>();
		let waitMs = 0;
		parents.forEach((ids, i) => {
			let wait = 0;
			for (const id of ids) {
				for (const [h, releaseAt] of this.held.get(id) ?? [])
					if (h !== holder) wait = Math.max(wait, releaseAt - now);
			}
			if (wait > lockWaitMs) failed.add(i);
			else waitMs = Math.max(waitMs, wait);
		});
		return { failed, waitMs };
	}

	acquire(holder: number, ids: Iterable<string>, releaseAt: number): void {
		for (const id of ids) {
			let h = this.held.get(id);
			if (!h) this.held.set(id, (h = new Map()));
			h.set(holder, Math.max(h.get(holder) ?? 0, releaseAt));
		}
	}

	release(holder: number): void {
		for (const [id, h] of this.held) {
			h.delete(holder);
			if (!h.size) this.held.delete(id);
		}
	}

	clear(): void {
		this.held.clear();
	}
}

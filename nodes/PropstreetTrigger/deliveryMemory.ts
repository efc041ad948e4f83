/**
 * Which Propstreet deliveries (`webhook-id`) this trigger has already passed on, so a replay starts
 * no second execution. Three stores, strongest first; every one that is available is used:
 *
 * 1. n8n's database-backed deduplication store (`helpers.checkProcessedAndRecord`, the one Remove
 *    Duplicates uses), when the webhook context offers it; check-and-record is one step there, so
 *    it also holds across processes (queue mode). n8n 2.40 offers it to executing nodes only, not
 *    to `webhook()` (ARCHITECTURE.md "Repeated deliveries").
 * 2. This process's memory: catches a replay, and two copies arriving at once, while n8n runs.
 * 3. The node's static data (core/seenIds), which n8n keeps in its database. n8n 2.40 saves it only
 *    if the trigger answers the HTTP request itself before the run starts; the node does.
 *
 * A delivery is claimed before it is handled and released again when the trigger answers with an
 * error (so Propstreet's retry gets through).
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { SeenIds } from '../shared/core/seenIds';

/** n8n's deduplication helpers, typed here because IWebhookFunctions does not declare them. */
interface DeduplicationHelpers {
	checkProcessedAndRecord(items: string[], scope: 'node', options: { mode: 'entries'; maxEntries?: number }): Promise<{ new: unknown[]; processed: unknown[] }>;
	removeProcessed(items: string[], scope: 'node', options: { mode: 'entries' }): Promise<void>;
}

/** How many delivery ids n8n's store keeps per node; Propstreet retries for about a day. */
const MAX_STORED_DELIVERIES = 10000;

/** Per process, across all workflows: keys carry the workflow and node. */
const processMemory = new SeenIds({ capacity: 20000 });

function databaseStore(context: IWebhookFunctions): DeduplicationHelpers | undefined {
	const helpers = context.helpers as unknown as Partial<DeduplicationHelpers>;
	return typeof helpers.checkProcessedAndRecord === 'function' && typeof helpers.removeProcessed === 'function'
		? (helpers as DeduplicationHelpers)
		: undefined;
}

/** Empties this process's memory (tests start each case from a clean process). */
export function forgetProcessDeliveries(): void {
	processMemory.clear();
}

export class DeliveryMemory {
	private readonly database: DeduplicationHelpers | undefined;

	private readonly staticMemory: SeenIds;

	/** Static data as it was, so a released delivery leaves it untouched. */
	private readonly staticBefore: IDataObject | undefined;

	constructor(
		private readonly context: IWebhookFunctions,
		private readonly staticData: IDataObject & { seenDeliveryIds?: IDataObject },
		private readonly nowMs: number,
	) {
		this.database = databaseStore(context);
		this.staticBefore = staticData.seenDeliveryIds;
		this.staticMemory = SeenIds.fromJSON(staticData.seenDeliveryIds);
	}

	/** Where the memory lives, for the log and the tests. */
	get store(): 'database' | 'process' {
		return this.database ? 'database' : 'process';
	}

	/** One subscription's delivery: workflow, node and the subscription's secret scope the id. */
	private processKey(id: string): string {
		const workflowId = typeof this.context.getWorkflow === 'function' ? (this.context.getWorkflow()?.id ?? '') : '';
		return [workflowId, this.context.getNode().name, String(this.staticData.secret ?? ''), id].join('\u0000');
	}

	/** True when the delivery is new (and is now remembered); false for a repeat. */
	async claim(id: string): Promise<boolean> {
		const key = this.processKey(id);
		if (processMemory.has(key, this.nowMs) || this.staticMemory.has(id, this.nowMs)) return false;
		// Claimed in this process first, so a copy arriving while the database answers waits for nothing.
		processMemory.add(key, this.nowMs);
		if (this.database) {
			const result = await this.database.checkProcessedAndRecord([id], 'node', { mode: 'entries', maxEntries: MAX_STORED_DELIVERIES });
			if (result.processed.length > 0) return false;
		}
		this.staticMemory.add(id, this.nowMs);
		this.staticData.seenDeliveryIds = this.staticMemory.toJSON() as unknown as IDataObject;
		return true;
	}

	/** Forgets a claimed delivery that was not passed on, so its retry is handled. */
	async release(id: string): Promise<void> {
		processMemory.forget(this.processKey(id));
		this.staticMemory.forget(id);
		if (this.staticBefore === undefined) delete this.staticData.seenDeliveryIds;
		else this.staticData.seenDeliveryIds = this.staticMemory.toJSON() as unknown as IDataObject;
		if (this.database) await this.database.removeProcessed([id], 'node', { mode: 'entries' });
	}
}

/** The entities the Sync node runs, in the order the Entity parameter lists them. */
import type { SyncEntityBinding } from './binding';
import { contactBinding } from './contact';
import { projectBinding } from './project';

export const SYNC_BINDINGS: readonly SyncEntityBinding[] = [contactBinding, projectBinding];

export function bindingFor(entity: string): SyncEntityBinding | undefined {
	return SYNC_BINDINGS.find((b) => b.value === entity);
}

export type { EntityRunParts, EntitySetup, SyncEntityBinding } from './binding';

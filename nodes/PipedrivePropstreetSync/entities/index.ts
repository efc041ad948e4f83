/** The entities the Sync node runs, in the order the Entity parameter lists them. */
import type { SyncEntityBinding } from './binding';
import { contactBinding } from './contact';
import { prospectBinding } from './prospect';

export const SYNC_BINDINGS: readonly SyncEntityBinding[] = [contactBinding, prospectBinding];

export function bindingFor(entity: string): SyncEntityBinding | undefined {
	return SYNC_BINDINGS.find((b) => b.value === entity);
}

export type { EntityRunParts, EntitySetup, ItemSetup, SyncEntityBinding } from './binding';

/** The entities the Sync node runs, in the order the Entity parameter lists them. */
import type { SyncEntityBinding } from './binding';
import { companyBinding } from './company';
import { contactBinding } from './contact';
import { noteBinding } from './note';
import { projectBinding } from './project';

export const SYNC_BINDINGS: readonly SyncEntityBinding[] = [contactBinding, companyBinding, projectBinding, noteBinding];

export function bindingFor(entity: string): SyncEntityBinding | undefined {
	return SYNC_BINDINGS.find((b) => b.value === entity);
}

export type { EntityRunParts, EntitySetup, OwnFlowBinding, RunSettings, SyncEntityBinding, TwoWayBinding } from './binding';

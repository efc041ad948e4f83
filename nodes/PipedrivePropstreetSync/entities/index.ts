/** The entities the Sync node runs, in the order the Entity parameter lists them. */
import type { SyncEntityBinding } from './binding';
import { companyBinding } from './company';
import { contactBinding } from './contact';
import { noteBinding } from './note';
import { projectBinding } from './project';
import { prospectBinding } from './prospect';

export const SYNC_BINDINGS: readonly SyncEntityBinding[] = [contactBinding, companyBinding, projectBinding, noteBinding, prospectBinding];

export function bindingFor(entity: string): SyncEntityBinding | undefined {
	return SYNC_BINDINGS.find((b) => b.value === entity);
}

export type { EntityRunParts, EntitySetup, ItemBinding, OwnFlowBinding, RunSettings, SyncEntityBinding, TwoWayBinding } from './binding';

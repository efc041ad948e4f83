/** Cloud entry: one round of a contact, company or deal ⇄ project event through the two-way engine (core/cloud/recordStep.ts has the contract). */
import { recordStep } from '../../nodes/shared/core/cloud/recordStep';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ recordStep });

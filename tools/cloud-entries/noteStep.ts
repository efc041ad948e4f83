/** Cloud entry: one round of a Pipedrive note event (the Sync node's note sync over answered lookups). */
import { syncNoteStep } from '../../nodes/shared/core/cloud/noteStep';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ syncNoteStep });

/** Cloud entry: where the backfill's lists start (the sweep's own window rule). */
import { backfillWindow } from '../../nodes/shared/core/cloud/backfill';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ backfillWindow });

/** Cloud entry: one round of the backfill (the replayed sweep) and the next marks. */
import { backfillStep, nextMarks } from '../../nodes/shared/core/cloud/backfill';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ backfillStep, nextMarks });

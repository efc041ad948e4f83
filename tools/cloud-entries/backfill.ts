/** Cloud entry: one round of the backfill (the replayed sweep of contacts, companies, deals ⇄ projects) and the next marks. */
import { backfillStep, nextMarks } from '../../nodes/shared/core/cloud/backfill';
import { backfillAllStep } from '../../nodes/shared/core/cloud/backfillAll';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ backfillStep, backfillAllStep, nextMarks });

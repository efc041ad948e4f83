/** Cloud entry: Cloud 08's targets (poll, Sync now, prospect delivery) and one round of the loop (deal list pages, membership sync, participation check). */
import { membershipRound, startMembershipRun, startPollRun } from '../../nodes/shared/core/cloud/membershipRun';
import { membershipTargets } from '../../nodes/shared/core/cloud/membershipTargets';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ membershipTargets, startMembershipRun, startPollRun, membershipRound });

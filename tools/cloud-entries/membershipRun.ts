/** Cloud entry: Cloud 08's targets (poll snapshot, Sync now, prospect delivery) and one round of the membership sync loop. */
import { membershipRound, startMembershipRun } from '../../nodes/shared/core/cloud/membershipRun';
import { membershipTargets } from '../../nodes/shared/core/cloud/membershipTargets';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ membershipTargets, startMembershipRun, membershipRound });

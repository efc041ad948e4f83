/** Cloud entry: what the setup does about the Propstreet webhook subscription. */
import { setupSteps } from '../../nodes/shared/core/cloud/subscription';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ setupSteps });

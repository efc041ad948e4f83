/** Cloud entry: what the setup does about the Propstreet webhook subscription. */
import { setupSteps } from '../subscription';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ setupSteps });

/** Cloud entry: what the setup does about the Propstreet webhook subscription, and where it keeps the secret. */
import { setupSteps } from '../../nodes/shared/core/cloud/subscription';
import { forgetLegacySecret, secretRowOf, storedSecret } from '../../nodes/shared/core/cloud/webhookSecret';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ setupSteps, storedSecret, secretRowOf, forgetLegacySecret });

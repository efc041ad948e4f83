/** Cloud entry: the Propstreet delivery check (Standard Webhooks signature, freshness, envelope) with the stored secret. */
import { checkDelivery } from '../../nodes/shared/core/cloud/delivery';
import { storedSecret } from '../../nodes/shared/core/cloud/webhookSecret';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ checkDelivery, storedSecret });

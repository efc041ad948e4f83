/** Cloud entry: the Propstreet delivery check (Standard Webhooks signature, freshness, envelope). */
import { checkDelivery } from '../../nodes/shared/core/cloud/delivery';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ checkDelivery });

/** Cloud entry: the Propstreet delivery check (Standard Webhooks signature, freshness, envelope). */
import { checkDelivery } from '../delivery';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ checkDelivery });

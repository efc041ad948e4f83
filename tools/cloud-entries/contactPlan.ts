/** Cloud entry: plan one contact event (link, echo, create, or the two-way plan of a linked pair). */
import { planContactPass } from '../../nodes/shared/core/cloud/contactPass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ planContactPass });

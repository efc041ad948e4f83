/** Cloud entry: plan one company event (link, echo, create, or the two-way plan of a linked pair). */
import { planPass, type PassInput } from '../../nodes/shared/core/cloud/pass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ planCompanyPass: (input: PassInput) => planPass('company', input) });

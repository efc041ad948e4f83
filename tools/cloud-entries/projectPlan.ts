/** Cloud entry: plan one deal or project event (link, echo, create, or the two-way plan of a linked pair). */
import { planPass, type PassInput } from '../../nodes/shared/core/cloud/pass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ planProjectPass: (input: PassInput) => planPass('project', input) });

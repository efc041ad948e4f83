/** Cloud entry: the state row to store after a contact pass's writes. */
import { recordContactPass } from '../../nodes/shared/core/cloud/contactPass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ recordContactPass });

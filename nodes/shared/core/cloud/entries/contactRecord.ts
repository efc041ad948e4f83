/** Cloud entry: the state row to store after a contact pass's writes. */
import { recordContactPass } from '../contactPass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ recordContactPass });

/** Cloud entry: the state row to store after a contact pass's writes. */
import { recordPass, type RecordInput } from '../../nodes/shared/core/cloud/pass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ recordContactPass: (input: RecordInput) => recordPass('contact', input) });

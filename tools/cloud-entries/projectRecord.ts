/** Cloud entry: the state row to store after a deal ⇄ project pass's writes. */
import { recordPass, type RecordInput } from '../../nodes/shared/core/cloud/pass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ recordProjectPass: (input: RecordInput) => recordPass('project', input) });

/** Cloud entry: the state row to store after a company pass's writes. */
import { recordPass, type RecordInput } from '../../nodes/shared/core/cloud/pass';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ recordCompanyPass: (input: RecordInput) => recordPass('company', input) });

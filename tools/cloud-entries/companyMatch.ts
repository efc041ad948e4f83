/** Cloud entry: before creating a Propstreet company, the next lookup or the company that matches (the Sync node's matchCompany). */
import { matchCompanyStep } from '../../nodes/shared/core/cloud/companyMatch';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ matchCompanyStep });

/** Cloud entry: before creating a Pipedrive organization, the next lookup or the organization that matches (the Sync node's rule). */
import { matchOrganizationStep } from '../../nodes/shared/core/cloud/organizationMatch';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ matchOrganizationStep });

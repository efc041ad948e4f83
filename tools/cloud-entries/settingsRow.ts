/** Cloud entry: the edited sync settings, checked, as the settings table's row. */
import { settingsRowOf } from '../../nodes/shared/core/cloud/settingsRow';
import { exposeToCodeNode } from './expose';

exposeToCodeNode({ settingsRowOf });

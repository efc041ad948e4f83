/** The sync state store on n8n Data Tables (n8n side; the core only knows the `SyncStateStore` port). */
export { DataTableStateStore, type DataTableStateStoreOptions } from './DataTableStateStore';
export { SYNC_STATE_CREDENTIAL, DEFAULT_TABLE_NAME } from './api';
export { STATE_COLUMNS, type StateColumn } from './columns';
export { forgetSavedSettings, readSavedSettings, saveSettingsRecord, settingsTableName, SETTINGS_CACHE_MS, type SavedSettings } from './settingsStore';
export { DataTableReviewQueue, REVIEW_TABLE, reviewTableName } from './reviewQueue';
export { linkBundledWorkflowsToErrorHandler } from './errorWorkflowLinks';

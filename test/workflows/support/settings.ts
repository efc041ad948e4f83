/**
 * The bundled settings workflow (00 Sync Settings) with some settings changed, as a person would
 * edit *Save Settings* in the editor. Running it saves the shared record every Sync node reads.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { IDataObject } from 'n8n-workflow';
import type { WorkflowJson } from '../../helpers/n8nRunner';

export const SETTINGS_WORKFLOW = '00-sync-settings.json';
export const SAVE_NODE = 'Save Settings';
export const SETTINGS_TRIGGER = 'Run to Save';

export function settingsWorkflow(changes: IDataObject = {}): WorkflowJson {
	const workflow = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../workflows', SETTINGS_WORKFLOW), 'utf8')) as WorkflowJson;
	const save = workflow.nodes.find((n) => n.name === SAVE_NODE)!;
	const parameters = save.parameters as IDataObject;
	save.parameters = { ...parameters, ...changes, options: { ...(parameters.options as IDataObject), ...((changes.options as IDataObject) ?? {}) } } as typeof save.parameters;
	return workflow;
}

/** The bundled Save Settings parameters, as a Sync node in "Set in This Node" mode would carry them. */
export function bundledSettingsAsNodeParameters(): IDataObject {
	const save = settingsWorkflow().nodes.find((n) => n.name === SAVE_NODE)!;
	const { pipelines, options, ...rest } = save.parameters as IDataObject;
	return { settingsSource: 'node', ...rest, options: { ...(options as IDataObject), pipelines } };
}

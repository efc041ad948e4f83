/**
 * Propstreet Sync Settings: checks the shared sync settings and saves them as one record in an n8n
 * Data Table next to the sync state. Every Sync node with Settings "From the Sync Settings
 * Workflow" reads that record, so a setting is changed in one place (workflow *00 Sync Settings*).
 */
import { NodeConnectionTypes, NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { contactTagOf } from '../shared/core/twoWay/filters';
import { pipelinesOf, settingsRecord, validateSettings, type SyncSettings } from '../shared/core/settings';
import { resolveConfig } from '../shared/core/mapping';
import { mappingFailure } from '../shared/mappingFailure';
import { linkBundledWorkflowsToErrorHandler, saveSettingsRecord } from '../shared/syncStore';
import { settingsNodeProperties } from './description';

const SETTINGS = settingsNodeProperties.filter((p) => p.type !== 'notice' && p.name !== 'operation');

/** The node's parameters as the record's settings (checked; missing ones take the shipped defaults). */
function readSettings(ctx: IExecuteFunctions): SyncSettings {
	const raw: IDataObject = {};
	// A hidden setting (the owned fields without Source of Truth) reads as its default.
	for (const { name, default: fallback } of SETTINGS) raw[name] = ctx.getNodeParameter(name, 0, fallback) as IDataObject[keyof IDataObject];
	const checked = validateSettings(raw);
	if (checked.ok) return checked.value;
	throw new NodeOperationError(ctx.getNode(), 'The sync settings were not saved: fix the settings named below', { itemIndex: 0, description: checked.problems.join('\n') });
}

/** What the saved settings mean in practice, for the person reading the output. */
function effectiveSummary(settings: SyncSettings): IDataObject {
	const labelMap = (settings.labelMap.pairs ?? []).map((pair) => ({ pipedrive: pair.pipedrive, propstreet: pair.propstreet }));
	const config = resolveConfig({ labelMap, unmappedLabels: settings.options.unmappedLabels as 'lowercase' | 'drop' | undefined });
	const tag = contactTagOf({ personLabel: settings.onlyWithLabel, contactTag: settings.onlyWithTag, projectClassifications: [], projectAssetTypes: [], propstreetCompanies: 'all' }, config);
	return {
		personsWithLabel: settings.onlyWithLabel || 'every person',
		contactsWithTag: tag || 'every contact',
		pipelines: pipelinesOf(settings).length ? pipelinesOf(settings) : 'every pipeline',
		projectClassifications: settings.projectClassifications.length ? settings.projectClassifications : 'every classification',
		projectAssetTypes: settings.projectAssetTypes.length ? settings.projectAssetTypes : 'every asset type',
		propstreetCompanies: settings.propstreetCompanies,
		conflictPolicy: settings.conflictPolicy,
	};
}

export class PropstreetSyncSettings implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Propstreet Sync Settings',
		name: 'propstreetSyncSettings',
		icon: { light: 'file:settings.svg', dark: 'file:settings.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "linkErrorWorkflow" ? "Link workflows to the Error Handler" : "Save the shared sync settings" }}',
		description: 'Checks and saves the settings every Pipedrive Propstreet Sync node shares (field keys, label map, stage table, pipelines, filters, conflict policy); links the bundled workflows to their Error Handler',
		defaults: { name: 'Save Settings' },
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'propstreetSyncStateApi', required: true }],
		properties: settingsNodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			if (this.getNodeParameter('operation', 0, 'save') === 'linkErrorWorkflow') {
				return [[{ json: { linked: true, ...(await linkBundledWorkflowsToErrorHandler(this, 0)) }, pairedItem: { item: 0 } }]];
			}
			const record = settingsRecord(readSettings(this));
			const saved = await saveSettingsRecord(this, record, 0);
			return [[{ json: { saved: true, table: saved.table, version: record.version, effective: effectiveSummary(record.settings), settings: record.settings as unknown as IDataObject }, pairedItem: { item: 0 } }]];
		} catch (error) {
			const failed = mappingFailure(this, error, 0);
			if (!this.continueOnFail()) throw failed;
			const done = this.getNodeParameter('operation', 0, 'save') === 'linkErrorWorkflow' ? 'linked' : 'saved';
			return [[{ json: { [done]: false, error: failed.message, description: failed.description ?? null }, pairedItem: { item: 0 } }]];
		}
	}
}

/**
 * Cloud 00s, the settings without the package: the JSON shipped in its *Sync Settings* node is the
 * core's defaults, the generated *Check Settings* code (run under the Code node's sandbox) turns an
 * edit into the row both editions read, and a setting it cannot use stops the save with its name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { settingsRowOf } from '../../../nodes/shared/core/cloud/settingsRow';
import { settingsOfRow } from '../../../nodes/shared/core/cloud/runSetup';
import { DEFAULT_SYNC_SETTINGS, parseSettingsRecord, SETTINGS_ROW_NAME } from '../../../nodes/shared/core/settings';
import { runCodeNode } from './codeNodeSandbox';

type Node = { name: string; parameters: Record<string, any> };
const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../workflows/cloud/00s-cloud-sync-settings.json'), 'utf8')) as { nodes: Node[] };
const node = (name: string) => workflow.nodes.find((n) => n.name === name) as Node;

async function checkInSandbox(edited: unknown): Promise<Record<string, unknown>> {
	const $input = { first: () => ({ json: edited }) };
	const [out] = (await runCodeNode(node('Check Settings').parameters.jsCode, { $input })) as Array<{ json: Record<string, unknown> }>;
	return out.json;
}

describe('Cloud 00s: sync settings without the package', () => {
	it('ships the core defaults as the JSON a person edits', () => {
		expect(JSON.parse(node('Sync Settings').parameters.jsonOutput)).toEqual(DEFAULT_SYNC_SETTINGS);
	});

	it('saves an edit as the current row, read back as the Cloud flows and the Sync node read it', async () => {
		const edited = { ...DEFAULT_SYNC_SETTINGS, onlyWithLabel: 'Key Investor', labelMap: { pairs: [{ pipedrive: 'Key Investor', propstreet: 'key-investor' }] } };
		const row = await checkInSandbox(edited);
		expect(row).toMatchObject({ name: SETTINGS_ROW_NAME, version: 1 });
		const parsed = parseSettingsRecord({ version: row.version, settings: row.settings });
		expect(parsed.ok && parsed.value.settings.onlyWithLabel).toBe('Key Investor');
		expect(settingsOfRow({ id: 7, ...row }).settings.labelMap).toEqual({ pairs: [{ pipedrive: 'Key Investor', propstreet: 'key-investor' }] });
	});

	it('fills a setting left out with its default', () => {
		const row = settingsRowOf({ onlyWithLabel: '' });
		const saved = JSON.parse(row.settings);
		expect(saved.onlyWithLabel).toBe('');
		expect(saved.stageTable).toEqual(DEFAULT_SYNC_SETTINGS.stageTable);
	});

	it('refuses a setting it cannot use, naming it, in the generated code too', async () => {
		expect(() => settingsRowOf({ conflictPolicy: 'coin toss' })).toThrow(/Conflict Policy/);
		await expect(checkInSandbox({ ...DEFAULT_SYNC_SETTINGS, createIn: ['hubspot'] })).rejects.toThrow(/Create Missing Counterparts In/);
		expect(() => settingsRowOf('not an object')).toThrow(/settings must be an object/);
	});
});

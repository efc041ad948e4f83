/**
 * Structural checks for EVERY bundled workflow in workflows/: what the e2e suite needs to import
 * and activate them unchanged in a real n8n, and the conventions every bundled workflow follows.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SYNC_SETTINGS, validateSettings } from '../../nodes/shared/core/settings';
import { settingsNodeProperties } from '../../nodes/PropstreetSyncSettings/description';

const DIR = path.resolve(__dirname, '../../workflows');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const ERROR_WORKFLOW_ID = 'PsSyncErrorFlow0';
const CREDENTIALS: Record<string, { id: string; name: string }> = {
	pipedriveApi: { id: 'PsSyncPipedrive1', name: 'Pipedrive account' },
	propstreetApi: { id: 'PsSyncPropstree1', name: 'Propstreet account' },
	httpBasicAuth: { id: 'PsSyncPdWebhook1', name: 'Pipedrive webhook basic auth' },
	// The Pipedrive Propstreet Sync node's own credentials (contacts 02 / 03).
	propstreetPipedriveApi: { id: 'PsSyncPdToken001', name: 'Pipedrive (Propstreet sync)' },
	propstreetSyncStateApi: { id: 'PsSyncStateApi01', name: 'Propstreet sync state' },
};
const OWN_NODE_NAMES = ['propstreet', 'propstreetTrigger', 'propstreetPollTrigger', 'pipedrivePropstreetMapper', 'participantDiffer', 'pipedrivePropstreetSync', 'pipedriveDealPollTrigger', 'propstreetSyncSettings'];

interface WorkflowFile {
	name: string;
	id: string;
	nodes: { id: string; name: string; type: string; typeVersion: number; position: number[]; parameters: object; credentials?: Record<string, { id: string; name: string }>; webhookId?: string; disabled?: boolean }[];
	connections: Record<string, Record<string, { node: string; type: string; index: number }[][]>>;
	settings: Record<string, unknown>;
	active: boolean;
	pinData?: object;
	staticData?: unknown;
}

/** Our nodes that call Propstreet (they take the Propstreet credential). */
const PROPSTREET_NODE_TYPES = ['propstreet', 'propstreetTrigger', 'propstreetPollTrigger', 'pipedrivePropstreetSync'].map((n) => `n8n-nodes-propstreet.${n}`);

const parsed = new Map<string, WorkflowFile>();
for (const file of files) {
	try {
		parsed.set(file, JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')));
	} catch {
		// reported by the "valid JSON" test
	}
}

describe('bundled workflows: structure', () => {
	it('there are bundled workflows, including the error handler', () => {
		expect(files.length).toBeGreaterThan(1);
		expect(files.some((f) => parsed.get(f)?.id === ERROR_WORKFLOW_ID)).toBe(true);
	});

	it('workflow ids are unique across files', () => {
		const ids = files.map((f) => parsed.get(f)?.id);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('webhook ids are unique across files', () => {
		const ids = [...parsed.values()].flatMap((wf) => wf.nodes.filter((n) => n.webhookId).map((n) => n.webhookId));
		expect(new Set(ids).size).toBe(ids.length);
	});

	describe.each(files)('%s', (file) => {
		const wf = () => parsed.get(file)!;

		it('is valid JSON, named <nn>-<slug>.json, with a complete export shape', () => {
			expect(() => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'))).not.toThrow();
			expect(file).toMatch(/^\d\d[a-z]?-[a-z0-9-]+\.json$/);
			expect(typeof wf().name).toBe('string');
			expect(wf().active).toBe(false);
			expect(wf().staticData).toBeUndefined();
			expect(wf().settings.executionOrder).toBe('v1');
			expect(Array.isArray(wf().nodes)).toBe(true);
		});

		it('has a fixed 16-character id', () => {
			expect(wf().id).toMatch(/^[A-Za-z0-9]{16}$/);
		});

		it('has unique node names and node ids', () => {
			const names = wf().nodes.map((n) => n.name);
			const ids = wf().nodes.map((n) => n.id);
			expect(new Set(names).size).toBe(names.length);
			expect(new Set(ids).size).toBe(ids.length);
			for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		});

		it('references only the fixed credentials', () => {
			for (const node of wf().nodes) {
				for (const [type, ref] of Object.entries(node.credentials ?? {})) {
					expect({ node: node.name, type, ref }).toEqual({ node: node.name, type, ref: CREDENTIALS[type] ?? 'an unknown credential type' });
				}
			}
		});

		it('reaches Propstreet only through the one Propstreet API credential, Authentication left at its default', () => {
			// Switching personal token ⇄ OAuth2 is then one edit of the "Propstreet account" credential.
			for (const node of wf().nodes.filter((n) => PROPSTREET_NODE_TYPES.includes(n.type))) {
				const { authentication } = node.parameters as { authentication?: unknown };
				expect({ node: node.name, authentication, credentials: Object.keys(node.credentials ?? {}).filter((t) => t.startsWith('propstreet') && t !== 'propstreetPipedriveApi' && t !== 'propstreetSyncStateApi') }).toEqual({
					node: node.name,
					authentication: undefined,
					credentials: ['propstreetApi'],
				});
			}
		});

		it('connects only existing nodes', () => {
			const names = new Set(wf().nodes.map((n) => n.name));
			for (const [from, outputs] of Object.entries(wf().connections)) {
				expect({ from, exists: names.has(from) }).toEqual({ from, exists: true });
				for (const group of Object.values(outputs)) {
					for (const targets of group) {
						for (const target of targets ?? []) expect({ from, to: target.node, exists: names.has(target.node) }).toEqual({ from, to: target.node, exists: true });
					}
				}
			}
		});

		it('uses no Code node and our nodes under the n8n-nodes-propstreet. prefix', () => {
			for (const node of wf().nodes) {
				expect(node.type).not.toMatch(/\.(code|function|functionItem|pythonFunction)$/);
				const short = node.type.split('.').pop()!;
				if (OWN_NODE_NAMES.includes(short)) expect(node.type).toBe(`n8n-nodes-propstreet.${short}`);
				expect(node.type).toMatch(/^(n8n-nodes-base|n8n-nodes-propstreet|@n8n\/n8n-nodes-langchain)\./);
			}
		});

		it('routes its errors to the error handler (except the handler itself)', () => {
			if (wf().id === ERROR_WORKFLOW_ID) expect(wf().settings.errorWorkflow).toBeUndefined();
			else expect(wf().settings.errorWorkflow).toBe(ERROR_WORKFLOW_ID);
		});

		it('carries at least one sticky note', () => {
			expect(wf().nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length).toBeGreaterThanOrEqual(1);
		});

		it('does not retry Pipedrive POSTs (creates are not idempotent)', () => {
			for (const node of wf().nodes) {
				const p = node.parameters as Record<string, unknown>;
				if (node.type === 'n8n-nodes-base.httpRequest' && p.method === 'POST' && String(p.url ?? '').includes('api.pipedrive.com')) {
					expect({ node: node.name, retryOnFail: (node as { retryOnFail?: boolean }).retryOnFail ?? false }).toEqual({ node: node.name, retryOnFail: false });
				}
			}
		});
	});
});

describe('every bundled workflow fits a screen', () => {
	it.each(files)('%s has at most 20 working nodes (sticky notes not counted)', (file) => {
		expect(parsed.get(file)!.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').length).toBeLessThanOrEqual(20);
	});
});

/** The workflow's one Pipedrive Propstreet Sync node (fails when there are none or several). */
function syncNodeOf(file: string) {
	const nodes = parsed.get(file)!.nodes.filter((n) => n.type === 'n8n-nodes-propstreet.pipedrivePropstreetSync');
	expect(nodes).toHaveLength(1);
	return nodes[0];
}

describe('contact workflows (02, 03): trigger(s) → Pipedrive Propstreet Sync', () => {
	const CONTACT_FILES = ['02-contacts-pipedrive-to-propstreet.json', '03-contacts-propstreet-to-pipedrive.json'];
	const triggersOf = (file: string) => parsed.get(file)!.nodes.filter((n) => /trigger$/i.test(n.type));

	it.each(CONTACT_FILES)('%s: every trigger feeds one Sync node whose Review output goes to a plainly named holder', (file) => {
		const wf = parsed.get(file)!;
		const working = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
		expect(working.length).toBeLessThanOrEqual(20);
		const sync = syncNodeOf(file);
		for (const trigger of triggersOf(file)) expect(wf.connections[trigger.name].main[0]).toEqual([{ node: sync.name, type: 'main', index: 0 }]);
		const [done, review] = wf.connections[sync.name].main;
		expect(done).toHaveLength(1);
		expect(review).toEqual([{ node: 'Needs Review (conflicts)', type: 'main', index: 0 }]);
		expect(sync.parameters).toMatchObject({ entity: 'contact', settingsSource: 'shared', recordSide: 'auto' });
		expect(Object.keys(sync.credentials ?? {}).sort()).toEqual(['propstreetApi', 'propstreetPipedriveApi', 'propstreetSyncStateApi']);
		expect(wf.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length).toBeGreaterThanOrEqual(3);
	});

	it('both carry the same sync settings (label, policy, field keys), so both directions agree', () => {
		const [first, ...others] = CONTACT_FILES.map((f) => syncNodeOf(f).parameters);
		for (const other of others) expect(other).toEqual(first);
	});

	it('the triggers are as before: Pipedrive person * with basic auth; 03 has the Propstreet Trigger (on) and the Poll Trigger (off), and a sticky note says how to switch', () => {
		expect(triggersOf(CONTACT_FILES[0])).toEqual([expect.objectContaining({ type: 'n8n-nodes-base.pipedriveTrigger', parameters: expect.objectContaining({ incomingAuthentication: 'basicAuth', action: '*', entity: 'person' }) })]);
		const [webhook, poller] = triggersOf(CONTACT_FILES[1]);
		expect(webhook).toMatchObject({ type: 'n8n-nodes-propstreet.propstreetTrigger', parameters: { events: ['contact.created', 'contact.updated'], options: { fetchCurrentRecord: true } } });
		expect(webhook.disabled).toBeFalsy();
		expect(poller).toMatchObject({ type: 'n8n-nodes-propstreet.propstreetPollTrigger', disabled: true, parameters: { resource: 'contacts', changeKinds: ['created', 'updated'] } });
		const notes = parsed.get(CONTACT_FILES[1])!.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').map((n) => String((n.parameters as { content?: string }).content));
		expect(notes.some((text) => text.includes('Propstreet Poll Trigger') && /off\*\* by default/.test(text))).toBe(true);
	});

	it('there is one contact workflow for Propstreet → Pipedrive (no polling copy)', () => {
		expect([...parsed.keys()].filter((f) => f.includes('contacts-propstreet-to-pipedrive'))).toEqual([CONTACT_FILES[1]]);
	});
});

describe('deal workflows (06, 07): trigger → Pipedrive Propstreet Sync (entity project)', () => {
	const DEAL_FILES = ['06-deals-pipedrive-to-propstreet.json', '07-projects-propstreet-to-pipedrive.json'];

	it.each(DEAL_FILES)('%s: the trigger feeds one Sync node (entity project) whose Review output goes to a plainly named holder', (file) => {
		const wf = parsed.get(file)!;
		const working = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
		expect(working.length).toBeLessThanOrEqual(20);
		const trigger = working.find((n) => /trigger$/i.test(n.type))!;
		const sync = syncNodeOf(file);
		expect(wf.connections[trigger.name].main[0]).toEqual([{ node: sync.name, type: 'main', index: 0 }]);
		const [done, review] = wf.connections[sync.name].main;
		expect(done).toEqual([{ node: 'Synced', type: 'main', index: 0 }]);
		expect(review).toEqual([{ node: 'Needs Review (conflicts)', type: 'main', index: 0 }]);
		expect(sync.parameters).toMatchObject({ entity: 'project', settingsSource: 'shared', recordSide: 'auto' });
		expect(Object.keys(sync.credentials ?? {}).sort()).toEqual(['propstreetApi', 'propstreetPipedriveApi', 'propstreetSyncStateApi']);
		expect(wf.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length).toBeGreaterThanOrEqual(3);
		// Custom fields are found by name: no 40-character field key anywhere in the workflow.
		expect(JSON.stringify(wf.nodes)).not.toMatch(/\b[0-9a-f]{40}\b/);
	});

	it('both carry the same settings (stage table, options, field keys, policy), so both directions agree', () => {
		const [first, second] = DEAL_FILES.map((f) => syncNodeOf(f).parameters);
		expect(second).toEqual(first);
	});

	it('the triggers are as before: Pipedrive deal * with basic auth, Propstreet project events with Fetch Current Record', () => {
		const trig = (file: string) => parsed.get(file)!.nodes.find((n) => /trigger$/i.test(n.type))!;
		expect(trig(DEAL_FILES[0])).toMatchObject({
			type: 'n8n-nodes-base.pipedriveTrigger',
			webhookId: '0428054a-838e-4e90-a793-e86edc8856b5',
			parameters: { authentication: 'apiToken', incomingAuthentication: 'basicAuth', action: '*', entity: 'deal' },
		});
		expect(trig(DEAL_FILES[1])).toMatchObject({
			type: 'n8n-nodes-propstreet.propstreetTrigger',
			webhookId: '704e9546-8449-4177-a649-542a674f2baf',
			parameters: { events: ['project.created', 'project.updated', 'project.deleted'], options: { fetchCurrentRecord: true } },
		});
	});

	it('06 routes the instructions the sync cannot carry out (won: close in the app; lost: delete) after Synced', () => {
		const wf = parsed.get(DEAL_FILES[0])!;
		expect(wf.connections['Synced'].main[0]).toEqual([{ node: 'Left to Do?', type: 'main', index: 0 }]);
		expect(wf.connections['Left to Do?'].main.map((targets) => targets.map((t) => t.node))).toEqual([['Close the Project in Propstreet'], ['Delete Project']]);
	});
});

describe('settings in one place (00 Sync Settings)', () => {
	const SETTINGS_FILE = '00-sync-settings.json';
	/** Every parameter of the Settings node is a setting; so is the prospect pipeline. */
	const SETTING_PARAMETERS = [...settingsNodeProperties.filter((p) => p.type !== 'notice' && p.name !== 'options' && p.name !== 'operation').map((p) => p.name), 'pipeline'];
	const syncNodes = (file: string) => parsed.get(file)!.nodes.filter((n) => n.type === 'n8n-nodes-propstreet.pipedrivePropstreetSync');
	const others = files.filter((f) => f !== SETTINGS_FILE);
	/** Values that belong only in the settings: the pipeline and the stage names the bundled stage table uses. */
	const SETTING_LITERALS = ['Nordic Transactions', ...(DEFAULT_SYNC_SETTINGS.stageTable.rows ?? []).map((r) => r.pipedriveStage).filter((name) => name !== 'Closing')];

	it('00 runs one Propstreet Sync Settings node from a manual trigger, and its settings are valid and are the shipped defaults', () => {
		const wf = parsed.get(SETTINGS_FILE)!;
		const working = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
		expect(working.map((n) => n.type).sort()).toEqual(['n8n-nodes-base.manualTrigger', 'n8n-nodes-propstreet.propstreetSyncSettings']);
		const node = working.find((n) => n.type.endsWith('propstreetSyncSettings'))!;
		expect(Object.keys(node.credentials ?? {})).toEqual(['propstreetSyncStateApi']);
		// The Sync nodes fall back to DEFAULT_SYNC_SETTINGS until 00 has run: the two must say the same.
		expect(validateSettings(node.parameters)).toEqual(validateSettings(DEFAULT_SYNC_SETTINGS));
		expect(validateSettings(DEFAULT_SYNC_SETTINGS).ok).toBe(true);
		expect(wf.nodes.filter((n) => n.type === 'n8n-nodes-base.stickyNote').length).toBeGreaterThanOrEqual(3);
	});

	it.each(others)('%s: every Sync node reads the shared settings and sets none of its own', (file) => {
		for (const node of syncNodes(file)) {
			const parameters = node.parameters as Record<string, unknown>;
			expect({ node: node.name, settingsSource: parameters.settingsSource }).toEqual({ node: node.name, settingsSource: 'shared' });
			expect({ node: node.name, settings: Object.keys(parameters).filter((name) => SETTING_PARAMETERS.includes(name)) }).toEqual({ node: node.name, settings: [] });
			// Only Field Definitions is read from a shared-mode node's options; anything else there would be a silent copy.
			expect({ node: node.name, options: Object.keys((parameters.options ?? {}) as object).filter((name) => name !== 'fieldDefinitions') }).toEqual({ node: node.name, options: [] });
		}
	});

	it.each(others)('%s: holds no literal of a setting (pipeline, stage names)', (file) => {
		const text = JSON.stringify(parsed.get(file)!.nodes);
		expect(SETTING_LITERALS.filter((literal) => text.includes(literal))).toEqual([]);
	});

	it.each(others)('%s: every Deal Poll Trigger reads its pipelines from the shared settings', (file) => {
		for (const node of parsed.get(file)!.nodes.filter((n) => n.type === 'n8n-nodes-propstreet.pipedriveDealPollTrigger')) {
			expect(node.parameters).toMatchObject({ pipelineSource: 'shared' });
			expect(node.parameters).not.toHaveProperty('pipeline');
			expect(Object.keys(node.credentials ?? {}).sort()).toEqual(['propstreetPipedriveApi', 'propstreetSyncStateApi']);
		}
	});
});

/**
 * The Cloud edition's templates (workflows/cloud/templates; the generated workflows/cloud/*.json
 * differ only in their Code) are laid out in sections: a sticky note behind each group of nodes,
 * and an About note that says what to set. tools/layout-cloud.mjs writes the positions.
 */
describe('Cloud workflows: sections', () => {
	const CLOUD_DIR = path.resolve(__dirname, '../../workflows/cloud/templates');
	const cloudFiles = fs.readdirSync(CLOUD_DIR).filter((f) => f.endsWith('.json')).sort();
	const cloud = (file: string) => JSON.parse(fs.readFileSync(path.join(CLOUD_DIR, file), 'utf8')) as WorkflowFile;
	const STICKY = 'n8n-nodes-base.stickyNote';
	const boxOf = (n: WorkflowFile['nodes'][number]) => {
		const p = n.parameters as { width?: number; height?: number };
		return { x: n.position[0], y: n.position[1], w: Number(p.width ?? 240), h: Number(p.height ?? 160) };
	};
	// A working node is about 100 × 100 at its position (top left).
	const inside = (point: number[], box: { x: number; y: number; w: number; h: number }) => point[0] >= box.x && point[1] >= box.y && point[0] + 100 <= box.x + box.w && point[1] + 100 <= box.y + box.h;

	it('the loop, the settings, the event workflows, setup, participants, notes, backfill and review decisions are all there; 05, 07 and 03r are gone', () => {
		expect(cloudFiles.map((f) => f.split('-')[0])).toEqual(['00', '00s', '01', '01f', '02', '03', '04', '06', '08', '09', '10', '11']);
	});

	it.each(cloudFiles)('%s: at most 20 working nodes, an About note that says what to set', (file) => {
		const wf = cloud(file);
		expect(wf.nodes.filter((n) => n.type !== STICKY).length).toBeLessThanOrEqual(20);
		const about = wf.nodes.find((n) => n.type === STICKY && n.name === 'About');
		expect(String((about?.parameters as { content?: string } | undefined)?.content)).toMatch(/\*\*Set:\*\*/);
	});

	it.each(cloudFiles)('%s: every working node stands inside exactly one section note, and section notes do not overlap', (file) => {
		const wf = cloud(file);
		const sections = wf.nodes.filter((n) => n.type === STICKY && n.name !== 'About').map((n) => ({ name: n.name, box: boxOf(n) }));
		expect(sections.length).toBeGreaterThanOrEqual(2);
		for (const node of wf.nodes.filter((n) => n.type !== STICKY)) {
			expect({ node: node.name, sections: sections.filter((s) => inside(node.position, s.box)).length }).toEqual({ node: node.name, sections: 1 });
		}
		const overlap = (a: { x: number; y: number; w: number; h: number }, b: typeof a) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
		for (const [i, a] of sections.entries()) for (const b of sections.slice(i + 1)) expect({ pair: [a.name, b.name], overlap: overlap(a.box, b.box) }).toEqual({ pair: [a.name, b.name], overlap: false });
	});

	it('no output feeds two nodes (their run order would depend on position), unless both meet at a Merge waiting for all inputs', () => {
		const script = `import { orderedFanOuts } from ${JSON.stringify(path.resolve(__dirname, '../../tools/layout-cloud.mjs'))}; import fs from 'node:fs'; const dir = ${JSON.stringify(CLOUD_DIR)}; const found = {}; for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) { const hits = orderedFanOuts(JSON.parse(fs.readFileSync(dir + '/' + f, 'utf8'))); if (hits.length) found[f] = hits; } process.stdout.write(JSON.stringify(found));`;
		expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }))).toEqual({});
		// The rule catches a plain fan-out (so an empty result above means something).
		const fanOut = { nodes: [], connections: { A: { main: [[{ node: 'B' }, { node: 'C' }]] } } };
		const probe = `import { orderedFanOuts } from ${JSON.stringify(path.resolve(__dirname, '../../tools/layout-cloud.mjs'))}; process.stdout.write(JSON.stringify(orderedFanOuts(${JSON.stringify(fanOut)})));`;
		expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' }))).toHaveLength(1);
	});

	it('the sync loop (00): every call node answers Sync Record, and Next Call routes every lookup the core can ask for', () => {
		const wf = cloud('00-cloud-sync-record.json');
		const next = wf.connections['Next Call'].main.map((targets) => targets[0]?.node);
		expect(next).toEqual(['Read Pipedrive', 'Write Pipedrive', 'Read Propstreet', 'Write Propstreet', 'Read State', 'Insert State', 'Update State', 'Delete State', 'Read Review', 'Insert Review', 'Review Change', 'Delete Review', 'Done', 'Needs Review']);
		for (const call of [...next.slice(0, 10), 'Update Review', 'Delete Review']) expect({ call, back: wf.connections[call!]?.main[0][0].node }).toEqual({ call, back: 'Sync Record' });
		expect(wf.connections['Review Change'].main[0][0].node).toBe('Update Review');
		// Compare-and-set: the state update matches the row's id AND the version the sync read.
		const update = wf.nodes.find((n) => n.name === 'Update State')!.parameters as { operation: string; filters: { conditions: Array<{ keyName: string }> } };
		expect(update.operation).toBe('update');
		expect(update.filters.conditions.map((c) => c.keyName)).toEqual(['id', 'version']);
	});

	it('the event workflows call the loop and wait for it: 02 persons, 04 organizations, 06 deals, 03 Propstreet deliveries (prospects to 08)', () => {
		const loopId = cloud('00-cloud-sync-record.json').id;
		for (const [file, entity] of [['02-cloud-contacts-pipedrive-to-propstreet.json', 'contact'], ['04-cloud-companies-pipedrive-to-propstreet.json', 'company'], ['06-cloud-deals-pipedrive-to-propstreet.json', 'project'], ['03-cloud-contacts-propstreet-to-pipedrive.json', '={{ $json.event.entity }}']]) {
			const call = cloud(file).nodes.find((n) => n.name === 'Sync Record')!.parameters as { workflowId: { value: string }; workflowInputs: { value: { entity: string } }; options: { waitForSubWorkflow: boolean } };
			expect({ file, id: call.workflowId.value, entity: call.workflowInputs.value.entity, wait: call.options.waitForSubWorkflow }).toEqual({ file, id: loopId, entity, wait: true });
		}
		const deliveries = cloud('03-cloud-contacts-propstreet-to-pipedrive.json');
		expect(deliveries.connections['By Entity'].main.map((t) => t[0].node)).toEqual(['Sync Record', 'Sync Prospects']);
		expect((deliveries.nodes.find((n) => n.name === 'Sync Prospects')!.parameters as { workflowId: { value: string } }).workflowId.value).toBe(cloud('08-cloud-participants-prospects.json').id);
	});

	it('11 starts on a schedule or by hand and calls the loop once per entity with apply reviewDecisions, waiting for each', () => {
		const wf = cloud('11-cloud-apply-review-decisions.json');
		const loop = cloud('00-cloud-sync-record.json');
		const types = wf.nodes.map((n) => n.type);
		expect(types).toEqual(expect.arrayContaining(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.scheduleTrigger']));
		const call = wf.nodes.find((n) => n.name === 'Apply Decisions')!.parameters as { workflowId: { value: string }; workflowInputs: { value: Record<string, string> }; mode: string; options: { waitForSubWorkflow: boolean } };
		expect({ id: call.workflowId.value, inputs: call.workflowInputs.value, mode: call.mode, wait: call.options.waitForSubWorkflow }).toEqual({ id: loop.id, inputs: { entity: '={{ $json.entity }}', apply: 'reviewDecisions' }, mode: 'each', wait: true });
		expect(wf.connections['Entities'].main[0].map((t) => t.node)).toEqual(['Apply Decisions']);
		// The loop takes `apply` and hands it to the record step.
		const trigger = loop.nodes.find((n) => n.name === 'Record Event')!.parameters as { workflowInputs: { values: Array<{ name: string }> } };
		expect(trigger.workflowInputs.values.map((v) => v.name)).toContain('apply');
		expect(String((loop.nodes.find((n) => n.name === 'Sync Record')!.parameters as { jsCode: string }).jsCode)).toContain('apply: input.apply');
	});

	it('the templates are laid out as tools/layout-cloud.mjs lays them out (run it after adding a node)', () => {
		const out = execFileSync(process.execPath, ['--input-type=module', '-e', `import { layoutCloud } from ${JSON.stringify(path.resolve(__dirname, '../../tools/layout-cloud.mjs'))}; import fs from 'node:fs'; const dir = ${JSON.stringify(CLOUD_DIR)}; const drift = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).filter((f) => { const text = fs.readFileSync(dir + '/' + f, 'utf8'); return JSON.stringify(layoutCloud(JSON.parse(text), f), null, '\\t') + '\\n' !== text; }); process.stdout.write(JSON.stringify(drift));`], { encoding: 'utf8' });
		expect(JSON.parse(out)).toEqual([]);
	});
});

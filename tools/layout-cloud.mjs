#!/usr/bin/env node
/**
 * Lays out the Cloud templates (workflows/cloud/templates/*.json) in sections:
 * `node tools/layout-cloud.mjs` (then `npm run build:cloud`). Each section is a sticky note with a
 * short heading and text, drawn behind its group of nodes; the "About" note (what the workflow does
 * and what to set) stands at the left. Only positions and the section notes change; the sections of
 * every template are declared below, and a working node that no section names stops the tool (so a
 * node added to a template is placed on purpose). Nothing in the Cloud workflows depends on
 * position: every node with more than one target on one output is rejected here, since n8n would
 * run those targets in canvas order.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATES = path.join(ROOT, 'workflows/cloud/templates');
const STICKY = 'n8n-nodes-base.stickyNote';
/** Grid inside a section, and the room around nodes (a node is about 100 × 100). */
const COL = 240;
const ROW = 170;
const PAD = 50;
const GAP = 60;
const NODE = 100;
/** Section note colours (n8n's sticky palette): one per kind of section, the same in every workflow. */
const COLOR = { receive: 7, settings: 4, loop: 5, pipedrive: 3, propstreet: 6, state: 2, finish: 1 };

/**
 * Per template: columns of sections, left to right; each section stacks top to bottom in its
 * column. `nodes` is a grid: one array per column of nodes inside the section, top to bottom.
 */
export const SECTIONS = {
	'00-cloud-sync-record.json': [
		[{ title: 'Receive', color: 'receive', text: 'Called with `entity` and `event` by 02, 03, 04 and 06; with `entity` and `apply` by 11.', nodes: [['Record Event']] }],
		[{ title: 'Read settings', color: 'settings', text: 'The saved settings (*Propstreet sync settings*); defaults when none.', nodes: [['Read Settings']] }],
		[
			{ title: 'Sync loop', color: 'loop', text: '*Sync Record* runs the sync until it needs one call it has no answer for; *Next Call* sends it to the node that makes it, whose answer comes back here. The record is synced when nothing is missing.', nodes: [['Sync Record'], ['Next Call']] },
			{ title: 'Finish', color: 'finish', text: 'The outcome: *Done*, or *Needs Review* when a conflict went to the review table.', nodes: [['Done', 'Needs Review']] },
		],
		[
			{ title: 'Pipedrive calls', color: 'pipedrive', text: 'Full response, never an error: the sync reads the status itself.', nodes: [['Read Pipedrive', 'Write Pipedrive']] },
			{ title: 'Propstreet calls', color: 'propstreet', text: 'Writes carry the headers the sync names (If-Match, Idempotency-Key).', nodes: [['Read Propstreet', 'Write Propstreet']] },
		],
		[
			{ title: 'Sync state', color: 'state', text: 'Links, baselines, claims and leases in *Propstreet sync state*. An update matches `id` and `version`: no row back means another run changed it first.', nodes: [['Read State', 'Insert State', 'Update State', 'Delete State']] },
			{ title: 'Review queue', color: 'state', text: 'Conflicts held for a person in *Propstreet sync review*. An update writes only the columns the sync names (*Review Change* makes them the item).', nodes: [['Read Review', 'Insert Review', 'Review Change', 'Update Review', 'Delete Review']] },
		],
	],
	'01-cloud-webhook-setup.json': [
		[{ title: 'Receive', color: 'receive', text: 'POST `{action, url}` with your setup header.', nodes: [['Setup Request']] }],
		[{ title: 'Tables', color: 'state', text: 'Creates the Data Tables when missing: the secret (read only here), the sync state, the settings and the review queue.', nodes: [['Secret Table', 'State Table', 'Settings Table', 'Review Table']] }],
		[
			{ title: 'Subscription', color: 'propstreet', text: 'Reads the stored secret row and the Propstreet webhook subscriptions, then creates, keeps or deletes ours.', nodes: [['Read Secret Row'], ['List Subscriptions'], ['Decide'], ['What to Do'], ['Delete Subscription', 'Create Subscription', 'Report']] },
		],
		[{ title: 'Secret', color: 'state', text: 'Saves or deletes the `whsec_` secret row; a secret an earlier version kept in static data is moved here.', nodes: [['Secret Row', 'Delete Secret Row'], ['Save Secret', 'Forget Static Secret']] }],
		[{ title: 'Signature check', color: 'loop', text: 'Called by 03 with each delivery (headers and raw body): reads the secret row and answers `valid`, `status` (200/400/401) and the event, never the secret. Generated code: the core\'s signature check.', nodes: [['Delivery to Check', 'Read Secret'], ['With Secret Read'], ['Check Signature']] }],
	],
	'01f-cloud-setup-custom-fields.json': [
		[{ title: 'Start', color: 'receive', text: 'By hand, or a POST to *Run setup* (basic auth).', nodes: [['When clicking ‘Execute workflow’', 'Run setup']] }],
		[{ title: 'Read the fields', color: 'pipedrive', text: 'Person, organization and deal field definitions.', nodes: [['Get Person Fields', 'Get Organization Fields', 'Get Deal Fields']] }],
		[{ title: 'What the sync needs', color: 'settings', text: 'One item per field the sync uses, looked up by name among those read.', nodes: [['Fields to Create', 'One Item per Field', 'Look Up Existing Field']] }],
		[{ title: 'Create what is missing', color: 'pipedrive', text: 'A field of that name is kept; a missing one is created with its type and options. Every field is reported with its key.', nodes: [['Already There?'], ['Report Existing Field', 'Create Field', 'Report Created Field'], ['All Fields']] }],
	],
	'02-cloud-contacts-pipedrive-to-propstreet.json': pipedriveEvents('person'),
	'04-cloud-companies-pipedrive-to-propstreet.json': pipedriveEvents('organization'),
	'06-cloud-deals-pipedrive-to-propstreet.json': pipedriveEvents('deal'),
	'03-cloud-contacts-propstreet-to-pipedrive.json': [
		[{ title: 'Receive', color: 'receive', text: 'Every Propstreet delivery (raw body for the signature).', nodes: [['Propstreet Delivery']] }],
		[{ title: 'Check and answer', color: 'propstreet', text: 'A bad or stale signature is answered 401 and stops here.', nodes: [['Check Signature'], ['Answer Propstreet']] }],
		[{ title: 'Sync', color: 'loop', text: 'Contacts, companies and projects to *Sync record* (00); prospects to 08.', nodes: [['By Entity'], ['Sync Record', 'Sync Prospects']] }],
	],
	'00s-cloud-sync-settings.json': [
		[{ title: 'Run', color: 'receive', text: 'Run it after an edit (Execute workflow).', nodes: [['Run to Save']] }],
		[
			{
				title: 'Edit',
				color: 'settings',
				text: '*Sync Settings* holds the settings as JSON, shipped with the defaults; a setting left out keeps its default.\n`fieldKeys`: Pipedrive custom fields by name. `labelMap.pairs`: label ⇄ tag. `stageTable.rows`: deal stage ⇄ project classification. `fieldSync.fields`: a field one way or off. `pipelines`, `onlyWithLabel`, `onlyWithTag`, `projectClassifications`, `projectAssetTypes`, `propstreetCompanies`: what is synced. `conflictPolicy`, `pipedriveOwned`, `propstreetOwned`, `createIn`, `options`: who wins, what is created.',
				nodes: [['Sync Settings']],
			},
		],
		[{ title: 'Check and save', color: 'state', text: 'The Settings node\'s own checks (an error names each setting to fix); then one row named `current` in *Propstreet sync settings*.', nodes: [['Check Settings'], ['Save Settings'], ['Remove Older Settings']] }],
	],
	'08-cloud-participants-prospects.json': [
		[{ title: 'Start', color: 'receive', text: 'Every 5 minutes, on demand (*Sync Now*), or a prospect delivery from 03.', nodes: [['Every 5 Minutes', 'Sync Now', 'Prospect Delivery']] }],
		[{ title: 'Pick deals', color: 'settings', text: 'The settings; *Pick Deals* lists the open deals of the synced pipelines (every page, through the loop) and keeps those whose participants may have moved, or runs the daily participation check.', nodes: [['Read Settings'], ['Pick Deals']] }],
		[{ title: 'Sync loop', color: 'loop', text: '*Sync Participants* runs the membership sync of one deal until it needs a call; *Next Call* makes it and the answer comes back.', nodes: [['Sync Participants'], ['Next Call']] }],
		[
			{ title: 'Sync state', color: 'state', text: 'Rows of entity `prospect` in *Propstreet sync state*.', nodes: [['Read State', 'Save State', 'Delete State']] },
			{ title: 'Pipedrive calls', color: 'pipedrive', text: 'Deals, participants, persons.', nodes: [['Read Pipedrive', 'Write Pipedrive']] },
			{ title: 'Propstreet calls', color: 'propstreet', text: 'Prospects and their classification.', nodes: [['Read Propstreet', 'Write Propstreet']] },
		],
	],
	'09-cloud-notes-pipedrive-to-propstreet.json': [
		[{ title: 'Receive', color: 'receive', text: 'Every Pipedrive note event.', nodes: [['Pipedrive Trigger']] }],
		[{ title: 'Read settings', color: 'settings', text: 'Conflict policy, note targets, create rules.', nodes: [['Read Settings']] }],
		[{ title: 'Sync loop', color: 'loop', text: '*Sync Note* runs the note sync until it needs a call; *Next Call* makes it and the answer comes back.', nodes: [['Sync Note'], ['Next Call']] }],
		[
			{ title: 'Sync state', color: 'state', text: 'Rows of entity `note`: the link and a fingerprint of the text.', nodes: [['Read State', 'Save Link']] },
			{ title: 'Pipedrive calls', color: 'pipedrive', text: 'The note itself, when the delivery may be stale.', nodes: [['Read Pipedrive Note']] },
			{ title: 'Propstreet calls', color: 'propstreet', text: 'Timelines and records; add, revise, archive.', nodes: [['Read Propstreet', 'Write Propstreet']] },
		],
	],
	'11-cloud-apply-review-decisions.json': [
		[{ title: 'Start', color: 'receive', text: 'Every 15 minutes, or run by hand.', nodes: [['Apply Now', 'Every 15 Minutes']] }],
		[{ title: 'Apply per entity', color: 'loop', text: 'One call of *Sync record* (00) per entity (contacts, companies, projects): it syncs each pair whose review rows have a resolution, and closes the rows.', nodes: [['Entities'], ['Apply Decisions']] }],
		[{ title: 'Finish', color: 'finish', text: 'Pairs applied, failed (their rows stay open) and fields still waiting for a person.', nodes: [['Summary']] }],
	],
	'10-cloud-backfill.json': [
		[{ title: 'Start', color: 'receive', text: 'Nightly, or run by hand.', nodes: [['Run Backfill', 'Nightly at 03:00']] }],
		[{ title: 'Settings and window', color: 'settings', text: 'The saved settings; where each list starts (the last run without a failure, minus ten minutes; everything the first time).', nodes: [['Read Settings'], ['Window']] }],
		[{ title: 'List changed records', color: 'pipedrive', text: 'Both sides\' records changed since the window (deleted Propstreet ones too), every page: Pipedrive on the left, Propstreet on the right.', nodes: [['List Persons', 'List Organizations', 'List Deals'], ['List Contacts', 'List Companies', 'List Projects']] }],
		[{ title: 'Sync loop', color: 'loop', text: '*Sync Records* runs the sync of one listed record at a time (contacts, then companies, then deals ⇄ projects) until it needs a call; *Next Call* makes it and the answer comes back. Its last output has the run\'s counts and failures.', nodes: [['Sync Records'], ['Next Call']] }],
		[
			{ title: 'Sync state', color: 'state', text: 'Links, claims and leases in *Propstreet sync state*; an update matches `id` and `version`.', nodes: [['Read State', 'Insert State', 'Update State', 'Delete State']] },
			{ title: 'Pipedrive calls', color: 'pipedrive', text: 'Reads and writes, full response.', nodes: [['Read Pipedrive', 'Write Pipedrive']] },
			{ title: 'Propstreet calls', color: 'propstreet', text: 'Reads and writes, full response.', nodes: [['Read Propstreet', 'Write Propstreet']] },
		],
	],
};

function pipedriveEvents(kind) {
	return [
		[{ title: 'Receive', color: 'receive', text: `Every Pipedrive ${kind} event: added, updated, merged, deleted.`, nodes: [['Pipedrive Trigger']] }],
		[{ title: 'Sync', color: 'loop', text: 'Runs *Sync record* (00) for this one record and waits for it.', nodes: [['Sync Record']] }],
	];
}


const uuid = (seed) => {
	const h = createHash('sha1').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Roughly how tall a note's heading and text are at a given width (n8n renders about 7 px a character). */
function headerHeight(text, width) {
	const perLine = Math.max(20, Math.floor((width - 30) / 7.2));
	const lines = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / perLine)), 0);
	return 56 + lines * 22;
}

/** How tall n8n draws a node: a Switch with many outputs grows with them (about 35 px each). */
function nodeHeight(workflow, name) {
	const outputs = workflow.connections?.[name]?.main?.length ?? 1;
	return Math.max(NODE, outputs * 35 + 20);
}

/** Positions of one section's nodes and its note, with the note's top-left at (x, y). */
function placeSection(section, workflow, names, x, y, fileName) {
	const grid = section.nodes;
	for (const name of grid.flat()) if (!names.includes(name)) throw new Error(`${fileName}: section "${section.title}" names "${name}", which the template does not have`);
	const width = Math.max(2 * PAD + (grid.length - 1) * COL + NODE, 300);
	const header = headerHeight(section.text, width);
	const positions = new Map();
	let tallest = 0;
	grid.forEach((column, c) => {
		let top = header;
		for (const name of column) {
			positions.set(name, [x + PAD + c * COL, y + top]);
			top += nodeHeight(workflow, name) + (ROW - NODE);
		}
		tallest = Math.max(tallest, top - (ROW - NODE));
	});
	const height = tallest + PAD;
	const note = {
		parameters: { content: `### ${section.title}\n${section.text}`, height, width, color: COLOR[section.color] },
		id: uuid(`${fileName}/section/${section.title}`),
		name: `Note: ${section.title}`,
		type: STICKY,
		typeVersion: 1,
		position: [x, y],
	};
	return { positions, note, width, height };
}

/**
 * n8n runs the targets of one output in canvas order: the Cloud workflows must not have any, except
 * a pair that meets again at a Merge waiting for all its inputs (its result does not depend on which
 * branch ran first).
 */
export function orderedFanOuts(workflow) {
	const merges = new Set(workflow.nodes.filter((n) => n.type === 'n8n-nodes-base.merge' && n.parameters?.chooseBranchMode === 'waitForAll').map((n) => n.name));
	const feeds = (from, to) => Object.values(workflow.connections?.[from] ?? {}).some((outputs) => (outputs ?? []).some((targets) => (targets ?? []).some((t) => t.node === to)));
	const found = [];
	for (const [from, byType] of Object.entries(workflow.connections ?? {}))
		for (const outputs of Object.values(byType))
			for (const targets of outputs ?? []) {
				const names = (targets ?? []).map((t) => t.node);
				if (names.length <= 1) continue;
				const merge = names.find((n) => merges.has(n));
				if (names.length === 2 && merge && feeds(names.find((n) => n !== merge), merge)) continue;
				found.push(`"${from}" feeds ${names.length} nodes from one output`);
			}
	return found;
}

function assertNoOrderedFanOut(workflow, fileName) {
	const found = orderedFanOuts(workflow);
	if (found.length) throw new Error(`${fileName}: ${found.join('; ')}; their order would depend on position`);
}

export function layoutCloud(workflow, fileName) {
	const columns = SECTIONS[fileName];
	if (!columns) throw new Error(`${fileName}: no sections declared in tools/layout-cloud.mjs`);
	assertNoOrderedFanOut(workflow, fileName);
	const working = workflow.nodes.filter((n) => n.type !== STICKY);
	const names = working.map((n) => n.name);
	const about = workflow.nodes.find((n) => n.type === STICKY && n.name === 'About');
	if (!about) throw new Error(`${fileName}: no "About" note`);
	about.position = [0, 0];
	const placed = new Map();
	const notes = [about];
	let x = Number(about.parameters.width) + GAP;
	for (const column of columns) {
		let y = 0;
		let widest = 0;
		for (const section of column) {
			const { positions, note, width, height } = placeSection(section, workflow, names, x, y, fileName);
			for (const [name, position] of positions) {
				if (placed.has(name)) throw new Error(`${fileName}: "${name}" is in two sections`);
				placed.set(name, position);
			}
			notes.push(note);
			y += height + GAP;
			widest = Math.max(widest, width);
		}
		x += widest + GAP;
	}
	const missing = names.filter((n) => !placed.has(n));
	if (missing.length) throw new Error(`${fileName}: no section for ${missing.map((n) => `"${n}"`).join(', ')} (declare it in tools/layout-cloud.mjs)`);
	for (const n of working) n.position = placed.get(n.name);
	workflow.nodes = [...notes, ...working];
	return workflow;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const files = readdirSync(TEMPLATES).filter((f) => f.endsWith('.json')).sort();
	for (const file of files) {
		const full = path.join(TEMPLATES, file);
		const text = readFileSync(full, 'utf8');
		const out = `${JSON.stringify(layoutCloud(JSON.parse(text), file), null, '\t')}\n`;
		if (out !== text) {
			writeFileSync(full, out);
			process.stdout.write(`laid out ${path.relative(ROOT, full)}\n`);
		}
	}
}

// Lays out the bundled workflows so they read left to right in the n8n editor:
// `node tools/layout-workflows.mjs [workflows/*.json]`. Only node positions change.
// Layers follow the longest path from a trigger; the main path keeps one lane and each branch
// gets a lane of its own, so nothing overlaps; sticky notes go in a row above the graph.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const X_STEP = 260;
const Y_STEP = 200;
const STICKY = 'n8n-nodes-base.stickyNote';

function layout(workflow) {
	const nodes = workflow.nodes.filter((n) => n.type !== STICKY);
	const stickies = workflow.nodes.filter((n) => n.type === STICKY);
	const names = new Set(nodes.map((n) => n.name));
	const children = new Map(nodes.map((n) => [n.name, []]));
	const parents = new Map(nodes.map((n) => [n.name, []]));
	for (const [from, byType] of Object.entries(workflow.connections ?? {})) {
		if (!names.has(from)) continue;
		for (const outputs of Object.values(byType)) {
			(outputs ?? []).forEach((targets, outputIndex) => {
				for (const t of targets ?? []) {
					if (!names.has(t.node) || t.node === from) continue;
					children.get(from).push({ node: t.node, outputIndex });
					parents.get(t.node).push(from);
				}
			});
		}
	}
	// Longest-path layering over a DFS that ignores back edges (loops such as pagination).
	const layer = new Map();
	const state = new Map();
	const order = [];
	const visit = (name) => {
		state.set(name, 'active');
		for (const { node } of children.get(name)) if (!state.has(node)) visit(node);
		state.set(name, 'done');
		order.push(name);
	};
	const roots = nodes.filter((n) => parents.get(n.name).length === 0).map((n) => n.name);
	for (const r of roots) if (!state.has(r)) visit(r);
	for (const n of nodes) if (!state.has(n.name)) visit(n.name);
	order.reverse();
	const position = new Map(order.map((name, i) => [name, i]));
	for (const name of order) {
		const forwardParents = parents.get(name).filter((p) => position.get(p) < position.get(name));
		layer.set(name, forwardParents.length ? Math.max(...forwardParents.map((p) => layer.get(p) + 1)) : 0);
	}
	// Rows ("lanes"): from each trigger, the child with the most descendants continues its parent's
	// lane, so the main path runs straight; every other branch opens a new lane below. A node with
	// several parents stays in the lane where it was first reached.
	const descendants = new Map();
	const countDescendants = (name, seen = new Set()) => {
		for (const { node } of children.get(name)) {
			if (seen.has(node) || position.get(node) < position.get(name)) continue;
			seen.add(node);
			countDescendants(node, seen);
		}
		return seen.size;
	};
	for (const n of nodes) descendants.set(n.name, countDescendants(n.name));
	const row = new Map();
	let lanes = 0;
	const place = (name, lane) => {
		if (row.has(name)) return;
		row.set(name, lane);
		const next = children
			.get(name)
			.filter((c) => !row.has(c.node) && position.get(c.node) > position.get(name))
			.sort((a, b) => descendants.get(b.node) - descendants.get(a.node) || a.outputIndex - b.outputIndex);
		next.forEach((c, i) => {
			if (row.has(c.node)) return;
			if (i === 0) place(c.node, lane);
			else place(c.node, lanes++);
		});
	};
	for (const r of order) if (!row.has(r)) place(r, lanes++);
	const minRow = Math.min(...row.values());
	for (const n of nodes) n.position = [layer.get(n.name) * X_STEP, (row.get(n.name) - minRow) * Y_STEP];
	// Sticky notes: a row above the graph, left to right in their original order.
	let x = 0;
	const tallest = Math.max(0, ...stickies.map((s) => Number(s.parameters?.height ?? 160)));
	for (const s of [...stickies].sort((a, b) => (a.position?.[0] ?? 0) - (b.position?.[0] ?? 0))) {
		const width = Number(s.parameters?.width ?? 240);
		s.position = [x - 40, -tallest - 80];
		x += width + 40;
	}
	return workflow;
}

const files = process.argv.slice(2).length
	? process.argv.slice(2)
	: readdirSync('workflows').filter((f) => f.endsWith('.json')).map((f) => path.join('workflows', f));
for (const file of files) {
	const text = readFileSync(file, 'utf8');
	const indent = text.startsWith('{\n\t') ? '\t' : 2;
	const out = JSON.stringify(layout(JSON.parse(text)), null, indent) + '\n';
	if (out !== text) {
		writeFileSync(file, out);
		process.stdout.write(`laid out ${file}\n`);
	}
}

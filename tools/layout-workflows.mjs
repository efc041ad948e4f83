// Lays out the bundled workflows so they read left to right in the n8n editor:
// `node tools/layout-workflows.mjs [workflows/*.json]`. Only node positions change.
// Layers follow the longest path from a trigger; a path keeps one lane and each further branch
// gets a lane of its own, so nothing overlaps; sticky notes go in a row above the graph.
// n8n runs sibling branches in position order, so that order is kept, and a file whose order
// would change is left alone.
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const X_STEP = 260;
const Y_STEP = 200;
const STICKY = 'n8n-nodes-base.stickyNote';

/** n8n (executionOrder v1) runs the branches leaving one node top to bottom, then left to right. */
const byPosition = (pos) => (a, b) => pos.get(a)[1] - pos.get(b)[1] || pos.get(a)[0] - pos.get(b)[0];

/** Every node's successors in the order n8n would run them, under the given positions. */
function runOrders(nodes, connections, pos) {
	const orders = new Map();
	for (const [from, byType] of Object.entries(connections ?? {})) {
		const targets = [...new Set(Object.values(byType).flat().flat().filter(Boolean).map((t) => t.node))].filter((t) => pos.has(t));
		orders.set(from, targets.sort(byPosition(pos)).join('\u0000'));
	}
	return orders;
}

function layout(workflow) {
	const original = new Map(workflow.nodes.map((n) => [n.name, [...(n.position ?? [0, 0])]]));
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
	// Rows ("lanes"): from each trigger, the first child continues its parent's lane, so a path
	// runs straight; every other branch opens a new lane below. A node with several parents stays
	// in the lane where it was first reached.
	const row = new Map();
	let lanes = 0;
	const place = (name, lane) => {
		if (row.has(name)) return;
		row.set(name, lane);
		descend(name, lane);
	};
	const descend = (name, lane) => {
		// Siblings keep their original top-to-bottom order: in n8n that order is the order they run in.
		const next = children
			.get(name)
			.filter((c) => !row.has(c.node) && position.get(c.node) > position.get(name))
			.sort((a, b) => byPosition(original)(a.node, b.node) || a.outputIndex - b.outputIndex);
		next.forEach((c, i) => {
			if (row.has(c.node)) return;
			if (i === 0) place(c.node, lane);
			else place(c.node, lanes++);
		});
	};
	// Triggers that feed the same node (e.g. a webhook and a poller for one sync) stand one under
	// the other in their original order, each in its own lane, before the graph after them.
	const sharedRoots = roots.filter((r) => children.get(r).some((c) => roots.some((o) => o !== r && children.get(o).some((d) => d.node === c.node))));
	for (const r of [...sharedRoots].sort(byPosition(original))) row.set(r, lanes++);
	for (const r of [...sharedRoots].sort(byPosition(original))) descend(r, row.get(r));
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
	const laidOut = new Map(workflow.nodes.map((n) => [n.name, n.position]));
	const before = runOrders(nodes, workflow.connections, original);
	const after = runOrders(nodes, workflow.connections, laidOut);
	for (const [from, order] of before) {
		if (after.get(from) !== order) {
			for (const n of workflow.nodes) n.position = original.get(n.name);
			return { workflow, changedOrder: from };
		}
	}
	return { workflow };
}

const files = process.argv.slice(2).length
	? process.argv.slice(2)
	: readdirSync('workflows').filter((f) => f.endsWith('.json')).map((f) => path.join('workflows', f));
for (const file of files) {
	const text = readFileSync(file, 'utf8');
	const indent = text.startsWith('{\n\t') ? '\t' : 2;
	const { workflow, changedOrder } = layout(JSON.parse(text));
	if (changedOrder) {
		process.stdout.write(`kept ${file} as it was: a new layout would change the order in which the branches after "${changedOrder}" run\n`);
		continue;
	}
	const out = JSON.stringify(workflow, null, indent) + '\n';
	if (out !== text) {
		writeFileSync(file, out);
		process.stdout.write(`laid out ${file}\n`);
	}
}

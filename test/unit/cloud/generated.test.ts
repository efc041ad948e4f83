/** The committed Cloud workflows are exactly what a fresh build of the core makes of their templates. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '../../..');

describe('Cloud workflows: generated code', () => {
	it('matches a fresh build (run npm run build:cloud and commit workflows/cloud when this fails)', () => {
		expect(() => execFileSync(process.execPath, [path.join(ROOT, 'tools/build-cloud.mjs'), '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
	});

	it('every template has its generated workflow and every marked Code node was filled', () => {
		const templates = fs.readdirSync(path.join(ROOT, 'workflows/cloud/templates')).filter((f) => f.endsWith('.json'));
		expect(templates.length).toBeGreaterThanOrEqual(3);
		for (const file of templates) {
			const text = fs.readFileSync(path.join(ROOT, 'workflows/cloud', file), 'utf8');
			expect(text).not.toMatch(/@propstreet-cloud/);
			const workflow = JSON.parse(text) as { nodes: Array<{ type: string }> };
			// Built-in nodes only: nothing of this package (or any other community package).
			for (const node of workflow.nodes) expect(node.type).toMatch(/^n8n-nodes-base\./);
			expect(workflow.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').length).toBeLessThanOrEqual(20);
		}
	});

	it('every Cloud workflow reports its failures to the error handler, which uses built-in nodes only', () => {
		const handler = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows/00-error-handler.json'), 'utf8')) as { id: string; nodes: Array<{ type: string }> };
		for (const node of handler.nodes) expect(node.type).toMatch(/^n8n-nodes-base\./);
		for (const file of fs.readdirSync(path.join(ROOT, 'workflows/cloud')).filter((f) => f.endsWith('.json'))) {
			const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'workflows/cloud', file), 'utf8')) as { settings: { errorWorkflow?: string } };
			expect([file, workflow.settings.errorWorkflow]).toEqual([file, handler.id]);
		}
	});
});

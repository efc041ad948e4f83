/**
 * Loader smoke test: n8n-core's own package loader reads our package.json `n8n` section and
 * loads every node and credential from dist, the way n8n does for an installed community package.
 * A broken path, a class name that does not match its file, or a missing icon fails here.
 */
import { existsSync, readFileSync } from 'fs';
import path from 'path';
import { PackageDirectoryLoader } from 'n8n-core';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('package loads in n8n-core', () => {
	let loader: PackageDirectoryLoader;

	beforeAll(async () => {
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			if (!existsSync(path.join(root, file))) {
				throw new Error(`${file} is named in package.json but missing: run "npm run build" first`);
			}
		}
		loader = new PackageDirectoryLoader(root);
		await loader.loadAll();
	});

	it('has a well-formed n8n section with no runtime dependencies', () => {
		expect(pkg.name).toBe('n8n-nodes-propstreet');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(file.startsWith('dist/')).toBe(true);
	});

	it('loads every node named in package.json, with icons that exist', () => {
		const loaded = Object.keys(loader.nodeTypes);
		expect(loaded).toHaveLength(pkg.n8n.nodes.length);
		for (const file of pkg.n8n.nodes as string[]) {
			const className = path.basename(file, '.node.js');
			const expectedName = className.charAt(0).toLowerCase() + className.slice(1);
			expect(loaded).toContain(expectedName);
			const { description } = loader.nodeTypes[expectedName].type as { description: { iconUrl?: unknown; icon?: unknown } };
			const icons = description.iconUrl ?? description.icon;
			expect(icons).toBeTruthy();
			const iconFiles = typeof icons === 'string' ? [icons] : Object.values(icons as Record<string, string>);
			for (const icon of iconFiles) {
				const rel = String(icon).replace(/^file:/, '').replace(/^icons\/n8n-nodes-propstreet\//, '');
				expect(existsSync(path.join(root, rel))).toBe(true);
			}
		}
	});

	it('loads every credential named in package.json, each with a test request', () => {
		const loaded = Object.keys(loader.credentialTypes);
		expect(loaded).toHaveLength(pkg.n8n.credentials.length);
		for (const name of loaded) {
			const cred = loader.credentialTypes[name].type;
			expect(cred.name).toBe(name);
			expect(cred.test).toBeDefined();
		}
	});

	it('ships the bundled workflows in dist', () => {
		const workflows = require('fs').readdirSync(path.join(root, 'workflows')).filter((f: string) => f.endsWith('.json'));
		for (const wf of workflows) expect(existsSync(path.join(root, 'dist', 'workflows', wf))).toBe(true);
	});
});

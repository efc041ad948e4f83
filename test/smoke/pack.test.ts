/**
 * What the published tarball holds: exactly what n8n needs to load the package (compiled `.js`, the
 * nodes' codex `.node.json`, the icons, the bundled workflows and their n8n Cloud edition, package.json,
 * README and LICENSE), no source maps, declarations or build info. Then the packed package itself, unpacked next to this
 * repository's node_modules, is loaded by n8n-core's package loader, so a file the list forgot fails.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import path from 'path';
import { PackageDirectoryLoader } from 'n8n-core';
import { packRepo } from '../harness/pack';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };

/** The pack list as npm computes it (`--ignore-scripts`: packing must not rebuild). */
function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
	const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ files: Array<{ path: string }> }>;
	return info.files.map((f) => f.path).sort();
}

const SHIPPED = [/^dist\/(credentials|nodes)\/.+\.js$/, /^dist\/nodes\/[^/]+\/[^/]+\.node\.json$/, /^dist\/.+\.svg$/, /^dist\/workflows\/(cloud\/)?[^/]+\.json$/, /^(package\.json|README\.md|LICENSE\.md)$/];

describe('npm pack', () => {
	const files = packedFiles();

	it('ships no source maps, declarations or build info, and nothing outside the list of what n8n loads', () => {
		expect(files.filter((f) => /\.map$|\.d\.ts$|\.tsbuildinfo$/.test(f))).toEqual([]);
		expect(files.filter((f) => !SHIPPED.some((pattern) => pattern.test(f)))).toEqual([]);
	});

	it('ships every node and credential of the n8n section, their icons, and every bundled workflow', () => {
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(file);
		for (const file of pkg.n8n.nodes) expect(files).toContain(file.replace(/\.js$/, '.json'));
		expect(files).toEqual(expect.arrayContaining(['dist/icons/propstreet.svg', 'dist/icons/propstreet.dark.svg', 'package.json', 'README.md', 'LICENSE.md']));
		for (const wf of readdirSync(path.join(root, 'workflows')).filter((f) => f.endsWith('.json'))) expect(files).toContain(`dist/workflows/${wf}`);
	});

	it('the packed package loads in n8n-core', async () => {
		// Unpacked inside the repository, so `require('n8n-workflow')` finds this repo's node_modules.
		const dir = mkdtempSync(path.join(root, '.pack-smoke-'));
		try {
			const tarball = await packRepo(dir);
			execFileSync('tar', ['-xzf', tarball, '-C', dir]);
			const loader = new PackageDirectoryLoader(path.join(dir, 'package'));
			await loader.loadAll();
			expect(Object.keys(loader.nodeTypes)).toHaveLength(pkg.n8n.nodes.length);
			expect(Object.keys(loader.credentialTypes)).toHaveLength(pkg.n8n.credentials.length);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 120_000);
});

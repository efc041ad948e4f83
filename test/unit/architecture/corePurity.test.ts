/**
 * The pure core (`nodes/shared/core`) must not import n8n: it is plain TypeScript, tested directly,
 * and reused by anything that is not a node (the simulators, a future Cloud edition).
 */
import * as fs from 'fs';
import * as path from 'path';

const CORE = path.resolve(__dirname, '../../../nodes/shared/core');

/** Module names an n8n import would use, found in import/export-from/require/dynamic import. */
function n8nImports(source: string): string[] {
	const found: string[] = [];
	const pattern = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
	for (const match of source.matchAll(pattern)) {
		const name = match[1];
		if (/^(n8n-workflow|n8n-core|n8n-nodes-base|n8n)(\/|$)/.test(name) || name.startsWith('@n8n/')) found.push(name);
	}
	return found;
}

function tsFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const full = path.join(dir, e.name);
		return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
	});
}

describe('the pure core', () => {
	it('the check sees every way a file can import n8n', () => {
		expect(n8nImports(`import { sleep } from 'n8n-workflow';`)).toEqual(['n8n-workflow']);
		expect(n8nImports(`import type { INode } from "n8n-workflow";`)).toEqual(['n8n-workflow']);
		expect(n8nImports(`const x = require('n8n-core/dist/x');`)).toEqual(['n8n-core/dist/x']);
		expect(n8nImports(`export * from '@n8n/di';`)).toEqual(['@n8n/di']);
		expect(n8nImports(`const m = await import('n8n-nodes-base');`)).toEqual(['n8n-nodes-base']);
		expect(n8nImports(`import 'n8n-workflow';`)).toEqual(['n8n-workflow']);
		expect(n8nImports(`import { z } from 'zod';\nimport { x } from './n8nish';`)).toEqual([]);
	});

	it('imports nothing from n8n', () => {
		const files = tsFiles(CORE);
		expect(files.length).toBeGreaterThan(40);
		const offenders = files.flatMap((file) => n8nImports(fs.readFileSync(file, 'utf8')).map((name) => `${path.relative(CORE, file)} imports ${name}`));
		expect(offenders).toEqual([]);
	});
});

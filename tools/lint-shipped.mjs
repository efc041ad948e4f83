// Runs `n8n-node lint` in strict (cloud) mode over exactly what ships: nodes/, credentials/,
// icons/ and package.json, copied into .lint-shipped-<pid>/ next to the repo's node_modules.
// Strict mode demands the default eslint.config.mjs, which would also lint the tests,
// simulators and harness (they import nock, http, fs...). Those never ship, so they stay out.
import { cpSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// One folder per run, so parallel runs never delete each other's copy.
const stage = path.join(root, `.lint-shipped-${process.pid}`);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage);
for (const entry of ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials', 'icons']) {
	const from = path.join(root, entry);
	if (existsSync(from)) cpSync(from, path.join(stage, entry), { recursive: true });
}
const bin = path.join(root, 'node_modules', '.bin', 'n8n-node');
const args = ['lint', ...process.argv.slice(2)];
const result = spawnSync(bin, args, { cwd: stage, stdio: 'inherit' });
if (process.argv.includes('--fix')) {
	for (const entry of ['nodes', 'credentials']) cpSync(path.join(stage, entry), path.join(root, entry), { recursive: true });
}
rmSync(stage, { recursive: true, force: true });
process.exit(result.status ?? 1);

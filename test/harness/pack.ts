/**
 * The package as a user gets it: `npm pack` of the repo (run after `npm run build`; pack itself
 * does not build, and the repo's .npmrc skips lifecycle scripts).
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Returns the tarball to install: `$N8N_E2E_PACKAGE` when the runner already packed it
 * (test/e2e/run.sh does), else a fresh `npm pack` of the built repo into a temp folder.
 */
export async function packedPackage(): Promise<string> {
	const given = process.env.N8N_E2E_PACKAGE;
	if (given) {
		if (!fs.existsSync(given)) throw new Error(`N8N_E2E_PACKAGE=${given} does not exist`);
		return given;
	}
	return packRepo(fs.mkdtempSync(path.join(os.tmpdir(), 'propstreet-pack-')));
}

export async function packRepo(outDir: string, repoRoot = REPO_ROOT): Promise<string> {
	const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter((f) => !fs.existsSync(path.join(repoRoot, f)));
	if (missing.length) {
		throw new Error(`run "npm run build" first; package.json lists files that dist/ lacks: ${missing.join(', ')}`);
	}
	fs.mkdirSync(outDir, { recursive: true });
	const output = await new Promise<string>((resolve, reject) => {
		const child = spawn('npm', ['pack', '--json', '--ignore-scripts', `--pack-destination=${outDir}`], {
			cwd: repoRoot,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr.on('data', (c: Buffer) => (err += c.toString()));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`npm pack failed: ${err}`))));
	});
	const [info] = JSON.parse(output.slice(output.indexOf('['))) as Array<{ filename: string }>;
	return path.join(outDir, info.filename);
}

if (require.main === module) {
	const outDir = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'propstreet-pack-'));
	packRepo(outDir)
		.then((file) => process.stdout.write(`${file}\n`))
		.catch((err: Error) => {
			process.stderr.write(`${err.message}\n`);
			process.exit(1);
		});
}

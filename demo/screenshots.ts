/**
 * `npm run screenshots`: starts the demo stack, signs in to the real n8n editor in headless
 * Chromium and saves a picture of every bundled workflow to docs/screenshots/<workflow>.png, the
 * images the README shows. `-- --cloud` does the same for the Cloud edition (a stack set up as n8n
 * Cloud, workflows/cloud/ imported) into docs/screenshots/cloud/. Needs Debian's chromium
 * (`apt-get install chromium`); CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { startStack } from '../test/harness/stack';
import { screenshotReviewQueue } from './reviewQueueScreen';

const cloud = process.argv.includes('--cloud');
const outDir = path.resolve(__dirname, '..', 'docs', 'screenshots', ...(cloud ? ['cloud'] : []));

/** The Cloud edition's files, as a Cloud user imports them (the error handler uses built-in nodes only). */
function cloudWorkflowFiles(): string[] {
	const dir = path.resolve(__dirname, '..', 'workflows', 'cloud');
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(dir, f));
	return [path.resolve(__dirname, '..', 'workflows', '00-error-handler.json'), ...files];
}

async function main(): Promise<void> {
	const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
	if (!fs.existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH`);
	fs.mkdirSync(outDir, { recursive: true });
	const log = (l: string) => process.stdout.write(`  · ${l}\n`);
	const stack = cloud
		? await startStack({ edition: 'cloud', mode: 'single', seed: true, workflowFiles: cloudWorkflowFiles(), label: 'propstreet-screens-cloud', log })
		: await startStack({ seed: true, label: 'propstreet-screens', log });
	const browser = await chromium.launch({
		executablePath,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	try {
		const page = await browser.newPage({ viewport: { width: 1600, height: 900 }, deviceScaleFactor: 1 });
		await page.goto(`${stack.n8n.url}/signin`, { waitUntil: 'domcontentloaded' });
		await page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(stack.n8n.owner.email);
		await page.locator('input[type="password"]').first().fill(stack.n8n.owner.password);
		await page.keyboard.press('Enter');
		await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
		for (const wf of stack.workflows.filter((w) => !cloud || !w.fileName.startsWith('00-error-handler'))) {
			const summary = await stack.n8n.workflow(wf.name);
			await page.goto(`${stack.n8n.url}/workflow/${summary.id}`, { waitUntil: 'domcontentloaded' });
			await page.locator('.vue-flow__node').first().waitFor({ timeout: 30_000 });
			// Close any first-run popups, then fit the canvas to the view.
			await page.keyboard.press('Escape').catch(() => undefined);
			await page.waitForTimeout(1500);
			await page.keyboard.press('Shift+1').catch(() => undefined);
			await page.waitForTimeout(1000);
			const file = path.join(outDir, wf.fileName.replace(/\.json$/, '.png'));
			await page.screenshot({ path: file });
			process.stdout.write(`saved ${path.relative(process.cwd(), file)}\n`);
			const form = wf.fileName.startsWith('00-sync-settings') ? wf.json.nodes.find((n) => n.name === 'Save Settings') : undefined;
			if (form) await screenshotNode(page, stack.n8n.url, summary.id, String((form as { id?: string }).id), path.join(outDir, '00-sync-settings-form.png'));
		}
		if (cloud) return;
		// Last, as it switches the shared settings to Manual Review.
		const review = path.join(outDir, 'review-queue.png');
		await screenshotReviewQueue(stack, page, review);
		process.stdout.write(`saved ${path.relative(process.cwd(), review)}\n`);
	} finally {
		await browser.close();
		await stack.stop();
	}
}

/** The node's form, as a person editing the settings sees it (the editor opens a node from its URL). */
async function screenshotNode(page: import('playwright-core').Page, baseUrl: string, workflowId: string, nodeId: string, file: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}/${nodeId}`, { waitUntil: 'domcontentloaded' });
	await page.locator('[data-test-id="ndv-close-button"]').first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(1500);
	await page.screenshot({ path: file });
	process.stdout.write(`saved ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error) => {
	process.stderr.write(`screenshots failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
	process.exit(1);
});

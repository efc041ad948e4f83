/**
 * The review queue as a person meets it, for the README: the shared settings switched to Manual
 * Review (00 Sync Settings), one investor's strategy edited in both apps before either side is
 * synced (03 is paused meanwhile, so the Pipedrive event meets both edits), then the data table
 * *Propstreet sync review* opened in the editor with the row the conflict left.
 */
import type { Page } from 'playwright-core';
import type { Stack } from '../test/harness/stack';
import { saveSettings } from '../test/e2e/saveSettings';
import { pipedriveIdFor, propstreetIdFor } from '../test/simulators/seed/ids';

const REVIEW_TABLE = 'Propstreet sync review';

async function raiseConflict(stack: Stack): Promise<void> {
	const contact = propstreetIdFor('contact', 'astrid');
	const person = pipedriveIdFor('person', 'astrid');
	await saveSettings(stack, (parameters) => {
		parameters.conflictPolicy = 'manualReview';
	});
	const s2p = stack.workflow('03').id;
	await stack.n8n.deactivate(s2p);
	(stack.propstreet.control as any).updateContact(contact, { strategy: 'Offices in Stockholm only' });
	stack.pipedrive.control.updatePerson(person, { custom_fields: { investor_strategy: 'Logistics along the E4' } });
	await stack.waitFor(async () => (await stack.n8n.dataTableRows(REVIEW_TABLE)).find((r) => r.status === 'open'), { what: 'a review row', timeoutMs: 60000 });
	await stack.n8n.activate(s2p);
	await stack.settle({ quietMs: 3000 });
}

export async function screenshotReviewQueue(stack: Stack, page: Page, file: string): Promise<void> {
	await raiseConflict(stack);
	await page.goto(`${stack.n8n.url}/home/datatables`, { waitUntil: 'domcontentloaded' });
	await page.getByText(REVIEW_TABLE, { exact: true }).first().click();
	await page.getByText('contact.strategy').first().waitFor({ timeout: 30_000 });
	await page.waitForTimeout(1500);
	await page.screenshot({ path: file });
}

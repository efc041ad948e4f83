/** Finding the bundled Error Handler by name and the bundled workflows to link to it. */
import { ERROR_HANDLER_NAME, planErrorWorkflowLinks, withErrorWorkflow, type ListedWorkflow } from '../../nodes/shared/core/errorWorkflow/links';

const handler: ListedWorkflow = { id: 'NewHandlerId01', name: ERROR_HANDLER_NAME, active: false, settings: { executionOrder: 'v1' } };
const contacts: ListedWorkflow = { id: 'wf2', name: 'Propstreet Sync: Contacts Pipedrive → Propstreet', settings: { executionOrder: 'v1' } };
const deals: ListedWorkflow = { id: 'wf6', name: 'Propstreet Sync: Deals → Projects (Pipedrive → Propstreet)', settings: { executionOrder: 'v1', errorWorkflow: 'PsSyncErrorFlow0' } };
const linked: ListedWorkflow = { id: 'wf9', name: 'Propstreet Sync: Notes Pipedrive → Propstreet', settings: { errorWorkflow: 'NewHandlerId01' } };
const foreign: ListedWorkflow = { id: 'x1', name: 'My own workflow', settings: {} };

describe('planErrorWorkflowLinks', () => {
	it('links every bundled workflow whose error workflow is missing or dangling to the handler found by name; others are left alone', () => {
		const plan = planErrorWorkflowLinks([handler, contacts, deals, linked, foreign]);
		expect(plan).toEqual({
			ok: true,
			handler: { id: 'NewHandlerId01', active: false },
			toLink: [
				{ id: 'wf2', name: contacts.name, was: null },
				{ id: 'wf6', name: deals.name, was: 'PsSyncErrorFlow0' },
			],
			linked: [linked.name],
		});
	});

	it('a CLI import (fixed ids, links in place) needs nothing', () => {
		const plan = planErrorWorkflowLinks([{ ...handler, id: 'PsSyncErrorFlow0', active: true }, deals]);
		expect(plan).toMatchObject({ ok: true, handler: { id: 'PsSyncErrorFlow0', active: true }, toLink: [], linked: [deals.name] });
	});

	it('ignores archived copies, and refuses to guess between two live handlers', () => {
		expect(planErrorWorkflowLinks([{ ...handler, id: 'old', isArchived: true }, handler, contacts])).toMatchObject({ ok: true, handler: { id: 'NewHandlerId01' } });
		const twice = planErrorWorkflowLinks([handler, { ...handler, id: 'copy2' }, contacts]);
		expect(twice).toEqual({ ok: false, problem: expect.stringMatching(/2 workflows are named "Propstreet Sync: Error Handler" \(ids NewHandlerId01, copy2\)/) });
	});

	it('without a handler says which file to import', () => {
		expect(planErrorWorkflowLinks([contacts])).toEqual({ ok: false, problem: expect.stringContaining('00-error-handler.json') });
	});
});

describe('withErrorWorkflow', () => {
	it('keeps the workflow’s other settings', () => {
		expect(withErrorWorkflow({ executionOrder: 'v1', saveDataErrorExecution: 'all', errorWorkflow: 'PsSyncErrorFlow0' }, 'H1')).toEqual({ executionOrder: 'v1', saveDataErrorExecution: 'all', errorWorkflow: 'H1' });
		expect(withErrorWorkflow(null, 'H1')).toEqual({ errorWorkflow: 'H1' });
	});
});

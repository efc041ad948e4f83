/**
 * Which bundled workflows must be pointed at the bundled Error Handler, and at which id.
 *
 * The workflow files name the handler by the fixed id `PsSyncErrorFlow0`. n8n's CLI import keeps
 * that id; the editor's *Import from File* keeps only nodes, connections, name and tags, so the
 * handler gets a new id and every other workflow loses its `settings.errorWorkflow`. The handler
 * is therefore found by its name, and the bundled workflows by their shared name prefix.
 */

export const ERROR_HANDLER_NAME = 'Propstreet Sync: Error Handler';
export const BUNDLED_NAME_PREFIX = 'Propstreet Sync: ';

/** A workflow as n8n's public API lists it (only what the plan reads). */
export interface ListedWorkflow {
	id: string;
	name: string;
	active?: boolean;
	isArchived?: boolean;
	settings?: Record<string, unknown> | null;
}

export type ErrorLinkPlan =
	| {
			ok: true;
			handler: { id: string; active: boolean };
			/** Bundled workflows whose error workflow is missing or points elsewhere. */
			toLink: Array<{ id: string; name: string; was: string | null }>;
			/** Names of the bundled workflows already linked. */
			linked: string[];
	  }
	| { ok: false; problem: string };

const errorWorkflowOf = (wf: ListedWorkflow): string | null => {
	const value = wf.settings?.errorWorkflow;
	return typeof value === 'string' && value !== '' ? value : null;
};

export function planErrorWorkflowLinks(workflows: ListedWorkflow[], handlerName = ERROR_HANDLER_NAME, prefix = BUNDLED_NAME_PREFIX): ErrorLinkPlan {
	const live = workflows.filter((wf) => !wf.isArchived);
	const handlers = live.filter((wf) => wf.name === handlerName);
	if (handlers.length === 0) return { ok: false, problem: `no workflow named "${handlerName}": import 00-error-handler.json first` };
	if (handlers.length > 1) {
		// Linking to the wrong copy would send failures where nobody looks; a person must choose.
		return { ok: false, problem: `${handlers.length} workflows are named "${handlerName}" (ids ${handlers.map((h) => h.id).join(', ')}): archive or rename all but one` };
	}
	const [handler] = handlers;
	const bundled = live.filter((wf) => wf.id !== handler.id && wf.name.startsWith(prefix));
	const toLink = bundled.filter((wf) => errorWorkflowOf(wf) !== handler.id).map((wf) => ({ id: wf.id, name: wf.name, was: errorWorkflowOf(wf) }));
	const linked = bundled.filter((wf) => errorWorkflowOf(wf) === handler.id).map((wf) => wf.name);
	return { ok: true, handler: { id: handler.id, active: handler.active === true }, toLink, linked };
}

/** The settings to save: the workflow's own, with the handler as its error workflow. */
export function withErrorWorkflow(settings: Record<string, unknown> | null | undefined, handlerId: string): Record<string, unknown> {
	return { ...(settings ?? {}), errorWorkflow: handlerId };
}

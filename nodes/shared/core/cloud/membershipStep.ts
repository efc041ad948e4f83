/**
 * Cloud 08 (deal participants ⇄ project prospects): the Sync node's own `syncMembership`, run
 * over answered lookups in the style of `noteStep.ts`. One round per missing call: the person
 * field definitions, the deal ⇄ project link (sync state), both sides' member lists, and each
 * write. When nothing is missing, the rows to upsert and the rows to delete come back.
 */
import { buildContext } from '../mapping';
import type { LinkState } from '../syncState/link';
import { linkedRow } from '../syncState/claim';
import { syncMembership } from '../membership/sync';
import type { MembershipOutcome } from '../membership/outcome';
import type { MembershipTarget } from '../membership/ports';
import { answeredLookups, bodyOf, type Lookup, type LookupAnswer } from './lookups';
import { cloudMembershipPorts } from './membershipPorts';
import { ReplayStore } from './replayStore';
import { cloudRunSetup } from './runSetup';
import { stateRowOf, type StateRowOut } from './stateRows';

export interface MembershipStepInput {
	/** The deal the poll emitted, or the project a prospect delivery names. */
	target: { dealId?: string; projectId?: string };
	settingsRow: unknown;
	answers: LookupAnswer[];
	/** The round's clock and owner token, the same in every round (ISO time). */
	now: string;
	owner: string;
}

export type MembershipStep =
	| { action: 'lookup'; lookup: Lookup }
	| { action: 'done'; outcome: MembershipOutcome | { action: 'skipped'; reason: string }; rows: StateRowOut[]; removed: Array<{ entity: string; pipedriveId: string }> };

/** The deal ⇄ project pair of the target, from the project link in the sync state; null when not linked. */
async function pairOf(store: ReplayStore, target: MembershipStepInput['target']): Promise<MembershipTarget | null> {
	if (target.dealId) {
		const link = linkedRow(await store.find('project', 'pipedrive', String(target.dealId)));
		return link?.propstreetId ? { dealId: String(target.dealId), projectId: link.propstreetId, eventSide: 'pipedrive' } : null;
	}
	if (target.projectId) {
		const link = linkedRow(await store.find('project', 'propstreet', String(target.projectId)));
		return link?.pipedriveId ? { dealId: link.pipedriveId, projectId: String(target.projectId), eventSide: 'propstreet' } : null;
	}
	throw new Error('A membership sync needs a deal id or a Propstreet project id');
}

const rowsOut = (changed: LinkState[]): StateRowOut[] => changed.map((r) => ({ ...stateRowOf(r, r.version - 1), owner: r.owner ?? '' }));

export async function syncMembershipStep(input: MembershipStepInput): Promise<MembershipStep> {
	const setup = cloudRunSetup(input.settingsRow, undefined, 'note');
	const { answer, state } = answeredLookups(input.answers);
	const now = () => new Date(input.now);
	const store = new ReplayStore(answer, now);
	const fields = bodyOf(answer({ api: 'pipedrive', method: 'GET', path: '/v1/personFields?start=0&limit=500' }));
	const catalog = buildContext({ entity: 'prospect', fieldDefinitions: { personFields: fields } }).catalogs.person;
	const person = setup.config.fieldKeys.person;
	const keys = { contactId: catalog.resolveKey(person.propstreetContactId), classification: catalog.resolveKey(person.classification) };
	const ran = await (async () => {
		const pair = await pairOf(store, input.target);
		if (!pair) return { action: 'skipped' as const, reason: 'The deal and project are not linked (sync the deal first)' };
		const ports = cloudMembershipPorts(answer, setup.config.pipedriveNamespace, keys, catalog);
		return await syncMembership({ ports, store, rules: setup.rules, owner: input.owner, now, wait: () => Promise.resolve() }, pair);
	})().then(
		(outcome) => ({ outcome, failure: null }),
		(failure: unknown) => ({ outcome: null, failure }),
	);
	// A run that lacked an answer went on with "nothing there": only the missing call counts.
	if (state.missing) return { action: 'lookup', lookup: state.missing };
	if (!ran.outcome) throw ran.failure instanceof Error ? ran.failure : new Error(String(ran.failure));
	const removed = store.removed().map((r) => ({ entity: r.entity, pipedriveId: r.pipedriveId ?? '' }));
	return { action: 'done', outcome: ran.outcome, rows: rowsOut(store.changed()), removed };
}

/**
 * Deal participants ⇄ project prospects. Not one record per event but a set per deal, so it runs
 * the item itself (`syncItem`): the item names a deal, a project or a sweep (see
 * `core/membership/targets.ts`), and each deal ⇄ project pair is synced by `core/membership`.
 * The daily participation check (`core/membership/participationCheckRun.ts`) gets its ports here:
 * the person list with counts, and this same sync for the deals it picks.
 */
import { buildContext } from '../../shared/core/mapping';
import { dealDefinitionMisses, personDefinitionMisses } from '../../shared/core/mapping/definitionMisses';
import { emptyOutcome } from '../../shared/core/membership/outcome';
import { syncMembership } from '../../shared/core/membership/sync';
import { syncProspectClassification } from '../../shared/core/membership/classificationOnly';
import { isProspectEcho, readMembershipItem, type MembershipRequest } from '../../shared/core/membership/targets';
import { observedCountsOf, PARTICIPATION_FIELDS } from '../../shared/core/membership/participationCheck';
import { runParticipationCheck } from '../../shared/core/membership/participationCheckRun';
import { listPersonsWithCounts } from '../../shared/pipedrive';
import { StaleFieldKeysError } from '../../shared/core/membership/read';
import type { RunOutcome } from '../../shared/core/twoWay/ports';
import { fieldDefinitions } from '../fieldDefinitions';
import { membershipPorts } from '../membershipSides';
import { targetsOf } from '../membershipTargets';
import type { IDataObject } from 'n8n-workflow';
import type { EntitySetup, ItemBinding } from './binding';

/** The prospect id when the request is a Propstreet prospect's change that is not a removal. */
function classificationOnly(request: MembershipRequest): string | undefined {
	return request.kind === 'project' && request.prospect && !request.prospect.removed ? request.prospect.prospectId : undefined;
}

async function syncWith(setup: EntitySetup, request: MembershipRequest, fresh: boolean): Promise<RunOutcome[]> {
	const { ctx, i, store, config } = setup;
	const definitions = {
		personFields: await fieldDefinitions(ctx, i, 'personFields', setup.givenDefinitions, { fresh, misses: (f) => personDefinitionMisses(f, null, config) }),
		dealFields: await fieldDefinitions(ctx, i, 'dealFields', undefined, { fresh, misses: (f) => dealDefinitionMisses(f, request.kind === 'deal' ? request.deal : null, config) }),
	};
	const catalogs = buildContext({ entity: 'prospect', fieldDefinitions: definitions }).catalogs;
	const pipeline = setup.prospectPipeline;
	const checkCached = !fresh && !setup.givenDefinitions;
	const targetSettings = { ctx, i, store, namespace: config.pipedriveNamespace, dealCatalog: catalogs.deal, projectIdField: config.fieldKeys.deal.propstreetProjectId, pipeline, checkCached };
	const targets = await targetsOf(targetSettings, request);
	const keys = {
		contactId: catalogs.person.resolveKey(config.fieldKeys.person.propstreetContactId),
		classification: catalogs.person.resolveKey(config.fieldKeys.person.classification),
		checkCached,
	};
	const knownDeals = new Map(targets.filter((t) => t.deal).map((t) => [t.dealId, t.deal!]));
	const ports = membershipPorts({ ctx, i, namespace: config.pipedriveNamespace, keys, personCatalog: catalogs.person, knownDeals });
	const outcomes: RunOutcome[] = [];
	for (const target of targets) {
		if (target.skip || !target.projectId) {
			outcomes.push(emptyOutcome(target.dealId || null, target.projectId, target.skip ?? 'not linked'));
			continue;
		}
		const { rules, review, owner, now, wait } = setup.settings;
		const run = { ports, store, rules, review, owner, now, wait };
		const pair = { dealId: target.dealId, projectId: target.projectId, eventSide: target.eventSide };
		// A prospect's classification on a linked membership: no participant read (falls back when the row does not settle it).
		const quick = classificationOnly(request) ? await syncProspectClassification(run, pair, classificationOnly(request) as string) : null;
		outcomes.push(quick ?? (await syncMembership(run, pair)));
	}
	return outcomes;
}

/** One request through the sync; a field deleted and created again (a new key) reads the definitions now, not when the day's copy expires. */
async function syncRequest(setup: EntitySetup, request: MembershipRequest): Promise<RunOutcome[]> {
	// Stale keys are found when the records are read, before anything is written.
	const cached = await syncWith(setup, request, false).catch(async (error: unknown) => (error instanceof StaleFieldKeysError ? null : await Promise.reject(error)));
	return cached ?? (await syncWith(setup, request, true));
}

/** The participation check (after a full read: only its baseline), through this sync for the deals it picks. */
async function participationCheck(setup: EntitySetup, mode: 'check' | 'baseline', openDealIds: string[] | null): Promise<RunOutcome[]> {
	const ports = {
		observedCounts: async () => observedCountsOf(await listPersonsWithCounts(setup.ctx, PARTICIPATION_FIELDS, { itemIndex: setup.i })),
		syncDeal: async (dealId: string) => await syncRequest(setup, { kind: 'ids', dealId }),
		syncAll: async () => await syncRequest(setup, { kind: 'sweep' }),
	};
	return await runParticipationCheck({ ports, store: setup.store, now: setup.settings.now, mode, openDeals: openDealIds ? new Set(openDealIds) : null });
}

async function syncItem(setup: EntitySetup, item: IDataObject): Promise<RunOutcome[]> {
	const request = readMembershipItem(item);
	if (request.kind === 'project' && request.prospect && isProspectEcho(request, await setup.store.find('prospect', 'propstreet', request.prospect.prospectId))) {
		return [{ ...emptyOutcome(null, request.projectId, ''), action: 'unchanged', reason: `Prospect ${request.prospect.prospectId}: nothing the sync carries changed since the last sync (an echo of our own write, or a repeated delivery); nothing was read or written` }];
	}
	if (request.kind === 'check') return await participationCheck(setup, request.mode, request.openDealIds);
	const outcomes = await syncRequest(setup, request);
	// "Sync Participants Now" read every deal: the natural moment for the check's baseline.
	return request.kind === 'sweep' ? [...outcomes, ...(await participationCheck(setup, 'baseline', null))] : outcomes;
}

export const prospectBinding: ItemBinding = {
	value: 'prospect',
	name: 'Prospect (Deal Participant)',
	description: 'Pipedrive deal participants ⇄ Propstreet project prospects, per deal',
	syncItem,
};

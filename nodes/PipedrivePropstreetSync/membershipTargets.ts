/**
 * Which deal ⇄ project pairs an item asks to sync. A deal's project comes from the state store's
 * `project` row when there is one, else from the deal's "Propstreet project ID" field (found by
 * name); a project's deal from the `project` row, else from the project's `pipedrive` reference.
 * Only open deals are synced: a won or lost deal's participants are history.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import type { FieldCatalog } from '../shared/core/customFields';
import { customFieldText, readCustomField } from '../shared/core/customFields';
import { idOf, refId, type JsonRecord } from '../shared/core/mapping/common';
import { editAlreadySynced, type MembershipRequest } from '../shared/core/membership/targets';
import { findPipelineByName } from '../shared/core/pipedrive/pipelineByName';
import type { LinkState } from '../shared/core/syncState/link';
import { requireFieldKey } from '../shared/core/membership/read';
import { linkedRow } from '../shared/core/syncState/claim';
import type { SyncStateStore } from '../shared/core/syncState/store';
import { requireId } from '../shared/core/ids';
import { asRecord } from '../Propstreet/actions/syncCommon';
import { encodePathSegment, propstreetRequest } from '../Propstreet/transport';
import { getDeal, getPipelines, listDeals } from '../shared/pipedrive';

export interface PairTarget {
	dealId: string;
	projectId: string | null;
	deal: JsonRecord | null;
	eventSide: 'pipedrive' | 'propstreet';
	/** Why the pair is not synced (no project, deal closed or gone). */
	skip?: string;
}

export interface TargetSettings {
	ctx: IExecuteFunctions;
	i: number;
	store: SyncStateStore;
	namespace: string;
	dealCatalog: FieldCatalog;
	projectIdField: string;
	pipeline: string;
	/** The deal field definitions come from the cache: a key the deal lacks means they are stale. */
	checkCached: boolean;
}

async function projectOfDeal(s: TargetSettings, deal: JsonRecord, row: LinkState | undefined): Promise<string | null> {
	if (row?.propstreetId) return row.propstreetId;
	const key = s.dealCatalog.resolveKey(s.projectIdField);
	if (s.checkCached) requireFieldKey(deal, key, 'deal Propstreet project id');
	return customFieldText(readCustomField(deal, key, s.dealCatalog));
}

async function dealOfProject(s: TargetSettings, projectId: string): Promise<string | null> {
	const row = linkedRow(await s.store.find('project', 'propstreet', projectId));
	if (row?.pipedriveId) return row.pipedriveId;
	const path = `/api/v1/projects/${encodePathSegment(requireId(projectId, 'propstreet', 'project id', `Propstreet project ${projectId}`))}`;
	const response = await propstreetRequest(s.ctx, { method: 'GET', path, acceptStatuses: [404], itemIndex: s.i, operation: `Reading Propstreet project ${projectId}` });
	return response.statusCode === 404 ? null : (refId(asRecord(response.body).externalRefs, s.namespace) ?? null);
}

async function forDeal(s: TargetSettings, deal: JsonRecord | null, dealId: string, eventSide: PairTarget['eventSide']): Promise<PairTarget> {
	const target: PairTarget = { dealId, projectId: null, deal, eventSide };
	if (!deal || deal.is_deleted === true) return { ...target, skip: `Pipedrive deal ${dealId} does not exist` };
	const row = linkedRow(await s.store.find('project', 'pipedrive', dealId));
	target.projectId = await projectOfDeal(s, deal, row);
	if (!target.projectId) return { ...target, skip: `Pipedrive deal ${dealId} is not linked to a Propstreet project` };
	if (editAlreadySynced(deal, row)) return { ...target, skip: `Pipedrive deal ${dealId}: only its update time moved, to the version the deal sync already synced (a deal edit, not a participant change); participants were not read (the full sweep covers a participant replaced meanwhile)` };
	if (deal.status !== undefined && deal.status !== 'open') return { ...target, skip: `Pipedrive deal ${dealId} is ${String(deal.status)}; only open deals are synced` };
	return target;
}

async function sweep(s: TargetSettings): Promise<PairTarget[]> {
	const pipelines = await getPipelines(s.ctx, { itemIndex: s.i });
	const pipeline = findPipelineByName(pipelines, s.pipeline);
	if (!pipeline) throw new Error(`No Pipedrive pipeline is named "${s.pipeline}" (the Pipeline setting)`);
	const deals = await listDeals(s.ctx, { pipeline_id: pipeline.id, status: 'open' }, { itemIndex: s.i });
	const targets: PairTarget[] = [];
	for (const deal of deals) {
		const target = await forDeal(s, deal, String(deal.id), 'pipedrive');
		if (target.projectId) targets.push(target);
	}
	return targets;
}

export async function targetsOf(s: TargetSettings, request: MembershipRequest): Promise<PairTarget[]> {
	switch (request.kind) {
		case 'deal':
			return [await forDeal(s, request.deal, request.dealId, 'pipedrive')];
		case 'sweep':
			return await sweep(s);
		case 'check':
			return []; // run by the prospect binding itself (participationCheckRun.ts), never as targets
		case 'project':
		case 'ids': {
			const dealId = request.kind === 'ids' && request.dealId ? request.dealId : await dealOfProject(s, request.projectId as string);
			const side = request.kind === 'project' ? 'propstreet' : 'pipedrive';
			if (!dealId) return [{ dealId: '', projectId: request.projectId ?? null, deal: null, eventSide: side, skip: `Propstreet project ${request.projectId} is not linked to a Pipedrive deal` }];
			const deal = await getDeal(s.ctx, dealId, { itemIndex: s.i });
			return [await forDeal(s, deal, idOf(dealId) as string, side)];
		}
	}
}

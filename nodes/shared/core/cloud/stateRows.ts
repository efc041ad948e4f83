/**
 * A state row as the Cloud workflows write it with the Data Table node: the self-hosted store's
 * columns (one table layout for both editions). Record events write them with compare-and-set
 * (`replayedStateStore.ts`); the note sync, memberships and the backfill upsert them after a run.
 */
import { encodeBaseline, type LinkState } from '../syncState/link';

export interface StateRowOut {
	entity: string;
	pipedriveId: string;
	propstreetId: string;
	status: string;
	version: number;
	owner: string;
	baseline: string;
	writeToken: string;
}

export function stateRowOf(link: Pick<LinkState, 'entity' | 'pipedriveId' | 'propstreetId' | 'status' | 'baseline'>, previousVersion: number): StateRowOut {
	return {
		entity: link.entity,
		pipedriveId: link.pipedriveId ?? '',
		propstreetId: link.propstreetId ?? '',
		status: link.status,
		version: previousVersion + 1,
		owner: '',
		baseline: encodeBaseline(link.baseline),
		writeToken: '',
	};
}

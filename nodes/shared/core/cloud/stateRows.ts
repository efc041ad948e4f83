/**
 * State rows as the Cloud workflows move them: the Data Table node's rows in (read with the same
 * `rowToLink` the self-hosted store uses, so both editions share one table layout), and the row
 * to upsert out. The Cloud edition writes without compare-and-set: the Data Table node has none.
 */
import { isRecord } from '../mapping/common';
import { encodeBaseline, type LinkState } from '../syncState/link';
import { rowToLink } from '../../syncStore/columns';

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

/** The rows the Data Table node found (an empty item when none): the linked one and whether an unlinked one exists. */
export function linkOfRows(rows: unknown): { linked?: LinkState; unlinked: boolean } {
	const list = (Array.isArray(rows) ? rows : [rows]).filter((row) => isRecord(row) && row.id !== undefined && row.id !== null);
	const links = list.map((row) => rowToLink(row as Record<string, unknown>));
	return { linked: links.find((l) => l.status === 'linked'), unlinked: links.some((l) => l.status === 'unlinked') };
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

export function unlinkedRow(link: LinkState): StateRowOut {
	return stateRowOf({ ...link, status: 'unlinked' }, link.version);
}

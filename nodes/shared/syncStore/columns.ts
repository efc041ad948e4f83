/**
 * The sync state table's columns, and how a row maps to the core's `LinkState` and back. A row
 * also has n8n's system columns: `id` (the `rowId`, ascending in insertion order, which decides
 * creation claims), `createdAt`, and `updatedAt` (refreshed by n8n on every write; the link's
 * `updatedAt`, which ages out abandoned claims).
 */
import { decodeBaseline, encodeBaseline, SYNC_ENTITIES, type LinkState, type LinkStatus, type NewLink, type SyncEntity } from '../core/syncState/link';

export type ColumnType = 'string' | 'number' | 'boolean' | 'date';

export interface StateColumn {
	name: string;
	type: ColumnType;
}

/**
 * - `entity`: contact, company, project, prospect or note;
 * - `pipedriveId`, `propstreetId`: the record's id on each side (empty until known);
 * - `status`: creating, linked or unlinked;
 * - `version`: raised by every write; updates are compare-and-set on it;
 * - `owner`: the execution token holding a `creating` claim;
 * - `baseline`: per-side field signatures of the last sync, as JSON text;
 * - `writeToken`: a random token set by every write, so a writer can tell its own write from
 *   someone else's (see `DataTableStateStore.update`).
 * New columns go at the end; the store adds missing ones to an existing table.
 */
// Built by a function: n8n's lint reads a `{ name, type }` literal as a node parameter.
const column = (name: string, type: ColumnType): StateColumn => ({ name, type });

export const STATE_COLUMNS: readonly StateColumn[] = [
	column('entity', 'string'),
	column('pipedriveId', 'string'),
	column('propstreetId', 'string'),
	column('status', 'string'),
	column('version', 'number'),
	column('owner', 'string'),
	column('baseline', 'string'),
	column('writeToken', 'string'),
];

const STATUSES: readonly LinkStatus[] = ['creating', 'linked', 'unlinked'];

export type RowValue = string | number | boolean | null;
export type StateRow = Record<string, unknown>;

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

function isoTime(row: StateRow): string {
	for (const value of [row.updatedAt, row.createdAt]) {
		const t = typeof value === 'string' || typeof value === 'number' ? Date.parse(String(value)) : NaN;
		if (Number.isFinite(t)) return new Date(t).toISOString();
	}
	return new Date(0).toISOString();
}

/**
 * A row as a link. Values edited by hand into something unreadable degrade safely: an unknown
 * status reads as `unlinked` (neither a link nor a live claim), a damaged baseline as none.
 */
export function rowToLink(row: StateRow): LinkState {
	const status = STATUSES.includes(row.status as LinkStatus) ? (row.status as LinkStatus) : 'unlinked';
	const version = typeof row.version === 'number' && Number.isFinite(row.version) ? row.version : 0;
	return {
		rowId: Number(row.id),
		entity: (SYNC_ENTITIES.includes(row.entity as SyncEntity) ? row.entity : String(row.entity)) as SyncEntity,
		pipedriveId: text(row.pipedriveId),
		propstreetId: text(row.propstreetId),
		status,
		version,
		baseline: decodeBaseline(row.baseline),
		owner: text(row.owner),
		updatedAt: isoTime(row),
	};
}

/** The columns a change writes; keys outside `NewLink` (rowId, version…) are never copied. */
export function changesToRow(changes: Partial<NewLink>): Record<string, RowValue> {
	const out: Record<string, RowValue> = {};
	if (changes.entity !== undefined) out.entity = changes.entity;
	if (changes.pipedriveId !== undefined) out.pipedriveId = changes.pipedriveId;
	if (changes.propstreetId !== undefined) out.propstreetId = changes.propstreetId;
	if (changes.status !== undefined) out.status = changes.status;
	if (changes.owner !== undefined) out.owner = changes.owner;
	if (changes.baseline !== undefined) out.baseline = encodeBaseline(changes.baseline);
	return out;
}

export function newLinkToRow(link: NewLink): Record<string, RowValue> {
	return changesToRow({ ...link, pipedriveId: link.pipedriveId ?? null, propstreetId: link.propstreetId ?? null, owner: link.owner ?? null });
}

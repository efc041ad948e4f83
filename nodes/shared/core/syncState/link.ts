/**
 * One row of the sync state (the "mapping database" of the spec): a Pipedrive record, its
 * Propstreet counterpart and the baseline signatures of the last sync. A row is `creating` while one
 * execution holds the right to create the missing counterpart, `linked` once both ids are known,
 * and `unlinked` when a counterpart was deleted or merged away (kept so the history can be read).
 */
import type { Baseline } from '../merge/threeWay';
import type { Side } from '../merge/policy';

export type SyncEntity = 'contact' | 'company' | 'project' | 'prospect' | 'note';

export const SYNC_ENTITIES: readonly SyncEntity[] = ['contact', 'company', 'project', 'prospect', 'note'];

export type LinkStatus = 'creating' | 'linked' | 'unlinked';

export interface LinkState {
	/** The store's own row id: ascending in insertion order (claims are decided by it). */
	rowId: number;
	entity: SyncEntity;
	pipedriveId: string | null;
	propstreetId: string | null;
	status: LinkStatus;
	/** Raised on every write; a write that expects an older version is refused. */
	version: number;
	baseline: Baseline | null;
	/** Who holds a `creating` claim (an execution's own token). */
	owner: string | null;
	/** ISO time of the last write to the row. */
	updatedAt: string;
}

export type NewLink = Omit<LinkState, 'rowId' | 'version' | 'updatedAt'>;

export function idOnSide(link: Pick<LinkState, 'pipedriveId' | 'propstreetId'>, side: Side): string | null {
	return side === 'pipedrive' ? link.pipedriveId : link.propstreetId;
}

/** The baseline as stored text; `null` for none. */
export function encodeBaseline(baseline: Baseline | null): string {
	return baseline ? JSON.stringify(baseline) : '';
}

function signatureMap(value: unknown): Record<string, string> | null {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
	const out: Record<string, string> = {};
	for (const [field, sig] of Object.entries(value as Record<string, unknown>)) {
		if (typeof sig !== 'string') return null;
		out[field] = sig;
	}
	return out;
}

/**
 * A stored baseline, or null when the text is missing or damaged: a damaged row then behaves like
 * a link without state (the stateless rules), never like a change on either side.
 */
export function decodeBaseline(text: unknown): Baseline | null {
	if (typeof text !== 'string' || text.trim() === '') return null;
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		return null;
	}
	if (!parsed || typeof parsed !== 'object') return null;
	const obj = parsed as Record<string, unknown>;
	const pipedrive = signatureMap(obj.pipedrive);
	const propstreet = signatureMap(obj.propstreet);
	if (!pipedrive || !propstreet) return null;
	if (!obj.at || typeof obj.at !== 'object') return { pipedrive, propstreet };
	const at = obj.at as Record<string, unknown>;
	const time = (v: unknown) => (typeof v === 'string' ? v : null);
	return { pipedrive, propstreet, at: { pipedrive: time(at.pipedrive), propstreet: time(at.propstreet) } };
}

/**
 * Where a Pipedrive note goes in Propstreet, and how a linked note is named in the state store.
 * A store row's Propstreet id for a note is `<kind>/<record id>/<note id>` (e.g. `contact/5001/455`):
 * the note endpoints need the record it hangs on, and the row stays readable in the data table.
 */
import { idOf, type JsonRecord } from '../mapping/common';
import type { MapperConfig } from '../mapping/config';
import type { SyncEntity } from '../syncState/link';
import { linkedRow } from '../syncState/claim';
import type { SyncStateStore } from '../syncState/store';
import type { NotePort, NoteTarget, NoteTargetKind, PropstreetNote } from './notePorts';

/** Pipedrive's note field → the Propstreet record kind (and sync entity) it points at. */
const BY_PIPEDRIVE_KIND = {
	deal: { field: 'deal_id', kind: 'project' },
	person: { field: 'person_id', kind: 'contact' },
	organization: { field: 'org_id', kind: 'company' },
} as const satisfies Record<MapperConfig['noteTargetOrder'][number], { field: string; kind: NoteTargetKind & SyncEntity }>;

export interface NoteRef extends NoteTarget {
	noteId: string;
}

export function encodeNoteRef(target: NoteTarget, noteId: string): string {
	return `${target.kind}/${target.parentId}/${noteId}`;
}

export function decodeNoteRef(value: string | null): NoteRef | null {
	const parts = (value ?? '').split('/');
	if (parts.length !== 3 || !parts.every((p) => p !== '')) return null;
	const [kind, parentId, noteId] = parts;
	if (kind !== 'project' && kind !== 'contact' && kind !== 'company') return null;
	return { kind, parentId, noteId };
}

/**
 * The newest revision of the note `id` started (following supersedes); null when neither it nor a
 * successor is listed. A timeline that hides superseded revisions still names the old id in its
 * successor's `supersedes`, so the chain is followed from the id, not from a listed row.
 */
export function headOf(notes: PropstreetNote[], id: string): PropstreetNote | null {
	let current = notes.find((n) => n.id === id) ?? null;
	let currentId = id;
	for (let hops = 0; hops <= notes.length; hops++) {
		const next = notes.find((n) => n.supersedes === currentId);
		if (!next) break;
		current = next;
		currentId = next.id;
	}
	return current;
}

export interface ResolvedTarget {
	target: NoteTarget;
	/** The Pipedrive record kind it came from (`deal`, `person`, `organization`). */
	from: MapperConfig['noteTargetOrder'][number];
	pipedriveId: string;
	/** `store` when the sync state knew the pair, `externalRef` when Propstreet's ref found it. */
	foundBy: 'store' | 'externalRef';
}

/**
 * The first record in `noteTargetOrder` the note is attached to that has a Propstreet counterpart:
 * the state store is asked first (no API call); only a record it does not know is looked up by
 * Propstreet's external ref.
 */
export async function resolveNoteTarget(note: JsonRecord, config: MapperConfig, store: SyncStateStore, port: NotePort): Promise<ResolvedTarget | null> {
	const attached = config.noteTargetOrder
		.map((from) => ({ from, ...BY_PIPEDRIVE_KIND[from], pipedriveId: idOf(note[BY_PIPEDRIVE_KIND[from].field]) }))
		.filter((a): a is typeof a & { pipedriveId: string } => a.pipedriveId !== undefined);
	for (const a of attached) {
		const row = linkedRow(await store.find(a.kind, 'pipedrive', a.pipedriveId));
		if (row?.propstreetId) return { target: { kind: a.kind, parentId: row.propstreetId }, from: a.from, pipedriveId: a.pipedriveId, foundBy: 'store' };
	}
	for (const a of attached) {
		const parentId = await port.findTarget(a.kind, a.pipedriveId);
		if (parentId) return { target: { kind: a.kind, parentId }, from: a.from, pipedriveId: a.pipedriveId, foundBy: 'externalRef' };
	}
	return null;
}

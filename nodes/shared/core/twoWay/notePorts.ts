/**
 * What the note sync (Pipedrive notes → Propstreet notes) needs from the outside: Propstreet's
 * note endpoints as a port, the state store, and a clock. Propstreet notes differ from the records
 * the two-way engine handles: a create answers with no id (the note is found on the record's
 * timeline), and a revision (supersede) makes a new note id that points back at the old one.
 */
import type { ConflictRules } from '../merge/policy';
import type { JsonRecord } from '../mapping/common';
import type { MapperConfig } from '../mapping/config';
import type { SyncStateStore } from '../syncState/store';

/** The Propstreet record a note hangs on. */
export type NoteTargetKind = 'project' | 'contact' | 'company';

export interface NoteTarget {
	kind: NoteTargetKind;
	/** The Propstreet id of the project, contact or company. */
	parentId: string;
}

/** One revision of a Propstreet note, as its record's timeline lists it. */
export interface PropstreetNote {
	id: string;
	text: string;
	etag: string;
	archived: boolean;
	/** The revision this one replaced (supersede), if any. */
	supersedes: string | null;
	/** When the revision was written (ISO). */
	at: string | null;
}

export type NoteWrite = 'ok' | 'preconditionFailed' | 'gone';

export interface NotePort {
	/** The Pipedrive note as it is now (null when deleted): read only when a delivery's whole-second time cannot tell it from the synced version. */
	readPipedriveNote(id: string): Promise<JsonRecord | null>;
	/** The Propstreet record that carries the Pipedrive record's id as its external ref; null if none. */
	findTarget(kind: NoteTargetKind, pipedriveId: string): Promise<string | null>;
	/** Every note revision on the record (archived and superseded ones included); null when the record is gone. */
	listNotes(target: NoteTarget): Promise<PropstreetNote[] | null>;
	/** Adds a note; `idempotencyKey` makes a retried create a replay. 'gone' when the record no longer exists. */
	createNote(target: NoteTarget, body: JsonRecord, idempotencyKey: string | undefined): Promise<'ok' | 'gone'>;
	/** Supersedes the note with a new text, with If-Match. */
	reviseNote(target: NoteTarget, noteId: string, text: string, etag: string): Promise<NoteWrite>;
	/** Archives (hides) the note, with If-Match. */
	archiveNote(target: NoteTarget, noteId: string, etag: string): Promise<NoteWrite>;
}

export interface NoteRun {
	config: MapperConfig;
	rules: ConflictRules;
	store: SyncStateStore;
	port: NotePort;
	/** False when the node may not create in Propstreet (edits and deletes still apply). */
	createInPropstreet: boolean;
	/** This execution's token, for creation claims and the per-note lease. */
	owner: string;
	now(): Date;
	wait(ms: number): Promise<void>;
}

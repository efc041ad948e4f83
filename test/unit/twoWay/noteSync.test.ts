/** The note sync core against an in-memory Propstreet timeline and the memory state store. */
import { resolveConfig } from '../../../nodes/shared/core/mapping';
import type { ConflictRules } from '../../../nodes/shared/core/merge/policy';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';
import type { SideEvent } from '../../../nodes/shared/core/twoWay/event';
import type { NotePort, NoteRun, NoteTarget, NoteWrite, PropstreetNote } from '../../../nodes/shared/core/twoWay/notePorts';
import { decodeNoteRef, encodeNoteRef, headOf } from '../../../nodes/shared/core/twoWay/noteTarget';
import { syncNoteEvent } from '../../../nodes/shared/core/twoWay/noteSync';

type Row = PropstreetNote & { parent: string };

class FakeNotes implements NotePort {
	rows: Row[] = [];
	refs = new Map<string, string>(); // `${kind}:${pipedriveId}` → Propstreet id
	calls = { find: 0, list: 0, create: 0, revise: 0, archive: 0 };
	keys = new Set<string>();
	private next = 400;
	private etag = 1;
	clock = 0;
	/** Runs once before the next revise (a Propstreet user editing in between). */
	beforeRevise?: () => void;

	private stamp(): string {
		return new Date(Date.UTC(2026, 4, 1, 12, 0, ++this.clock)).toISOString();
	}
	add(target: NoteTarget, text: string, supersedes: string | null = null): Row {
		const row: Row = { id: String(this.next++), text, etag: `e${this.etag++}`, archived: false, supersedes, at: this.stamp(), parent: `${target.kind}/${target.parentId}` };
		this.rows.push(row);
		return row;
	}
	/** A Propstreet user's revision of the head. */
	userRevise(target: NoteTarget, id: string, text: string): Row {
		const old = this.rows.find((r) => r.id === id)!;
		old.etag = `e${this.etag++}`;
		return this.add(target, text, id);
	}
	heads(target: NoteTarget): Row[] {
		const parent = `${target.kind}/${target.parentId}`;
		const mine = this.rows.filter((r) => r.parent === parent);
		return mine.filter((r) => !r.archived && !mine.some((o) => o.supersedes === r.id));
	}
	pipedrive = new Map<string, Record<string, unknown>>();
	async readPipedriveNote(id: string) {
		this.calls.find++;
		return this.pipedrive.get(id) ?? null;
	}
	async findTarget(kind: string, pipedriveId: string) {
		this.calls.find++;
		return this.refs.get(`${kind}:${pipedriveId}`) ?? null;
	}
	async listNotes(target: NoteTarget) {
		this.calls.list++;
		return this.rows.filter((r) => r.parent === `${target.kind}/${target.parentId}`).map(({ parent: _p, ...n }) => ({ ...n }));
	}
	/** Records deleted in Propstreet (`kind/id`): creates on them answer 'gone'. */
	deleted = new Set<string>();
	async createNote(target: NoteTarget, body: Record<string, unknown>, key: string | undefined): Promise<'ok' | 'gone'> {
		this.calls.create++;
		if (this.deleted.has(`${target.kind}/${target.parentId}`)) return 'gone';
		if (key && this.keys.has(key)) return 'ok';
		if (key) this.keys.add(key);
		this.add(target, String(body.note ?? body.content));
		return 'ok';
	}
	private editable(id: string, etag: string): Row | NoteWrite {
		const row = this.rows.find((r) => r.id === id);
		if (!row) return 'gone';
		return row.etag !== etag || this.rows.some((o) => o.supersedes === id) ? 'preconditionFailed' : row;
	}
	async reviseNote(target: NoteTarget, id: string, text: string, etag: string): Promise<NoteWrite> {
		this.calls.revise++;
		const hook = this.beforeRevise;
		this.beforeRevise = undefined;
		hook?.();
		const row = this.editable(id, etag);
		if (typeof row === 'string') return row;
		row.etag = `e${this.etag++}`;
		this.add(target, text, id);
		return 'ok';
	}
	async archiveNote(_target: NoteTarget, id: string, etag: string): Promise<NoteWrite> {
		this.calls.archive++;
		const row = this.editable(id, etag);
		if (typeof row === 'string') return row;
		row.archived = true;
		row.etag = `e${this.etag++}`;
		return 'ok';
	}
	total() {
		return Object.values(this.calls).reduce((a, b) => a + b, 0);
	}
}

const CONTACT: NoteTarget = { kind: 'contact', parentId: '5001' };
const PROJECT: NoteTarget = { kind: 'project', parentId: '7001' };
let port: FakeNotes;
let store: MemoryStateStore;
let tick = 0;
const at = () => new Date(Date.UTC(2026, 4, 1, 11, 0, ++tick)).toISOString();

function run(owner = 'exec-1', rules: ConflictRules = { policy: 'lastWriteWins' }): NoteRun {
	return { config: resolveConfig({}), rules, store, port, createInPropstreet: true, owner, now: () => new Date(), wait: async () => undefined };
}
function note(id: number, content: string, extra: Record<string, unknown> = {}, updated = at()): Record<string, unknown> {
	return { id, content, person_id: 1001, deal_id: null, org_id: null, update_time: updated, ...extra };
}
const change = (record: Record<string, unknown>, action: SideEvent['action'] = 'change'): SideEvent => ({ side: 'pipedrive', action, record });

beforeEach(async () => {
	port = new FakeNotes();
	port.refs.set('contact:1001', '5001');
	port.refs.set('project:3001', '7001');
	store = new MemoryStateStore();
});

describe('note sync (core)', () => {
	it('a new note is added once, as plain text, and linked as <kind>/<record>/<note>; a repeat costs no call', async () => {
		const created = note(11, '<p>Seller wants <b>bids</b></p>');
		const out = await syncNoteEvent(run(), change(created, 'create'));
		expect(out.action).toBe('created');
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Seller wants bids']);
		const [row] = store.all();
		expect(row).toMatchObject({ entity: 'note', pipedriveId: '11', status: 'linked' });
		expect(decodeNoteRef(row.propstreetId)).toEqual({ ...CONTACT, noteId: port.heads(CONTACT)[0].id });
		const before = port.total();
		expect((await syncNoteEvent(run(), change(created, 'create'))).action).toBe('unchanged');
		expect(port.total()).toBe(before);
	});

	it('a note for a record deleted in Propstreet since it was linked is skipped (no failure), and a later delivery may still create it', async () => {
		await store.insert({ entity: 'contact', pipedriveId: '1001', propstreetId: '5001', status: 'linked', baseline: null, owner: null });
		port.deleted.add('contact/5001');
		const created = note(21, 'Met at the site visit');
		const out = await syncNoteEvent(run(), change(created, 'create'));
		expect(out).toMatchObject({ action: 'skipped', warnings: [expect.stringContaining('contact 5001 no longer exists')] });
		// The creation claim is given back: no row is left that would block or fake a link.
		expect(store.all().filter((r) => r.entity === 'note')).toEqual([]);
		port.deleted.clear();
		expect((await syncNoteEvent(run(), change(created, 'create'))).action).toBe('created');
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Met at the site visit']);
	});

	it('a delete delivered before its create (reordered deliveries) leaves no Propstreet note, and a repeat adds no row', async () => {
		const created = note(22, 'Short-lived note');
		expect((await syncNoteEvent(run(), change({ id: 22 }, 'delete'))).action).toBe('skipped');
		const late = await syncNoteEvent(run(), change(created, 'create'));
		expect(late).toMatchObject({ action: 'skipped', reason: expect.stringContaining('was deleted') });
		expect(port.heads(CONTACT)).toEqual([]);
		expect(port.calls.create).toBe(0);
		await syncNoteEvent(run(), change({ id: 22 }, 'delete'));
		expect(store.all().filter((r) => r.entity === 'note')).toEqual([expect.objectContaining({ pipedriveId: '22', status: 'unlinked' })]);
	});

	it('a delete that runs while its create is in progress waits for the link and archives the new note', async () => {
		const created = note(23, 'Created and deleted at once');
		let release: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const slowList = port.listNotes.bind(port);
		port.listNotes = async (target) => {
			await gate;
			return slowList(target);
		};
		const creating = syncNoteEvent(run('exec-1'), change(created, 'create'));
		await new Promise((resolve) => setImmediate(resolve));
		const waits: number[] = [];
		const deleting = syncNoteEvent({ ...run('exec-2'), wait: async (ms) => {
				waits.push(ms);
				release();
			},
		}, change({ id: 23 }, 'delete'));
		expect((await creating).action).toBe('created');
		expect((await deleting).action).toBe('unlinked');
		expect(waits.length).toBeGreaterThan(0);
		expect(port.heads(CONTACT)).toEqual([]);
	});

	it('the deal → project comes first; the state store is asked before Propstreet', async () => {
		await store.insert({ entity: 'project', pipedriveId: '3001', propstreetId: '7001', status: 'linked', baseline: null, owner: null });
		const out = await syncNoteEvent(run(), change(note(12, 'Board approved', { deal_id: 3001 }), 'create'));
		expect(out.reason).toContain('found from the sync state');
		expect(port.calls.find).toBe(0);
		expect(port.heads(PROJECT).map((r) => r.text)).toEqual(['Board approved']);
		expect(port.heads(CONTACT)).toEqual([]);
	});

	it('an edit revises the same note (If-Match), and its echo or a late delivery changes nothing', async () => {
		const first = note(13, 'First text');
		await syncNoteEvent(run(), change(first, 'create'));
		const edited = note(13, 'Second text');
		const out = await syncNoteEvent(run(), change(edited));
		expect(out.action).toBe('updated');
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Second text']);
		expect(port.rows).toHaveLength(2);
		expect(port.rows[1].supersedes).toBe(port.rows[0].id);
		expect(decodeNoteRef(store.all()[0].propstreetId)!.noteId).toBe(port.rows[1].id);
		const calls = port.total();
		expect((await syncNoteEvent(run(), change(edited))).action).toBe('unchanged');
		expect((await syncNoteEvent(run(), change({ ...first, content: 'Stale text', update_time: first.update_time }))).reason).toMatch(/late delivery/);
		expect(port.total()).toBe(calls);
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Second text']);
	});

	it('a delivery stamped with the same (whole) second as the synced version is read again from Pipedrive', async () => {
		const t = at();
		await syncNoteEvent(run(), change(note(22, 'Final wording', {}, t), 'create'));
		port.pipedrive.set('22', note(22, 'Final wording', {}, t));
		// The create delivery of an older text arrives last, with the same second: Pipedrive says the text is still final.
		const out = await syncNoteEvent(run(), change(note(22, 'Draft wording', {}, t)));
		expect(out.action).toBe('unchanged');
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Final wording']);
		expect(port.calls.revise).toBe(0);
	});

	it('a refused If-Match (412) reads again and applies again, keeping one chain', async () => {
		await syncNoteEvent(run(), change(note(14, 'v1'), 'create'));
		port.beforeRevise = () => {
			const head = port.heads(CONTACT)[0];
			head.etag = 'moved-on'; // touched (e.g. a Propstreet re-save) without changing the text
		};
		const out = await syncNoteEvent(run(), change(note(14, 'v2')));
		expect(out.action).toBe('updated');
		expect(port.calls.revise).toBe(2);
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['v2']);
	});

	it('a Propstreet edit since the baseline and a Pipedrive edit: the conflict policy decides (manual review writes nothing)', async () => {
		await syncNoteEvent(run(), change(note(15, 'Original'), 'create'));
		port.userRevise(CONTACT, port.heads(CONTACT)[0].id, 'Edited in Propstreet');
		const out = await syncNoteEvent(run('exec-2', { policy: 'manualReview' }), change(note(15, 'Edited in Pipedrive')));
		expect(out.review).toEqual([expect.objectContaining({ field: 'note.content', pipedriveValue: 'Edited in Pipedrive', propstreetValue: 'Edited in Propstreet' })]);
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Edited in Propstreet']);
	});

	it('last write wins on a note edited on both sides: the later edit stays, the older one is not written', async () => {
		await syncNoteEvent(run(), change(note(21, 'Original'), 'create'));
		port.userRevise(CONTACT, port.heads(CONTACT)[0].id, 'Edited in Propstreet at 12:00');
		// The Pipedrive edit (11:00) is older than the Propstreet one: Propstreet's text is kept.
		const older = await syncNoteEvent(run('exec-3'), change(note(21, 'Edited in Pipedrive at 11:00')));
		expect(older.action).toBe('unchanged');
		expect(older.warnings.join(' ')).toMatch(/Propstreet's text of the note was kept/);
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Edited in Propstreet at 12:00']);
		// A later Pipedrive edit is a one-sided change since that sync: it revises the note.
		const newer = await syncNoteEvent(run('exec-4'), change(note(21, 'Edited in Pipedrive at 13:00', {}, '2026-05-01T13:00:00.000Z')));
		expect(newer.action).toBe('updated');
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Edited in Pipedrive at 13:00']);
	});

	it('a delete archives the linked note without reading the deleted body; a second delete does nothing', async () => {
		await syncNoteEvent(run(), change(note(16, 'To be removed'), 'create'));
		const out = await syncNoteEvent(run(), { side: 'pipedrive', action: 'delete', record: { id: 16 } });
		expect(out.action).toBe('unlinked');
		expect(out.written.propstreet).toEqual({ action: 'archive' });
		expect(port.heads(CONTACT)).toEqual([]);
		expect(port.rows[0].archived).toBe(true);
		expect(port.calls.create).toBe(1);
		const calls = port.total();
		expect((await syncNoteEvent(run(), { side: 'pipedrive', action: 'delete', record: { id: 16 } })).action).toBe('skipped');
		expect(port.total()).toBe(calls);
	});

	it('a delete keeps a note a Propstreet user edited since the last sync', async () => {
		await syncNoteEvent(run(), change(note(17, 'Shared'), 'create'));
		port.userRevise(CONTACT, port.heads(CONTACT)[0].id, 'Broker added details');
		const out = await syncNoteEvent(run(), { side: 'pipedrive', action: 'delete', record: { id: 17 } });
		expect(out.warnings.join(' ')).toMatch(/edited in Propstreet/);
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Broker added details']);
		expect(port.calls.archive).toBe(0);
	});

	it('two executions creating the same note at once make one note', async () => {
		const created = note(18, 'Only once');
		const outs = await Promise.all([syncNoteEvent(run('a'), change(created, 'create')), syncNoteEvent(run('b'), change(created))]);
		expect(outs.map((o) => o.action).sort()).toEqual(['created', 'unchanged']);
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Only once']);
		expect(store.all().filter((r) => r.status === 'linked')).toHaveLength(1);
	});

	it('a note with no synced record, or an empty one, writes nothing', async () => {
		expect((await syncNoteEvent(run(), change(note(19, 'Orphan', { person_id: 9999 }), 'create'))).action).toBe('skipped');
		expect((await syncNoteEvent(run(), change(note(20, '<p> </p>'), 'create'))).action).toBe('skipped');
		expect(port.calls.create).toBe(0);
		expect(store.all()).toEqual([]);
	});

	it('with the state lost, a repeated create or an edit takes over the existing note instead of adding a second one', async () => {
		const created = note(23, 'Kept once');
		await syncNoteEvent(run(), change(created, 'create'));
		store = new MemoryStateStore();
		port.keys.clear(); // the Idempotency-Key has expired too
		const repeat = await syncNoteEvent(run(), change(created, 'create'));
		expect(repeat.action).toBe('relinked');
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Kept once']);
		store = new MemoryStateStore();
		const edited = await syncNoteEvent(run(), { side: 'pipedrive', action: 'change', record: note(23, 'Kept once, then edited'), previous: { content: 'Kept once' } });
		expect(edited.action).toBe('updated');
		expect(edited.reason).toMatch(/Linked the existing Propstreet note/);
		expect(port.heads(CONTACT).map((r) => r.text)).toEqual(['Kept once, then edited']);
		expect(port.rows).toHaveLength(2);
	});

	it('follows a chain of revisions to its head', () => {
		const n = (id: string, supersedes: string | null) => ({ id, supersedes, text: id, etag: '', archived: false, at: null });
		expect(headOf([n('1', null), n('2', '1'), n('3', '2')], '1')?.id).toBe('3');
		expect(headOf([n('1', null)], '9')).toBeNull();
		// A timeline without superseded revisions still leads from the old id to the head.
		expect(headOf([n('3', '2'), n('2', '1')], '1')?.id).toBe('3');
		expect(encodeNoteRef(CONTACT, '7')).toBe('contact/5001/7');
		expect(decodeNoteRef('deal/1/2')).toBeNull();
	});
});

/**
 * Deal participants ⇄ project prospects in the interleaving, with the Sync node settings of the
 * bundled workflow 08. Users add and remove participants in Pipedrive (no webhook: the real Deal
 * Poll Trigger runs at random points and its deals go to the node), add, remove and classify
 * prospects in Propstreet (prospect webhooks) and edit the person's classification in Pipedrive.
 *
 * Judged from the operation log (README "08 Participants ⇄ Prospects", core/membership/presence.ts):
 * a membership only one side's users touched ends as that side's last add/remove left it, on both
 * sides; one both sides touched ends the same on both; one nobody touched keeps its install state;
 * a prospect whose contact has no person, and a participant whose person has no contact, are never
 * removed; the deal's primary person stays on the deal. The classification of a person on one deal
 * is a side's last edit (the conflict rule decides between both), and the person field shows it.
 * A second sweep right after writes nothing. Some polls carry the daily participation check.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { PipedriveDealPollTrigger } from '../../../nodes/PipedriveDealPollTrigger/PipedriveDealPollTrigger.node';
import { makePipedriveContext } from '../../nodes/pipedrive/context';
import { loadWorkflow } from '../contactsNotesKit';
import { linkedDeals } from './projects';
import { judgeField, pointsBack, syncWorkflow, type EntityModule, type SideName, type World } from './world';

type Op = 'add' | 'remove';
const CLASSES = ['not_contacted', 'contacted', 'interested', 'not_interested', 'bidder'] as const;
const labelOf = (code: string) => code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');
const PIPELINE = 'Nordic Transactions';

/** The Sync node's parameters in workflow 08 (its pipeline is an expression naming the poll trigger's setting). */
const BUNDLED = (() => {
	const node = loadWorkflow('08-prospects-participants.json').nodes.find((n) => n.type === 'n8n-nodes-propstreet.pipedrivePropstreetSync');
	if (!node) throw new Error('workflow 08 has no Sync node');
	const { authentication: _a, entity: _e, ...rest } = node.parameters as IDataObject;
	return { ...rest, pipeline: PIPELINE };
})();

/** Per seed: the users' membership operations, the state after install, the poll trigger's static data. */
interface Memory {
	ops: Map<string, Op[]>;
	initial: { pipedrive: Set<string>; propstreet: Set<string> } | null;
	poll: IDataObject;
	/** Persons and contacts seen linked at some action (a membership the sync saw linked may be removed once one of them is deleted). */
	everLinked: Set<string>;
}
const memories = new WeakMap<World, Memory>();
function memory(w: World): Memory {
	let m = memories.get(w);
	if (!m) memories.set(w, (m = { ops: new Map(), initial: null, poll: {}, everLinked: new Set() }));
	return m;
}
function record(w: World, key: string, op: Op): void {
	const ops = memory(w).ops;
	ops.set(key, [...(ops.get(key) ?? []), op]);
}

const contactKey = (w: World) => w.pd.fieldKey('person', 'propstreet_contact_id');
const classKey = (w: World) => w.pd.fieldKey('person', 'classification');

/** Person ⇄ contact pairs both sides agree on (the person names the contact, the live contact points back). */
function personLinks(w: World): { contactOf: Map<number, string>; personOf: Map<string, number> } {
	const contactOf = new Map<number, string>();
	const personOf = new Map<string, number>();
	for (const p of w.pd.persons()) {
		const id = String((p.custom_fields as IDataObject)[contactKey(w)] ?? '');
		const contact = id ? (w.ps.get('contact', id) as IDataObject | undefined) : undefined;
		if (!contact || contact.deletedUtc || !pointsBack(contact, p.id)) continue;
		contactOf.set(p.id as number, id);
		personOf.set(id, p.id as number);
	}
	return { contactOf, personOf };
}

const liveProspects = (w: World, projectId: string): IDataObject[] => (w.ps.state().prospects as IDataObject[]).filter((p) => p.projectId === projectId && !p.deletedUtc && p.contactId);
/** Persons on the deal: its participants and its primary person. */
function dealPersons(w: World, dealId: number): { primary: number | null; participants: number[] } {
	const deal = w.pd.deal(dealId)!;
	const primary = typeof deal.person_id === 'number' ? deal.person_id : null;
	return { primary, participants: w.pd.participants(dealId).map((p) => Number(p.person_id)) };
}

function snapshotMemberships(w: World): Memory['initial'] {
	const pipedrive = new Set<string>();
	const propstreet = new Set<string>();
	for (const deal of w.pd.deals()) {
		const { primary, participants } = dealPersons(w, deal.id as number);
		for (const person of [...participants, ...(primary ? [primary] : [])]) pipedrive.add(`${deal.id}:${person}`);
	}
	for (const p of w.ps.state().prospects as IDataObject[]) if (!p.deletedUtc && p.contactId) propstreet.add(`${p.projectId}:${p.contactId}`);
	return { pipedrive, propstreet };
}

function addParticipant(w: World, dealId: number, contactOf: Map<number, string>): void {
	const { primary, participants } = dealPersons(w, dealId);
	const free = w.pd.persons().filter((p) => p.id !== primary && !participants.includes(p.id as number));
	// Mostly persons that have a contact; some without one (pending until the contact sync links them, or for ever).
	const linked = free.filter((p) => contactOf.has(p.id as number));
	const person = w.rng.chance(0.85) && linked.length ? w.rng.pick(linked) : free.length ? w.rng.pick(free) : undefined;
	if (!person) return;
	w.pd.addParticipant(dealId, person.id as number);
	record(w, `pd:${dealId}:${person.id}`, 'add');
	w.trace(`PARTICIPANT + deal ${dealId} person ${person.id}`, dealId, person.id as number);
}

function removeParticipant(w: World, dealId: number): void {
	const { participants, primary } = dealPersons(w, dealId);
	const removable = participants.filter((p) => p !== primary);
	if (!removable.length) return;
	const person = w.rng.pick(removable);
	w.pd.removeParticipant(dealId, person);
	record(w, `pd:${dealId}:${person}`, 'remove');
	w.trace(`PARTICIPANT - deal ${dealId} person ${person}`, dealId, person);
}

function addProspect(w: World, projectId: string, personOf: Map<string, number>): void {
	const taken = new Set(liveProspects(w, projectId).map((p) => String(p.contactId)));
	const free = (w.ps.state().contacts as IDataObject[]).filter((c) => !c.deletedUtc && !taken.has(String(c.id)));
	const linked = free.filter((c) => personOf.has(String(c.id)));
	const contact = w.rng.chance(0.85) && linked.length ? w.rng.pick(linked) : free.length ? w.rng.pick(free) : undefined;
	if (!contact) return;
	const classification = w.rng.pick(CLASSES);
	w.ps.addProspect(projectId, { contactId: String(contact.id), classification });
	record(w, `ps:${projectId}:${contact.id}`, 'add');
	w.note(`cls:${projectId}:${contact.id}`, 'propstreet', classification);
	w.trace(`PROSPECT + project ${projectId} contact ${contact.id} (${classification})`, projectId, String(contact.id));
}

/** A user's prospect (not one Propstreet matched itself through the teaser). */
const userProspects = (w: World, projectId: string) => liveProspects(w, projectId).filter((p) => !p.teaser);

function removeProspect(w: World, projectId: string): void {
	const list = userProspects(w, projectId);
	if (!list.length) return;
	const prospect = w.rng.pick(list);
	w.ps.removeProspect(projectId, String(prospect.id));
	record(w, `ps:${projectId}:${prospect.contactId}`, 'remove');
	w.trace(`PROSPECT - project ${projectId} contact ${prospect.contactId}`, projectId, String(prospect.contactId));
}

function classifyProspect(w: World, projectId: string): void {
	const list = userProspects(w, projectId);
	if (!list.length) return;
	const prospect = w.rng.pick(list);
	const value = w.rng.pick(CLASSES);
	w.ps.classifyProspect(projectId, String(prospect.id), value);
	w.note(`cls:${projectId}:${prospect.contactId}`, 'propstreet', value);
	w.trace(`CLASSIFY prospect ${prospect.id} (project ${projectId}, contact ${prospect.contactId}) = ${value}`, projectId, String(prospect.contactId));
}

function classifyPerson(w: World, dealId: number): void {
	const { primary, participants } = dealPersons(w, dealId);
	// Pipedrive keeps a deleted person on the deal's lists; only a live one can be edited.
	const persons = [...participants, ...(primary ? [primary] : [])].filter((id) => w.pd.person(id) && !w.pd.person(id)!.is_deleted);
	if (!persons.length) return;
	const person = w.rng.pick(persons);
	const value = w.rng.pick(CLASSES);
	w.pd.updatePerson(person, { custom_fields: { [classKey(w)]: w.pd.optionId('person', 'classification', labelOf(value)) } });
	w.note(`pcls:${person}`, 'pipedrive', value);
	w.trace(`CLASSIFY person ${person} = ${value} (deal ${dealId})`, dealId, person);
}

function act(w: World): void {
	const mem = memory(w);
	// The first action comes after the install's backfill and settle: what both sides held then.
	mem.initial ??= snapshotMemberships(w);
	const deals = linkedDeals(w);
	if (!deals.length) return;
	const pair = w.rng.pick(deals);
	const links = personLinks(w);
	for (const [person, contact] of links.contactOf) mem.everLinked.add(`person:${person}`).add(`contact:${contact}`);
	const roll = w.rng.next();
	if (roll < 0.22) addParticipant(w, pair.dealId, links.contactOf);
	else if (roll < 0.37) removeParticipant(w, pair.dealId);
	else if (roll < 0.59) addProspect(w, pair.projectId, links.personOf);
	else if (roll < 0.74) removeProspect(w, pair.projectId);
	else if (roll < 0.87) classifyProspect(w, pair.projectId);
	else classifyPerson(w, pair.dealId);
}

/**
 * The Pipedrive Deal Poll Trigger's real poll, at a quarter of the batches: the deals whose participant
 * count or update time moved; a third of the polls fall on the participation check's tick (its item
 * then runs concurrently with everything else).
 */
async function polled(w: World): Promise<Array<{ side: SideName; item: INodeExecutionData }>> {
	if (!w.rng.chance(0.25)) return [];
	for (const [person, contact] of personLinks(w).contactOf) memory(w).everLinked.add(`person:${person}`).add(`contact:${contact}`);
	const { ctx } = makePipedriveContext({ baseUrl: `${w.bed.pd.url}/`, token: w.bed.pd.token });
	const sweepEveryHours = w.rng.chance(1 / 3) ? 0 : 24;
	(ctx.getNodeParameter as unknown as jest.Mock).mockImplementation((name: string, fallback: unknown) => ({ pipeline: PIPELINE, sweepEveryHours })[name] ?? fallback);
	Object.assign(ctx, { getWorkflowStaticData: () => memory(w).poll, getMode: () => 'trigger' });
	const out = await new PipedriveDealPollTrigger().poll.call(ctx as unknown as IPollFunctions);
	return (out?.[0] ?? []).map((item) => ({ side: 'pipedrive' as const, item: { json: item.json } }));
}

/** What the users' operations say a membership ends as: present, absent, or (both sides touched it) only "the same on both sides". */
function expectedPresence(w: World, deal: number, person: number, project: string, contact: string, primary: boolean): boolean | 'agree' {
	const { ops, initial } = memory(w);
	const pd = ops.get(`pd:${deal}:${person}`) ?? [];
	const ps = ops.get(`ps:${project}:${contact}`) ?? [];
	if (pd.length && ps.length) return 'agree';
	const last = [...pd, ...ps].pop();
	if (last) return last === 'add';
	const before = initial ? initial.pipedrive.has(`${deal}:${person}`) || initial.propstreet.has(`${project}:${contact}`) : false;
	// The primary person's membership the install saw only in Pipedrive is added to the project, like any other.
	return before || primary;
}

interface PairFacts {
	dealId: number;
	projectId: string;
	primary: number | null;
	participants: number[];
	prospects: IDataObject[];
}

function checkDuplicates(f: PairFacts): string[] {
	const problems: string[] = [];
	if (new Set(f.participants).size !== f.participants.length) problems.push(`deal ${f.dealId} lists a person twice among its participants: ${f.participants.join(', ')}`);
	const contacts = f.prospects.map((p) => String(p.contactId));
	if (new Set(contacts).size !== contacts.length) problems.push(`project ${f.projectId} has a contact twice among its prospects: ${contacts.join(', ')}`);
	return problems;
}

function checkMember(w: World, f: PairFacts, person: number, contact: string, byContact: Map<string, IDataObject>): string[] {
	if (w.merged.has(`person:${person}`)) return [];
	const prospect = byContact.get(contact);
	if (prospect?.teaser) return [];
	const primary = person === f.primary;
	const onDeal = primary || f.participants.includes(person);
	const onProject = !!prospect;
	const expected = expectedPresence(w, f.dealId, person, f.projectId, contact, primary);
	const label = `deal ${f.dealId} person ${person} ⇄ project ${f.projectId} contact ${contact}`;
	w.judged.set('prospect', (w.judged.get('prospect') ?? 0) + 1);
	if (primary) {
		// Pipedrive cannot remove a deal's primary person: a Propstreet removal leaves it on the deal.
		const psOps = memory(w).ops.get(`ps:${f.projectId}:${contact}`) ?? [];
		const want = psOps.length ? psOps[psOps.length - 1] === 'add' : expected === true;
		return onProject === want ? [] : [`${label} (primary person): prospect ${onProject ? 'present' : 'missing'}, Propstreet's users left it ${want ? 'present' : 'removed'}`];
	}
	if (expected === 'agree') return onDeal === onProject ? [] : [`${label}: on the deal ${onDeal}, on the project ${onProject} (both sides touched it; they must agree)`];
	if (onDeal !== expected || onProject !== expected) return [`${label}: users' last operation leaves it ${expected ? 'present' : 'absent'}, but deal has it ${onDeal}, project has it ${onProject}`];
	return [];
}

/** Persons whose memberships span more than one deal (in the install state or the log): their one Pipedrive value is not judged per deal. */
function multiDealPersons(w: World, dealOfProject: Map<string, number>, personOf: Map<string, number>): Set<number> {
	const { ops, initial } = memory(w);
	const deals = new Map<number, Set<string>>();
	const add = (person: number | undefined, deal: string) => person !== undefined && deals.set(person, (deals.get(person) ?? new Set()).add(deal));
	const keys = [...ops.keys(), ...[...(initial?.pipedrive ?? [])].map((k) => `pd:${k}`), ...[...(initial?.propstreet ?? [])].map((k) => `ps:${k}`)];
	for (const key of keys) {
		const [side, a, b] = key.split(':');
		if (side === 'pd') add(Number(b), `deal ${a}`);
		else add(personOf.get(b), dealOfProject.has(a) ? `deal ${dealOfProject.get(a)}` : `project ${a}`);
	}
	return new Set([...deals].filter(([, set]) => set.size > 1).map(([person]) => person));
}

function personClassification(w: World, personId: number): string | null {
	const value = (w.pd.person(personId)!.custom_fields as IDataObject)[classKey(w)];
	const field = w.pd.fields('person').find((x) => x.field_code === classKey(w)) as IDataObject;
	const option = ((field.options as IDataObject[]) ?? []).find((o) => String(o.id) === String(value));
	return option ? String(option.label).toLowerCase().replace(/ /g, '_') : null;
}

function checkClassification(w: World, f: PairFacts, person: number, prospect: IDataObject, multi: Set<number>): string[] {
	if (multi.has(person) || prospect.teaser || w.merged.has(`person:${person}`)) return [];
	const label = `deal ${f.dealId} person ${person} ⇄ prospect ${prospect.id}`;
	const problems: string[] = [];
	const personValue = personClassification(w, person);
	if (personValue !== prospect.classification) problems.push(`${label}: person classification ${personValue}, prospect ${prospect.classification} (one membership: they must agree)`);
	const edits = { pipedrive: w.log.get(`pcls:${person}`)?.pipedrive ?? [], propstreet: w.log.get(`cls:${f.projectId}:${prospect.contactId}`)?.propstreet ?? [] };
	const problem = edits.pipedrive.length || edits.propstreet.length ? judgeField(w, 'prospect', `${label} classification`, prospect.classification, edits) : undefined;
	if (problem) problems.push(problem);
	return problems;
}

/** Memberships whose person or contact never had a counterpart (pending all along): never removed by the sync. */
function checkPending(w: World, live: Set<string>, contactOf: Map<number, string>, personOf: Map<string, number>): string[] {
	const problems: string[] = [];
	const { ops: log, everLinked } = memory(w);
	for (const [key, ops] of log) {
		if (ops[ops.length - 1] !== 'add') continue;
		const [side, a, b] = key.split(':');
		if (everLinked.has(side === 'ps' ? `contact:${b}` : `person:${b}`)) continue;
		if (side === 'ps' && !personOf.has(b) && w.ps.get('contact', b) && !w.ps.get('contact', b).deletedUtc && w.ps.get('project', a) && !w.ps.get('project', a).deletedUtc && !live.has(`${a}:${b}`)) problems.push(`prospect of contact ${b} (no Pipedrive person) on project ${a} was removed; a pending prospect is never removed`);
		if (side === 'pd' && !contactOf.has(Number(b)) && w.pd.person(Number(b)) && !w.pd.person(Number(b))!.is_deleted && w.pd.deal(Number(a)) && !w.merged.has(`deal:${a}`) && !w.merged.has(`person:${b}`) && !w.pd.participants(Number(a)).some((p) => Number(p.person_id) === Number(b))) problems.push(`participant ${b} (no Propstreet contact) of deal ${a} was removed; a pending participant is never removed`);
	}
	return problems;
}

/** A second sweep right after the settled run writes nothing on either side. */
async function secondSweep(w: World): Promise<string[]> {
	// Successful writes only: a refused add (of a person deleted since its contact was linked) changes nothing.
	const pdWrites = () =>
		Object.entries(w.pd.stats().byRoute)
			.filter(([route]) => !route.startsWith('GET '))
			.reduce((sum, [, r]) => sum + Object.entries(r.statuses).filter(([status]) => Number(status) < 300).reduce((n, [, count]) => n + Number(count), 0), 0);
	const before = { pd: pdWrites(), ps: w.ps.countWrites() };
	const result = await w.bed.runJson(syncWorkflow(prospects, 'pipedrive'), [{ json: { sweep: true } }], { mode: 'webhook' });
	if (result.error) return [`second sweep failed: ${result.error.message}`];
	const after = { pd: pdWrites(), ps: w.ps.countWrites() };
	if (after.pd === before.pd && after.ps === before.ps) return [];
	return [`a second participant sweep wrote ${after.pd - before.pd} Pipedrive and ${after.ps - before.ps} Propstreet change(s): ${JSON.stringify(result.outputOf('Sync', 0).map((o) => o.json).filter((o) => (o.changes as unknown[] | undefined)?.length)).slice(0, 600)}`];
}

/** The membership and classification invariants on both simulators (no run of the node). */
export function checkMemberships(w: World): string[] {
	const problems: string[] = [];
	const { contactOf, personOf } = personLinks(w);
	const deals = linkedDeals(w).filter((d) => !w.merged.has(`deal:${d.dealId}`));
	const dealOfProject = new Map(deals.map((d) => [d.projectId, d.dealId]));
	const multi = multiDealPersons(w, dealOfProject, personOf);
	const live = new Set((w.ps.state().prospects as IDataObject[]).filter((p) => !p.deletedUtc).map((p) => `${p.projectId}:${p.contactId}`));
	for (const { dealId, projectId } of deals) {
		const f: PairFacts = { dealId, projectId, ...dealPersons(w, dealId), prospects: liveProspects(w, projectId) };
		problems.push(...checkDuplicates(f));
		const byContact = new Map(f.prospects.map((p) => [String(p.contactId), p]));
		const persons = new Set<number>([...f.participants, ...(f.primary ? [f.primary] : [])]);
		for (const p of f.prospects) if (personOf.has(String(p.contactId))) persons.add(personOf.get(String(p.contactId))!);
		for (const key of memory(w).ops.keys()) {
			const [side, a, b] = key.split(':');
			if (side === 'pd' && Number(a) === dealId) persons.add(Number(b));
			if (side === 'ps' && a === projectId && personOf.has(b)) persons.add(personOf.get(b)!);
		}
		for (const person of persons) {
			const contact = contactOf.get(person);
			if (!contact) continue;
			problems.push(...checkMember(w, f, person, contact, byContact));
			const prospect = byContact.get(contact);
			if (prospect && (f.participants.includes(person) || person === f.primary)) problems.push(...checkClassification(w, f, person, prospect, multi));
		}
	}
	problems.push(...checkPending(w, live, contactOf, personOf));
	return problems;
}

async function check(w: World): Promise<string[]> {
	const problems = checkMemberships(w);
	return problems.length ? problems : await secondSweep(w);
}

export const prospects: EntityModule = {
	entity: 'prospect',
	propstreetEvents: ['prospect.created', 'prospect.updated', 'prospect.deleted'],
	syncParameters: BUNDLED,
	weight: 1,
	act,
	// The install's "Sync Participants Now" and the backfill's daily sweep: every open deal of the pipeline.
	backfillItems: () => [{ side: 'pipedrive', item: { json: { sweep: true } } }],
	polled,
	check,
};

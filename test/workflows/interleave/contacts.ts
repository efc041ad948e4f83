/**
 * Persons ⇄ contacts in the interleaving: creates on both sides, edits of one record on both sides
 * in the same batch, deletes and Pipedrive merges; only Investor-labelled persons are synced.
 */
import type { IDataObject } from 'n8n-workflow';
import { buildContext, resolveConfig } from '../../../nodes/shared/core/mapping';
import { CONTACT_SPEC } from '../../../nodes/shared/core/twoWay/contactSpec';
import { planTwoWay, signaturesOf } from '../../../nodes/shared/core/twoWay/plan';
import { actOnPairs, duplicateClaims, editingSides, judgeField, pointsBack, type EntityModule, type SideName, type World } from './world';

export interface Pair {
	personId: number;
	contactId: string;
}

export const FIELDS = ['strategy', 'phone', 'lastName'] as const;

export const investorId = (w: World): number => w.pd.optionId('person', 'label_ids', 'Investor');
const strategyKey = (w: World): string => w.pd.fieldKey('person', 'investor_strategy');

export function linkedPairs(w: World): Pair[] {
	const key = w.pd.fieldKey('person', 'propstreet_contact_id');
	return w.pd
		.persons()
		.map((p) => ({ personId: p.id as number, contactId: String((p.custom_fields as IDataObject)[key] ?? '') }))
		.filter((p) => p.contactId && w.ps.get('contact', p.contactId) && !w.ps.get('contact', p.contactId).deletedUtc);
}

export function create(w: World): void {
	if (w.rng.chance(0.5)) w.ps.createContact({ firstName: 'New', lastName: w.unique('ps'), email: `${w.unique('mail')}@example.com`, strategy: w.unique('strategy'), tags: ['investor'] });
	else w.pd.createPerson({ name: `New ${w.unique('pd')}`, emails: [{ value: `${w.unique('mail')}@example.com`, primary: true }], label_ids: [investorId(w)] });
}

export function editField(w: World, pair: Pair, field: (typeof FIELDS)[number], side: SideName): void {
	const value = field === 'phone' ? `+4670${String(w.rng.int(10_000_000)).padStart(7, '0')}` : w.unique(field);
	w.note(`person:${pair.personId}:${field}`, side, value);
	w.trace(`EDIT ${side} ${field}=${value} (person ${pair.personId}, contact ${pair.contactId})`, pair.personId, pair.contactId);
	if (side === 'propstreet') {
		w.ps.updateContact(pair.contactId, field === 'strategy' ? { strategy: value } : field === 'phone' ? { phone: value } : { lastName: value });
		return;
	}
	const person = w.pd.person(pair.personId)!;
	const first = String(person.name ?? '').split(' ')[0] || 'X';
	const patch = field === 'strategy' ? { custom_fields: { [strategyKey(w)]: value } } : field === 'phone' ? { phones: [{ value, primary: true }] } : { name: `${first} ${value}` };
	w.pd.updatePerson(pair.personId, patch);
}

function act(w: World): void {
	actOnPairs(w, linkedPairs(w), {
		create: () => create(w),
		remove: (pair) => (w.rng.chance(0.5) ? w.pd.deletePerson(pair.personId) : w.ps.deleteContact(pair.contactId)),
		merge: (pair, into) => {
			w.merged.add(`person:${pair.personId}`).add(`person:${into.personId}`);
			w.pd.merge('person', pair.personId, into.personId);
		},
		edit: (pair) => {
			const field = w.rng.pick(FIELDS);
			for (const side of editingSides(w)) editField(w, pair, field, side);
		},
		keyOf: (pair) => `person:${pair.personId}:`,
	});
}

function describeDiff(w: World, p: IDataObject, contact: IDataObject, diff: IDataObject, config: ReturnType<typeof resolveConfig>, ctx: ReturnType<typeof buildContext>): string {
	const row = (w.bed.dt.rows('Propstreet sync state') as IDataObject[]).filter((r) => r.entity === 'contact' && r.pipedriveId === String(p.id));
	const sigs = { pd: signaturesOf(CONTACT_SPEC, 'pipedrive', p, config, ctx), ps: signaturesOf(CONTACT_SPEC, 'propstreet', contact, config, ctx) };
	return `person ${p.id} ⇄ contact ${contact.id} differ: ${JSON.stringify(diff)}\n  state: ${JSON.stringify(row)}\n  now: ${JSON.stringify(sigs)}`;
}

export function checkPerson(w: World, p: IDataObject, config: ReturnType<typeof resolveConfig>, ctx: ReturnType<typeof buildContext>): string[] {
	const contactId = String((p.custom_fields as IDataObject)[w.pd.fieldKey('person', 'propstreet_contact_id')] ?? '');
	const contact = contactId ? (w.ps.get('contact', contactId) as IDataObject | undefined) : undefined;
	if (!contact || contact.deletedUtc) return contactId ? [] : [`person ${p.id} has no contact`];
	const problems: string[] = [];
	if (!pointsBack(contact, p.id)) problems.push(`contact ${contactId} does not point back to person ${p.id}`);
	const plan = planTwoWay({ spec: CONTACT_SPEC, pipedrive: p, propstreet: contact, baseline: null, rules: { policy: 'lastWriteWins' }, eventSide: 'pipedrive', config, ctx });
	const diff = { ...plan.pipedrivePatch, ...plan.propstreetPatch };
	if (Object.keys(diff).length) problems.push(describeDiff(w, p, contact, diff as IDataObject, config, ctx));
	for (const field of FIELDS) {
		const value = field === 'strategy' ? contact.strategy : field === 'phone' ? contact.phone : contact.lastName;
		const problem = judgeField(w, 'contact', `person ${p.id} / contact ${contactId} ${field}`, value, w.log.get(`person:${p.id}:${field}`));
		if (problem) problems.push(problem);
	}
	return problems;
}

function check(w: World): string[] {
	const problems: string[] = [];
	const investors = w.pd.persons().filter((p) => ((p.label_ids as number[]) ?? []).includes(investorId(w)));
	const contacts = (w.ps.state().contacts as IDataObject[]).filter((c) => !c.deletedUtc && (c.tags as string[]).includes('investor'));
	problems.push(...duplicateClaims(contacts, 'person', 'contacts'));
	const config = resolveConfig({});
	const ctx = buildContext({ entity: 'contact', fieldDefinitions: w.pd.fields('person') });
	for (const p of investors) problems.push(...checkPerson(w, p as IDataObject, config, ctx));
	for (const c of contacts) if (!(c.externalRefs as IDataObject[]).some((r) => r.namespace === 'pipedrive')) problems.push(`investor contact ${c.id} has no Pipedrive person`);
	return problems;
}

export const contacts: EntityModule = {
	entity: 'contact',
	pipedriveObject: 'person',
	propstreetEvents: ['contact.created', 'contact.updated', 'contact.deleted'],
	syncParameters: { onlyWithLabel: 'Investor' },
	weight: 1,
	act,
	backfillItems: (w) => [
		...w.pd.persons().map((json) => ({ side: 'pipedrive' as const, item: { json: json as IDataObject } })),
		...(w.ps.state().contacts as IDataObject[]).filter((c) => !c.deletedUtc).map((json) => ({ side: 'propstreet' as const, item: { json } })),
	],
	check,
};

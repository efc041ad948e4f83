/**
 * The membership sync of one deal ⇄ project: hold the deal's lease, read both sides once, resolve
 * persons ⇄ contacts (state rows first, then the ids the records store), plan, carry out each step.
 * Runs for the same deal take turns, and each reads both sides only once it holds the lease, so a
 * second run (a duplicated delivery, a poll racing an event) finds everything done and writes
 * nothing.
 */
import { linkedRow } from '../syncState/claim';
import { idOnSide } from '../syncState/link';
import type { DealMember, ProjectProspect } from './model';
import { finish, newOutcome, type MembershipOutcome } from './outcome';
import { planMembership } from './plan';
import type { MembershipRun, MembershipTarget } from './ports';
import { holdDeal, membershipRows, releaseDeal } from './stateRows';
import { runStep } from './steps';

async function contactFor(run: MembershipRun, member: DealMember): Promise<string | null> {
	const link = linkedRow(await run.store.find('contact', 'pipedrive', member.personId));
	return (link && idOnSide(link, 'propstreet')) ?? member.contactId ?? (await run.ports.contactOfPerson(member.personId));
}

async function personFor(run: MembershipRun, prospect: ProjectProspect): Promise<string | null> {
	const link = linkedRow(await run.store.find('contact', 'propstreet', prospect.contactId));
	return (link && idOnSide(link, 'pipedrive')) ?? prospect.personId ?? (await run.ports.personOfContact(prospect.contactId));
}

/** Both sides' members, or the record that no longer exists. */
async function readSides(run: MembershipRun, target: MembershipTarget): Promise<{ members: DealMember[]; prospects: ProjectProspect[] } | { gone: string }> {
	const members = await run.ports.listMembers(target.dealId);
	if (!members) return { gone: `Pipedrive deal ${target.dealId}` };
	const prospects = await run.ports.listProspects(target.projectId);
	if (!prospects) return { gone: `Propstreet project ${target.projectId}` };
	for (const m of members) m.contactId = await contactFor(run, m);
	for (const p of prospects) p.personId = await personFor(run, p);
	return { members, prospects };
}

export async function syncMembership(run: MembershipRun, target: MembershipTarget): Promise<MembershipOutcome> {
	const out = newOutcome(target.dealId, target.projectId);
	const held = await holdDeal(run, target.dealId, target.projectId);
	try {
		const sides = await readSides(run, target);
		// Deleted (or merged away) after the pair's link was stored: the deal or project sync unlinks the pair when that event arrives.
		if ('gone' in sides) return { ...out, action: 'skipped', reason: `${sides.gone} no longer exists; nothing was written` };
		const { members, prospects } = sides;
		const rows = await membershipRows(run, target.dealId, members, prospects);
		for (const step of planMembership({ dealId: target.dealId, members, prospects, rows })) await runStep(run, target, step, out);
	} finally {
		// Given back after a failure too, so the next run need not wait out the lease.
		await releaseDeal(run, held).catch(() => undefined);
	}
	return finish(out);
}

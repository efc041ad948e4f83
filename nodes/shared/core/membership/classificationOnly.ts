/**
 * A Propstreet prospect's classification change on a membership the sync already links (issue 14):
 * merged and written like any pair (`steps.ts`, the same merge and conflict rule), but without
 * reading the deal's participants (20 tokens): the state row names the person, whose
 * classification is read on its own (1 token) before the write (5). The deal's lease is held as in
 * a full run, so it never races one.
 *
 * It handles only a change on the Propstreet side alone: the person's field must still hold what the
 * last sync left there (the row's baseline). Anything else (no linked row for this deal, the
 * prospect gone or removed meanwhile, the person field moved since: a Pipedrive edit, or the sync's
 * write for another project, which the full run tells apart) answers null, and the caller runs the
 * full membership sync. What it trades: a
 * person removed from the deal in Pipedrive since the last poll still gets the classification
 * written (the person field is shared by all the person's deals anyway); the next poll, which sees
 * the count change, removes the prospect as usual.
 */
import { CLASSIFICATION_FIELD, pairKey } from './model';
import { finish, newOutcome, type MembershipOutcome } from './outcome';
import type { MembershipRun, MembershipTarget } from './ports';
import { holdDeal, releaseDeal } from './stateRows';
import { runStep } from './steps';

/** The person of a membership row of this deal (`<dealId>:<personId>`); undefined for another deal's row. */
function personOfRow(pipedriveId: string | null, dealId: string): string | undefined {
	const prefix = pairKey(dealId, '');
	return pipedriveId?.startsWith(prefix) && pipedriveId.length > prefix.length ? pipedriveId.slice(prefix.length) : undefined;
}

export async function syncProspectClassification(run: MembershipRun, target: MembershipTarget, prospectId: string): Promise<MembershipOutcome | null> {
	const held = await holdDeal(run, target.dealId, target.projectId);
	try {
		// Read once the lease is held, so a run that just finished is seen.
		const row = (await run.store.find('prospect', 'propstreet', prospectId)).find((r) => r.status === 'linked');
		const personId = row && personOfRow(row.pipedriveId, target.dealId);
		if (!row || !personId) return null;
		const prospect = (await run.ports.listProspects(target.projectId))?.find((p) => p.prospectId === prospectId);
		if (!prospect) return null;
		// Only a change on the Propstreet side alone: a person field that moved since the last sync (a
		// Pipedrive edit, or the sync's write for another project) needs the full run's reading of it.
		const person = await run.ports.readPersonClassification(personId);
		if (!person || (person.value ?? '') !== (row.baseline?.pipedrive[CLASSIFICATION_FIELD] ?? null)) return null;
		const out = newOutcome(target.dealId, target.projectId);
		const member = { personId, participantId: null, primary: false, contactId: prospect.contactId, classification: person.value, updatedAt: person.updatedAt };
		await runStep(run, target, { kind: 'pair', member, prospect: { ...prospect, personId }, row }, out);
		return finish(out);
	} finally {
		await releaseDeal(run, held).catch(() => undefined);
	}
}

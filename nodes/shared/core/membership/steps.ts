/**
 * Carries out one step of the membership plan: the writes on the side that lacks the change, then
 * the state row (inserted for a new link, its baseline moved for a merged classification, removed
 * after a removal went through). A step that fails leaves its row as it was, so the next run
 * repeats it; a repeated removal finds the member gone and counts as done.
 */
import type { Side } from '../merge/policy';
import type { LinkState } from '../syncState/link';
import { mergeWithReview, saveClassificationReview } from './classificationReview';
import { CLASSIFICATION_FIELD, pairKey, type DealMember, type ProjectProspect } from './model';
import { noteDecision, type MembershipOutcome } from './outcome';
import type { MembershipStep } from './plan';
import type { MembershipRun, MembershipTarget } from './ports';
import { lastWrittenTo, rememberPersonWrite } from './stateRows';

interface PairInput {
	member: DealMember;
	prospect: ProjectProspect;
	row?: LinkState;
	newFrom?: Side;
}

async function personValue(run: MembershipRun, member: DealMember): Promise<{ value: string | null; updatedAt: string | null }> {
	if (member.classification !== undefined) return { value: member.classification, updatedAt: member.updatedAt ?? null };
	return (await run.ports.readPersonClassification(member.personId)) ?? { value: null, updatedAt: null };
}

/** Merges the classification of a linked membership, writes it where it changed, stores the baseline. */
async function syncPairState(run: MembershipRun, target: MembershipTarget, pair: PairInput, out: MembershipOutcome): Promise<void> {
	const { member, prospect, row } = pair;
	const person = await personValue(run, member);
	const base = row?.baseline ?? null;
	const pd = person.value ?? '';
	// Only then can the sync's own write for another project matter (see classification.ts).
	const askWritten = base ? (base.pipedrive[CLASSIFICATION_FIELD] ?? '') !== pd : pd !== '' && pd !== (prospect.classification ?? '');
	// A stored link has its row in the review queue; a first link has no pair to name yet.
	const ids = row?.pipedriveId && row.propstreetId ? { pipedriveId: row.pipedriveId, propstreetId: row.propstreetId } : null;
	const { merged, entries } = await mergeWithReview(run, ids, {
		pipedrive: person.value,
		propstreet: prospect.classification,
		baseline: base,
		lastWrittenToPerson: askWritten ? await lastWrittenTo(run, member.personId) : undefined,
		newFrom: pair.newFrom,
		rules: run.rules,
		times: { pipedrive: person.updatedAt, propstreet: prospect.updatedAt ?? null },
		eventSide: target.eventSide,
	});
	const review = merged.decision.action === 'review' ? { field: CLASSIFICATION_FIELD, reason: merged.decision.reason, pipedriveValue: person.value, propstreetValue: prospect.classification } : null;
	noteDecision(out, merged.decision, review);
	const values = { pipedrive: person.value, propstreet: prospect.classification };
	if (merged.write.propstreet) {
		if (await run.ports.setProspectClassification(target.projectId, prospect, merged.write.propstreet)) {
			values.propstreet = merged.write.propstreet;
			out.changes.push({ change: 'classifiedProspect', prospectId: prospect.prospectId, personId: member.personId, value: values.propstreet });
			// The person's value was taken as a Pipedrive user's edit: what the sync wrote there before is
			// forgotten, so that older value coming back later counts as an edit too, not as our own write.
			if ((await lastWrittenTo(run, member.personId)) !== undefined) await rememberPersonWrite(run, member.personId, null);
		} else {
			out.warnings.push(`Prospect ${prospect.prospectId} changed while it was synced; its classification is merged again at the next run`);
			return;
		}
	}
	if (merged.write.pipedrive) {
		await run.ports.setPersonClassification(member.personId, merged.write.pipedrive);
		await rememberPersonWrite(run, member.personId, merged.write.pipedrive);
		values.pipedrive = merged.write.pipedrive;
		out.changes.push({ change: 'classifiedPerson', personId: member.personId, value: values.pipedrive });
	}
	await storePair(run, target, pair, merged.baselineAfter(values, { pipedrive: person.updatedAt, propstreet: prospect.updatedAt ?? null }), out);
	await saveClassificationReview(run, ids, row, entries, merged.decision, values);
}

async function storePair(run: MembershipRun, target: MembershipTarget, pair: PairInput, baseline: LinkState['baseline'], out: MembershipOutcome): Promise<void> {
	const ids = { pipedriveId: pairKey(target.dealId, pair.member.personId), propstreetId: pair.prospect.prospectId };
	const row = pair.row;
	const same = row && row.propstreetId === ids.propstreetId && JSON.stringify(row.baseline) === JSON.stringify(baseline);
	if (same) return;
	if (!row) {
		await run.store.insert({ entity: 'prospect', ...ids, status: 'linked', baseline, owner: null });
		if (!pair.newFrom) out.changes.push({ change: 'linked', personId: pair.member.personId, prospectId: ids.propstreetId });
		return;
	}
	if (!(await run.store.update(row.rowId, row.version, { ...ids, baseline }))) {
		out.warnings.push(`Membership ${ids.pipedriveId} ⇄ ${ids.propstreetId}: its state row changed meanwhile; the next run merges again`);
	}
}

/** The other side's record was deleted after its link was stored: nothing is written; the record sync unlinks it when that delete arrives. */
function goneCounterpart(out: MembershipOutcome, side: 'pipedrive' | 'propstreet', id: string, what: string): void {
	out.pending.push({ side, id, reason: `${what}; nothing was added (its link goes once the delete is synced)` });
}

export async function runStep(run: MembershipRun, target: MembershipTarget, step: MembershipStep, out: MembershipOutcome): Promise<void> {
	switch (step.kind) {
		case 'pair':
			return syncPairState(run, target, step, out);
		case 'addProspect': {
			const { member } = step;
			// The key names everything the request body carries: a Pipedrive person merge keeps the participant record but changes its person.
			const source = member.participantId ? `pd-participant-${target.dealId}-${member.participantId}` : `pd-deal-${target.dealId}`;
			const prospect = await run.ports.addProspect(target.projectId, member.contactId, member.personId, `${source}-person-${member.personId}-contact-${member.contactId}`);
			if (!prospect) return goneCounterpart(out, 'pipedrive', pairKey(target.dealId, member.personId), `Propstreet contact ${member.contactId} (or project ${target.projectId}) no longer exists`);
			out.changes.push({ change: 'addedProspect', personId: step.member.personId, contactId: step.member.contactId, prospectId: prospect.prospectId });
			return syncPairState(run, target, { member: step.member, prospect, newFrom: 'pipedrive' }, out);
		}
		case 'addParticipant': {
			const added = await run.ports.addParticipant(target.dealId, step.prospect.personId);
			if (!added) return goneCounterpart(out, 'propstreet', step.prospect.prospectId, `Pipedrive person ${step.prospect.personId} no longer exists`);
			const { participantId } = added;
			out.changes.push({ change: 'addedParticipant', personId: step.prospect.personId, contactId: step.prospect.contactId, prospectId: step.prospect.prospectId });
			const member: DealMember = { personId: step.prospect.personId, participantId, primary: false, contactId: step.prospect.contactId };
			return syncPairState(run, target, { member, prospect: step.prospect, newFrom: 'propstreet' }, out);
		}
		case 'removeParticipant':
			await run.ports.removeParticipant(target.dealId, step.member.participantId as string);
			await run.store.remove(step.row.rowId);
			out.changes.push({ change: 'removedParticipant', personId: step.member.personId, prospectId: step.row.propstreetId ?? undefined });
			return;
		case 'removeProspect':
			await run.ports.removeProspect(target.projectId, step.prospect.prospectId);
			await run.store.remove(step.row.rowId);
			out.changes.push({ change: 'removedProspect', prospectId: step.prospect.prospectId, contactId: step.prospect.contactId });
			return;
		case 'keepPrimary':
			await run.store.update(step.row.rowId, step.row.version, { status: 'unlinked' });
			out.warnings.push(`Person ${step.member.personId} was removed from project ${target.projectId}, but is the deal's primary person, which Pipedrive does not let us remove; change the deal's person by hand`);
			return;
		case 'pending':
			out.pending.push({ side: step.side, id: step.id, reason: step.reason });
			return;
		case 'skip':
			return;
	}
}

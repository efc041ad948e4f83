/**
 * The membership sync's rows in the sync state (entity `prospect`):
 * - one per membership it has seen linked: `<dealId>:<personId>` ⇄ prospect id, with the
 *   classification baseline; removed once a removal went through on both sides, `unlinked` as a
 *   tombstone when it could not (a deal's primary person);
 * - one per deal, `deal:<dealId>` ⇄ `project:<projectId>`: the lease that lets one execution at a
 *   time sync the deal's memberships (`twoWay/lease.ts`), so duplicated or concurrent deliveries
 *   for one project never write the same change twice;
 * - one per person the sync wrote a classification to, `person:<personId>`: the value written,
 *   which tells the sync's own writes from a user's edit (see `classification.ts`).
 */
import { acquireLease, type LeaseRun } from '../twoWay/lease';
import { awaitLink, claimCreation } from '../syncState/claim';
import type { LinkState } from '../syncState/link';
import { CLASSIFICATION_FIELD, pairKey, type DealMember, type MembershipRows, type ProjectProspect } from './model';
import type { MembershipRun } from './ports';

const leaseRun = (run: MembershipRun): LeaseRun => ({ ...run, spec: { entity: 'prospect' } });

/** The deal's lease row, held by this run; created on the deal's first sync (one creator wins). */
export async function holdDeal(run: MembershipRun, dealId: string, projectId: string): Promise<LinkState> {
	const id = `deal:${dealId}`;
	const claim = await claimCreation(run.store, { entity: 'prospect', side: 'pipedrive', id, owner: run.owner, now: run.now(), wait: run.wait });
	let row: LinkState | null;
	if (claim.kind === 'won') {
		row = await run.store.update(claim.claim.rowId, claim.claim.version, { status: 'linked', propstreetId: `project:${projectId}`, owner: run.owner });
	} else {
		const start = claim.kind === 'linked' ? claim.link : await awaitLink(run.store, { entity: 'prospect', side: 'pipedrive', id }, run.wait);
		row = start ? await acquireLease(leaseRun(run), start) : null;
	}
	if (!row) throw new Error(`Deal ${dealId}: another execution was syncing its participants and did not finish; the next run will sync them`);
	return row;
}

export async function releaseDeal(run: MembershipRun, row: LinkState): Promise<void> {
	await run.store.update(row.rowId, row.version, { owner: null });
}

/** Every state row of the memberships in hand, by person and by prospect. */
export async function membershipRows(run: MembershipRun, dealId: string, members: DealMember[], prospects: ProjectProspect[]): Promise<MembershipRows> {
	const rows: MembershipRows = { byPerson: new Map(), byProspect: new Map() };
	for (const m of members) rows.byPerson.set(m.personId, await run.store.find('prospect', 'pipedrive', pairKey(dealId, m.personId)));
	for (const p of prospects) rows.byProspect.set(p.prospectId, await run.store.find('prospect', 'propstreet', p.prospectId));
	return rows;
}

function personRowId(personId: string): string {
	return `person:${personId}`;
}

/** What the sync last wrote to the person's classification field; undefined when it never did. */
export async function lastWrittenTo(run: MembershipRun, personId: string): Promise<string | null | undefined> {
	const [row] = await run.store.find('prospect', 'pipedrive', personRowId(personId));
	return row?.baseline ? (row.baseline.pipedrive[CLASSIFICATION_FIELD] ?? undefined) : undefined;
}

/** `null`: forget it (a user's edit was seen since, so that older value is no longer the sync's own). */
export async function rememberPersonWrite(run: MembershipRun, personId: string, value: string | null): Promise<void> {
	const written: Record<string, string> = value === null ? {} : { [CLASSIFICATION_FIELD]: value };
	const baseline = { pipedrive: written, propstreet: {}, at: { pipedrive: run.now().toISOString() } };
	for (let attempt = 0; attempt < 3; attempt++) {
		const [row] = await run.store.find('prospect', 'pipedrive', personRowId(personId));
		if (!row) {
			await run.store.insert({ entity: 'prospect', pipedriveId: personRowId(personId), propstreetId: null, status: 'linked', baseline, owner: null });
			return;
		}
		if (await run.store.update(row.rowId, row.version, { baseline })) return;
	}
}

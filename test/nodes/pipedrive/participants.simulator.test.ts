/** Deal participant calls (shared/pipedrive/participants.ts) against the Pipedrive simulator. */
import { addDealParticipant, listDealParticipants, listDeals, removeDealParticipant } from '../../../nodes/shared/pipedrive';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';
import { pipedriveIdFor } from '../../simulators/seed/ids';
import { makePipedriveContext } from './context';

describe('Pipedrive participant calls', () => {
	let sim: PipedriveSimulator;
	const kista = pipedriveIdFor('deal', 'kista');
	const sigrid = pipedriveIdFor('person', 'sigrid');
	beforeEach(async () => {
		sim = await startPipedriveSimulator({ seed: true });
	});
	afterEach(async () => sim.close());
	const ctx = () => makePipedriveContext({ baseUrl: `${sim.url}/`, token: sim.token }).ctx;

	it('adds a participant; adding the same person again answers the existing record instead of failing', async () => {
		const added = await addDealParticipant(ctx(), kista, sigrid);
		const again = await addDealParticipant(ctx(), kista, sigrid);
		expect(again.id).toBe(added.id);
		expect(sim.control.participants(kista).filter((p) => Number(p.person_id) === sigrid)).toHaveLength(1);
	});

	it('removes a participant once; a repeated removal (404) answers false instead of failing', async () => {
		const added = await addDealParticipant(ctx(), kista, sigrid);
		expect(await removeDealParticipant(ctx(), kista, added.id)).toBe(true);
		expect(await removeDealParticipant(ctx(), kista, added.id)).toBe(false);
		expect((await listDealParticipants(ctx(), kista)).map((p) => (p.person_id as { value: number }).value)).not.toContain(sigrid);
	});

	it('lists the open deals of a pipeline with participants_count in one call', async () => {
		const pipeline = sim.control.deals().find((d) => Number(d.id) === kista)!.pipeline_id;
		sim.control.resetStats();
		const deals = await listDeals(ctx(), { pipeline_id: pipeline as number, status: 'open', include_fields: 'participants_count' });
		expect(deals.find((d) => d.id === kista)?.participants_count).toBe(sim.control.participants(kista).length);
		expect(sim.control.stats().total).toBe(1);
	});
});

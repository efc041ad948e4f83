/**
 * One switch to OAuth2: the "Propstreet account" credential is edited once to client credentials
 * (as a user does in n8n's Credentials), and the bundled workflows, loaded unchanged, run on it: a
 * contact (02), a deal (06) and the backfill (10). Every Propstreet call goes out with the client's
 * token, which is fetched once for all three workflows and renewed once after it expires.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { bindingFor } from '../../nodes/PipedrivePropstreetSync/entities';
import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { pipedriveEvents, startBed, type Bed } from './contactsNotesKit';

const CLIENT = { clientId: 'n8n-sync-bot', clientSecret: 'n8n-sync-bot-secret' };
const LIFETIME_SEC = 3600;
const TOKEN_ROUTE = 'POST /openid/token';

jest.setTimeout(120_000);

let bed: Bed;
beforeEach(async () => {
	bed = await startBed({
		pipedriveEntities: ['person', 'deal'],
		pipedriveDirect: true,
		propstreet: { oauthClients: [CLIENT], tokenExpiresInSec: LIFETIME_SEC, rateLimit: { oauth: 100_000 } },
	});
	// The one edit: the Propstreet credential's Type becomes OAuth2 client credentials.
	bed.credentials.propstreetApi = { authType: 'clientCredentials', ...CLIENT, baseUrl: bed.ps.url };
});
afterEach(async () => bed.close());

const ps = () => bed.ps.control;
const items = (events: IDataObject[]): INodeExecutionData[] => events.map((json) => ({ json }));
async function pdEventsOf(act: () => void) {
	const from = bed.pdHooks.received.length;
	act();
	return pipedriveEvents(bed, from);
}
async function runOk(file: string, pinned: INodeExecutionData[], options: { startNode?: string; mode?: 'webhook' | 'manual' } = {}) {
	const result = await bed.run(file, pinned, options);
	if (result.error) throw new Error(`${file} failed at ${result.run.data.resultData.lastNodeExecuted}: ${result.error.message}`);
	return result;
}
const contactByRef = (personId: number) =>
	ps().state().contacts.find((c) => !c.deletedUtc && ((c.externalRefs as IDataObject[]) ?? []).some((r) => r.namespace === 'pipedrive' && r.id === String(personId)));

async function contactWorkflow(name: string): Promise<{ personId: number; outcome: IDataObject }> {
	const investor = bed.pd.control.optionId('person', 'label_ids', 'Investor');
	const events = await pdEventsOf(() => void bed.pd.control.createPerson({ name, emails: [{ value: `${name.split(' ')[0].toLowerCase()}@oauth.example`, primary: true, label: 'work' }], label_ids: [investor] }));
	const personId = Number((events[0].meta as IDataObject).entity_id);
	const result = await runOk('02-contacts-pipedrive-to-propstreet.json', items(events));
	return { personId, outcome: result.outputOf('Sync Contact')[0]?.json ?? {} };
}

describe('bundled workflows on the Propstreet credential switched to OAuth2 client credentials', () => {
	it('a contact (02), a deal (06) and the backfill (10) run; one token serves all three, renewed once after expiry', async () => {
		// 02: a new investor in Pipedrive becomes a linked Propstreet contact.
		const hanna = await contactWorkflow('Hanna Virtanen');
		expect(hanna.outcome).toMatchObject({ action: 'created', pipedriveId: String(hanna.personId) });
		const contact = contactByRef(hanna.personId);
		expect(contact).toMatchObject({ firstName: 'Hanna', lastName: 'Virtanen' });
		expect((bed.pd.control.person(hanna.personId)!.custom_fields as IDataObject)[bed.pd.control.fieldKey('person', 'propstreet_contact_id')]).toBe(contact!.id);

		// 06: a deal's stage change sets the linked project's classification.
		const dealId = pipedriveIdFor('deal', 'kista');
		const projectId = propstreetIdFor('project', 'kista');
		bed.pd.control.advanceClock(5_000);
		const dealEvents = (await pdEventsOf(() => void bed.pd.control.moveDealToStage(dealId, 'Lead In'))).filter((e) => (e.meta as IDataObject).entity === 'deal');
		const deal = await runOk('06-deals-pipedrive-to-propstreet.json', items(dealEvents));
		expect(deal.outputOf('Sync Project')[0]?.json).toMatchObject({ entity: 'project', pipedriveId: String(dealId), propstreetId: projectId });
		expect(ps().get('project', projectId)).toMatchObject({ classification: 'draft' });
		expect(bed.pd.control.deal(dealId)!.stage_id).toBe(bed.pd.control.stageId('Lead In'));

		// 10: the backfill sweeps every entity on both sides without an error.
		const missing = ['company', 'project'].filter((e) => !bindingFor(e));
		const backfill = await bed.run('10-backfill-reconcile.json', [{ json: {} }], { startNode: 'Run Backfill', mode: 'manual' });
		const summary = backfill.outputOf('Summary')[0]?.json as { errors: string[]; sweeps: IDataObject[] } | undefined;
		expect(summary).toBeDefined();
		expect(summary!.sweeps.map((sweep) => sweep.error ?? null)).toEqual(summary!.sweeps.map(() => null));
		expect(summary!.sweeps.length).toBe(6);
		expect(summary!.sweeps.every((sweep) => Number(sweep.listed) > 0)).toBe(true);
		expect(summary!.errors.filter((e) => !missing.some((m) => e.includes(`Entity "${m}"`)))).toEqual([]);
		if (!missing.length) expect(backfill.error).toBeUndefined();
		// After the backfill every linked contact still has one Propstreet record with its Pipedrive reference.
		expect(contactByRef(hanna.personId)?.id).toBe(contact!.id);

		// Every Propstreet call used the client's token; it was fetched once for all three workflows.
		expect(ps().countRequests({ client: 'pat' })).toBe(0);
		expect(ps().countRequests({ client: CLIENT.clientId })).toBeGreaterThan(10);
		expect(ps().countRequests({ route: TOKEN_ROUTE })).toBe(1);
		expect(ps().countRequests({ status: 401 })).toBe(0);

		// The token expires; the next run renews it once and succeeds.
		ps().advanceClock((LIFETIME_SEC + 60) * 1000);
		const ingrid = await contactWorkflow('Ingrid Lund');
		expect(ingrid.outcome).toMatchObject({ action: 'created' });
		expect(contactByRef(ingrid.personId)).toMatchObject({ firstName: 'Ingrid', lastName: 'Lund' });
		expect(ps().countRequests({ route: TOKEN_ROUTE })).toBe(2);
		expect(ps().countRequests({ client: 'pat' })).toBe(0);
	});
});

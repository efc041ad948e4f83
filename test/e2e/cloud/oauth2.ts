/**
 * Propstreet on n8n's generic OAuth2 credential (client-credentials grant) instead of Header Auth,
 * as README tells a Cloud user: the sync loop (00), which makes every Propstreet call of a record
 * event, has its Propstreet HTTP Request nodes switched through n8n's API (`useOAuth2ForPropstreet`: by node type and auth
 * parameters) and published again; one new person then reaches Propstreet with a token n8n fetched
 * from the simulator's token endpoint, and no call uses the personal token. The workflow is put
 * back afterwards. Registered by cloud.e2e.test.ts on its running stack.
 */
import { CLOUD_CREDENTIALS, STACK_OAUTH_CLIENT, useOAuth2ForPropstreet, type Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';
import { reconfigureWorkflow, restoreWorkflow } from '../queuePolls';

const TOKEN_ROUTE = 'POST /openid/token';

export function registerOAuth2(getStack: () => Stack): void {
	const { ps, pd, refOf } = contactRecords(getStack);

	describe('n8n Cloud edition: Propstreet through the generic OAuth2 credential (client credentials)', () => {
		test('a person created in Pipedrive reaches Propstreet with a client-credentials token once the loop is switched', async () => {
			const stack = getStack();
			// Every Propstreet call of a record event is made by the loop (00) that 02 calls.
			const personFlows = [stack.workflow('00-cloud-sync-record.json')];
			expect(personFlows[0].active).toBe(true);
			const switched: string[] = [];
			const stored = [];
			for (const flow of personFlows) {
				stored.push({
					key: flow.id,
					before: await reconfigureWorkflow(stack, flow.id, (node) => {
						const result = useOAuth2ForPropstreet({ nodes: [structuredClone(node)] });
						switched.push(...result.switched);
						return result.workflow.nodes[0] as typeof node;
					}),
				});
			}
			try {
				expect(switched.length).toBeGreaterThan(0);
				const switchedFlow = await stack.n8n.api<{ nodes: Array<{ name: string; credentials?: Record<string, { id?: string }> }> }>('GET', `/workflows/${personFlows[0].id}`);
				expect(switchedFlow.nodes.filter((n) => n.credentials?.oAuth2Api?.id === CLOUD_CREDENTIALS.propstreetOAuth2.id).length).toBeGreaterThan(0);
				expect(switchedFlow.nodes.filter((n) => n.credentials?.httpHeaderAuth?.id === CLOUD_CREDENTIALS.propstreetHeader.id)).toEqual([]);

				const from = ps().requests().length;
				const investor = pd().optionId('person', 'label_ids', 'Investor');
				const person = pd().createPerson({ name: 'Ylva Oauth', first_name: 'Ylva', last_name: 'Oauth', emails: [{ value: 'ylva.oauth@e2e.example', primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
				const contact = await stack.waitFor(() => ps().state().contacts.find((c: Rec) => refOf(c) === String(person.id)) as Rec | undefined, { what: 'the Propstreet contact of the new person', timeoutMs: 90000 });
				expect(contact).toMatchObject({ firstName: 'Ylva', lastName: 'Oauth', email: 'ylva.oauth@e2e.example' });
				await stack.settle({ quietMs: 3000 });
				const rows = (await stack.syncStateRows()).filter((r) => r.entity === 'contact' && r.pipedriveId === String(person.id));
				expect(rows.map((r) => ({ propstreetId: r.propstreetId, status: r.status }))).toEqual([{ propstreetId: contact.id, status: 'linked' }]);

				// The calls of this sync: a token from the client-credentials endpoint, then only that client's token.
				const calls = (ps().requests() as Rec[]).slice(from).filter((e) => !String(e.path).startsWith('/__control') && e.client !== 'propstreet-sim-client');
				expect(calls.filter((e) => e.route === TOKEN_ROUTE && e.status === 200).length).toBeGreaterThanOrEqual(1);
				const apiCalls = calls.filter((e) => e.route !== TOKEN_ROUTE && String(e.path).includes('/contacts'));
				expect(apiCalls.length).toBeGreaterThan(0);
				expect([...new Set(apiCalls.map((e) => e.client))]).toEqual([STACK_OAUTH_CLIENT.clientId]);
			} finally {
				for (const { key, before } of stored) await restoreWorkflow(stack, key, before);
			}
		}, 300000);
	});
}

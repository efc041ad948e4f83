/**
 * The bundled workflows in a real n8n 2.x with the one "Propstreet account" credential set to OAuth2
 * client credentials (the only difference from sync.e2e: the credential's Type and client). The
 * workflows are imported unchanged; n8n's preAuthentication fetches the token, n8n stores it in the
 * credential, and every Propstreet call (webhook registration on activation, the Sync node, the
 * backfill) goes out with it. After Propstreet revokes the token, the next sync renews it.
 */
import * as path from 'path';

import { pipedriveIdFor, propstreetIdFor } from '../simulators/seed/ids';
import { bundledWorkflowFiles, startStack, STACK_OAUTH_CLIENT, type Stack } from '../harness/stack';
import { bindingFor } from '../../nodes/PipedrivePropstreetSync/entities';

type Rec = Record<string, unknown>;

let stack: Stack;
const ps = () => stack.propstreet.control;
const pd = () => stack.pipedrive.control;
const TOKEN_ROUTE = 'POST /openid/token';
/** Error handler, contacts both ways, backfill. */
const FILES = ['00-', '02-', '03-', '10-'];

function pdCustom(record: Rec | undefined, name: string): unknown {
	const value = ((record?.custom_fields ?? {}) as Rec)[pd().fieldKey('person', name)];
	return value && typeof value === 'object' && 'value' in (value as Rec) ? (value as Rec).value : value;
}
const contactByRef = (personId: number) =>
	ps()
		.state()
		.contacts.find((c) => !c.deletedUtc && ((c.externalRefs as Array<{ namespace: string; id: string }>) ?? []).some((r) => r.namespace === 'pipedrive' && r.id === String(personId)));

async function failures(since: number): Promise<string[]> {
	const out: string[] = [];
	for (const wf of stack.workflows) {
		for (const ex of await stack.n8n.executions({ workflowId: wf.id })) {
			if (new Date(ex.startedAt).getTime() < since - 1000 || ex.status === 'success') continue;
			const full = await stack.n8n.execution(ex.id);
			out.push(`${wf.fileName} #${ex.id} ${ex.status}: ${full.data?.resultData?.error?.message ?? ''}`);
		}
	}
	return out;
}

beforeAll(async () => {
	const files = bundledWorkflowFiles().filter((f) => FILES.some((prefix) => path.basename(f).startsWith(prefix)));
	stack = await startStack({ seed: true, label: 'n8n-e2e-oauth', workflowFiles: files, propstreetAuth: 'clientCredentials' });
}, 600000);

afterAll(async () => {
	await stack?.stop();
}, 120000);

describe('bundled workflows on the Propstreet credential with OAuth2 client credentials (real n8n)', () => {
	test('activation registered the Propstreet webhook with the client token; no personal token was used', () => {
		expect(stack.activationErrors).toEqual({});
		expect(stack.workflows.filter((w) => w.activatable && !w.active).map((w) => w.fileName)).toEqual([]);
		expect(ps().countRequests({ route: 'POST /api/v1/webhooks', client: STACK_OAUTH_CLIENT.clientId })).toBeGreaterThanOrEqual(1);
		expect(ps().countRequests({ client: 'pat' })).toBe(0);
		expect(ps().countRequests({ route: TOKEN_ROUTE, status: 200 })).toBeGreaterThanOrEqual(1);
	});

	test('Pipedrive → Propstreet and back, then the backfill: all on one stored token, renewed once after Propstreet revokes it', async () => {
		const since = Date.now();
		const tokensAtStart = ps().countRequests({ route: TOKEN_ROUTE });
		// 02: a new investor person becomes a contact; its id is written back.
		const investor = pd().optionId('person', 'label_ids', 'Investor');
		const email = 'liv.oauth@fjord.example.no';
		const person = pd().createPerson({ name: 'Liv Fjordheim', first_name: 'Liv', last_name: 'Fjordheim', emails: [{ value: email, primary: true, label: 'work' }], label_ids: [investor] }) as Rec;
		const personId = Number(person.id);
		const contact = await stack.waitFor(() => contactByRef(personId), { what: `a Propstreet contact for person ${personId}`, timeoutMs: 60000 });
		await stack.waitFor(() => pdCustom(pd().person(personId) as Rec, 'propstreet_contact_id') === contact.id, { what: 'propstreet_contact_id written back', timeoutMs: 45000 });
		await stack.settle({ quietMs: 3000 });
		// The token n8n stored on activation served these executions too.
		expect(ps().countRequests({ route: TOKEN_ROUTE })).toBe(tokensAtStart);

		// Propstreet revokes every client token; 03: an app edit of a seeded contact still reaches Pipedrive.
		ps().revokeTokens();
		const astrid = { contact: propstreetIdFor('contact', 'astrid'), person: pipedriveIdFor('person', 'astrid') };
		ps().updateContact(astrid.contact, { strategy: 'Logistics, Gothenburg, SEK 100M+' });
		await stack.waitFor(() => pdCustom(pd().person(astrid.person) as Rec, 'investor_strategy') === 'Logistics, Gothenburg, SEK 100M+', { what: "Astrid's strategy in Pipedrive", timeoutMs: 60000 });
		await stack.settle({ quietMs: 3000 });
		const tokensAfterRevoke = ps().countRequests({ route: TOKEN_ROUTE });
		expect(tokensAfterRevoke).toBeGreaterThan(tokensAtStart);

		// 10: the backfill runs on the renewed token.
		const backfillSince = Date.now();
		await stack.startWorkflow('10');
		const [run] = await stack.n8n.waitForExecutions(stack.workflow('10').id, 1, { since: backfillSince - 50, timeoutMs: 180000 });
		const missing = ['company', 'project'].filter((e) => !bindingFor(e));
		if (!missing.length) expect(run.status).toBe('success');
		await stack.settle({ quietMs: 3000, timeoutMs: 120000 });
		expect(ps().countRequests({ route: TOKEN_ROUTE })).toBe(tokensAfterRevoke);

		expect(ps().countRequests({ client: 'pat' })).toBe(0);
		expect(contactByRef(personId)?.id).toBe(contact.id);
		expect(await failures(since)).toEqual(missing.length ? [expect.stringContaining('10-')] : []);
	}, 420000);
});

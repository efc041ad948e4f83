/**
 * The demo's prompt: small edits "as a user" in either simulator, so you can watch n8n sync them.
 * Edits go through the simulators' control API, which emits webhooks exactly as the real apps do
 * (Pipedrive: Webhooks v2 with change_source "app"; Propstreet: signed deliveries, changeOrigin "ui").
 */
import type { Stack } from '../test/harness/stack';

type Json = Record<string, any>;

export const demoCommands = [
	'pd person <name> <email>            add a person (label Investor) in Pipedrive',
	'pd strategy <personId> <text…>      set a person’s investor_strategy in Pipedrive',
	'pd stage <dealId> <stage name…>     move a deal (Lead In … Closing)',
	'pd won <dealId> | pd lost <dealId>  close a deal',
	'pd participant <dealId> <personId>  add a deal participant (no webhook: then run "sync")',
	'pd note <personId> <text…>          add a note to a person',
	'ps strategy <contactId> <text…>     set a contact’s strategy in Propstreet',
	'ps classify <projectId> <prospectId> <not_contacted|contacted|interested|not_interested|bidder>',
	'ps remove <projectId> <prospectId>  remove a prospect in Propstreet',
	'sync                                run the participant poll now',
	'backfill                            run the backfill / reconciliation now',
	'status                              counts on both sides; calls so far',
	'help',
];

function rest(words: string[], from: number): string {
	return words.slice(from).join(' ').trim();
}

function need(value: string | undefined, what: string): string {
	if (!value) throw new Error(`missing ${what}`);
	return value;
}

export async function runCommand(stack: Stack, line: string): Promise<string> {
	const words = line.trim().split(/\s+/).filter(Boolean);
	if (words.length === 0) return '';
	const pd = stack.pipedrive.control;
	const ps = stack.propstreet.control;
	const [side, verb] = words;
	if (side === 'help') return demoCommands.map((c) => `  ${c}`).join('\n');
	if (side === 'sync') {
		await stack.startWorkflow('08');
		return 'participant poll started (see the "prospects" workflow executions)';
	}
	if (side === 'backfill') {
		await stack.startWorkflow('10');
		return 'backfill started';
	}
	if (side === 'status') {
		const state = ps.state();
		const live = (rows: Json[]) => rows.filter((r) => !r.deletedUtc).length;
		return [
			`Pipedrive: ${pd.persons().length} persons, ${pd.organizations().length} organizations, ${pd.deals().length} deals`,
			`Propstreet: ${live(state.contacts)} contacts, ${live(state.companies)} companies, ${live(state.projects)} projects, ${live(state.prospects)} prospects`,
			stack.formatReport(stack.apiCallReport(), 'API calls since start'),
		].join('\n');
	}
	if (side === 'pd') {
		switch (verb) {
			case 'person': {
				const email = need(words[words.length - 1], 'email');
				const name = need(rest(words, 2).replace(email, '').trim(), 'name');
				const person = pd.createPerson({
					name,
					emails: [{ value: email, primary: true, label: 'work' }],
					label_ids: [pd.optionId('person', 'label_ids', 'Investor')],
				}) as Json;
				return `created Pipedrive person ${person.id}`;
			}
			case 'strategy': {
				const id = Number(need(words[2], 'personId'));
				pd.updatePerson(id, { custom_fields: { investor_strategy: need(rest(words, 3), 'text') } });
				return `updated person ${id}`;
			}
			case 'stage': {
				const id = Number(need(words[2], 'dealId'));
				pd.moveDealToStage(id, need(rest(words, 3), 'stage name'));
				return `moved deal ${id}`;
			}
			case 'won':
			case 'lost': {
				const id = Number(need(words[2], 'dealId'));
				pd.updateDeal(id, { status: verb });
				return `deal ${id} marked ${verb}`;
			}
			case 'participant': {
				const dealId = Number(need(words[2], 'dealId'));
				const personId = Number(need(words[3], 'personId'));
				pd.addParticipant(dealId, personId);
				return `participant ${personId} added to deal ${dealId} (Pipedrive sends no webhook for this; type "sync")`;
			}
			case 'note': {
				const personId = Number(need(words[2], 'personId'));
				const note = pd.addNote({ person_id: personId, content: `<p>${need(rest(words, 3), 'text')}</p>` }) as Json;
				return `note ${note.id} added`;
			}
		}
	}
	if (side === 'ps') {
		switch (verb) {
			case 'strategy': {
				const id = need(words[2], 'contactId');
				ps.updateContact(id, { strategy: need(rest(words, 3), 'text') });
				return `updated contact ${id}`;
			}
			case 'classify': {
				ps.classifyProspect(need(words[2], 'projectId'), need(words[3], 'prospectId'), need(words[4], 'classification') as never);
				return 'classified';
			}
			case 'remove': {
				ps.removeProspect(need(words[2], 'projectId'), need(words[3], 'prospectId'));
				return 'removed';
			}
		}
	}
	throw new Error(`unknown command "${line.trim()}" (type help)`);
}

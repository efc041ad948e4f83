/**
 * `npm run demo`: both simulators with the Nordic seed, a real n8n 2.x with this package and every
 * bundled workflow active, then a short story played through them. Afterwards n8n keeps running so
 * you can open the editor and make edits of your own from the prompt; Ctrl-C stops everything.
 *
 * `npm run demo -- --once` plays the story, prints the summary and exits 0 only if every step synced.
 * Env: DEMO_N8N_PORT (default 5678), DEMO_STEP_TIMEOUT_MS (default 90000).
 */
import * as readline from 'readline';
import { startStack, type Stack } from '../test/harness/stack';
import { pipedriveIdFor, propstreetIdFor } from '../test/simulators/seed/ids';
import { demoCommands, runCommand } from './commands';

const once = process.argv.includes('--once');
const stepTimeoutMs = Number(process.env.DEMO_STEP_TIMEOUT_MS ?? 90_000);

type Json = Record<string, any>;

interface StepResult {
	title: string;
	ok: boolean;
	seconds: number;
	moved: string[];
	calls: string;
	error?: string;
}

const say = (line = '') => process.stdout.write(`${line}\n`);

function refOf(record: Json, namespace: string): string | undefined {
	return (record.externalRefs as Json[] | undefined)?.find((r) => String(r.namespace).toLowerCase() === namespace)?.id;
}

/** One story step: do something as a user on one side, wait until the other side shows it. */
async function step(
	stack: Stack,
	title: string,
	act: () => unknown,
	check: () => string[] | undefined | false | Promise<string[] | undefined | false>,
): Promise<StepResult> {
	say(`\n▶ ${title}`);
	const mark = stack.mark();
	const started = Date.now();
	try {
		await act();
		const moved = (await stack.waitFor(check, { timeoutMs: stepTimeoutMs, what: title, intervalMs: 500 })) as string[];
		const seconds = (Date.now() - started) / 1000;
		// Let echoes arrive and die out before counting, so the count includes the no-op round trip.
		await stack.settle({ quietMs: 2000, timeoutMs: 30_000 }).catch(() => undefined);
		const calls = stack.formatReport(stack.apiCallReport(mark), 'API calls');
		for (const line of moved) say(`  ✔ ${line}`);
		say(`  synced in ${seconds.toFixed(1)} s`);
		say(calls.replace(/^/gm, '  '));
		return { title, ok: true, seconds, moved, calls };
	} catch (error) {
		const seconds = (Date.now() - started) / 1000;
		const message = error instanceof Error ? error.message : String(error);
		say(`  ✘ did not sync: ${message}`);
		return { title, ok: false, seconds, moved: [], calls: '', error: message };
	}
}

async function playStory(stack: Stack): Promise<StepResult[]> {
	const pd = stack.pipedrive.control;
	const ps = stack.propstreet.control;
	const personKey = (name: string) => pd.fieldKey('person', name);
	const dealKey = (name: string) => pd.fieldKey('deal', name);
	const results: StepResult[] = [];

	// 1. A new investor in Pipedrive → a Propstreet contact, and its id written back.
	let newPersonId = 0;
	results.push(
		await step(
			stack,
			'A new investor, Sofia Ekström (Nordhav Fastigheter), is added in Pipedrive',
			() => {
				const person = pd.createPerson({
					name: 'Sofia Ekström',
					org_id: pipedriveIdFor('organization', 'nordhav'),
					emails: [{ value: 'sofia.ekstrom@nordhav.example.se', primary: true, label: 'work' }],
					phones: [{ value: '+46 70 765 43 21', primary: true, label: 'mobile' }],
					label_ids: [pd.optionId('person', 'label_ids', 'Investor')],
					job_title: 'Portfolio Manager',
					custom_fields: { investor_strategy: 'Logistics in the Mälardalen region, SEK 100–400M' },
				}) as Json;
				newPersonId = person.id;
			},
			() => {
				const contact = ps.state().contacts.find((c) => refOf(c, 'pipedrive') === String(newPersonId) && !c.deletedUtc) as Json | undefined;
				const person = pd.person(newPersonId) as Json | undefined;
				const written = person?.custom_fields?.[personKey('propstreet_contact_id')];
				if (!contact || !written || String(written) !== String(contact.id)) return undefined;
				const company = (contact.companies as Json[] | undefined)?.[0];
				return [
					`Propstreet contact ${contact.id}: ${contact.firstName} ${contact.lastName} <${contact.email}>, tags [${(contact.tags ?? []).join(', ')}]`,
					`strategy "${contact.strategy}"; company ${company ? `${company.name} as ${company.jobTitle ?? '—'}` : '(none)'}`,
					`Pipedrive person ${newPersonId} now holds propstreet_contact_id = ${written}`,
				];
			},
		),
	);

	// 2. A strategy edited in Propstreet → the Pipedrive custom field.
	const astridContact = propstreetIdFor('contact', 'astrid');
	const astridPerson = pipedriveIdFor('person', 'astrid');
	const newStrategy = 'Office and life science, Stockholm and Uppsala, SEK 300M–1bn';
	results.push(
		await step(
			stack,
			'Astrid Öberg’s investment strategy is edited in Propstreet',
			() => ps.updateContact(astridContact, { strategy: newStrategy }),
			() => {
				const value = (pd.person(astridPerson) as Json | undefined)?.custom_fields?.[personKey('investor_strategy')];
				return value === newStrategy ? [`Pipedrive person ${astridPerson} investor_strategy = "${value}"`] : undefined;
			},
		),
	);

	// 3. A deal moves to Due Diligence → the project's classification follows the stage table.
	const dealId = pipedriveIdFor('deal', 'vasteras');
	results.push(
		await step(
			stack,
			'The deal “Västerås School Portfolio” moves to Due Diligence in Pipedrive',
			() => pd.moveDealToStage(dealId, 'Due Diligence'),
			() => {
				const project = ps.state().projects.find((p) => refOf(p, 'pipedrive') === String(dealId) && !p.deletedUtc) as Json | undefined;
				const written = (pd.deal(dealId) as Json | undefined)?.custom_fields?.[dealKey('propstreet_project_id')];
				if (!project || project.classification !== 'active' || String(written ?? '') !== String(project.id)) return undefined;
				return [
					`Propstreet project ${project.id} “${project.name}”: classification ${project.classification}, asset ${project.asset?.type}${project.asset?.propertyCount ? ` (${project.asset.propertyCount} properties)` : ''}`,
					`Pipedrive deal ${dealId} now holds propstreet_project_id = ${written}`,
				];
			},
		),
	);

	// 4. Two participants added (Pipedrive sends no webhook for this) → prospects after one poll.
	const participants = ['lars', 'juha'].map((key) => ({ key, personId: pipedriveIdFor('person', key), contactId: propstreetIdFor('contact', key) }));
	results.push(
		await step(
			stack,
			'Two participants, Lars-Erik Åkesson and Juha-Pekka Äijälä, are added to that deal (the participant poll runs)',
			async () => {
				for (const p of participants) pd.addParticipant(dealId, p.personId);
				// The bundled workflow polls every 10 minutes; the demo asks it to run now.
				await stack.startWorkflow('08');
			},
			() => {
				const project = ps.state().projects.find((p) => refOf(p, 'pipedrive') === String(dealId) && !p.deletedUtc) as Json | undefined;
				if (!project) return undefined;
				const prospects = ps.state().prospects.filter((p) => p.projectId === project.id && !p.deletedUtc) as Json[];
				const found = participants.map((p) => prospects.find((x) => String(x.contactId) === String(p.contactId)));
				if (found.some((f) => !f)) return undefined;
				return found.map((f) => `prospect ${f!.id} on project ${project.id}: contact ${f!.contactId} (${f!.displayName ?? ''}), ${f!.classification}`);
			},
		),
	);
	return results;
}

function printSummary(results: StepResult[]): void {
	say('\n══════════ Summary ══════════');
	for (const r of results) say(`${r.ok ? '✔' : '✘'} ${r.title} — ${r.ok ? `${r.seconds.toFixed(1)} s` : r.error}`);
	const ok = results.filter((r) => r.ok).length;
	say(`${ok}/${results.length} steps synced`);
}

async function main(): Promise<void> {
	say('n8n-nodes-propstreet demo: Pipedrive ⇄ Propstreet through a real n8n, against local simulators.');
	say('First run installs Node 24 and n8n into a cache outside this folder (a few minutes, once).\n');
	const stack = await startStack({
		seed: true,
		n8nPort: once ? undefined : Number(process.env.DEMO_N8N_PORT ?? 5678),
		label: 'propstreet-demo',
		log: (line) => say(`  · ${line}`),
	});
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the simulators…');
		await stack.stop().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	const inactive = stack.workflows.filter((w) => w.activatable && !w.active);
	say(`\nn8n is up with ${stack.workflows.length} bundled workflows (${stack.workflows.filter((w) => w.active).length} active).`);
	for (const [file, message] of Object.entries(stack.activationErrors)) say(`  ! ${file} could not be activated: ${message}`);

	const results = await playStory(stack);
	printSummary(results);
	const allSynced = results.every((r) => r.ok) && inactive.length === 0;

	if (once) {
		await stop(allSynced ? 0 : 1);
		return;
	}

	say('\n══════════ Your turn ══════════');
	say(`n8n editor:  ${stack.n8n.url}   (login ${stack.n8n.owner.email} / ${stack.n8n.owner.password})`);
	say(`Propstreet simulator: ${stack.propstreet.url}    Pipedrive simulator: ${stack.pipedrive.url}`);
	if (!process.stdin.isTTY) {
		// No terminal to type into (run in the background or piped): keep serving until a signal.
		say('Open a workflow and its Executions tab to see each sync. Ctrl-C (or SIGTERM) stops everything.');
		return;
	}
	say('Open a workflow and its Executions tab to see each sync. Edit either side from this prompt:');
	for (const line of demoCommands) say(`  ${line}`);
	say('Ctrl-C stops everything.');
	const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'demo> ' });
	rl.prompt();
	rl.on('line', async (line) => {
		try {
			const out = await runCommand(stack, line);
			if (out) say(out);
		} catch (error) {
			say(`error: ${error instanceof Error ? error.message : String(error)}`);
		}
		rl.prompt();
	});
	rl.on('close', () => void stop(0));
}

main().catch((error) => {
	say(`demo failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
	process.exit(1);
});

/**
 * Runs the day: per 10-minute tick, the tick's events (app edits on both sides), then every webhook
 * delivery fed to its bundled workflow, and the deliveries those runs cause (echoes) in turn until
 * none is left; then the participant poll; at 03:00 the nightly backfill. Nothing waits in real
 * time: the ticks are logical and the simulators' clocks run on (moving them by hours would put the
 * Propstreet deliveries' signatures outside the trigger's 5-minute tolerance, which reads the real
 * clock). What a day of real time would add is put in by hand: the per-process field-definition
 * cache is emptied whenever its lifetime (FIELD_DEFINITIONS_TTL_MS, a day) has passed in ticks, so
 * with the day-long cache it is not emptied within the day. The nightly backfill takes at most an
 * hour-old copy; in a real day the copy it finds is the one it read the night before, so the cache
 * is emptied just before it runs and the backfill pays the day's one definitions read.
 */
import type { IDataObject } from 'n8n-workflow';
import { FIELD_DEFINITIONS_TTL_MS, forgetFieldDefinitions } from '../../../nodes/PipedrivePropstreetSync/fieldDefinitions';
import { PropstreetTrigger } from '../../../nodes/PropstreetTrigger/PropstreetTrigger.node';
import { webhookContext } from '../../nodes/trigger/context';
import { loadWorkflow, PS_TOKEN } from '../../workflows/contactsNotesKit';
import { applyEvent, propstreetIdOf } from './applyEvent';
import { BACKFILL_TICK, CHECK_TICK, TICKS, type DayEvent } from './events';
import type { Meter } from './meter';
import type { World } from './world';

const PIPEDRIVE_WORKFLOWS: Record<string, string> = { person: '02-contacts-pipedrive-to-propstreet.json', organization: '04-companies-pipedrive-to-propstreet.json', deal: '06-deals-pipedrive-to-propstreet.json', note: '09-notes-pipedrive-to-propstreet.json' };
const PROPSTREET_WORKFLOWS: Record<string, { file: string; start: string }> = {
	contact: { file: '03-contacts-propstreet-to-pipedrive.json', start: 'Propstreet Trigger' },
	company: { file: '05-companies-propstreet-to-pipedrive.json', start: 'Propstreet Trigger' },
	project: { file: '07-projects-propstreet-to-pipedrive.json', start: 'Propstreet Trigger' },
	prospect: { file: '08-prospects-participants.json', start: 'Prospect Changed' },
};
const MAX_ROUNDS = 12;
/** The meter's name for the poll on the participation check's tick. */
export const DAILY_CHECK = 'poll (daily check)';
const TICK_MS = 10 * 60 * 1000;

interface Expected {
	key: string;
	psId?: string;
	pdId?: number;
	filtered: boolean;
}

export interface DayLog {
	failedRuns: string[];
	/** Polls after which nothing had changed: tokens each. */
	quietPollTokens: number[];
	pollsEmitting: number;
	/** Items the check's tick emitted (changed deals and the check item). */
	checkEmitted: number;
	/** Deliveries still arriving after MAX_ROUNDS rounds (an echo loop), per tick. */
	loops: number;
	deliveries: { user: number; echo: number; filtered: number; ignored: number };
}

function triggerParameters(file: string, start: string): IDataObject {
	const node = loadWorkflow(file).nodes.find((n) => n.name === start)!;
	return node.parameters as IDataObject;
}

export async function driveDay(world: World, events: DayEvent[], meter: Meter): Promise<DayLog> {
	const { bed } = world;
	const log: DayLog = { failedRuns: [], quietPollTokens: [], pollsEmitting: 0, checkEmitted: 0, loops: 0, deliveries: { user: 0, echo: 0, filtered: 0, ignored: 0 } };
	let pdRead = bed.pdHooks.received.length;
	let psRead = bed.psHooks.received.length;
	const psStatic: IDataObject = { webhookId: bed.psSubscription.id, secret: bed.psSubscription.secret };
	const psParams = Object.fromEntries(Object.entries(PROPSTREET_WORKFLOWS).map(([k, v]) => [k, triggerParameters(v.file, v.start)]));
	const wfLabel = (file: string) => file.replace(/\.json$/, '');
	const note = (file: string, result: { error?: Error }) => {
		if (result.error) log.failedRuns.push(`${wfLabel(file)}: ${result.error.message} ${(result.error as { description?: string }).description ?? ''}`.trim());
	};
	let expected: Expected[] = [];
	const claim = (match: (e: Expected) => boolean): Expected | undefined => {
		const index = expected.findIndex(match);
		return index < 0 ? undefined : expected.splice(index, 1)[0];
	};

	const runPipedrive = async (body: IDataObject) => {
		const meta = (body.meta ?? {}) as IDataObject;
		const file = PIPEDRIVE_WORKFLOWS[String(meta.entity)];
		if (!file) return void log.deliveries.ignored++;
		const id = Number(meta.entity_id);
		const mine = meta.change_source === 'app' ? (claim((e) => e.key === `pipedrive:${meta.entity}` && e.pdId === id) ?? claim((e) => e.key === `pipedrive:${meta.entity}` && e.pdId === undefined)) : undefined;
		const kind = mine ? (mine.filtered ? 'filtered' : 'user') : 'echo';
		log.deliveries[kind]++;
		const result = await meter.measure(wfLabel(file), kind, () => bed.run(file, [{ json: body }], { mode: 'webhook' }));
		note(file, result);
	};
	const runPropstreet = async (delivery: { headers: Record<string, unknown>; body: IDataObject }) => {
		const type = String(delivery.body.type ?? '');
		const entity = type.split('.')[0];
		const target = PROPSTREET_WORKFLOWS[entity];
		const params = psParams[entity];
		if (!target || !(params.events as string[]).includes(type)) return void log.deliveries.ignored++;
		const id = String(((delivery.body.data ?? {}) as IDataObject).id ?? '');
		const mine = claim((e) => e.key === `propstreet:${entity}` && e.psId === id) ?? (type.endsWith('.created') || entity === 'prospect' ? claim((e) => e.key === `propstreet:${entity}` && e.psId === undefined) : undefined);
		const kind = mine ? 'user' : 'echo';
		log.deliveries[kind]++;
		await meter.measure(wfLabel(target.file), kind, async () => {
			const { context, response } = webhookContext({ baseUrl: bed.ps.url, token: PS_TOKEN, parameters: params, staticData: { ...psStatic, events: params.events }, rawBody: Buffer.from(JSON.stringify(delivery.body)), headers: delivery.headers as never });
			const out = await new PropstreetTrigger().webhook.call(context);
			const items = (out.workflowData ?? [[]])[0];
			if (!items.length) {
				if (response.status && response.status >= 300) log.failedRuns.push(`${wfLabel(target.file)}: trigger refused a delivery (${response.status})`);
				return;
			}
			const result = await bed.run(target.file, items.map((i) => ({ json: i.json })), { startNode: target.start, mode: 'webhook' });
			note(target.file, result);
		});
	};
	const drain = async () => {
		for (let round = 0; round < MAX_ROUNDS; round++) {
			await bed.pd.control.flushWebhooks();
			await (bed.ps.control as any).flushWebhooks();
			const pdNew = bed.pdHooks.received.slice(pdRead);
			const psNew = bed.psHooks.received.slice(psRead);
			pdRead += pdNew.length;
			psRead += psNew.length;
			if (!pdNew.length && !psNew.length) return;
			for (const d of pdNew) await runPipedrive(d.body as IDataObject);
			for (const d of psNew) await runPropstreet({ headers: d.headers as Record<string, unknown>, body: d.body as IDataObject });
		}
		log.loops++;
	};

	let changedSinceLastPoll = false;
	for (let tick = 0; tick < TICKS; tick++) {
		// The field-definition cache's lifetime has passed (in logical time): it would have expired.
		if (tick > 0 && (tick * TICK_MS) % FIELD_DEFINITIONS_TTL_MS === 0) forgetFieldDefinitions();
		expected = [];
		for (const event of events.filter((e) => e.tick === tick)) {
			const psId = event.kind === 'ps-contact-edit' ? propstreetIdOf(world, 'person', event.id) : event.kind === 'ps-company-edit' ? propstreetIdOf(world, 'organization', event.id) : undefined;
			const key = applyEvent(world, event);
			// A note's delivery names the note, not the deal it is on.
			const pdId = key?.startsWith('pipedrive:') && key !== 'pipedrive:note' && event.id ? event.id : undefined;
			if (key) expected.push({ key, psId, pdId, filtered: event.kind.endsWith('filtered') });
			else changedSinceLastPoll = true;
		}
		await drain();
		if (tick === BACKFILL_TICK) {
			// The copy the backfill finds is a day old (it read it last night): older than the hour it accepts.
			forgetFieldDefinitions();
			const result = await meter.measure('10-backfill-reconcile', 'backfill', () => world.backfill(false));
			note('10-backfill-reconcile.json', result);
			await drain();
		}
		const check = tick === CHECK_TICK;
		const before = bed.pd.control.tokensUsed();
		const polled = await meter.measure('08-prospects-participants', check ? DAILY_CHECK : 'poll', () => world.poll(check ? 'check' : 'poll'));
		if (polled.result) note('08-prospects-participants.json', polled.result);
		if (polled.emitted) log.pollsEmitting++;
		if (check) log.checkEmitted = polled.emitted;
		if (!changedSinceLastPoll && !check && !polled.emitted) log.quietPollTokens.push(bed.pd.control.tokensUsed() - before);
		changedSinceLastPoll = false;
		await drain();
	}
	return log;
}

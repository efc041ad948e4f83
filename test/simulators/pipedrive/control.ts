/**
 * The control API tests, benchmarks and the demo use to drive the simulator: seed and read state,
 * count requests and tokens, change the plan, move the clock, inject faults, make edits "in the web
 * app" (webhooks with `change_source: 'app'`), and inspect or flush webhook deliveries. The same
 * operations are served over HTTP under `/__control` for other processes (standalone mode, e2e).
 */
import type * as http from 'http';

import type { SimClock } from './clock';
import { v2Field } from './fields';
import type { RateLimiter } from './rateLimit';
import { seedNordic } from './seed';
import { v1Note, v2Deal, v2Organization, v2Person } from './serialize';
import { clientLabel, emptyStats, type Fault, type Stats, type TokenInfo } from './server';
import type { Store, WriteContext } from './store';
import type { DeliveryRecord, FieldEntity, Plan, PipedriveSwitches } from './types';
import { ApiError, errorBody, isPlainObject, type Query } from './util';
import type { WebhookDispatcher } from './webhooks';

export interface ControlDeps {
	store: Store;
	clock: SimClock;
	limiter: RateLimiter;
	dispatcher: WebhookDispatcher;
	faults: Fault[];
	stats: Stats;
	tokens: Map<string, TokenInfo>;
	switches: PipedriveSwitches;
}

export interface AppEditOptions {
	/** The user who makes the edit in the web app (default 1). */
	userId?: number;
	isBulkEdit?: boolean;
}

export type PipedriveControl = ReturnType<typeof createControl>;

export function createControl(deps: ControlDeps) {
	const { store, clock, limiter, dispatcher, faults, tokens } = deps;
	const app = (options: AppEditOptions = {}): WriteContext => ({ source: 'app', userId: options.userId ?? 1, isBulkEdit: options.isBulkEdit });

	/** Convenience for control edits: `custom_fields` may be keyed by field name instead of hash key. */
	function byKeys(entity: FieldEntity, body: Record<string, unknown>): Record<string, unknown> {
		if (!isPlainObject(body.custom_fields)) return body;
		const custom: Record<string, unknown> = {};
		for (const [name, value] of Object.entries(body.custom_fields)) custom[store.fields.resolveCustom(entity, name)?.key ?? name] = value;
		return { ...body, custom_fields: custom };
	}

	function labelFor(tokenOrLabel: string): string {
		if (/^(api_token|oauth):/.test(tokenOrLabel)) return tokenOrLabel;
		const info = tokens.get(tokenOrLabel);
		return clientLabel(tokenOrLabel, info?.isOAuth ?? false);
	}

	const control = {
		// Data ----------------------------------------------------------------------------------
		/** Replaces all data with the Nordic seed (webhook registrations are kept; no events are sent). */
		seed(): void {
			seedNordic(store);
		},
		/** Empties the account (default pipeline, built-in fields, no records). */
		reset(): void {
			store.muted = true;
			try {
				store.reset();
			} finally {
				store.muted = false;
			}
		},
		persons: (options: { includeDeleted?: boolean } = {}) => [...store.persons.values()].filter((p) => options.includeDeleted || !p.is_deleted).map((p) => v2Person(store, p)),
		person: (id: number) => (store.persons.has(id) ? v2Person(store, store.persons.get(id)!) : undefined),
		organizations: (options: { includeDeleted?: boolean } = {}) => [...store.organizations.values()].filter((o) => options.includeDeleted || !o.is_deleted).map((o) => v2Organization(store, o)),
		organization: (id: number) => (store.organizations.has(id) ? v2Organization(store, store.organizations.get(id)!) : undefined),
		deals: (options: { includeDeleted?: boolean } = {}) => [...store.deals.values()].filter((d) => options.includeDeleted || !d.is_deleted).map((d) => v2Deal(store, d)),
		deal: (id: number) => (store.deals.has(id) ? v2Deal(store, store.deals.get(id)!) : undefined),
		/** Active participants of a deal: participant record id and person id. */
		participants: (dealId: number) => store.activeParticipants(dealId).map((p) => ({ id: p.id, person_id: p.person_id, add_time: new Date(p.add_time).toISOString() })),
		participantsChangelog: (dealId: number) => store.participantChangelog.filter((e) => e.deal_id === dealId).map((e) => ({ ...e, time: new Date(e.time).toISOString() })),
		notes: () => [...store.notes.values()].filter((n) => n.active_flag).map((n) => v1Note(store, n)),
		fields: (entity: FieldEntity) => store.fields.list(entity).map(v2Field),
		/** The 40-hex key of a custom field, by name. */
		fieldKey(entity: FieldEntity, name: string): string {
			const field = store.fields.resolveCustom(entity, name);
			if (!field) throw new Error(`No custom ${entity} field named "${name}"`);
			return field.key;
		},
		/** The option id of an enum/set value (also `label_ids` labels: fieldName 'label_ids'). */
		optionId(entity: FieldEntity, fieldName: string, label: string): number {
			const field = fieldName === 'label_ids' ? store.fields.byKey(entity, 'label_ids') : store.fields.resolveCustom(entity, fieldName);
			const option = field?.options?.find((o) => o.label === label);
			if (!option) throw new Error(`No option "${label}" on ${entity} field "${fieldName}"`);
			return option.id;
		},
		stageId(name: string): number {
			const stage = [...store.stages.values()].find((s) => !s.is_deleted && s.name === name);
			if (!stage) throw new Error(`No stage named "${name}"`);
			return stage.id;
		},
		pipelines: () => [...store.pipelines.values()],
		stages: () => [...store.stages.values()],
		webhooks: () => [...store.webhooks.values()].map((w) => ({ ...w })),

		// Edits made "in the web app" (change_source: app) --------------------------------------
		createPerson: (body: Record<string, unknown>, o?: AppEditOptions) => v2Person(store, store.createPerson(byKeys('person', body), app(o))),
		updatePerson: (id: number, patch: Record<string, unknown>, o?: AppEditOptions) => v2Person(store, store.updatePerson(id, byKeys('person', patch), app(o))),
		deletePerson: (id: number, o?: AppEditOptions) => store.deletePerson(id, app(o)),
		createOrganization: (body: Record<string, unknown>, o?: AppEditOptions) => v2Organization(store, store.createOrganization(byKeys('organization', body), app(o))),
		updateOrganization: (id: number, patch: Record<string, unknown>, o?: AppEditOptions) => v2Organization(store, store.updateOrganization(id, byKeys('organization', patch), app(o))),
		deleteOrganization: (id: number, o?: AppEditOptions) => store.deleteOrganization(id, app(o)),
		createDeal: (body: Record<string, unknown>, o?: AppEditOptions) => v2Deal(store, store.createDeal(byKeys('deal', body), app(o))),
		updateDeal: (id: number, patch: Record<string, unknown>, o?: AppEditOptions) => v2Deal(store, store.updateDeal(id, byKeys('deal', patch), app(o))),
		deleteDeal: (id: number, o?: AppEditOptions) => store.deleteDeal(id, app(o)),
		/** Drags a deal to another stage (by id or name): one `change.deal` webhook. */
		moveDealToStage(dealId: number, stage: number | string, o?: AppEditOptions) {
			const stageId = typeof stage === 'number' ? stage : control.stageId(stage);
			return v2Deal(store, store.updateDeal(dealId, { stage_id: stageId }, app(o)));
		},
		/** Adds a participant as a user would; like Pipedrive, this sends no webhook. Returns the participant id. */
		addParticipant: (dealId: number, personId: number, o?: AppEditOptions) => store.addParticipant(dealId, personId, app(o)).id,
		/** Removes a participant by person id (no webhook). */
		removeParticipant(dealId: number, personId: number, o?: AppEditOptions): void {
			const record = store.activeParticipants(dealId).find((p) => p.person_id === personId);
			if (!record) throw new Error(`Person ${personId} is not a participant of deal ${dealId}`);
			store.removeParticipant(dealId, record.id, app(o));
		},
		addNote: (body: Record<string, unknown>, o?: AppEditOptions) => v1Note(store, store.createNote(body, app(o))),
		/** Edits a note as a user would (one `change.note` webhook when something changed). */
		updateNote: (id: number, body: Record<string, unknown>, o?: AppEditOptions) => v1Note(store, store.updateNote(id, body, app(o))),
		/** Deletes a note (one `delete.note` webhook). */
		deleteNote: (id: number, o?: AppEditOptions) => store.deleteNote(id, app(o)),
		/** Merges `fromId` into `intoId` (the survivor), as in the web app. */
		merge(kind: 'person' | 'organization' | 'deal', fromId: number, intoId: number, o?: AppEditOptions) {
			if (kind === 'deal') return v2Deal(store, store.mergeDeals(fromId, intoId, app(o)));
			return kind === 'person' ? v2Person(store, store.mergePersons(fromId, intoId, app(o))) : v2Organization(store, store.mergeOrganizations(fromId, intoId, app(o)));
		},

		// Counters and limits -------------------------------------------------------------------
		stats: (): Stats => JSON.parse(JSON.stringify(deps.stats)),
		resetStats(): void {
			Object.assign(deps.stats, emptyStats());
		},
		/** Requests per route pattern, e.g. `{ 'GET /api/v2/persons': 3 }`. */
		requestsByRoute: (): Record<string, number> => Object.fromEntries(Object.entries(deps.stats.byRoute).map(([k, v]) => [k, v.requests])),
		tokensByRoute: (): Record<string, number> => Object.fromEntries(Object.entries(deps.stats.byRoute).map(([k, v]) => [k, v.tokens])),
		requestLog: () => deps.stats.log.map((e) => ({ ...e })),
		setPlan(plan: Plan, seats?: number): void {
			limiter.plan = plan;
			if (seats !== undefined) limiter.seats = seats;
			limiter.budgetOverride = undefined;
		},
		/** Sets the daily token budget directly (and optionally what is already used today). */
		setTokenBudget(budget: number, used?: number): void {
			limiter.budgetOverride = budget;
			if (used !== undefined) limiter.tokensUsed = used;
		},
		tokensUsed: () => limiter.tokensUsed,
		tokensRemaining: () => limiter.remainingTokens(),
		dailyBudget: () => limiter.dailyBudget,
		setBurstEnforcement(on: boolean): void {
			limiter.enforceBurst = on;
		},
		/** Forgets burst windows, blocks and the token tally. */
		resetRateLimits(): void {
			limiter.resetCounters();
		},
		/** Blocks an API token (or client label) with the 403 HTML page. */
		blockClient(tokenOrLabel: string, ms?: number): void {
			limiter.block(labelFor(tokenOrLabel), ms);
		},
		unblockClients(): void {
			limiter.unblock();
		},
		isBlocked: (tokenOrLabel: string) => limiter.isBlocked(labelFor(tokenOrLabel)),
		addToken(token: string, options: { oauth?: boolean; userId?: number } = {}): void {
			tokens.set(token, { isOAuth: options.oauth === true, userId: options.userId ?? 1 });
		},

		// Clock -------------------------------------------------------------------------------
		now: () => clock.now(),
		advanceClock(ms: number): void {
			clock.advance(ms);
		},

		// Faults ------------------------------------------------------------------------------
		/** The next `count` matching requests get `status` (429, 500, 503, or 403 = the HTML block page). */
		failNext(options: { status: number; count?: number; route?: string | RegExp; method?: string; delayMs?: number }): void {
			faults.push({ status: options.status, remaining: options.count ?? 1, route: options.route, method: options.method, delayMs: options.delayMs });
		},
		/** The next `count` matching requests answer normally but `ms` late. */
		delayNext(ms: number, options: { count?: number; route?: string | RegExp; method?: string } = {}): void {
			faults.push({ status: 0, remaining: options.count ?? 1, route: options.route, method: options.method, delayMs: ms });
		},
		/** The next `count` matching requests get their connection closed without an answer. */
		hangUpNext(options: { count?: number; route?: string | RegExp; method?: string } = {}): void {
			faults.push({ status: 0, remaining: options.count ?? 1, route: options.route, method: options.method, hangUp: true });
		},
		clearFaults(): void {
			faults.splice(0, faults.length);
		},

		// Webhooks ----------------------------------------------------------------------------
		deliveries: (filter: { webhookId?: number; entity?: string; action?: string } = {}): DeliveryRecord[] =>
			dispatcher.deliveries.filter((d) => {
				const meta = (d.body.meta ?? {}) as Record<string, unknown>;
				return (filter.webhookId === undefined || d.webhookId === filter.webhookId) && (filter.entity === undefined || meta.entity === filter.entity || meta.object === filter.entity) &&
					(filter.action === undefined || meta.action === filter.action);
			}),
		clearDeliveries(): void {
			dispatcher.deliveries.splice(0, dispatcher.deliveries.length);
			dispatcher.dropped.splice(0, dispatcher.dropped.length);
		},
		droppedEvents: () => [...dispatcher.dropped],
		/** Waits for all deliveries, retries included; `runRetriesNow` skips the retry delays. */
		flushWebhooks: (options: { runRetriesNow?: boolean; timeoutMs?: number } = {}) => dispatcher.flush(options),
		pendingRetries: () => dispatcher.pendingRetries(),
		webhookState: (id: number) => dispatcher.webhookState(id),

		/** Behaviour switches (mutable at run time). */
		switches: deps.switches,
	};
	return control;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
	const payload = JSON.stringify(body ?? null);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(payload)) });
	res.end(payload);
}

/** `/__control/...` over HTTP, for other processes (e2e, demo, standalone). */
export function createControlHttp(control: PipedriveControl) {
	return async (req: http.IncomingMessage, res: http.ServerResponse, path: string, query: Query, rawBody: unknown): Promise<void> => {
		const method = (req.method ?? 'GET').toUpperCase();
		const body = (isPlainObject(rawBody) ? rawBody : {}) as Record<string, unknown>;
		const sub = path.replace(/^\/__control/, '') || '/';
		const m = (re: RegExp) => re.exec(sub);
		try {
			let result: unknown = { ok: true };
			let match: RegExpExecArray | null;
			if (method === 'GET' && sub === '/health') result = { ok: true };
			else if (method === 'POST' && sub === '/seed') control.seed();
			else if (method === 'POST' && sub === '/reset') control.reset();
			else if (method === 'GET' && sub === '/state') result = { persons: control.persons(), organizations: control.organizations(), deals: control.deals(), notes: control.notes(), webhooks: control.webhooks() };
			else if (method === 'GET' && sub === '/stats') result = { ...control.stats(), log: query.log === 'true' ? control.requestLog() : undefined, tokensUsed: control.tokensUsed(), tokensRemaining: control.tokensRemaining() };
			else if (method === 'POST' && sub === '/stats/reset') control.resetStats();
			else if (method === 'POST' && sub === '/clock/advance') control.advanceClock(Number(body.ms));
			else if (method === 'POST' && sub === '/faults') control.failNext(body as never);
			else if (method === 'DELETE' && sub === '/faults') control.clearFaults();
			else if (method === 'POST' && sub === '/plan') {
				if (body.plan) control.setPlan(body.plan as Plan, body.seats as number | undefined);
				if (typeof body.dailyTokenBudget === 'number') control.setTokenBudget(body.dailyTokenBudget, body.tokensUsed as number | undefined);
				if (typeof body.enforceBurst === 'boolean') control.setBurstEnforcement(body.enforceBurst);
			} else if (method === 'POST' && sub === '/webhooks/flush') await control.flushWebhooks({ runRetriesNow: body.runRetriesNow === true });
			else if (method === 'GET' && sub === '/webhooks/deliveries') result = control.deliveries();
			else if (method === 'POST' && sub === '/merge') result = control.merge(body.kind as 'person', Number(body.fromId), Number(body.intoId));
			else if ((match = m(/^\/(persons|organizations|deals)\/(\d+)$/)) && method === 'PATCH') {
				const id = Number(match[2]);
				result = match[1] === 'persons' ? control.updatePerson(id, body) : match[1] === 'organizations' ? control.updateOrganization(id, body) : control.updateDeal(id, body);
			} else if ((match = m(/^\/deals\/(\d+)\/stage$/)) && method === 'POST') result = control.moveDealToStage(Number(match[1]), body.stage as string | number);
			else if ((match = m(/^\/deals\/(\d+)\/participants$/)) && method === 'POST') result = { id: control.addParticipant(Number(match[1]), Number(body.person_id)) };
			else {
				sendJson(res, 404, { ok: false, error: `Unknown control call ${method} ${sub}` });
				return;
			}
			sendJson(res, 200, result);
		} catch (error) {
			if (error instanceof ApiError) sendJson(res, error.status, errorBody(error));
			else sendJson(res, 400, { ok: false, error: (error as Error).message });
		}
	};
}

/**
 * The control surface for tests and the demo: seed and read state, act as a user in the Propstreet
 * web app (writes with `changeOrigin: ui` that emit webhooks like any other change), move the clock,
 * inject faults, read the request log and drive webhook deliveries. Also served over HTTP under
 * `/__control` so a standalone simulator can be driven from another process.
 */
import type { AuthService } from './auth';
import type { SimCore, WriteContext } from './context';
import { ApiError, notFound } from './errors';
import type { ConcurrentWriteSpec, DelaySpec, FaultInjector, FaultSpec, RouteMatcher } from './faults';
import { json, noContent, Router, type SimResponse } from './http';
import type { IdempotencyCache } from './idempotency';
import { companyView, createCompany, deleteCompany, updateCompany } from './resources/companies';
import { contactView, createContact, deleteContact, updateContact } from './resources/contacts';
import { createLink, linkView, updateLink } from './resources/links';
import { createProject, deleteProject, projectView, updateProject } from './resources/projects';
import { createProperty, propertyView } from './resources/properties';
import { addProspect, deleteProspect, prospectView, removeProspect, updateProspect } from './resources/prospects';
import { addNote } from './resources/timeline';
import { deliveryView, subscriptionView } from './resources/webhooks';
import { loadSeed } from './seed';
import type {
	ProjectStatus,
	ProspectClassification,
	RequestLogEntry,
	TeaserStage,
	VersionedRecord,
	WebhookDelivery,
	WebhookEventType,
	WebhookSubscription,
} from './types';
import type { WebhookDispatcher, WebhookFaults } from './webhookDispatcher';
import { newWebhookSecret } from './webhookEnvelope';

export type ResourceKind = 'contact' | 'company' | 'link' | 'project' | 'prospect' | 'property';

export interface RequestFilter {
	method?: string;
	/** Route pattern (`PATCH /api/v1/network/contacts/{id}`), `METHOD /path-prefix`, path prefix, or RegExp on `METHOD /path`. */
	route?: RouteMatcher;
	client?: string;
	status?: number;
}

export interface PropstreetState {
	contacts: Record<string, unknown>[];
	companies: Record<string, unknown>[];
	links: Record<string, unknown>[];
	projects: Record<string, unknown>[];
	prospects: Record<string, unknown>[];
	properties: Record<string, unknown>[];
	webhooks: (Record<string, unknown> & { secret: string })[];
	deliveries: Record<string, unknown>[];
}

export interface PropstreetControl {
	/** Loads the Nordic dataset (into whatever is there; call `reset` first for a clean slate). */
	seed(): void;
	/** Clears data, request log, faults, idempotency cache, rate windows, issued tokens and deliveries. */
	reset(): void;
	/** Every record in API shape, including soft-deleted ones; webhooks include their secrets. */
	state(): PropstreetState;
	/** One record in API shape (deleted ones too), or undefined. */
	get(kind: ResourceKind, id: string): Record<string, unknown> | undefined;

	createContact(body: Record<string, unknown>): Record<string, unknown>;
	updateContact(id: string, patch: Record<string, unknown>): Record<string, unknown>;
	deleteContact(id: string): void;
	createCompany(body: Record<string, unknown>): Record<string, unknown>;
	updateCompany(id: string, patch: Record<string, unknown>): Record<string, unknown>;
	deleteCompany(id: string): void;
	createLink(body: { contactId: string; companyId: string; jobTitle?: string | null; isPrimary?: boolean }): Record<string, unknown>;
	updateLink(id: string, patch: { jobTitle?: string | null; isPrimary?: boolean }): Record<string, unknown>;
	createProject(body: Record<string, unknown>): Record<string, unknown>;
	/** Project fields plus the system-owned `status` and `teaserStage` (as the app changes them). */
	updateProject(id: string, patch: Record<string, unknown> & { status?: ProjectStatus; teaserStage?: TeaserStage | null }): Record<string, unknown>;
	deleteProject(id: string): void;
	setTeaserStage(projectId: string, stage: TeaserStage | null): Record<string, unknown>;
	setProjectStatus(projectId: string, status: ProjectStatus): Record<string, unknown>;
	addProspect(projectId: string, body: { contactId?: string; companyId?: string; classification?: ProspectClassification; externalRefs?: { namespace: string; id: string }[] }): Record<string, unknown>;
	updateProspect(projectId: string, id: string, patch: Record<string, unknown>): Record<string, unknown>;
	classifyProspect(projectId: string, id: string, classification: ProspectClassification): Record<string, unknown>;
	removeProspect(projectId: string, id: string): void;
	/** Every note revision on every timeline (archived and superseded ones too). */
	notes(): Array<{ id: string; parentKind: string; parentId: string; text: string; archived: boolean; supersededBy: string | null }>;
	/** A user's edit of a note in the app: a new revision superseding `noteId` (as the supersede PATCH does). */
	editNote(noteId: string, text: string): Record<string, unknown>;
	deleteProspect(projectId: string, id: string): void;
	createProperty(body: Record<string, unknown>): Record<string, unknown>;
	/** Registers a subscription without HTTP; returns it with its secret. */
	createWebhook(body: { url: string; events: WebhookEventType[]; name?: string }): Record<string, unknown> & { id: string; secret: string };
	/** Bumps a record's version as a concurrent app user would (new ETag, `*.updated` webhook). */
	touch(kind: ResourceKind, id: string): Record<string, unknown>;

	now(): string;
	/** Moves the simulated clock (token expiry, rate windows, idempotency retention, webhook retries). */
	advanceClock(ms: number): void;
	/** Invalidates every issued client-credentials token (as deleting a client does); the next call with one gets 401. */
	revokeTokens(): void;

	injectFaults(spec: FaultSpec): void;
	/** The next matching response(s) are held back `ms` (the write still happens at once). */
	delayNext(ms: number, spec?: DelaySpec): void;
	/** Right after the next matching single-resource GET, a concurrent app edit makes its ETag stale. */
	injectConcurrentWrite(spec?: ConcurrentWriteSpec): void;
	injectWebhookFaults(spec: WebhookFaults): void;
	clearFaults(): void;

	requests(filter?: RequestFilter): RequestLogEntry[];
	countRequests(filter?: RequestFilter): number;
	/** Non-GET requests that succeeded (2xx) and were not idempotent replays or injected faults. */
	countWrites(filter?: RequestFilter): number;
	requestsByRoute(): Record<string, number>;
	requestsByClient(): Record<string, number>;
	clearRequests(): void;

	/** Waits until no delivery is in flight or due now. */
	flushWebhooks(): Promise<void>;
	/** Runs every scheduled retry to the end by jumping the clock. */
	drainWebhooks(): Promise<void>;
	deliveries(subscriptionId?: string): (ReturnType<typeof deliveryView> & { subscriptionId: string; body: string })[];
	webhookSubscriptions(): (Record<string, unknown> & { secret: string })[];

	/** An OAuth access token for a configured client, without the HTTP round trip. */
	issueToken(clientId?: string): string;
}

export interface ControlDeps {
	core: SimCore;
	auth: AuthService;
	faults: FaultInjector;
	idempotency: IdempotencyCache;
	dispatcher: WebhookDispatcher;
	log: RequestLogEntry[];
	defaultClientId: string;
}

function matchesFilter(e: RequestLogEntry, f: RequestFilter = {}): boolean {
	if (f.method && e.method !== f.method.toUpperCase()) return false;
	if (f.client && e.client !== f.client) return false;
	if (f.status !== undefined && e.status !== f.status) return false;
	if (f.route !== undefined) {
		const line = `${e.method} ${e.path}`;
		const m = f.route;
		if (m instanceof RegExp) return m.test(line);
		if (e.route === m) return true;
		if (/^[A-Z]+ /.test(m)) return line.startsWith(m);
		return e.path.startsWith(m);
	}
	return true;
}

export function createControl(deps: ControlDeps): PropstreetControl {
	const { core, auth, faults, idempotency, dispatcher, log } = deps;
	const { store } = core;
	const ui: WriteContext = { core, origin: 'ui', actor: { id: 'user-sim-ui', name: 'Propstreet App User' } };
	const views: Record<ResourceKind, (id: string) => Record<string, unknown> | undefined> = {
		contact: (id) => (store.contacts.get(id) ? contactView(core, store.contacts.get(id)!, true) : undefined),
		company: (id) => (store.companies.get(id) ? companyView(core, store.companies.get(id)!, true) : undefined),
		link: (id) => (store.links.get(id) ? linkView(core, store.links.get(id)!, true) : undefined),
		project: (id) => (store.projects.get(id) ? projectView(core, store.projects.get(id)!, true) : undefined),
		prospect: (id) => (store.prospects.get(id) ? prospectView(core, store.prospects.get(id)!, true) : undefined),
		property: (id) => (store.properties.get(id) ? propertyView(core, store.properties.get(id)!, true) : undefined),
	};
	const need = <T extends { deletedUtc: string | null }>(table: Map<string, T>, id: string, what: string): T => {
		const r = table.get(id);
		if (!r || r.deletedUtc) throw notFound(`${what} '${id}'`);
		return r;
	};
	const prospectOf = (projectId: string, id: string) => {
		const p = need(store.prospects, id, 'Prospect');
		if (p.projectId !== projectId) throw notFound(`Prospect '${id}' on project '${projectId}'`);
		return p;
	};
	const subWithSecret = (s: WebhookSubscription) => subscriptionView(s, true) as Record<string, unknown> & { secret: string };

	const control: PropstreetControl = {
		seed: () => void loadSeed(store),
		reset: () => {
			store.reset();
			log.length = 0;
			faults.clear();
			idempotency.clear();
			auth.resetWindows();
			dispatcher.setFaults({});
		},
		state: () => ({
			contacts: [...store.contacts.keys()].map((id) => views.contact(id)!),
			companies: [...store.companies.keys()].map((id) => views.company(id)!),
			links: [...store.links.keys()].map((id) => views.link(id)!),
			projects: [...store.projects.keys()].map((id) => views.project(id)!),
			prospects: [...store.prospects.keys()].map((id) => views.prospect(id)!),
			properties: [...store.properties.keys()].map((id) => views.property(id)!),
			webhooks: [...store.webhooks.values()].map(subWithSecret),
			deliveries: [...store.deliveries.values()].map((d) => ({ ...deliveryView(d), subscriptionId: d.subscriptionId })),
		}),
		get: (kind, id) => views[kind](id),

		createContact: (body) => contactView(core, createContact(ui, body), true),
		updateContact: (id, patch) => contactView(core, updateContact(ui, need(store.contacts, id, 'Contact'), patch), true),
		deleteContact: (id) => deleteContact(ui, need(store.contacts, id, 'Contact')),
		createCompany: (body) => companyView(core, createCompany(ui, body), true),
		updateCompany: (id, patch) => companyView(core, updateCompany(ui, need(store.companies, id, 'Company'), patch), true),
		deleteCompany: (id) => deleteCompany(ui, need(store.companies, id, 'Company')),
		createLink: (body) => linkView(core, createLink(ui, { contactId: body.contactId, companyId: body.companyId, jobTitle: body.jobTitle ?? null, isPrimary: body.isPrimary }), true),
		updateLink: (id, patch) => linkView(core, updateLink(ui, need(store.links, id, 'Link'), patch), true),
		createProject: (body) => projectView(core, createProject(ui, body), true),
		updateProject: (id, patch) => {
			const { status, teaserStage, ...rest } = patch;
			return projectView(core, updateProject(ui, need(store.projects, id, 'Project'), rest, { status, teaserStage }), true);
		},
		deleteProject: (id) => deleteProject(ui, need(store.projects, id, 'Project')),
		setTeaserStage: (projectId, stage) => control.updateProject(projectId, { teaserStage: stage }),
		setProjectStatus: (projectId, status) => control.updateProject(projectId, { status }),
		addProspect: (projectId, body) => {
			need(store.projects, projectId, 'Project');
			if (!!body.contactId === !!body.companyId) throw new ApiError(400, 'Validation Error', 'Give exactly one of contactId or companyId.');
			if (body.contactId) need(store.contacts, body.contactId, 'Contact');
			if (body.companyId) need(store.companies, body.companyId, 'Company');
			const p = addProspect(ui, projectId, { contactId: body.contactId ?? null, companyId: body.companyId ?? null, externalRefs: body.externalRefs ?? [], classification: body.classification ?? 'not_contacted' });
			return prospectView(core, p, true);
		},
		updateProspect: (projectId, id, patch) => prospectView(core, updateProspect(ui, prospectOf(projectId, id), patch), true),
		classifyProspect: (projectId, id, classification) => control.updateProspect(projectId, id, { classification }),
		removeProspect: (projectId, id) => removeProspect(ui, prospectOf(projectId, id)),
		deleteProspect: (projectId, id) => deleteProspect(ui, prospectOf(projectId, id)),
		notes: () =>
			[...store.actions.values()]
				.filter((a) => a.type === 'note')
				.map((a) => ({ id: a.id, parentKind: a.parentKind, parentId: a.parentId, text: String(a.details.message ?? ''), archived: !!a.archivedAt, supersededBy: a.supersededByActivityId })),
		editNote: (noteId, text) => {
			const note = store.actions.get(noteId);
			if (!note || note.type !== 'note' || note.supersededByActivityId || note.archivedAt) throw notFound(`Note '${noteId}'`);
			const next = addNote(ui, note.parentKind, note.parentId, { ...note.details, message: text }, note.id);
			note.supersededByActivityId = next.id;
			note.etag = store.nextEtag();
			return { id: next.id, text };
		},
		createProperty: (body) => propertyView(core, createProperty(ui, body), true),
		createWebhook: (body) => {
			const now = core.clock.iso();
			const sub: WebhookSubscription = { id: `wh_${store.nextId()}`, url: body.url, events: body.events, name: body.name ?? null, enabled: true, secret: newWebhookSecret(), createdUtc: now, updatedUtc: now, consecutiveFailures: 0, disabledUtc: null, disabledReason: null };
			store.webhooks.set(sub.id, sub);
			return subWithSecret(sub) as Record<string, unknown> & { id: string; secret: string };
		},
		touch: (kind, id) => {
			const tables = { contact: store.contacts, company: store.companies, link: store.links, project: store.projects, prospect: store.prospects, property: store.properties } as const;
			const record = need(tables[kind] as Map<string, VersionedRecord>, id, kind);
			store.touch(record, 'update', 'ui');
			const view = views[kind](id)!;
			if (kind !== 'property') core.emit(`${kind}.updated` as WebhookEventType, view);
			return view;
		},

		now: () => core.clock.iso(),
		advanceClock: (ms) => {
			core.clock.advance(ms);
			dispatcher.pump();
		},

		revokeTokens: () => auth.revokeAll(),

		injectFaults: (spec) => faults.inject(spec),
		delayNext: (ms, spec) => faults.delay(ms, spec),
		injectConcurrentWrite: (spec) => faults.concurrentWriteAfterGet(spec),
		injectWebhookFaults: (spec) => dispatcher.setFaults(spec),
		clearFaults: () => {
			faults.clear();
			dispatcher.setFaults({});
		},

		requests: (filter) => log.filter((e) => matchesFilter(e, filter)).map((e) => ({ ...e })),
		countRequests: (filter) => log.filter((e) => matchesFilter(e, filter)).length,
		countWrites: (filter) => log.filter((e) => e.method !== 'GET' && e.status >= 200 && e.status < 300 && !e.replayed && !e.faulted && e.route !== 'POST /openid/token' && matchesFilter(e, filter)).length,
		requestsByRoute: () => {
			const out: Record<string, number> = {};
			for (const e of log) out[e.route ?? `${e.method} ${e.path}`] = (out[e.route ?? `${e.method} ${e.path}`] ?? 0) + 1;
			return out;
		},
		requestsByClient: () => {
			const out: Record<string, number> = {};
			for (const e of log) out[e.client] = (out[e.client] ?? 0) + 1;
			return out;
		},
		clearRequests: () => {
			log.length = 0;
		},

		flushWebhooks: () => dispatcher.flush(),
		drainWebhooks: () => dispatcher.drain(),
		deliveries: (subscriptionId) =>
			[...store.deliveries.values()]
				.filter((d: WebhookDelivery) => !subscriptionId || d.subscriptionId === subscriptionId)
				.sort((a, b) => a.seq - b.seq)
				.map((d) => ({ ...deliveryView(d), subscriptionId: d.subscriptionId, body: d.body })),
		webhookSubscriptions: () => [...store.webhooks.values()].map(subWithSecret),
		issueToken: (clientId) => auth.issueFor(clientId ?? deps.defaultClientId),
	};
	return control;
}

/** `/__control/...` over HTTP, for a simulator running in another process (demo, e2e). No auth: loopback only. */
export function controlRouter(control: PropstreetControl): Router {
	const r = new Router();
	const body = (b: unknown) => (b && typeof b === 'object' ? (b as Record<string, unknown>) : {});
	const ok = (value: unknown): SimResponse => (value === undefined ? noContent() : json(200, value));
	r.add('GET', '/__control/state', () => ok(control.state()));
	r.add('POST', '/__control/reset', () => ok(control.reset()));
	r.add('POST', '/__control/seed', () => ok(control.seed()));
	r.add('GET', '/__control/now', () => ok({ now: control.now() }));
	r.add('POST', '/__control/clock/advance', (req) => {
		const ms = Number(body(req.body).ms);
		if (!(ms >= 0)) throw new ApiError(400, 'Bad Request', 'Send {"ms": <non-negative number>}.');
		control.advanceClock(ms);
		return ok({ now: control.now() });
	});
	r.add('POST', '/__control/tokens/revoke', () => ok(control.revokeTokens()));
	r.add('POST', '/__control/faults', (req) => ok(control.injectFaults(body(req.body) as unknown as FaultSpec)));
	r.add('POST', '/__control/faults/delay', (req) => {
		const b = body(req.body);
		return ok(control.delayNext(Number(b.ms), { count: b.count as number | undefined, routes: b.routes as string[] | undefined }));
	});
	r.add('POST', '/__control/faults/concurrent-write', (req) => ok(control.injectConcurrentWrite(body(req.body) as ConcurrentWriteSpec)));
	r.add('POST', '/__control/faults/webhooks', (req) => ok(control.injectWebhookFaults(body(req.body) as WebhookFaults)));
	r.add('DELETE', '/__control/faults', () => ok(control.clearFaults()));
	r.add('GET', '/__control/requests', () => ok(control.requests()));
	r.add('DELETE', '/__control/requests', () => ok(control.clearRequests()));
	r.add('POST', '/__control/webhooks/flush', async () => ok(await control.flushWebhooks()));
	r.add('POST', '/__control/webhooks/drain', async () => ok(await control.drainWebhooks()));
	r.add('GET', '/__control/webhooks/deliveries', () => ok(control.deliveries()));
	r.add('POST', '/__control/tokens', (req) => ok({ access_token: control.issueToken(body(req.body).clientId as string | undefined) }));
	// Acting as a user in the web app.
	r.add('POST', '/__control/ui/contacts', (req) => ok(control.createContact(body(req.body))));
	r.add('PATCH', '/__control/ui/contacts/{id}', (req) => ok(control.updateContact(req.params.id, body(req.body))));
	r.add('DELETE', '/__control/ui/contacts/{id}', (req) => ok(control.deleteContact(req.params.id)));
	r.add('POST', '/__control/ui/companies', (req) => ok(control.createCompany(body(req.body))));
	r.add('PATCH', '/__control/ui/companies/{id}', (req) => ok(control.updateCompany(req.params.id, body(req.body))));
	r.add('DELETE', '/__control/ui/companies/{id}', (req) => ok(control.deleteCompany(req.params.id)));
	r.add('POST', '/__control/ui/projects', (req) => ok(control.createProject(body(req.body))));
	r.add('PATCH', '/__control/ui/projects/{id}', (req) => ok(control.updateProject(req.params.id, body(req.body))));
	r.add('DELETE', '/__control/ui/projects/{id}', (req) => ok(control.deleteProject(req.params.id)));
	r.add('POST', '/__control/ui/projects/{projectId}/prospects', (req) => ok(control.addProspect(req.params.projectId, body(req.body))));
	r.add('PATCH', '/__control/ui/projects/{projectId}/prospects/{id}', (req) => ok(control.updateProspect(req.params.projectId, req.params.id, body(req.body))));
	r.add('POST', '/__control/ui/projects/{projectId}/prospects/{id}/remove', (req) => ok(control.removeProspect(req.params.projectId, req.params.id)));
	r.add('DELETE', '/__control/ui/projects/{projectId}/prospects/{id}', (req) => ok(control.deleteProspect(req.params.projectId, req.params.id)));
	return r;
}

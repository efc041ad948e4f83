/**
 * The simulator's data and every write rule. API handlers and control edits both call these methods;
 * `ctx.source` says whether a change came through the API (`api`) or from a person in the web app
 * (`app`), which is what webhook `meta.change_source` reports. Each committed change emits one event.
 */
import { FIRST_RUNTIME_ID } from '../seed/ids';
import { FieldRegistry, normalizeAddress, validateCustomValue } from './fields';
import type { SimClock } from './clock';
import {
	changedPrevious,
	v1Deal,
	v1Organization,
	v1Person,
	webhookDeal,
	webhookNote,
	webhookOrganization,
	webhookPerson,
} from './serialize';
import type {
	AddressValue,
	ChangeSource,
	ContactItem,
	CustomValues,
	DealRecord,
	EntityEvent,
	FieldEntity,
	NoteRecord,
	OrganizationRecord,
	ParticipantChangelogEntry,
	ParticipantRecord,
	PersonRecord,
	PipedriveSwitches,
	PipelineRecord,
	StageRecord,
	UserRecord,
	WebhookRecord,
} from './types';
import { ApiError, badRequest, isInt, isPlainObject, notFound, parseTime, sanitizeHtml } from './util';

export interface WriteContext {
	source: ChangeSource;
	userId: number;
	isBulkEdit?: boolean;
}

export interface CompanyInfo {
	id: number;
	name: string;
	domain: string;
	currency: string;
}

const VISIBILITY = [1, 3, 5, 7];

/** Country names as people write them in addresses → ISO code (Pipedrive geocodes; we look up). */
const COUNTRY_CODES: Record<string, string> = {
	sverige: 'SE', sweden: 'SE', se: 'SE', norge: 'NO', noreg: 'NO', norway: 'NO', no: 'NO', danmark: 'DK', denmark: 'DK', dk: 'DK',
	suomi: 'FI', finland: 'FI', fi: 'FI', 'united kingdom': 'GB', uk: 'GB', germany: 'DE', deutschland: 'DE', iceland: 'IS', ísland: 'IS',
};

export class Store {
	readonly fields: FieldRegistry;
	persons = new Map<number, PersonRecord>();
	organizations = new Map<number, OrganizationRecord>();
	deals = new Map<number, DealRecord>();
	participants: ParticipantRecord[] = [];
	participantChangelog: ParticipantChangelogEntry[] = [];
	notes = new Map<number, NoteRecord>();
	pipelines = new Map<number, PipelineRecord>();
	stages = new Map<number, StageRecord>();
	users = new Map<number, UserRecord>();
	webhooks = new Map<number, WebhookRecord>();
	private next = { person: FIRST_RUNTIME_ID, organization: FIRST_RUNTIME_ID, deal: FIRST_RUNTIME_ID, note: 1, participant: 1, changelog: 1, webhook: 1, pipeline: 1, stage: 1 };

	constructor(
		private readonly clock: SimClock,
		readonly company: CompanyInfo,
		readonly switches: PipedriveSwitches,
		private readonly sink: (event: EntityEvent) => void,
	) {
		this.fields = new FieldRegistry(() => this.clock.now());
		this.reset();
	}

	now(): number {
		return this.clock.now();
	}

	/** While true (seeding), writes emit no webhook events. */
	muted = false;

	private emit(event: EntityEvent): void {
		if (!this.muted) this.sink(event);
	}

	/** Empties the account: built-in fields, two users, a default pipeline. Webhooks are kept. */
	reset(options: { personLabels?: readonly string[]; defaultPipeline?: boolean } = {}): void {
		this.persons.clear();
		this.organizations.clear();
		this.deals.clear();
		this.participants = [];
		this.participantChangelog = [];
		this.notes.clear();
		this.pipelines.clear();
		this.stages.clear();
		this.users.clear();
		this.next = { ...this.next, person: FIRST_RUNTIME_ID, organization: FIRST_RUNTIME_ID, deal: FIRST_RUNTIME_ID, note: 1, participant: 1, changelog: 1, pipeline: 1, stage: 1 };
		this.fields.reset(options.personLabels);
		const created = this.now();
		this.users.set(1, { id: 1, name: 'Sim Admin', email: 'admin@propstreet-sim.example.com', is_admin: true, active_flag: true, role_id: 1, timezone_name: 'Europe/Stockholm', locale: 'sv_SE', lang: 1, created });
		this.users.set(2, { id: 2, name: 'Erik Säljare', email: 'erik@propstreet-sim.example.com', is_admin: false, active_flag: true, role_id: 2, timezone_name: 'Europe/Stockholm', locale: 'sv_SE', lang: 1, created });
		if (options.defaultPipeline !== false) {
			const pipeline = this.createPipeline({ name: 'Pipeline' });
			for (const name of ['Qualified', 'Contact Made', 'Demo Scheduled', 'Proposal Made', 'Negotiations Started']) this.createStage({ name, pipeline_id: pipeline.id });
		}
	}

	// -------------------------------------------------------------------------------------------
	// Lookups and counters

	personOrThrow(id: number): PersonRecord {
		const p = this.persons.get(id);
		if (!p || p.is_deleted) throw notFound('Person');
		return p;
	}

	organizationOrThrow(id: number): OrganizationRecord {
		const o = this.organizations.get(id);
		if (!o || o.is_deleted) throw notFound('Organization');
		return o;
	}

	dealOrThrow(id: number): DealRecord {
		const d = this.deals.get(id);
		if (!d || d.is_deleted) throw notFound('Deal');
		return d;
	}

	exists(kind: 'org' | 'people' | 'user', id: number): boolean {
		if (kind === 'user') return this.users.has(id);
		const record = kind === 'org' ? this.organizations.get(id) : this.persons.get(id);
		return !!record && !record.is_deleted;
	}

	peopleCount(orgId: number): number {
		return [...this.persons.values()].filter((p) => !p.is_deleted && p.org_id === orgId).length;
	}

	activeParticipants(dealId: number): ParticipantRecord[] {
		return this.participants.filter((p) => p.deal_id === dealId && p.active);
	}

	countryCode(o: OrganizationRecord): string | null {
		const country = o.address?.country?.trim().toLowerCase();
		return country ? (COUNTRY_CODES[country] ?? null) : null;
	}

	personCounter(p: PersonRecord, field: string): number | null {
		const deals = [...this.deals.values()].filter((d) => !d.is_deleted && d.person_id === p.id);
		const partDeals = this.participants.filter((x) => x.active && x.person_id === p.id).map((x) => this.deals.get(x.deal_id)!).filter((d) => d && !d.is_deleted);
		switch (field) {
			case 'open_deals_count': return deals.filter((d) => d.status === 'open').length;
			case 'closed_deals_count': return deals.filter((d) => d.status !== 'open').length;
			case 'won_deals_count': return deals.filter((d) => d.status === 'won').length;
			case 'lost_deals_count': return deals.filter((d) => d.status === 'lost').length;
			case 'participant_open_deals_count': return partDeals.filter((d) => d.status === 'open').length;
			case 'participant_closed_deals_count': return partDeals.filter((d) => d.status !== 'open').length;
			case 'notes_count': return [...this.notes.values()].filter((n) => n.active_flag && n.person_id === p.id).length;
			default: return field.endsWith('_count') ? 0 : null;
		}
	}

	organizationCounter(o: OrganizationRecord, field: string): number | null {
		const deals = [...this.deals.values()].filter((d) => !d.is_deleted && d.org_id === o.id);
		switch (field) {
			case 'people_count': return this.peopleCount(o.id);
			case 'open_deals_count': return deals.filter((d) => d.status === 'open').length;
			case 'closed_deals_count': return deals.filter((d) => d.status !== 'open').length;
			case 'won_deals_count': return deals.filter((d) => d.status === 'won').length;
			case 'lost_deals_count': return deals.filter((d) => d.status === 'lost').length;
			case 'notes_count': return [...this.notes.values()].filter((n) => n.active_flag && n.org_id === o.id).length;
			default: return field.endsWith('_count') ? 0 : null;
		}
	}

	dealCounter(d: DealRecord, field: string): number | null {
		switch (field) {
			case 'participants_count': return this.activeParticipants(d.id).length;
			case 'notes_count': return [...this.notes.values()].filter((n) => n.active_flag && n.deal_id === d.id).length;
			default: return field.endsWith('_count') ? 0 : null;
		}
	}

	// -------------------------------------------------------------------------------------------
	// Validation helpers (API v2 is strict: no coercion)

	private checkInt(body: Record<string, unknown>, key: string, opts: { nullable?: boolean } = {}): number | null | undefined {
		if (!(key in body)) return undefined;
		const value = body[key];
		if (value === null && opts.nullable) return null;
		if (!isInt(value)) throw badRequest(`'${key}' must be an integer${opts.nullable ? ' or null' : ''}`);
		return value;
	}

	private checkString(body: Record<string, unknown>, key: string, opts: { nullable?: boolean; max?: number } = {}): string | null | undefined {
		if (!(key in body)) return undefined;
		const value = body[key];
		if (value === null && opts.nullable) return null;
		if (typeof value !== 'string') throw badRequest(`'${key}' must be a string${opts.nullable ? ' or null' : ''}`);
		if (opts.max !== undefined && value.length > opts.max) throw badRequest(`'${key}' must be at most ${opts.max} characters`);
		return value;
	}

	private checkOwner(body: Record<string, unknown>): number | undefined {
		const owner = this.checkInt(body, 'owner_id');
		if (owner === undefined || owner === null) return undefined;
		if (!this.users.has(owner)) throw badRequest(`User ${owner} (owner_id) not found`);
		return owner;
	}

	private checkVisibleTo(body: Record<string, unknown>): number | undefined {
		const value = this.checkInt(body, 'visible_to');
		if (value === undefined || value === null) return undefined;
		if (!VISIBILITY.includes(value)) throw badRequest(`'visible_to' must be one of ${VISIBILITY.join(', ')}`);
		return value;
	}

	private checkLabelIds(entity: FieldEntity, body: Record<string, unknown>): number[] | undefined {
		if (!('label_ids' in body)) return undefined;
		const value = body.label_ids;
		if (value === null) return [];
		if (!Array.isArray(value) || !value.every(isInt)) throw badRequest("'label_ids' must be an array of integers");
		const options = this.fields.labelOptions(entity);
		for (const id of value) if (!options.some((o) => o.id === id)) throw badRequest(`Label ${id} does not exist (label_ids)`);
		if (value.length > 100) throw badRequest("'label_ids' accepts at most 100 labels");
		return [...new Set(value as number[])];
	}

	private checkContacts(body: Record<string, unknown>, key: 'emails' | 'phones' | 'im'): ContactItem[] | undefined {
		if (!(key in body)) return undefined;
		const value = body[key];
		if (value === null) return [];
		if (!Array.isArray(value)) throw badRequest(`'${key}' must be an array of { value, primary?, label? }`);
		const items = value.map((item, index) => {
			if (!isPlainObject(item) || typeof item.value !== 'string') throw badRequest(`'${key}[${index}].value' is required and must be a string`);
			if (item.primary !== undefined && typeof item.primary !== 'boolean') throw badRequest(`'${key}[${index}].primary' must be a boolean`);
			if (item.label !== undefined && typeof item.label !== 'string') throw badRequest(`'${key}[${index}].label' must be a string`);
			return { value: item.value, primary: item.primary === true, label: (item.label as string | undefined) ?? 'work' };
		});
		if (items.filter((i) => i.primary).length > 1) throw badRequest(`Only one item in '${key}' can be primary`);
		if (items.length && !items.some((i) => i.primary)) items[0].primary = true;
		return items;
	}

	private checkCustom(entity: FieldEntity, body: Record<string, unknown>, current: CustomValues): CustomValues | undefined {
		if (!('custom_fields' in body)) return undefined;
		const input = body.custom_fields;
		if (input === null) return undefined;
		if (!isPlainObject(input)) throw badRequest("'custom_fields' must be an object keyed by field code");
		const next: CustomValues = { ...current };
		for (const [key, value] of Object.entries(input)) {
			const field = this.fields.byKey(entity, key);
			if (!field || !field.is_custom) throw badRequest(`Custom field '${key}' does not exist`, { field_code: key });
			next[key] = validateCustomValue(field, value, this);
		}
		return next;
	}

	private checkOrgRef(body: Record<string, unknown>, key = 'org_id'): number | null | undefined {
		const value = this.checkInt(body, key, { nullable: true });
		if (value === undefined || value === null) return value;
		if (!this.exists('org', value)) throw badRequest(`Organization ${value} (${key}) not found`);
		return value;
	}

	private checkPersonRef(body: Record<string, unknown>, key = 'person_id'): number | null | undefined {
		const value = this.checkInt(body, key, { nullable: true });
		if (value === undefined || value === null) return value;
		if (!this.exists('people', value)) throw badRequest(`Person ${value} (${key}) not found`);
		return value;
	}

	// -------------------------------------------------------------------------------------------
	// Events

	private emitChange(
		entity: 'person' | 'organization' | 'deal',
		before: { data: Record<string, unknown>; v1: Record<string, unknown> },
		id: number,
		ctx: WriteContext,
		extra: Partial<EntityEvent> = {},
	): void {
		const data = this.webhookData(entity, id);
		this.emit({
			action: 'change', entity, entityId: id, data, previous: changedPrevious(before.data, data), v1Current: this.v1Data(entity, id), v1Previous: before.v1,
			changeSource: ctx.source, userId: ctx.userId, isBulkEdit: ctx.isBulkEdit ?? false, timestamp: this.now(), ...extra,
		});
	}

	webhookData(entity: 'person' | 'organization' | 'deal', id: number): Record<string, unknown> {
		if (entity === 'person') return webhookPerson(this, this.persons.get(id)!);
		if (entity === 'organization') return webhookOrganization(this, this.organizations.get(id)!);
		return webhookDeal(this, this.deals.get(id)!);
	}

	v1Data(entity: 'person' | 'organization' | 'deal', id: number): Record<string, unknown> {
		if (entity === 'person') return v1Person(this, this.persons.get(id)!);
		if (entity === 'organization') return v1Organization(this, this.organizations.get(id)!);
		return v1Deal(this, this.deals.get(id)!);
	}

	private snapshot(entity: 'person' | 'organization' | 'deal', id: number) {
		return { data: this.webhookData(entity, id), v1: this.v1Data(entity, id) };
	}

	private emitCreate(entity: 'person' | 'organization' | 'deal', id: number, ctx: WriteContext): void {
		this.emit({
			action: 'create', entity, entityId: id, data: this.webhookData(entity, id), previous: null, v1Current: this.v1Data(entity, id), v1Previous: null,
			changeSource: ctx.source, userId: ctx.userId, isBulkEdit: ctx.isBulkEdit ?? false, timestamp: this.now(),
		});
	}

	private emitDelete(entity: 'person' | 'organization' | 'deal', before: { data: Record<string, unknown>; v1: Record<string, unknown> }, id: number, ctx: WriteContext, extra: Partial<EntityEvent> = {}): void {
		this.emit({
			action: 'delete', entity, entityId: id, data: null, previous: before.data, v1Current: null, v1Previous: before.v1,
			changeSource: ctx.source, userId: ctx.userId, isBulkEdit: ctx.isBulkEdit ?? false, timestamp: this.now(), ...extra,
		});
	}

	// -------------------------------------------------------------------------------------------
	// Persons

	private splitName(name: string): { first: string; last: string } {
		const trimmed = name.trim();
		const space = trimmed.indexOf(' ');
		return space < 0 ? { first: trimmed, last: '' } : { first: trimmed.slice(0, space), last: trimmed.slice(space + 1).trim() };
	}

	private applyPerson(p: PersonRecord, body: Record<string, unknown>, isCreate: boolean, ctx: WriteContext): void {
		const name = this.checkString(body, 'name', { max: 255 });
		const first = this.checkString(body, 'first_name', { nullable: true, max: 255 });
		const last = this.checkString(body, 'last_name', { nullable: true, max: 255 });
		if (name !== undefined && name !== null) {
			if (name.trim() === '') throw badRequest("'name' cannot be empty");
			p.name = name.trim();
			if (first === undefined && last === undefined) {
				const split = this.splitName(p.name);
				p.first_name = split.first;
				p.last_name = split.last;
			}
		}
		if (first !== undefined || last !== undefined) {
			p.first_name = first ?? (first === null ? '' : p.first_name);
			p.last_name = last ?? (last === null ? '' : p.last_name);
			if (name === undefined) {
				if (!p.first_name && !p.last_name) throw badRequest('first_name and last_name cannot both be empty');
				p.name = `${p.first_name} ${p.last_name}`.trim();
			}
		}
		if (isCreate && !p.name) throw badRequest("'name' is required (or first_name and last_name)");
		const owner = this.checkOwner(body);
		if (owner !== undefined) p.owner_id = owner;
		const org = this.checkOrgRef(body);
		if (org !== undefined) p.org_id = org;
		const emails = this.checkContacts(body, 'emails');
		if (emails) p.emails = emails;
		const phones = this.checkContacts(body, 'phones');
		if (phones) p.phones = phones;
		const visible = this.checkVisibleTo(body);
		if (visible !== undefined) p.visible_to = visible;
		const labels = this.checkLabelIds('person', body);
		if (labels) p.label_ids = labels;
		const custom = this.checkCustom('person', body, p.custom);
		if (custom) p.custom = custom;
		if ('marketing_status' in body) {
			const status = body.marketing_status;
			if (!['no_consent', 'unsubscribed', 'subscribed', 'archived'].includes(status as string)) throw badRequest("'marketing_status' must be no_consent, unsubscribed, subscribed or archived");
			p.marketing_status = status as string;
		}
		const contactSyncKeys = ['job_title', 'birthday', 'notes', 'postal_address', 'im'].filter((k) => k in body);
		// Only API writes are refused: the seed and `control` edits stand for data the account already
		// holds (the switch then hides it from API answers), and seeding must work with the switch off.
		if (contactSyncKeys.length && !this.switches.contactSync && ctx.source === 'api') {
			throw new ApiError(403, `Contact sync fields (${contactSyncKeys.join(', ')}) need contact sync enabled`);
		}
		const job = this.checkString(body, 'job_title', { nullable: true, max: 255 });
		if (job !== undefined) p.job_title = job;
		const notes = this.checkString(body, 'notes', { nullable: true, max: 10000 });
		if (notes !== undefined) p.notes = notes;
		const birthday = this.checkString(body, 'birthday', { nullable: true });
		if (birthday !== undefined) {
			if (birthday !== null && !/^\d{4}-\d{2}-\d{2}$/.test(birthday)) throw badRequest("'birthday' must be YYYY-MM-DD");
			p.birthday = birthday;
		}
		if ('postal_address' in body) p.postal_address = body.postal_address === null ? null : (normalizeAddress(body.postal_address, 'postal_address') as unknown as AddressValue);
		const im = this.checkContacts(body, 'im');
		if (im) p.im = im;
	}

	createPerson(body: Record<string, unknown>, ctx: WriteContext, options: { id?: number; addTime?: number } = {}): PersonRecord {
		const now = this.now();
		const p: PersonRecord = {
			id: 0, name: '', first_name: '', last_name: '', owner_id: ctx.userId, org_id: null, add_time: options.addTime ?? now, update_time: options.addTime ?? now,
			emails: [], phones: [], im: [], is_deleted: false, visible_to: 3, label_ids: [], picture_id: null, custom: {}, job_title: null, birthday: null, notes: null,
			postal_address: null, marketing_status: null,
		};
		this.applyPerson(p, body, true, ctx);
		p.id = options.id ?? this.next.person++;
		this.persons.set(p.id, p);
		this.emitCreate('person', p.id, ctx);
		return p;
	}

	updatePerson(id: number, body: Record<string, unknown>, ctx: WriteContext): PersonRecord {
		const current = this.personOrThrow(id);
		const draft: PersonRecord = JSON.parse(JSON.stringify(current));
		this.applyPerson(draft, body, false, ctx);
		return this.commit('person', current, draft, ctx);
	}

	/** Replaces the record when something changed, bumps update_time and emits one change event. */
	private commit<T extends PersonRecord | OrganizationRecord | DealRecord>(entity: 'person' | 'organization' | 'deal', current: T, draft: T, ctx: WriteContext): T {
		const strip = (r: T) => JSON.stringify({ ...r, update_time: 0 });
		// A write that changes nothing leaves update_time alone and sends no webhook (not confirmed
		// for Pipedrive; it keeps sync loops from echoing forever).
		if (strip(current) === strip(draft)) return current;
		const before = this.snapshot(entity, current.id);
		draft.update_time = this.now();
		const map = (entity === 'person' ? this.persons : entity === 'organization' ? this.organizations : this.deals) as Map<number, T>;
		map.set(current.id, draft);
		this.emitChange(entity, before, current.id, ctx);
		return draft;
	}

	deletePerson(id: number, ctx: WriteContext, extra: Partial<EntityEvent> = {}): void {
		const p = this.personOrThrow(id);
		const before = this.snapshot('person', id);
		p.is_deleted = true;
		p.update_time = this.now();
		this.emitDelete('person', before, id, ctx, extra);
	}

	// -------------------------------------------------------------------------------------------
	// Organizations

	private applyOrganization(o: OrganizationRecord, body: Record<string, unknown>, isCreate: boolean): void {
		const name = this.checkString(body, 'name', { max: 255 });
		if (name !== undefined && name !== null) {
			if (name.trim() === '') throw badRequest("'name' cannot be empty");
			o.name = name.trim();
		}
		if (isCreate && !o.name) throw badRequest("'name' is required");
		const owner = this.checkOwner(body);
		if (owner !== undefined) o.owner_id = owner;
		const visible = this.checkVisibleTo(body);
		if (visible !== undefined) o.visible_to = visible;
		const labels = this.checkLabelIds('organization', body);
		if (labels) o.label_ids = labels;
		if ('address' in body) o.address = body.address === null ? null : (normalizeAddress(body.address, 'address') as unknown as AddressValue);
		for (const key of ['website', 'linkedin'] as const) {
			const value = this.checkString(body, key, { nullable: true, max: 255 });
			if (value !== undefined) o[key] = value;
		}
		for (const key of ['industry', 'annual_revenue', 'employee_count'] as const) {
			const value = this.checkInt(body, key, { nullable: true });
			if (value !== undefined) o[key] = value;
		}
		const custom = this.checkCustom('organization', body, o.custom);
		if (custom) o.custom = custom;
	}

	createOrganization(body: Record<string, unknown>, ctx: WriteContext, options: { id?: number } = {}): OrganizationRecord {
		const now = this.now();
		const o: OrganizationRecord = {
			id: 0, name: '', owner_id: ctx.userId, add_time: now, update_time: now, is_deleted: false, visible_to: 3, label_ids: [], address: null, website: null,
			linkedin: null, industry: null, annual_revenue: null, employee_count: null, picture_id: null, custom: {},
		};
		this.applyOrganization(o, body, true);
		o.id = options.id ?? this.next.organization++;
		this.organizations.set(o.id, o);
		this.emitCreate('organization', o.id, ctx);
		return o;
	}

	updateOrganization(id: number, body: Record<string, unknown>, ctx: WriteContext): OrganizationRecord {
		const current = this.organizationOrThrow(id);
		const draft: OrganizationRecord = JSON.parse(JSON.stringify(current));
		this.applyOrganization(draft, body, false);
		return this.commit('organization', current, draft, ctx);
	}

	deleteOrganization(id: number, ctx: WriteContext, extra: Partial<EntityEvent> = {}): void {
		const o = this.organizationOrThrow(id);
		const before = this.snapshot('organization', id);
		o.is_deleted = true;
		o.update_time = this.now();
		this.emitDelete('organization', before, id, ctx, extra);
	}

	// -------------------------------------------------------------------------------------------
	// Deals

	firstStage(pipelineId: number): StageRecord | undefined {
		return [...this.stages.values()].filter((s) => s.pipeline_id === pipelineId && !s.is_deleted).sort((a, b) => a.order_nr - b.order_nr)[0];
	}

	defaultPipeline(): PipelineRecord | undefined {
		return [...this.pipelines.values()].filter((p) => !p.is_deleted).sort((a, b) => a.order_nr - b.order_nr)[0];
	}

	private applyDeal(d: DealRecord, body: Record<string, unknown>, isCreate: boolean): void {
		const title = this.checkString(body, 'title', { max: 255 });
		if (title !== undefined && title !== null) {
			if (title.trim() === '') throw badRequest("'title' cannot be empty");
			d.title = title;
		}
		if (isCreate && !d.title) throw badRequest("'title' is required");
		const owner = this.checkOwner(body);
		if (owner !== undefined) d.owner_id = owner;
		const person = this.checkPersonRef(body);
		if (person !== undefined) d.person_id = person;
		const org = this.checkOrgRef(body);
		if (org !== undefined) d.org_id = org;
		// stage_id decides the pipeline; with only pipeline_id the deal goes to that pipeline's first stage.
		const stageId = this.checkInt(body, 'stage_id');
		const pipelineId = this.checkInt(body, 'pipeline_id');
		if (stageId !== undefined && stageId !== null) {
			const stage = this.stages.get(stageId);
			if (!stage || stage.is_deleted) throw badRequest(`Stage ${stageId} (stage_id) not found`);
			d.stage_id = stage.id;
			d.pipeline_id = stage.pipeline_id;
		} else if (pipelineId !== undefined && pipelineId !== null && (isCreate || pipelineId !== d.pipeline_id)) {
			const pipeline = this.pipelines.get(pipelineId);
			if (!pipeline || pipeline.is_deleted) throw badRequest(`Pipeline ${pipelineId} (pipeline_id) not found`);
			const first = this.firstStage(pipelineId);
			if (!first) throw badRequest(`Pipeline ${pipelineId} has no stages`);
			d.stage_id = first.id;
			d.pipeline_id = pipelineId;
		} else if (isCreate) {
			const pipeline = this.defaultPipeline();
			const first = pipeline && this.firstStage(pipeline.id);
			if (!pipeline || !first) throw badRequest('The account has no pipeline with stages');
			d.stage_id = first.id;
			d.pipeline_id = pipeline.id;
		}
		if ('value' in body) {
			if (typeof body.value !== 'number' || !Number.isFinite(body.value)) throw badRequest("'value' must be a number");
			d.value = body.value;
		}
		const currency = this.checkString(body, 'currency');
		if (currency !== undefined && currency !== null) {
			if (!/^[A-Z]{3}$/.test(currency)) throw badRequest("'currency' must be a 3-letter code");
			d.currency = currency;
		}
		if ('status' in body) {
			if (!['open', 'won', 'lost'].includes(body.status as string)) throw badRequest("'status' must be open, won or lost");
			d.status = body.status as DealRecord['status'];
		}
		if ('probability' in body) {
			const p = body.probability;
			if (p !== null && (typeof p !== 'number' || p < 0 || p > 100)) throw badRequest("'probability' must be a number from 0 to 100, or null");
			d.probability = p as number | null;
		}
		const lostReason = this.checkString(body, 'lost_reason', { nullable: true, max: 255 });
		if (lostReason !== undefined) d.lost_reason = lostReason;
		const visible = this.checkVisibleTo(body);
		if (visible !== undefined) d.visible_to = visible;
		const labels = this.checkLabelIds('deal', body);
		if (labels) d.label_ids = labels;
		const expected = this.checkString(body, 'expected_close_date', { nullable: true });
		if (expected !== undefined) {
			if (expected !== null && !/^\d{4}-\d{2}-\d{2}$/.test(expected)) throw badRequest("'expected_close_date' must be YYYY-MM-DD");
			d.expected_close_date = expected;
		}
		const originId = this.checkString(body, 'origin_id', { nullable: true });
		if (originId !== undefined) d.origin_id = originId;
		if ('is_archived' in body) {
			if (typeof body.is_archived !== 'boolean') throw badRequest("'is_archived' must be a boolean");
			d.is_archived = body.is_archived;
			d.archive_time = body.is_archived ? (d.archive_time ?? this.now()) : null;
		}
		for (const key of ['add_time', 'update_time', 'stage_change_time'] as const) {
			if (!isCreate && key in body) throw badRequest(`'${key}' cannot be set on update`);
		}
		const custom = this.checkCustom('deal', body, d.custom);
		if (custom) d.custom = custom;
	}

	/** Status and stage side effects (won/lost/close times, stage change time). */
	private dealLifecycle(before: DealRecord | null, d: DealRecord): void {
		const now = this.now();
		if (!before || before.status !== d.status) {
			if (d.status === 'won') {
				d.won_time = now; d.close_time = now; d.lost_time = null; d.first_won_time ??= now;
			} else if (d.status === 'lost') {
				d.lost_time = now; d.close_time = now; d.won_time = null;
			} else if (before) {
				d.won_time = null; d.lost_time = null; d.close_time = null; d.lost_reason = null;
			}
		}
		if (d.lost_reason && d.status !== 'lost') throw badRequest("'lost_reason' can only be set when status is lost");
		if (before && before.stage_id !== d.stage_id) d.stage_change_time = now;
	}

	createDeal(body: Record<string, unknown>, ctx: WriteContext, options: { id?: number } = {}): DealRecord {
		const now = this.now();
		const d: DealRecord = {
			id: 0, title: '', creator_user_id: ctx.userId, owner_id: ctx.userId, person_id: null, org_id: null, pipeline_id: 0, stage_id: 0, value: 0,
			currency: this.company.currency, add_time: now, update_time: now, stage_change_time: null, is_deleted: false, is_archived: false, archive_time: null,
			status: 'open', probability: null, lost_reason: null, visible_to: 3, close_time: null, won_time: null, lost_time: null, first_won_time: null,
			expected_close_date: null, label_ids: [], origin: ctx.source === 'api' ? 'API' : 'ManuallyCreated', origin_id: null, channel: null, channel_id: null, custom: {},
		};
		this.applyDeal(d, body, true);
		this.dealLifecycle(null, d);
		d.id = options.id ?? this.next.deal++;
		this.deals.set(d.id, d);
		if (d.person_id !== null && this.switches.primaryPersonIsParticipant) this.recordParticipant(d.id, d.person_id, ctx.userId);
		this.emitCreate('deal', d.id, ctx);
		return d;
	}

	updateDeal(id: number, body: Record<string, unknown>, ctx: WriteContext): DealRecord {
		const current = this.dealOrThrow(id);
		if (current.is_archived && !('is_archived' in body)) throw new ApiError(403, 'Archived deals cannot be edited');
		const draft: DealRecord = JSON.parse(JSON.stringify(current));
		this.applyDeal(draft, body, false);
		this.dealLifecycle(current, draft);
		const saved = this.commit('deal', current, draft, ctx);
		if (saved !== current && saved.person_id !== null && saved.person_id !== current.person_id && this.switches.primaryPersonIsParticipant) {
			if (!this.activeParticipants(id).some((p) => p.person_id === saved.person_id)) this.recordParticipant(id, saved.person_id, ctx.userId);
		}
		return saved;
	}

	deleteDeal(id: number, ctx: WriteContext, extra: Partial<EntityEvent> = {}): void {
		const d = this.dealOrThrow(id);
		const before = this.snapshot('deal', id);
		d.is_deleted = true;
		d.update_time = this.now();
		this.emitDelete('deal', before, id, ctx, extra);
	}

	// -------------------------------------------------------------------------------------------
	// Participants (v1 only; Pipedrive sends no webhook for them)

	private recordParticipant(dealId: number, personId: number, userId: number): ParticipantRecord {
		const record: ParticipantRecord = { id: this.next.participant++, deal_id: dealId, person_id: personId, add_time: this.now(), added_by_user_id: userId, active: true };
		this.participants.push(record);
		this.participantChangelog.push({ seq: this.next.changelog++, deal_id: dealId, actor_user_id: userId, person_id: personId, action: 'added', time: this.now() });
		return record;
	}

	addParticipant(dealId: number, personId: unknown, ctx: WriteContext): ParticipantRecord {
		const deal = this.dealOrThrow(dealId);
		if (!isInt(personId)) throw badRequest("'person_id' is required and must be an integer");
		if (!this.exists('people', personId)) throw badRequest(`Person ${personId} not found`);
		const existing = this.activeParticipants(dealId).find((p) => p.person_id === personId);
		if (existing) {
			if (this.switches.duplicateParticipant === 'return-existing') return existing;
			throw badRequest(`Person ${personId} is already a participant of deal ${dealId}`);
		}
		const before = this.switches.participantWebhooks ? this.snapshot('deal', dealId) : null;
		const record = this.recordParticipant(dealId, personId, ctx.userId);
		this.afterParticipantChange(deal, before, ctx);
		return record;
	}

	removeParticipant(dealId: number, participantId: number, ctx: WriteContext): void {
		const deal = this.dealOrThrow(dealId);
		const record = this.participants.find((p) => p.id === participantId && p.deal_id === dealId && p.active);
		if (!record) throw notFound('Participant');
		const before = this.switches.participantWebhooks ? this.snapshot('deal', dealId) : null;
		record.active = false;
		this.participantChangelog.push({ seq: this.next.changelog++, deal_id: dealId, actor_user_id: ctx.userId, person_id: record.person_id, action: 'removed', time: this.now() });
		this.afterParticipantChange(deal, before, ctx);
	}

	private afterParticipantChange(deal: DealRecord, before: { data: Record<string, unknown>; v1: Record<string, unknown> } | null, ctx: WriteContext): void {
		if (this.switches.participantChangeTouchesDeal) deal.update_time = this.now();
		if (before) this.emitChange('deal', before, deal.id, ctx);
	}

	// -------------------------------------------------------------------------------------------
	// Merges: the entity in the URL goes away; `merge_with_id` survives and keeps its values,
	// filling its empty fields from the other one. Related records move to the survivor.

	private isEmpty(value: unknown): boolean {
		return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
	}

	mergePersons(fromId: number, intoId: unknown, ctx: WriteContext): PersonRecord {
		if (!isInt(intoId)) throw badRequest("'merge_with_id' is required and must be an integer");
		if (fromId === intoId) throw badRequest('Cannot merge a person with itself');
		const from = this.personOrThrow(fromId);
		const into = this.personOrThrow(intoId);
		const before = this.snapshot('person', into.id);
		for (const key of ['org_id', 'job_title', 'birthday', 'notes', 'postal_address', 'picture_id', 'marketing_status'] as const) {
			if (this.isEmpty(into[key])) (into as unknown as Record<string, unknown>)[key] = from[key];
		}
		if (!into.label_ids.length) into.label_ids = [...from.label_ids];
		// Contact details are combined: the survivor's come first and keep their primary flag.
		for (const key of ['emails', 'phones', 'im'] as const) {
			for (const item of from[key]) if (!into[key].some((x) => x.value.toLowerCase() === item.value.toLowerCase())) into[key].push({ ...item, primary: false });
		}
		for (const [key, value] of Object.entries(from.custom)) if (this.isEmpty(into.custom[key])) into.custom[key] = value;
		into.update_time = this.now();
		const movedDeals: number[] = [];
		for (const deal of this.deals.values()) {
			if (deal.person_id === fromId && !deal.is_deleted) movedDeals.push(deal.id);
		}
		const dealSnapshots = new Map(movedDeals.map((id) => [id, this.snapshot('deal', id)]));
		for (const id of movedDeals) {
			const deal = this.deals.get(id)!;
			deal.person_id = into.id;
			deal.update_time = this.now();
		}
		for (const part of this.participants.filter((p) => p.person_id === fromId && p.active)) {
			if (this.activeParticipants(part.deal_id).some((p) => p.person_id === into.id)) part.active = false;
			else part.person_id = into.id;
		}
		for (const note of this.notes.values()) if (note.person_id === fromId) note.person_id = into.id;
		this.deletePerson(fromId, ctx, { mergedToId: into.id });
		this.emitChange('person', before, into.id, ctx, { mergedFromId: fromId, v1Action: 'merged' });
		for (const id of movedDeals) this.emitChange('deal', dealSnapshots.get(id)!, id, ctx);
		return into;
	}

	/** Deals merge like persons: the survivor keeps its values and fills empty ones (custom fields too); participants and notes move. */
	mergeDeals(fromId: number, intoId: unknown, ctx: WriteContext): DealRecord {
		if (!isInt(intoId)) throw badRequest("'merge_with_id' is required and must be an integer");
		if (fromId === intoId) throw badRequest('Cannot merge a deal with itself');
		const from = this.dealOrThrow(fromId);
		const into = this.dealOrThrow(intoId);
		const before = this.snapshot('deal', into.id);
		for (const key of ['person_id', 'org_id', 'expected_close_date', 'lost_reason'] as const) {
			if (this.isEmpty(into[key])) (into as unknown as Record<string, unknown>)[key] = from[key];
		}
		for (const [key, value] of Object.entries(from.custom)) if (this.isEmpty(into.custom[key])) into.custom[key] = value;
		into.update_time = this.now();
		for (const part of this.participants.filter((p) => p.deal_id === fromId && p.active)) {
			if (this.activeParticipants(into.id).some((p) => p.person_id === part.person_id)) part.active = false;
			else part.deal_id = into.id;
		}
		for (const note of this.notes.values()) if (note.deal_id === fromId) note.deal_id = into.id;
		this.deleteDeal(fromId, ctx, { mergedToId: into.id });
		this.emitChange('deal', before, into.id, ctx, { mergedFromId: fromId, v1Action: 'merged' });
		return into;
	}

	mergeOrganizations(fromId: number, intoId: unknown, ctx: WriteContext): OrganizationRecord {
		if (!isInt(intoId)) throw badRequest("'merge_with_id' is required and must be an integer");
		if (fromId === intoId) throw badRequest('Cannot merge an organization with itself');
		const from = this.organizationOrThrow(fromId);
		const into = this.organizationOrThrow(intoId);
		const before = this.snapshot('organization', into.id);
		for (const key of ['address', 'website', 'linkedin', 'industry', 'annual_revenue', 'employee_count', 'picture_id'] as const) {
			if (this.isEmpty(into[key])) (into as unknown as Record<string, unknown>)[key] = from[key];
		}
		if (!into.label_ids.length) into.label_ids = [...from.label_ids];
		for (const [key, value] of Object.entries(from.custom)) if (this.isEmpty(into.custom[key])) into.custom[key] = value;
		into.update_time = this.now();
		const movedPersons = [...this.persons.values()].filter((p) => p.org_id === fromId && !p.is_deleted).map((p) => p.id);
		const movedDeals = [...this.deals.values()].filter((d) => d.org_id === fromId && !d.is_deleted).map((d) => d.id);
		const personSnaps = new Map(movedPersons.map((id) => [id, this.snapshot('person', id)]));
		const dealSnaps = new Map(movedDeals.map((id) => [id, this.snapshot('deal', id)]));
		for (const id of movedPersons) Object.assign(this.persons.get(id)!, { org_id: into.id, update_time: this.now() });
		for (const id of movedDeals) Object.assign(this.deals.get(id)!, { org_id: into.id, update_time: this.now() });
		for (const note of this.notes.values()) if (note.org_id === fromId) note.org_id = into.id;
		this.deleteOrganization(fromId, ctx, { mergedToId: into.id });
		this.emitChange('organization', before, into.id, ctx, { mergedFromId: fromId, v1Action: 'merged' });
		for (const id of movedPersons) this.emitChange('person', personSnaps.get(id)!, id, ctx);
		for (const id of movedDeals) this.emitChange('deal', dealSnaps.get(id)!, id, ctx);
		return into;
	}

	// -------------------------------------------------------------------------------------------
	// Notes (v1)

	private flag(body: Record<string, unknown>, key: string): boolean | undefined {
		if (!(key in body)) return undefined;
		const value = body[key];
		if (value === true || value === 1 || value === '1' || value === 'true') return true;
		if (value === false || value === 0 || value === '0' || value === 'false') return false;
		throw badRequest(`'${key}' must be 0 or 1`);
	}

	/** v1 accepts ids as numbers or numeric strings (form bodies). */
	private v1Id(body: Record<string, unknown>, key: string): number | null | undefined {
		if (!(key in body)) return undefined;
		const value = body[key];
		if (value === null || value === '') return null;
		if (isInt(value)) return value;
		if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
		throw badRequest(`'${key}' must be an integer`);
	}

	private applyNote(n: NoteRecord, body: Record<string, unknown>, isCreate: boolean): void {
		if ('content' in body || isCreate) {
			if (typeof body.content !== 'string' || body.content.trim() === '') throw badRequest("'content' is required");
			n.content = sanitizeHtml(body.content);
		}
		const dealId = this.v1Id(body, 'deal_id');
		if (dealId !== undefined) {
			if (dealId !== null) this.dealOrThrow(dealId);
			n.deal_id = dealId;
		}
		const personId = this.v1Id(body, 'person_id');
		if (personId !== undefined) {
			if (personId !== null) this.personOrThrow(personId);
			n.person_id = personId;
		}
		const orgId = this.v1Id(body, 'org_id');
		if (orgId !== undefined) {
			if (orgId !== null) this.organizationOrThrow(orgId);
			n.org_id = orgId;
		}
		if ('lead_id' in body) n.lead_id = (body.lead_id as string | null) ?? null;
		const projectId = this.v1Id(body, 'project_id');
		if (projectId !== undefined) n.project_id = projectId;
		const userId = this.v1Id(body, 'user_id');
		if (userId !== undefined && userId !== null) {
			if (!this.users.has(userId)) throw badRequest(`User ${userId} not found`);
			n.user_id = userId;
		}
		if ('add_time' in body) {
			const parsed = typeof body.add_time === 'string' ? parseTime(body.add_time) : null;
			if (parsed === null) throw badRequest("'add_time' must be YYYY-MM-DD HH:MM:SS");
			n.add_time = parsed;
		}
		for (const key of ['pinned_to_deal_flag', 'pinned_to_person_flag', 'pinned_to_organization_flag', 'pinned_to_lead_flag', 'pinned_to_project_flag'] as const) {
			const value = this.flag(body, key);
			if (value !== undefined) n[key] = value;
		}
		if (n.deal_id === null && n.person_id === null && n.org_id === null && n.lead_id === null && n.project_id === null) {
			throw badRequest('A note needs at least one of deal_id, person_id, org_id, lead_id or project_id');
		}
	}

	createNote(body: Record<string, unknown>, ctx: WriteContext): NoteRecord {
		const now = this.now();
		const n: NoteRecord = {
			id: 0, user_id: ctx.userId, deal_id: null, person_id: null, org_id: null, lead_id: null, project_id: null, content: '', add_time: now, update_time: now,
			active_flag: true, last_update_user_id: null, pinned_to_deal_flag: false, pinned_to_person_flag: false, pinned_to_organization_flag: false,
			pinned_to_lead_flag: false, pinned_to_project_flag: false,
		};
		this.applyNote(n, body, true);
		n.id = this.next.note++;
		this.notes.set(n.id, n);
		this.emit({ action: 'create', entity: 'note', entityId: n.id, data: webhookNote(n), previous: null, v1Current: webhookNote(n), v1Previous: null, changeSource: ctx.source, userId: ctx.userId, isBulkEdit: false, timestamp: now });
		return n;
	}

	noteOrThrow(id: number): NoteRecord {
		const n = this.notes.get(id);
		if (!n || !n.active_flag) throw notFound('Note');
		return n;
	}

	updateNote(id: number, body: Record<string, unknown>, ctx: WriteContext): NoteRecord {
		const current = this.noteOrThrow(id);
		const draft: NoteRecord = { ...current };
		this.applyNote(draft, body, false);
		if (JSON.stringify(draft) === JSON.stringify(current)) return current;
		draft.update_time = this.now();
		draft.last_update_user_id = ctx.userId;
		this.notes.set(id, draft);
		const before = webhookNote(current);
		const after = webhookNote(draft);
		this.emit({ action: 'change', entity: 'note', entityId: id, data: after, previous: changedPrevious(before, after), v1Current: after, v1Previous: before, changeSource: ctx.source, userId: ctx.userId, isBulkEdit: false, timestamp: this.now() });
		return draft;
	}

	deleteNote(id: number, ctx: WriteContext): void {
		const n = this.noteOrThrow(id);
		const before = webhookNote(n);
		n.active_flag = false;
		this.emit({ action: 'delete', entity: 'note', entityId: id, data: null, previous: before, v1Current: null, v1Previous: before, changeSource: ctx.source, userId: ctx.userId, isBulkEdit: false, timestamp: this.now() });
	}

	// -------------------------------------------------------------------------------------------
	// Pipelines and stages

	createPipeline(input: { name: unknown; is_deal_probability_enabled?: unknown }): PipelineRecord {
		if (typeof input.name !== 'string' || !input.name.trim()) throw badRequest("'name' is required");
		if (input.is_deal_probability_enabled !== undefined && typeof input.is_deal_probability_enabled !== 'boolean') throw badRequest("'is_deal_probability_enabled' must be a boolean");
		const now = this.now();
		const pipeline: PipelineRecord = { id: this.next.pipeline++, name: input.name, order_nr: this.pipelines.size, is_deleted: false, is_deal_probability_enabled: input.is_deal_probability_enabled === true, add_time: now, update_time: now };
		this.pipelines.set(pipeline.id, pipeline);
		return pipeline;
	}

	createStage(input: { name: unknown; pipeline_id: unknown; deal_probability?: unknown; is_deal_rot_enabled?: unknown; days_to_rotten?: unknown }): StageRecord {
		if (typeof input.name !== 'string' || !input.name.trim()) throw badRequest("'name' is required");
		if (!isInt(input.pipeline_id) || !this.pipelines.has(input.pipeline_id)) throw badRequest("'pipeline_id' must be an existing pipeline id");
		if (input.deal_probability !== undefined && (!isInt(input.deal_probability) || input.deal_probability < 0 || input.deal_probability > 100)) throw badRequest("'deal_probability' must be an integer 0–100");
		const now = this.now();
		const order = [...this.stages.values()].filter((s) => s.pipeline_id === input.pipeline_id).length + 1;
		const stage: StageRecord = {
			id: this.next.stage++, name: input.name, order_nr: order, pipeline_id: input.pipeline_id, deal_probability: (input.deal_probability as number | undefined) ?? 100,
			is_deal_rot_enabled: input.is_deal_rot_enabled === true, days_to_rotten: isInt(input.days_to_rotten) ? input.days_to_rotten : null, is_deleted: false, add_time: now, update_time: now,
		};
		this.stages.set(stage.id, stage);
		return stage;
	}

	// -------------------------------------------------------------------------------------------
	// Webhooks registry (/v1/webhooks)

	createWebhook(body: Record<string, unknown>, client: { label: string; isOAuth: boolean }, userId: number): WebhookRecord {
		const errors: Record<string, string[]> = {};
		const url = body.subscription_url;
		if (typeof url !== 'string' || !url) errors.subscription_url = ['subscription_url is required'];
		else {
			let parsed: URL | null = null;
			try {
				parsed = new URL(url);
			} catch {
				errors.subscription_url = ['subscription_url must be a valid URL'];
			}
			if (parsed) {
				const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
				if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && (loopback ? this.switches.allowHttpLoopbackWebhooks : true))) {
					errors.subscription_url = ['subscription_url must be an http(s) URL'];
				}
				if (/(^|\.)pipedrive\.com$/.test(parsed.hostname)) errors.subscription_url = ['subscription_url cannot be a Pipedrive API URL'];
			}
		}
		const version = body.version === undefined || body.version === null ? '2.0' : body.version; // default 2.0 since 2025-03-17
		if (version !== '1.0' && version !== '2.0') errors.version = ['version must be "1.0" or "2.0"'];
		const actions = version === '1.0' ? ['added', 'updated', 'merged', 'deleted', '*'] : ['create', 'change', 'delete', '*'];
		if (typeof body.event_action !== 'string' || !actions.includes(body.event_action)) errors.event_action = [`event_action must be one of ${actions.join(', ')}`];
		const objects = ['activity', 'deal', 'lead', 'note', 'organization', 'person', 'pipeline', 'product', 'stage', 'user', '*', ...(version === '1.0' ? ['activityType'] : ['deal_installment', 'deal_product', 'board', 'phase', 'project', 'task'])];
		if (typeof body.event_object !== 'string' || !objects.includes(body.event_object)) errors.event_object = [`event_object must be one of ${objects.join(', ')}`];
		for (const key of ['http_auth_user', 'http_auth_password', 'name'] as const) {
			if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string') errors[key] = [`${key} must be a string`];
		}
		if (Object.keys(errors).length) throw new ApiError(400, 'Validation failed', { status: 'error', errors });
		const owned = [...this.webhooks.values()].filter((w) => w.user_id === userId && w.is_active === 1);
		if (owned.length >= 40) throw new ApiError(422, 'Webhooks limit reached (40 per user)');
		const webhook: WebhookRecord = {
			id: this.next.webhook++, company_id: this.company.id, owner_id: userId, user_id: isInt(body.user_id) ? body.user_id : userId,
			event_action: body.event_action as string, event_object: body.event_object as string, subscription_url: url as string, version: version as '1.0' | '2.0',
			is_active: 1, add_time: this.now(), remove_time: null, type: client.isOAuth ? 'application' : 'general',
			http_auth_user: (body.http_auth_user as string | undefined) || null, http_auth_password: (body.http_auth_password as string | undefined) || null,
			remove_reason: null, last_delivery_time: null, last_http_status: null, admin_id: 1, name: (body.name as string | undefined) ?? null,
			failedFirstAttempts: 0, bannedUntil: null, createdByClient: client.label,
		};
		this.webhooks.set(webhook.id, webhook);
		return webhook;
	}
}

export type { CustomValues };

/**
 * API v1 routes for what v2 lacks (reference §3.1): deal participants and their changelog, notes,
 * field definitions, webhooks, merges, users; plus the legacy v1 reads and searches n8n's built-in
 * Pipedrive node still calls (`/v1/persons/search` etc.). `/api/v1/...` is an alias of `/v1/...`.
 */
import { v1Field } from '../fields';
import type { RequestContext, Router } from '../router';
import { v1Deal, v1Note, v1Organization, v1Participant, v1Person, v1Pipeline, v1Stage, v1User } from '../serialize';
import type { Store, WriteContext } from '../store';
import type { FieldEntity, WebhookRecord } from '../types';
import { ApiError, badRequest, decodeCursor, encodeCursor, notFound, parseTime, queryInt, v1Time, type Query } from '../util';
import { readSearchParams, searchDeals, searchOrganizations, searchPersons, v1Page, type SearchHit } from './listing';

const V1 = '/v1';

function idParam(ctx: RequestContext, name = 'id'): number {
	const raw = ctx.params[name];
	if (!/^\d+$/.test(raw)) throw badRequest(`'${name}' must be an integer`);
	return Number(raw);
}

const write = (ctx: RequestContext): WriteContext => ({ source: 'api', userId: ctx.userId });

/** v1 list pagination: under `additional_data.pagination` (concept docs, n8n) or flat (the OpenAPI schema for some lists). */
function paginated(store: Store, data: unknown[], pagination: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	const additional = store.switches.v1PaginationShape === 'flat' ? { ...pagination } : { pagination };
	return { body: { success: true, data, additional_data: additional, ...extra } };
}

function webhookV1(w: WebhookRecord): Record<string, unknown> {
	return {
		id: w.id, company_id: w.company_id, owner_id: w.owner_id, user_id: w.user_id, event_action: w.event_action, event_object: w.event_object,
		subscription_url: w.subscription_url, version: w.version, is_active: w.is_active, add_time: v1Time(w.add_time), remove_time: v1Time(w.remove_time),
		type: w.type, http_auth_user: w.http_auth_user, http_auth_password: w.http_auth_password, remove_reason: w.remove_reason,
		last_delivery_time: v1Time(w.last_delivery_time), last_http_status: w.last_http_status, admin_id: w.admin_id, name: w.name,
	};
}

function searchV1(hits: SearchHit[], query: Query) {
	const { page, pagination } = v1Page(hits, query);
	return { body: { success: true, data: { items: page.map((h) => ({ result_score: Math.round(h.score * 1e4) / 1e4, item: h.item })) }, additional_data: { pagination } } };
}

function toInt(value: unknown, name: string): number {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	throw badRequest(`'${name}' is required and must be an integer`);
}

export function registerV1(router: Router): void {
	// Users -----------------------------------------------------------------------------------
	router.get(`${V1}/users/me`, (ctx) => ({ body: { success: true, data: v1User(ctx.store, ctx.store.users.get(ctx.userId)!, true) } }));
	router.get(`${V1}/users`, (ctx) => ({ body: { success: true, data: [...ctx.store.users.values()].map((u) => v1User(ctx.store, u, u.id === ctx.userId)) } }), { list: true });
	router.get(`${V1}/users/{id}`, (ctx) => {
		const user = ctx.store.users.get(idParam(ctx));
		if (!user) throw notFound('User');
		return { body: { success: true, data: v1User(ctx.store, user, user.id === ctx.userId) } };
	});
	// n8n's credential test calls this.
	router.get(`${V1}/userSettings`, () => ({ body: { success: true, data: { list_limit: 100, beta_app: false, prevent_salesphone_callto_override: false, file_upload_destination: 'pipedrive' } } }));

	// Webhooks --------------------------------------------------------------------------------
	router.get(`${V1}/webhooks`, (ctx) => {
		// Apps (OAuth) see only the webhooks they created; an API token sees the company's general ones.
		const visible = [...ctx.store.webhooks.values()].filter((w) => (ctx.client.isOAuth ? w.createdByClient === ctx.client.label : w.type === 'general'));
		return { body: { success: true, status: 'ok', data: visible.map(webhookV1) } };
	}, { list: true });
	router.post(`${V1}/webhooks`, (ctx) => ({ status: 201, body: { success: true, status: 'ok', data: webhookV1(ctx.store.createWebhook(ctx.body, ctx.client, ctx.userId)) } }));
	router.delete(`${V1}/webhooks/{id}`, (ctx) => {
		const id = idParam(ctx);
		const webhook = ctx.store.webhooks.get(id);
		if (!webhook) throw notFound('Webhook');
		if (ctx.client.isOAuth && webhook.createdByClient !== ctx.client.label) throw new ApiError(403, 'Forbidden', { message: 'This webhook belongs to another app' });
		ctx.store.webhooks.delete(id);
		return { body: { success: true, status: 'ok' } };
	});

	// Deal participants -----------------------------------------------------------------------
	router.get(`${V1}/deals/{id}/participants`, (ctx) => {
		const s = ctx.store;
		const deal = s.dealOrThrow(idParam(ctx));
		const { page, pagination } = v1Page(s.activeParticipants(deal.id), ctx.query);
		const persons: Record<string, unknown> = {};
		for (const p of page) {
			const person = s.persons.get(p.person_id)!;
			persons[person.id] = { active_flag: !person.is_deleted, id: person.id, name: person.name, email: person.emails, phone: person.phones, owner_id: person.owner_id };
		}
		const users = Object.fromEntries([...s.users.values()].map((u) => [u.id, { id: u.id, name: u.name, email: u.email, has_pic: 0, pic_hash: null, active_flag: true }]));
		return paginated(s, page.map((p) => v1Participant(s, p)), pagination, { related_objects: { user: users, person: persons } });
	}, { list: true });
	router.post(`${V1}/deals/{id}/participants`, (ctx) => {
		const s = ctx.store;
		const personId = typeof ctx.body.person_id === 'string' && /^\d+$/.test(ctx.body.person_id) ? Number(ctx.body.person_id) : ctx.body.person_id;
		const record = s.addParticipant(idParam(ctx), personId, write(ctx));
		const person = s.persons.get(record.person_id)!;
		const user = s.users.get(ctx.userId)!;
		return {
			body: {
				success: true,
				data: v1Participant(s, record),
				related_objects: {
					user: { [user.id]: { id: user.id, name: user.name, email: user.email, has_pic: 0, pic_hash: null, active_flag: true } },
					person: { [person.id]: { active_flag: true, id: person.id, name: person.name, email: person.emails, phone: person.phones, owner_id: person.owner_id } },
				},
			},
		};
	});
	router.delete(`${V1}/deals/{id}/participants/{participantId}`, (ctx) => {
		const participantId = idParam(ctx, 'participantId');
		ctx.store.removeParticipant(idParam(ctx), participantId, write(ctx));
		return { body: { success: true, data: { id: participantId } } };
	});
	router.get(`${V1}/deals/{id}/participantsChangelog`, (ctx) => {
		const s = ctx.store;
		const deal = s.dealOrThrow(idParam(ctx));
		const limit = queryInt(ctx.query, 'limit', { min: 1, max: 500 }) ?? 100;
		let after = 0;
		if (ctx.query.cursor) {
			const c = decodeCursor(ctx.query.cursor);
			if (typeof c.seq !== 'number') throw badRequest('Invalid cursor');
			after = c.seq;
		}
		const rows = s.participantChangelog.filter((e) => e.deal_id === deal.id && e.seq > after);
		const page = rows.slice(0, limit);
		const next = rows.length > limit ? encodeCursor({ seq: page[page.length - 1].seq }) : null;
		return {
			body: {
				success: true,
				data: page.map((e) => ({ actor_user_id: e.actor_user_id, person_id: e.person_id, action: e.action, time: v1Time(e.time) })),
				additional_data: { next_cursor: next },
			},
		};
	}, { list: true });

	// Notes -----------------------------------------------------------------------------------
	router.get(`${V1}/notes`, (ctx) => {
		const s = ctx.store;
		const q = ctx.query;
		const filters: Record<string, number | undefined> = {};
		for (const key of ['user_id', 'deal_id', 'person_id', 'org_id', 'project_id']) filters[key] = queryInt(q, key);
		const startDate = q.start_date ? parseTime(q.start_date) : undefined;
		const endDate = q.end_date ? parseTime(q.end_date) : undefined;
		if (startDate === null || endDate === null) throw badRequest("'start_date' / 'end_date' must be YYYY-MM-DD");
		const updatedSince = q.updated_since ? parseTime(q.updated_since) : undefined;
		if (updatedSince === null) throw badRequest("'updated_since' must be an RFC 3339 date-time");
		let rows = [...s.notes.values()].filter((n) => {
			if (!n.active_flag) return false;
			for (const [key, value] of Object.entries(filters)) if (value !== undefined && (n as unknown as Record<string, unknown>)[key] !== value) return false;
			if (q.lead_id && n.lead_id !== q.lead_id) return false;
			if (startDate !== undefined && n.add_time < startDate) return false;
			if (endDate !== undefined && n.add_time >= endDate + 86_400_000) return false;
			if (updatedSince !== undefined && n.update_time < updatedSince) return false;
			for (const flag of ['pinned_to_deal_flag', 'pinned_to_person_flag', 'pinned_to_organization_flag', 'pinned_to_lead_flag', 'pinned_to_project_flag'] as const) {
				if (q[flag] !== undefined && q[flag] !== '' && n[flag] !== (q[flag] === '1')) return false;
			}
			return true;
		});
		const sort = (q.sort ?? 'id ASC').split(',').map((part) => part.trim().split(/\s+/));
		for (const [field, dir] of sort) {
			if (!['id', 'user_id', 'deal_id', 'person_id', 'org_id', 'content', 'add_time', 'update_time'].includes(field)) throw badRequest(`Cannot sort notes by '${field}'`);
			if (dir && !/^(asc|desc)$/i.test(dir)) throw badRequest(`Sort direction must be ASC or DESC`);
		}
		rows = rows.sort((a, b) => {
			for (const [field, dir] of sort) {
				const av = (a as unknown as Record<string, number | string | null>)[field] ?? 0;
				const bv = (b as unknown as Record<string, number | string | null>)[field] ?? 0;
				if (av < bv) return /desc/i.test(dir ?? '') ? 1 : -1;
				if (av > bv) return /desc/i.test(dir ?? '') ? -1 : 1;
			}
			return 0;
		});
		const { page, pagination } = v1Page(rows, q);
		return { body: { success: true, data: page.map((n) => v1Note(s, n)), additional_data: { pagination } } };
	}, { list: true });
	router.get(`${V1}/notes/{id}`, (ctx) => ({ body: { success: true, data: v1Note(ctx.store, ctx.store.noteOrThrow(idParam(ctx))) } }));
	router.post(`${V1}/notes`, (ctx) => ({ body: { success: true, data: v1Note(ctx.store, ctx.store.createNote(ctx.body, write(ctx))) } }));
	router.put(`${V1}/notes/{id}`, (ctx) => ({ body: { success: true, data: v1Note(ctx.store, ctx.store.updateNote(idParam(ctx), ctx.body, write(ctx))) } }));
	router.delete(`${V1}/notes/{id}`, (ctx) => {
		ctx.store.deleteNote(idParam(ctx), write(ctx));
		return { body: { success: true, data: true } };
	});

	// Merges ----------------------------------------------------------------------------------
	router.put(`${V1}/persons/{id}/merge`, (ctx) => {
		const survivor = ctx.store.mergePersons(idParam(ctx), toInt(ctx.body.merge_with_id, 'merge_with_id'), write(ctx));
		return { body: { success: true, data: v1Person(ctx.store, survivor) } };
	});
	router.put(`${V1}/deals/{id}/merge`, (ctx) => {
		const survivor = ctx.store.mergeDeals(idParam(ctx), toInt(ctx.body.merge_with_id, 'merge_with_id'), write(ctx));
		return { body: { success: true, data: v1Deal(ctx.store, survivor) } };
	});
	router.put(`${V1}/organizations/{id}/merge`, (ctx) => {
		const survivor = ctx.store.mergeOrganizations(idParam(ctx), toInt(ctx.body.merge_with_id, 'merge_with_id'), write(ctx));
		return { body: { success: true, data: v1Organization(ctx.store, survivor) } };
	});

	// Field definitions -----------------------------------------------------------------------
	const fieldRoutes: [string, FieldEntity][] = [['personFields', 'person'], ['organizationFields', 'organization'], ['dealFields', 'deal']];
	for (const [path, entity] of fieldRoutes) {
		router.get(`${V1}/${path}`, (ctx) => {
			const { page, pagination } = v1Page(ctx.store.fields.list(entity), ctx.query);
			return paginated(ctx.store, page.map(v1Field), pagination);
		}, { list: true });
		router.get(`${V1}/${path}/{id}`, (ctx) => {
			const field = ctx.store.fields.byId(entity, idParam(ctx));
			if (!field) throw notFound('Field');
			return { body: { success: true, data: v1Field(field) } };
		});
		router.post(`${V1}/${path}`, (ctx) => ({
			body: { success: true, data: v1Field(ctx.store.fields.create(entity, { name: ctx.body.name, field_type: ctx.body.field_type, options: ctx.body.options, description: ctx.body.description })) },
		}));
		router.put(`${V1}/${path}/{id}`, (ctx) => {
			const field = ctx.store.fields.byId(entity, idParam(ctx));
			if (!field) throw notFound('Field');
			if (!field.is_custom) throw badRequest('Built-in fields cannot be changed');
			if (ctx.body.name !== undefined) {
				if (typeof ctx.body.name !== 'string' || !ctx.body.name.trim()) throw badRequest("'name' must be a non-empty string");
				field.name = ctx.body.name;
			}
			if (ctx.body.options !== undefined) {
				// Send every option to keep (with id) plus new ones (label only); the rest are removed.
				if (!Array.isArray(ctx.body.options)) throw badRequest("'options' must be an array");
				const keep: number[] = [];
				const added: string[] = [];
				for (const o of ctx.body.options as { id?: unknown; label?: unknown }[]) {
					if (typeof o?.label !== 'string' || !o.label.trim()) throw badRequest('Every option needs a label');
					if (o.id === undefined) added.push(o.label);
					else {
						const existing = field.options?.find((x) => x.id === Number(o.id));
						if (!existing) throw badRequest(`Option ${String(o.id)} does not exist`);
						existing.label = o.label;
						keep.push(existing.id);
					}
				}
				field.options = (field.options ?? []).filter((x) => keep.includes(x.id));
				if (added.length) ctx.store.fields.addOptions(field, added);
			}
			field.update_time = ctx.store.now();
			return { body: { success: true, data: v1Field(field) } };
		});
		router.delete(`${V1}/${path}/{id}`, (ctx) => {
			const field = ctx.store.fields.byId(entity, idParam(ctx));
			if (!field) throw notFound('Field');
			if (!field.is_custom) throw badRequest('Built-in fields cannot be deleted');
			ctx.store.fields.remove(field);
			return { body: { success: true, data: { id: field.id } } };
		});
	}

	// Legacy reads and searches (n8n's built-in node uses the v1 searches) --------------------
	router.get(`${V1}/persons/search`, (ctx) => searchV1(searchPersons(ctx.store, readSearchParams(ctx.query, ['custom_fields', 'email', 'notes', 'phone', 'name']), queryInt(ctx.query, 'organization_id')), ctx.query), { search: true, list: true });
	router.get(`${V1}/organizations/search`, (ctx) => searchV1(searchOrganizations(ctx.store, readSearchParams(ctx.query, ['address', 'custom_fields', 'notes', 'name'])), ctx.query), { search: true, list: true });
	router.get(`${V1}/deals/search`, (ctx) => searchV1(searchDeals(ctx.store, readSearchParams(ctx.query, ['custom_fields', 'notes', 'title']), { personId: queryInt(ctx.query, 'person_id'), organizationId: queryInt(ctx.query, 'organization_id'), status: ctx.query.status || undefined }), ctx.query), { search: true, list: true });
	router.get(`${V1}/persons/{id}`, (ctx) => ({ body: { success: true, data: v1Person(ctx.store, ctx.store.personOrThrow(idParam(ctx))) } }));
	router.get(`${V1}/organizations/{id}`, (ctx) => ({ body: { success: true, data: v1Organization(ctx.store, ctx.store.organizationOrThrow(idParam(ctx))) } }));
	router.get(`${V1}/deals/{id}`, (ctx) => ({ body: { success: true, data: v1Deal(ctx.store, ctx.store.dealOrThrow(idParam(ctx))) } }));
	router.get(`${V1}/pipelines`, (ctx) => ({ body: { success: true, data: [...ctx.store.pipelines.values()].filter((p) => !p.is_deleted).map(v1Pipeline) } }), { list: true });
	router.get(`${V1}/stages`, (ctx) => {
		const pipelineId = queryInt(ctx.query, 'pipeline_id');
		const rows = [...ctx.store.stages.values()].filter((s) => !s.is_deleted && (pipelineId === undefined || s.pipeline_id === pipelineId));
		return { body: { success: true, data: rows.map((s) => v1Stage(ctx.store, s)) } };
	}, { list: true });

	// Small lookups n8n's node loads options from -------------------------------------------
	router.get(`${V1}/activityTypes`, () => ({ body: { success: true, data: ['call', 'meeting', 'task', 'deadline', 'email', 'lunch'].map((key, i) => ({ id: i + 1, name: key[0].toUpperCase() + key.slice(1), key_string: key, active_flag: true })) } }), { list: true });
	router.get(`${V1}/filters`, () => ({ body: { success: true, data: [] } }), { list: true });
	router.get(`${V1}/leadLabels`, () => ({ body: { success: true, data: [] } }), { list: true });
	router.get(`${V1}/leadFields`, (ctx) => paginated(ctx.store, [], { start: 0, limit: 100, more_items_in_collection: false }), { list: true });
}

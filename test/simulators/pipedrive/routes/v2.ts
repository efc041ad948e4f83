/** API v2 routes: persons, organizations, deals (+ search), field definitions, pipelines and stages. */
import { CREATABLE_FIELD_TYPES, v2Field } from '../fields';
import type { RequestContext, Router } from '../router';
import { v2Deal, v2Organization, v2Person, v2Pipeline, v2Stage, type V2Options } from '../serialize';
import type { WriteContext } from '../store';
import type { FieldEntity } from '../types';
import { badRequest, decodeCursor, encodeCursor, isInt, notFound, queryBool, queryInt, type Query } from '../util';
import { listV2, readSearchParams, searchDeals, searchOrganizations, searchPageV2, searchPersons, splitList } from './listing';

const V2 = '/api/v2';

const PERSON_INCLUDE = ['next_activity_id', 'last_activity_id', 'open_deals_count', 'related_open_deals_count', 'closed_deals_count', 'related_closed_deals_count', 'participant_open_deals_count', 'participant_closed_deals_count', 'email_messages_count', 'activities_count', 'done_activities_count', 'undone_activities_count', 'files_count', 'notes_count', 'followers_count', 'won_deals_count', 'related_won_deals_count', 'lost_deals_count', 'related_lost_deals_count', 'last_incoming_mail_time', 'last_outgoing_mail_time', 'marketing_status', 'doi_status', 'smart_bcc_email'];
const ORG_INCLUDE = ['next_activity_id', 'last_activity_id', 'open_deals_count', 'related_open_deals_count', 'closed_deals_count', 'related_closed_deals_count', 'email_messages_count', 'people_count', 'activities_count', 'done_activities_count', 'undone_activities_count', 'files_count', 'notes_count', 'followers_count', 'won_deals_count', 'related_won_deals_count', 'lost_deals_count', 'related_lost_deals_count', 'smart_bcc_email'];
const DEAL_INCLUDE = ['next_activity_id', 'last_activity_id', 'first_won_time', 'products_count', 'files_count', 'notes_count', 'followers_count', 'email_messages_count', 'activities_count', 'done_activities_count', 'undone_activities_count', 'participants_count', 'last_incoming_mail_time', 'last_outgoing_mail_time', 'smart_bcc_email', 'source_lead_id'];

function idParam(ctx: RequestContext, name = 'id'): number {
	const raw = ctx.params[name];
	if (!/^\d+$/.test(raw)) throw badRequest(`'${name}' must be an integer`);
	return Number(raw);
}

function outputOptions(query: Query, include: string[]): V2Options {
	return {
		customFieldKeys: splitList(query, 'custom_fields', undefined, 15),
		includeOptionLabels: queryBool(query, 'include_option_labels') ?? false,
		includeLabels: queryBool(query, 'include_labels') ?? false,
		includeFields: splitList(query, 'include_fields', include),
	};
}

const write = (ctx: RequestContext): WriteContext => ({ source: 'api', userId: ctx.userId });
const ok = (data: unknown, additional?: Record<string, unknown>) => ({ body: additional ? { success: true, data, additional_data: additional } : { success: true, data } });

export function registerV2(router: Router): void {
	// Persons ---------------------------------------------------------------------------------
	router.get(`${V2}/persons`, (ctx) => {
		const s = ctx.store;
		const ownerId = queryInt(ctx.query, 'owner_id');
		const orgId = queryInt(ctx.query, 'org_id');
		const dealId = queryInt(ctx.query, 'deal_id');
		const dealPersons = dealId !== undefined ? new Set([s.deals.get(dealId)?.person_id, ...s.activeParticipants(dealId).map((p) => p.person_id)]) : null;
		const { page, nextCursor } = listV2([...s.persons.values()].filter((p) => !p.is_deleted), ctx.query, (p) =>
			(ownerId === undefined || p.owner_id === ownerId) && (orgId === undefined || p.org_id === orgId) && (!dealPersons || dealPersons.has(p.id)),
		);
		const options = outputOptions(ctx.query, PERSON_INCLUDE);
		return ok(page.map((p) => v2Person(s, p, options)), { next_cursor: nextCursor });
	}, { list: true });
	router.get(`${V2}/persons/search`, (ctx) => {
		const params = readSearchParams(ctx.query, ['custom_fields', 'email', 'notes', 'phone', 'name']);
		return searchPageV2(searchPersons(ctx.store, params, queryInt(ctx.query, 'organization_id')), ctx.query);
	}, { search: true, list: true });
	router.get(`${V2}/persons/{id}`, (ctx) => ok(v2Person(ctx.store, ctx.store.personOrThrow(idParam(ctx)), outputOptions(ctx.query, PERSON_INCLUDE))));
	router.post(`${V2}/persons`, (ctx) => ok(v2Person(ctx.store, ctx.store.createPerson(ctx.body, write(ctx)))));
	router.patch(`${V2}/persons/{id}`, (ctx) => ok(v2Person(ctx.store, ctx.store.updatePerson(idParam(ctx), ctx.body, write(ctx)))));
	router.delete(`${V2}/persons/{id}`, (ctx) => {
		const id = idParam(ctx);
		ctx.store.deletePerson(id, write(ctx));
		return ok({ id });
	});

	// Organizations ---------------------------------------------------------------------------
	router.get(`${V2}/organizations`, (ctx) => {
		const s = ctx.store;
		const ownerId = queryInt(ctx.query, 'owner_id');
		const { page, nextCursor } = listV2([...s.organizations.values()].filter((o) => !o.is_deleted), ctx.query, (o) => ownerId === undefined || o.owner_id === ownerId);
		const options = outputOptions(ctx.query, ORG_INCLUDE);
		return ok(page.map((o) => v2Organization(s, o, options)), { next_cursor: nextCursor });
	}, { list: true });
	router.get(`${V2}/organizations/search`, (ctx) => {
		const params = readSearchParams(ctx.query, ['address', 'custom_fields', 'notes', 'name']);
		return searchPageV2(searchOrganizations(ctx.store, params), ctx.query);
	}, { search: true, list: true });
	router.get(`${V2}/organizations/{id}`, (ctx) => ok(v2Organization(ctx.store, ctx.store.organizationOrThrow(idParam(ctx)), outputOptions(ctx.query, ORG_INCLUDE))));
	router.post(`${V2}/organizations`, (ctx) => ok(v2Organization(ctx.store, ctx.store.createOrganization(ctx.body, write(ctx)))));
	router.patch(`${V2}/organizations/{id}`, (ctx) => ok(v2Organization(ctx.store, ctx.store.updateOrganization(idParam(ctx), ctx.body, write(ctx)))));
	router.delete(`${V2}/organizations/{id}`, (ctx) => {
		const id = idParam(ctx);
		ctx.store.deleteOrganization(id, write(ctx));
		return ok({ id });
	});

	// Deals -----------------------------------------------------------------------------------
	const dealList = (archived: boolean) => (ctx: RequestContext) => {
		const s = ctx.store;
		const q = ctx.query;
		const statuses = splitList(q, 'status', ['open', 'won', 'lost', 'deleted']);
		const filters = {
			owner: queryInt(q, 'owner_id'), person: queryInt(q, 'person_id'), org: queryInt(q, 'org_id'), pipeline: queryInt(q, 'pipeline_id'), stage: queryInt(q, 'stage_id'),
		};
		const deletedWindow = s.now() - 30 * 86_400_000;
		const { page, nextCursor } = listV2([...s.deals.values()], q, (d) => {
			if (d.is_archived !== archived) return false;
			// Without `status`, all not-deleted deals; `deleted` lists those deleted in the last 30 days.
			if (d.is_deleted) {
				if (!statuses?.includes('deleted') || d.update_time < deletedWindow) return false;
			} else if (statuses && !statuses.includes(d.status)) return false;
			return (filters.owner === undefined || d.owner_id === filters.owner) && (filters.person === undefined || d.person_id === filters.person) &&
				(filters.org === undefined || d.org_id === filters.org) && (filters.pipeline === undefined || d.pipeline_id === filters.pipeline) &&
				(filters.stage === undefined || d.stage_id === filters.stage);
		});
		const options = outputOptions(q, DEAL_INCLUDE);
		return ok(page.map((d) => v2Deal(s, d, options)), { next_cursor: nextCursor });
	};
	router.get(`${V2}/deals`, dealList(false), { list: true });
	router.get(`${V2}/deals/archived`, dealList(true), { list: true });
	router.get(`${V2}/deals/search`, (ctx) => {
		const params = readSearchParams(ctx.query, ['custom_fields', 'notes', 'title']);
		const status = ctx.query.status;
		if (status && !['open', 'won', 'lost'].includes(status)) throw badRequest("'status' must be open, won or lost");
		return searchPageV2(searchDeals(ctx.store, params, { personId: queryInt(ctx.query, 'person_id'), organizationId: queryInt(ctx.query, 'organization_id'), status }), ctx.query);
	}, { search: true, list: true });
	router.get(`${V2}/deals/{id}`, (ctx) => ok(v2Deal(ctx.store, ctx.store.dealOrThrow(idParam(ctx)), outputOptions(ctx.query, DEAL_INCLUDE))));
	router.post(`${V2}/deals`, (ctx) => ok(v2Deal(ctx.store, ctx.store.createDeal(ctx.body, write(ctx)))));
	router.patch(`${V2}/deals/{id}`, (ctx) => ok(v2Deal(ctx.store, ctx.store.updateDeal(idParam(ctx), ctx.body, write(ctx)))));
	router.delete(`${V2}/deals/{id}`, (ctx) => {
		const id = idParam(ctx);
		ctx.store.deleteDeal(id, write(ctx));
		return ok({ id });
	});

	// Field definitions -----------------------------------------------------------------------
	const fieldRoutes: [string, FieldEntity][] = [['personFields', 'person'], ['organizationFields', 'organization'], ['dealFields', 'deal']];
	for (const [path, entity] of fieldRoutes) {
		router.get(`${V2}/${path}`, (ctx) => {
			const all = ctx.store.fields.list(entity);
			const limit = queryInt(ctx.query, 'limit', { min: 1, max: 500 }) ?? 100;
			let offset = 0;
			if (ctx.query.cursor) {
				const c = decodeCursor(ctx.query.cursor);
				if (typeof c.o !== 'number') throw badRequest('Invalid cursor');
				offset = c.o;
			}
			const page = all.slice(offset, offset + limit);
			return ok(page.map(v2Field), { next_cursor: offset + limit < all.length ? encodeCursor({ o: offset + limit }) : null });
		}, { list: true });
		router.get(`${V2}/${path}/{field_code}`, (ctx) => {
			const field = ctx.store.fields.byKey(entity, ctx.params.field_code);
			if (!field) throw notFound('Field');
			return ok(v2Field(field));
		});
		router.post(`${V2}/${path}`, (ctx) => {
			const b = ctx.body;
			if (b.field_type !== undefined && !(CREATABLE_FIELD_TYPES as readonly string[]).includes(b.field_type as string)) throw badRequest(`Invalid field_type. Allowed: ${CREATABLE_FIELD_TYPES.join(', ')}`);
			return ok(v2Field(ctx.store.fields.create(entity, { name: b.field_name, field_type: b.field_type, options: b.options, description: b.description })));
		});
		router.patch(`${V2}/${path}/{field_code}`, (ctx) => {
			const field = ctx.store.fields.byKey(entity, ctx.params.field_code);
			if (!field) throw notFound('Field');
			if (!field.is_custom) throw badRequest('Built-in fields cannot be changed');
			if (ctx.body.field_name !== undefined) {
				if (typeof ctx.body.field_name !== 'string' || !ctx.body.field_name.trim()) throw badRequest("'field_name' must be a non-empty string");
				field.name = ctx.body.field_name;
			}
			if (ctx.body.description !== undefined) field.description = ctx.body.description as string | null;
			field.update_time = ctx.store.now();
			return ok(v2Field(field));
		});
		router.delete(`${V2}/${path}/{field_code}`, (ctx) => {
			const field = ctx.store.fields.byKey(entity, ctx.params.field_code);
			if (!field) throw notFound('Field');
			if (!field.is_custom) throw badRequest('Built-in fields cannot be deleted');
			ctx.store.fields.remove(field);
			return ok({ field_code: field.key });
		});
		router.post(`${V2}/${path}/{field_code}/options`, (ctx) => {
			const field = ctx.store.fields.byKey(entity, ctx.params.field_code);
			if (!field) throw notFound('Field');
			if (field.field_type !== 'enum' && field.field_type !== 'set') throw badRequest('Only enum and set fields have options');
			const input = Array.isArray(ctx.body) ? ctx.body : (ctx.body as { options?: unknown }).options;
			if (!Array.isArray(input) || !input.length) throw badRequest('Send an array of { label }');
			const labels = input.map((o: unknown) => {
				const label = (o as { label?: unknown })?.label;
				if (typeof label !== 'string' || !label.trim()) throw badRequest('Every option needs a label');
				return label;
			});
			return ok(ctx.store.fields.addOptions(field, labels).map((o) => ({ id: o.id, label: o.label, color: o.color })));
		});
	}

	// Pipelines and stages --------------------------------------------------------------------
	const pageOf = <T extends { id: number; add_time: number; update_time: number }>(rows: T[], query: Query) => listV2(rows, { ...query, sort_by: query.sort_by === 'order_nr' ? 'id' : (query.sort_by ?? 'id') });
	router.get(`${V2}/pipelines`, (ctx) => {
		const { page, nextCursor } = pageOf([...ctx.store.pipelines.values()].filter((p) => !p.is_deleted), ctx.query);
		return ok(page.map(v2Pipeline), { next_cursor: nextCursor });
	}, { list: true });
	router.get(`${V2}/pipelines/{id}`, (ctx) => {
		const p = ctx.store.pipelines.get(idParam(ctx));
		if (!p || p.is_deleted) throw notFound('Pipeline');
		return ok(v2Pipeline(p));
	});
	router.post(`${V2}/pipelines`, (ctx) => ok(v2Pipeline(ctx.store.createPipeline({ name: ctx.body.name, is_deal_probability_enabled: ctx.body.is_deal_probability_enabled }))));
	router.patch(`${V2}/pipelines/{id}`, (ctx) => {
		const p = ctx.store.pipelines.get(idParam(ctx));
		if (!p || p.is_deleted) throw notFound('Pipeline');
		if (ctx.body.name !== undefined) {
			if (typeof ctx.body.name !== 'string' || !ctx.body.name.trim()) throw badRequest("'name' must be a non-empty string");
			p.name = ctx.body.name;
		}
		if (ctx.body.is_deal_probability_enabled !== undefined) {
			if (typeof ctx.body.is_deal_probability_enabled !== 'boolean') throw badRequest("'is_deal_probability_enabled' must be a boolean");
			p.is_deal_probability_enabled = ctx.body.is_deal_probability_enabled;
		}
		p.update_time = ctx.store.now();
		return ok(v2Pipeline(p));
	});
	router.delete(`${V2}/pipelines/{id}`, (ctx) => {
		const p = ctx.store.pipelines.get(idParam(ctx));
		if (!p || p.is_deleted) throw notFound('Pipeline');
		p.is_deleted = true;
		return ok({ id: p.id });
	});
	router.get(`${V2}/stages`, (ctx) => {
		const pipelineId = queryInt(ctx.query, 'pipeline_id');
		const rows = [...ctx.store.stages.values()].filter((s) => !s.is_deleted && (pipelineId === undefined || s.pipeline_id === pipelineId));
		if (ctx.query.sort_by === 'order_nr') rows.sort((a, b) => a.pipeline_id - b.pipeline_id || a.order_nr - b.order_nr);
		const { page, nextCursor } = pageOf(rows, ctx.query);
		return ok(page.map(v2Stage), { next_cursor: nextCursor });
	}, { list: true });
	router.get(`${V2}/stages/{id}`, (ctx) => {
		const s = ctx.store.stages.get(idParam(ctx));
		if (!s || s.is_deleted) throw notFound('Stage');
		return ok(v2Stage(s));
	});
	router.post(`${V2}/stages`, (ctx) => ok(v2Stage(ctx.store.createStage(ctx.body as never))));
	router.patch(`${V2}/stages/{id}`, (ctx) => {
		const s = ctx.store.stages.get(idParam(ctx));
		if (!s || s.is_deleted) throw notFound('Stage');
		const b = ctx.body;
		if (b.name !== undefined) {
			if (typeof b.name !== 'string' || !b.name.trim()) throw badRequest("'name' must be a non-empty string");
			s.name = b.name;
		}
		if (b.deal_probability !== undefined) {
			if (!isInt(b.deal_probability) || b.deal_probability < 0 || b.deal_probability > 100) throw badRequest("'deal_probability' must be an integer 0–100");
			s.deal_probability = b.deal_probability;
		}
		if (b.pipeline_id !== undefined) {
			if (!isInt(b.pipeline_id) || !ctx.store.pipelines.has(b.pipeline_id)) throw badRequest("'pipeline_id' must be an existing pipeline id");
			s.pipeline_id = b.pipeline_id;
		}
		s.update_time = ctx.store.now();
		return ok(v2Stage(s));
	});
	router.delete(`${V2}/stages/{id}`, (ctx) => {
		const s = ctx.store.stages.get(idParam(ctx));
		if (!s || s.is_deleted) throw notFound('Stage');
		s.is_deleted = true;
		return ok({ id: s.id });
	});
}

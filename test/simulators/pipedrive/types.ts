/**
 * Shapes shared by the Pipedrive simulator's modules: stored records (kept in the API v2 form, with
 * milliseconds for times), options, switches and the records the control API reports.
 */

export type EntityKind = 'person' | 'organization' | 'deal';
export type FieldEntity = 'person' | 'organization' | 'deal';
export type ChangeSource = 'api' | 'app';
export type Plan = 'lite' | 'growth' | 'premium' | 'ultimate';

export interface ContactItem {
	value: string;
	primary: boolean;
	label: string;
}

export interface AddressValue {
	value: string | null;
	street_number: string | null;
	route: string | null;
	sublocality: string | null;
	locality: string | null;
	admin_area_level_1: string | null;
	admin_area_level_2: string | null;
	country: string | null;
	postal_code: string | null;
	subpremise: string | null;
	formatted_address: string | null;
}

/** Custom field values in the API v2 form (`custom_fields[key]`). */
export type CustomValues = Record<string, unknown>;

export interface PersonRecord {
	id: number;
	name: string;
	first_name: string;
	last_name: string;
	owner_id: number;
	org_id: number | null;
	add_time: number;
	update_time: number;
	emails: ContactItem[];
	phones: ContactItem[];
	im: ContactItem[];
	is_deleted: boolean;
	visible_to: number;
	label_ids: number[];
	picture_id: number | null;
	custom: CustomValues;
	job_title: string | null;
	birthday: string | null;
	notes: string | null;
	postal_address: AddressValue | null;
	marketing_status: string | null;
}

export interface OrganizationRecord {
	id: number;
	name: string;
	owner_id: number;
	add_time: number;
	update_time: number;
	is_deleted: boolean;
	visible_to: number;
	label_ids: number[];
	address: AddressValue | null;
	website: string | null;
	linkedin: string | null;
	industry: number | null;
	annual_revenue: number | null;
	employee_count: number | null;
	picture_id: number | null;
	custom: CustomValues;
}

export interface DealRecord {
	id: number;
	title: string;
	creator_user_id: number;
	owner_id: number;
	person_id: number | null;
	org_id: number | null;
	pipeline_id: number;
	stage_id: number;
	value: number;
	currency: string;
	add_time: number;
	update_time: number;
	stage_change_time: number | null;
	is_deleted: boolean;
	is_archived: boolean;
	archive_time: number | null;
	status: 'open' | 'won' | 'lost';
	probability: number | null;
	lost_reason: string | null;
	visible_to: number;
	close_time: number | null;
	won_time: number | null;
	lost_time: number | null;
	first_won_time: number | null;
	expected_close_date: string | null;
	label_ids: number[];
	origin: string;
	origin_id: string | null;
	channel: number | null;
	channel_id: string | null;
	custom: CustomValues;
}

export interface ParticipantRecord {
	id: number;
	deal_id: number;
	person_id: number;
	add_time: number;
	added_by_user_id: number;
	active: boolean;
}

export interface ParticipantChangelogEntry {
	seq: number;
	deal_id: number;
	actor_user_id: number;
	person_id: number;
	action: 'added' | 'removed';
	time: number;
}

export interface NoteRecord {
	id: number;
	user_id: number;
	deal_id: number | null;
	person_id: number | null;
	org_id: number | null;
	lead_id: string | null;
	project_id: number | null;
	content: string;
	add_time: number;
	update_time: number;
	active_flag: boolean;
	last_update_user_id: number | null;
	pinned_to_deal_flag: boolean;
	pinned_to_person_flag: boolean;
	pinned_to_organization_flag: boolean;
	pinned_to_lead_flag: boolean;
	pinned_to_project_flag: boolean;
}

export interface FieldOption {
	id: number;
	label: string;
	color: string | null;
	add_time: number;
	update_time: number;
}

export interface FieldDef {
	/** Numeric id (v1 field id). */
	id: number;
	entity: FieldEntity;
	/** `key` in v1, `field_code` in v2: a 40-hex hash for custom fields, a readable name for built-ins. */
	key: string;
	name: string;
	field_type: string;
	options: FieldOption[] | null;
	is_custom: boolean;
	order_nr: number;
	add_time: number;
	update_time: number;
	description: string | null;
	active: boolean;
	mandatory: boolean;
	searchable: boolean;
}

export interface PipelineRecord {
	id: number;
	name: string;
	order_nr: number;
	is_deleted: boolean;
	is_deal_probability_enabled: boolean;
	add_time: number;
	update_time: number;
}

export interface StageRecord {
	id: number;
	name: string;
	order_nr: number;
	pipeline_id: number;
	deal_probability: number;
	is_deal_rot_enabled: boolean;
	days_to_rotten: number | null;
	is_deleted: boolean;
	add_time: number;
	update_time: number;
}

export interface UserRecord {
	id: number;
	name: string;
	email: string;
	is_admin: boolean;
	active_flag: boolean;
	role_id: number;
	timezone_name: string;
	locale: string;
	lang: number;
	created: number;
}

export interface WebhookRecord {
	id: number;
	company_id: number;
	owner_id: number;
	user_id: number;
	event_action: string;
	event_object: string;
	subscription_url: string;
	version: '1.0' | '2.0';
	is_active: 0 | 1;
	add_time: number;
	remove_time: number | null;
	type: 'general' | 'application';
	http_auth_user: string | null;
	http_auth_password: string | null;
	remove_reason: string | null;
	last_delivery_time: number | null;
	last_http_status: number | null;
	admin_id: number;
	name: string | null;
	/** Failed first attempts since the last ban (the ban counter). */
	failedFirstAttempts: number;
	/** While set and in the future, events for this webhook are dropped. */
	bannedUntil: number | null;
	/** Set when the webhook was created by an OAuth client (only that client sees it). */
	createdByClient: string;
}

/** Something that happened to an entity, handed to the webhook dispatcher. */
export interface EntityEvent {
	action: 'create' | 'change' | 'delete';
	entity: 'person' | 'organization' | 'deal' | 'note' | 'pipeline' | 'stage' | 'user';
	entityId: number;
	/** Webhook `data` (v2 form); null on delete. */
	data: Record<string, unknown> | null;
	/** v2 `previous`: null on create, changed fields on change, last state on delete. */
	previous: Record<string, unknown> | null;
	/** Full v1 objects, for version 1.0 webhooks. */
	v1Current: Record<string, unknown> | null;
	v1Previous: Record<string, unknown> | null;
	changeSource: ChangeSource;
	userId: number;
	isBulkEdit: boolean;
	mergedToId?: number;
	mergedFromId?: number;
	/** v1 action override (`merged` for the survivor of a merge). */
	v1Action?: 'added' | 'updated' | 'deleted' | 'merged';
	timestamp: number;
}

/** Behaviour where the reference leaves a choice (see README and the comments where each is used). */
export interface PipedriveSwitches {
	/** Participant add/remove emits a `change.deal` webhook (Pipedrive sends none; default false). */
	participantWebhooks: boolean;
	/** Participant add/remove bumps the deal's `update_time` (not confirmed; default false). */
	participantChangeTouchesDeal: boolean;
	/** The deal's primary person is itself a participant (not confirmed; default true). */
	primaryPersonIsParticipant: boolean;
	/** Adding a person who already participates: 400 error, or answer with the existing record. */
	duplicateParticipant: 'error' | 'return-existing';
	/** v1 list pagination for participants/fields: under `additional_data.pagination`, or flat. */
	v1PaginationShape: 'wrapped' | 'flat';
	/** v2 webhook `meta.timestamp`: ISO string (most examples) or epoch seconds. */
	webhookTimestamp: 'iso' | 'epoch';
	/** Accept the legacy `api_token` query parameter (default true, as n8n's credential uses it). */
	acceptQueryToken: boolean;
	/** Contact-sync fields (`job_title`, `birthday`, `notes`, `postal_address`, `im`) are enabled. */
	contactSync: boolean;
	/** Enforce the burst limits (requests per 2 s, and search 10 per 2 s). Headers are always sent. Default false, so tests and the demo never trip them unless they ask to. */
	enforceBurst: boolean;
	/** Allow plain-http loopback subscription URLs for webhooks (the real API wants public https). */
	allowHttpLoopbackWebhooks: boolean;
}

export interface RateLimitOptions {
	plan?: Plan;
	seats?: number;
	/** Overrides the computed daily token budget. */
	dailyTokenBudget?: number;
	/** Overrides the plan's burst limit (requests per window) for API-token clients. */
	burstLimit?: number;
	/** Overrides the plan's burst limit for OAuth clients. */
	oauthBurstLimit?: number;
	/** Search burst limit (default 10 per window). */
	searchBurstLimit?: number;
	/** Window length (default 2000 ms). */
	windowMs?: number;
	/** How many requests an API-token client may make while limited before it is blocked with 403 (default 10). */
	blockAfterLimitedRequests?: number;
	/** How long the 403 block lasts (default 10 minutes). */
	blockDurationMs?: number;
	/** Daily POST/PUT fair-use limit per API token reported in `x-daily-requests-left` (default 10000). */
	dailyWriteLimit?: number;
}

export interface PipedriveSimulatorOptions {
	/** Port on 127.0.0.1; 0 (default) picks a free one. */
	port?: number;
	/** The accepted API token (default `pipedrive-dev-token`). */
	token?: string;
	/** More accepted API tokens; each is its own client for counters and burst limits. */
	extraTokens?: string[];
	/** Accepted OAuth bearer access tokens (default `pipedrive-dev-oauth-token`). */
	oauthTokens?: string[];
	/** Load the shared Nordic dataset at start (default false). */
	seed?: boolean;
	rateLimit?: RateLimitOptions;
	clock?: { start?: string | Date | number; frozen?: boolean };
	switches?: Partial<PipedriveSwitches>;
	/** Delays before retries 2, 3 and 4 (default 3 s, 30 s, 150 s). */
	webhookRetryDelaysMs?: number[];
	/** Subscriber answer timeout (default 10 000 ms). */
	webhookTimeoutMs?: number;
	/** First-attempt failures that ban a webhook (default 10) and the ban length (default 30 min). */
	webhookBanThreshold?: number;
	webhookBanMs?: number;
	/** Company data reported by `/v1/users/me` and webhook meta. */
	company?: { id?: number; name?: string; domain?: string; currency?: string };
	/** Serve the HTTP control API under `/__control` (default true). */
	controlApi?: boolean;
	/** Log each request to stderr. */
	verbose?: boolean;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	/** Matched route pattern, e.g. `PATCH /api/v2/persons/{id}`; null when none matched. */
	route: string | null;
	status: number;
	/** `token:<first 8 chars>` or `oauth:<first 8 chars>`, `anonymous` when unauthenticated. */
	client: string;
	tokenCost: number;
	faulted: boolean;
	at: string;
}

export interface DeliveryRecord {
	webhookId: number;
	eventId: string;
	url: string;
	attempt: number;
	status: number | null;
	error: string | null;
	headers: Record<string, string>;
	body: Record<string, unknown>;
	at: string;
	durationMs: number;
}

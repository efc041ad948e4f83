/** Shapes shared by the simulator's modules: options, stored records and the public handle. */

export type ChangeType = 'create' | 'update' | 'delete';
/** Channel of a change, as the Teaser model enumerates it. REST writes are `api`, control writes `ui`. */
export type ChangeOrigin = 'api' | 'mcp' | 'ui' | 'system';

export interface ExternalRef {
	namespace: string;
	id: string;
}

/** Audit and concurrency fields every versioned resource carries. */
export interface VersionedRecord {
	id: string;
	createdUtc: string;
	updatedUtc: string;
	deletedUtc: string | null;
	etag: string;
	/** What produced the current version; shown only on write responses and webhooks (see views). */
	changeType: ChangeType | null;
	changeOrigin: ChangeOrigin | null;
}

export interface ContactRecord extends VersionedRecord {
	externalRefs: ExternalRef[];
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	phone: string | null;
	linkedInUrl: string | null;
	emails: { address: string; type: string | null }[];
	phones: { number: string; type: string | null }[];
	primaryLanguage: string | null;
	tags: string[];
	strategy: string | null;
	profilePictureUrl: string | null;
	blocked: boolean;
}

export interface CompanyRecord extends VersionedRecord {
	name: string;
	externalRefs: ExternalRef[];
	countryCode: string | null;
	domain: string | null;
	homepageUrl: string | null;
	linkedInUrl: string | null;
	strategy: string | null;
	tags: string[];
}

export interface LinkRecord extends VersionedRecord {
	contactId: string;
	companyId: string;
	jobTitle: string | null;
	isPrimary: boolean;
}

export interface Price {
	value: number;
	currency: string;
	scale: 'none' | 'thousands' | 'millions' | 'billions';
}

export interface PriceRange {
	min: number | null;
	max: number | null;
	currency: string;
	scale: Price['scale'];
}

export type ProjectStatus = 'open' | 'closed' | 'deleted';
export type ProjectClassification = 'draft' | 'active' | 'inactive';
export type TeaserStage = 'property_added' | 'drafting' | 'published' | 'verified' | 'communicated';
export type ProspectClassification = 'not_contacted' | 'contacted' | 'interested' | 'not_interested' | 'bidder';

export interface TeaserRecord {
	id: string;
	stage: TeaserStage;
	createdUtc: string;
	updatedUtc: string;
	etag: string;
	publishedUtc: string | null;
	verifiedUtc: string | null;
	communicatedUtc: string | null;
	isPreMarket: boolean;
	title: string | null;
	tags: string[];
	options: Record<string, unknown>;
	changeType: ChangeType | null;
	changeOrigin: ChangeOrigin | null;
}

export interface ProjectRecord extends VersionedRecord {
	name: string;
	externalRefs: ExternalRef[];
	asset: { type: 'single' | 'portfolio'; propertyCount: number | null };
	status: ProjectStatus;
	classification: ProjectClassification;
	exclusivity: 'exclusive' | 'non_exclusive' | 'other' | null;
	price: Price | null;
	priceRange: PriceRange | null;
	propertyIds: string[];
	teaser: TeaserRecord | null;
}

export interface ProspectRecord extends VersionedRecord {
	projectId: string;
	contactId: string | null;
	companyId: string | null;
	externalRefs: ExternalRef[];
	classification: ProspectClassification;
	capabilities: string[];
	tags: string[];
	/** Present only on prospects Propstreet matched when the teaser was communicated. */
	teaser: { acceptedUtc: string | null; deadlineUtc: string | null } | null;
}

export interface PropertyRecord extends VersionedRecord {
	name: string;
	description: string | null;
	location: { latitude: number | null; longitude: number | null; country: string | null; locality: string | null } | null;
	categories: Record<string, unknown>[];
	avgContractLengthYears: number | null;
	price: Price | null;
	operatingCosts: Price | null;
	parcelArea: { value: number; unit: string } | null;
	tenure: 'freehold' | 'leasehold' | null;
	yearBuilt: number | null;
	tags: string[];
	externalRefs: ExternalRef[];
}

export type TimelineParentKind = 'contact' | 'company' | 'project' | 'prospect';

/** A timeline row ("action"): a note or an audit entry. */
export interface ActionRecord {
	id: string;
	parentKind: TimelineParentKind;
	parentId: string;
	type: 'note' | 'audit';
	timestampUtc: string;
	user: { id: string; name: string };
	details: Record<string, unknown>;
	archivedAt: string | null;
	supersedesActivityId: string | null;
	supersededByActivityId: string | null;
	etag: string;
}

export const WEBHOOK_EVENT_TYPES = [
	'contact.created',
	'contact.updated',
	'contact.deleted',
	'company.created',
	'company.updated',
	'company.deleted',
	'link.created',
	'link.updated',
	'link.deleted',
	'project.created',
	'project.updated',
	'project.deleted',
	'prospect.created',
	'prospect.updated',
	'prospect.deleted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookSubscription {
	id: string;
	url: string;
	events: WebhookEventType[];
	name: string | null;
	enabled: boolean;
	/** `whsec_` + base64 key; returned once on creation only. */
	secret: string;
	createdUtc: string;
	updatedUtc: string;
	consecutiveFailures: number;
	disabledUtc: string | null;
	disabledReason: string | null;
}

/** The documented WebhookDelivery model, plus what the simulator needs to retry it. */
export interface WebhookDelivery {
	id: string;
	subscriptionId: string;
	eventId: string;
	eventType: WebhookEventType;
	status: 'pending' | 'delivered' | 'failed' | 'exhausted';
	attemptCount: number;
	createdUtc: string;
	deliveredUtc: string | null;
	lastAttemptUtc: string | null;
	lastDurationMs: number | null;
	lastStatusCode: number | null;
	lastError: string | null;
	/** Raw JSON body, fixed at creation so every retry signs and sends the same bytes. */
	body: string;
	/** Simulated epoch ms of the next attempt; null when none is scheduled. */
	nextAttemptAt: number | null;
	/** Creation order, for per-subscription FIFO sending. */
	seq: number;
}

export interface OAuthClient {
	clientId: string;
	clientSecret: string;
}

/** Switches for the readings the reference lists as conflicting (its §22) and other inferred choices. */
export interface PropstreetSwitches {
	/** §22 #1: `page` puts cursor info in a `page` object (reference's choice); `flat` puts it at top level. */
	listEnvelope: 'page' | 'flat';
	/** §22 #11: what `create_only=true` means on the contact/company upsert. */
	createOnlyMeaning: 'create-only' | 'update-only';
	/** §22 #15: 428 on `PATCH /network/links/{id}` without `If-Match`. */
	strictLinkIfMatch: boolean;
	/** §22 #7: maximum note length. */
	noteMaxLength: number;
	/** §22 #14: `page.pageSize` echoes the requested size or reports the number returned. */
	pageSizeMeaning: 'requested' | 'returned';
	/** §22 #5: POST with an external ref already in use → 409 (reference) or return the existing record. */
	duplicateRefOnCreate: 'conflict' | 'return-existing';
	/** Read-only fields (project status, teaser stage, prospect contactId…) in a write body: 400 or ignored. */
	readOnlyFieldWrites: 'reject' | 'ignore';
	/** Undocumented response wrapper of find-duplicates. */
	findDuplicatesResponse: 'data' | 'array';
	/** `changeType`/`changeOrigin` are null on plain reads (the Teaser model says so); true fills them always. */
	changeFieldsOnReads: boolean;
	/** What counts toward the 10-consecutive-failures auto-disable: each failed attempt, or each exhausted delivery. */
	consecutiveFailureUnit: 'attempt' | 'delivery';
}

export interface PropstreetSimulatorOptions {
	/** Port on 127.0.0.1; 0 (default) picks a free one. */
	port?: number;
	/** The accepted personal access token. */
	token?: string;
	/** More accepted personal access tokens (each has its own rate-limit bucket). */
	extraTokens?: string[];
	/** OAuth client-credentials clients; default one client `propstreet-sim-client` / `propstreet-sim-secret`. */
	oauthClients?: OAuthClient[];
	/** Lifetime of OAuth access tokens in seconds (default 3600; the real lifetime is not documented). */
	tokenExpiresInSec?: number;
	/** Accept HTTP Basic client authentication at `/openid/token` (default false: only the form body is documented). */
	acceptBasicClientAuth?: boolean;
	/** Load the shared Nordic dataset at start (default false). */
	seed?: boolean;
	rateLimit?: { pat?: number; oauth?: number; anonymous?: number; windowMs?: number };
	/** Simulated clock: start instant (default: real now) and whether it only moves via advanceClock. */
	clock?: { start?: string | Date | number; frozen?: boolean };
	switches?: Partial<PropstreetSwitches>;
	/** Shorthands for the most used switches (same meaning as in `switches`). */
	createOnlyMeaning?: PropstreetSwitches['createOnlyMeaning'];
	strictLinkIfMatch?: boolean;
	noteMaxLength?: number;
	listEnvelope?: PropstreetSwitches['listEnvelope'];
	/** Delays before each delivery attempt (first is normally 0). Its length is the attempt count (default 9). */
	webhookRetryDelaysMs?: number[];
	/** Multiplies every retry delay (e.g. 0.001 turns hours into seconds). Default 1. */
	webhookTimeScale?: number;
	/** How long a subscriber has to answer (default 10 000 ms). */
	webhookTimeoutMs?: number;
	/**
	 * Allow `http://127.0.0.1` / `http://localhost` subscriber URLs (default true). A deliberate deviation:
	 * the real API accepts HTTPS only; other plain-HTTP URLs are still refused with 400.
	 */
	allowHttpLoopback?: boolean;
	/** Serve the HTTP control API under `/__control` (default true). */
	controlApi?: boolean;
	/** Log each request to stderr (default false). */
	verbose?: boolean;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	/** The matched route pattern, e.g. `PATCH /api/v1/network/contacts/{id}`; null when none matched. */
	route: string | null;
	status: number;
	/** `pat` for personal tokens, the OAuth client id for client tokens, `anonymous` otherwise. */
	client: string;
	idempotencyKey: string | null;
	/** True when the response was replayed from the Idempotency-Key cache. */
	replayed: boolean;
	/** True when the status came from an injected fault. */
	faulted: boolean;
	at: string;
}

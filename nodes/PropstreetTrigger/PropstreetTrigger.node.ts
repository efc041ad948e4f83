/**
 * Propstreet Trigger: a managed, signature-checked Propstreet webhook.
 *
 * Why webhooks and polling are two nodes: n8n decides how to start a trigger from its description
 * alone — `webhooks` makes it a webhook node (registered on activation, "Listen for test event"),
 * `polling: true` makes it a poller (scheduled, "Fetch test event", an injected Poll Times
 * parameter). A node with both would register a webhook AND schedule polls whatever a `mode`
 * parameter said, and the editor would show both UIs. So polling lives in Propstreet Poll Trigger.
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { collectPages, readPage } from '../shared/core/http';
import { recordPath } from '../shared/core/propstreetPaths';
import { check } from '../shared/core/schemas/check';
import { propstreetRecord } from '../shared/core/schemas/propstreet';
import {
	CHANGE_ORIGINS,
	deliveryItem,
	nextRecordFetchStep,
	parseEnvelope,
	RECORD_FETCH_HANDLED_STATUSES,
	RECORD_FETCH_MAX_DELAY_MS,
	type RecordFetchStep,
	type TriggerItem,
} from '../shared/core/webhookDelivery';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, readHeader, TIMESTAMP_TOLERANCE_RANGE, verifyWebhook } from '../shared/core/webhookSignature';
import {
	normaliseEvents,
	planSubscriptions,
	PROPSTREET_WEBHOOK_EVENTS,
	type RemoteSubscription,
} from '../shared/core/webhookSubscriptions';
import { DeliveryMemory } from './deliveryMemory';
import {
	authenticationProperty,
	encodePathSegment,
	propstreetCredentials,
	propstreetRequest,
	TRIGGER_LIMITS,
	type PropstreetRequest,
} from '../Propstreet/transport';

/** Static data keys of this node. */
interface TriggerStaticData extends IDataObject {
	webhookId?: string;
	secret?: string;
	events?: string[];
	/** Delivery ids already passed on (core/seenIds), one of DeliveryMemory's stores (deliveryMemory.ts). */
	seenDeliveryIds?: IDataObject;
}

type HttpResponse = {
	writeHead(status: number, headers?: Record<string, string>): unknown;
	end(body?: string): unknown;
};

/** The whole 401 body: which check failed is logged, never told to the sender. */
const INVALID_SIGNATURE: IDataObject = { error: 'invalid_signature', message: 'invalid signature' };

function respond(res: HttpResponse, status: number, body: IDataObject, headers: Record<string, string> = {}): IWebhookResponseData {
	res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
	return { noWebhookResponse: true };
}

type CurrentRecord = { action: 'record'; data: IDataObject } | { action: 'gone' } | Exclude<RecordFetchStep, { action: 'retry' }>;

/**
 * Reads the record a delivery is about, within the few seconds Propstreet waits for our answer.
 * The retry loop is here rather than in the transport because the answer needs the last
 * response's Retry-After; the decisions are in core (nextRecordFetchStep).
 */
async function readCurrentRecord(context: IWebhookFunctions, item: TriggerItem, path: string): Promise<CurrentRecord> {
	const request: PropstreetRequest = {
		method: 'GET',
		path,
		// Every error status comes back to us: 404 means the record is gone, the rest decide the answer.
		acceptStatuses: [...RECORD_FETCH_HANDLED_STATUSES],
		maxAttempts: 1,
		maxDelayMs: RECORD_FETCH_MAX_DELAY_MS,
		// Propstreet waits 10 s for our answer; two reads of 3.5 s and a short pause fit inside it.
		timeoutMs: 3500,
		operation: `Reading the current ${item.entity} ${item.entityId}`,
	};
	for (let attempt = 0; ; attempt++) {
		let step: RecordFetchStep;
		try {
			const response = await propstreetRequest<IDataObject>(context, request);
			const status = response.statusCode;
			if (status === 404) return { action: 'gone' };
			if (status >= 200 && status < 300) {
				// The record must be one (an object with a Propstreet id) before it replaces the delivered copy.
				const checked = check(propstreetRecord, response.body, `Propstreet's answer for ${item.entity} ${item.entityId}`);
				if (checked.ok) return { action: 'record', data: checked.value as IDataObject };
				return { action: 'failed', status, reason: `Propstreet answered ${status} without a usable record: ${checked.message}` };
			}
			step = nextRecordFetchStep({ attempt, status, headers: response.headers, body: response.body, nowMs: Date.now(), random: Math.random });
		} catch (error) {
			// No HTTP answer (timeout, dropped or refused connection, …): the transport threw.
			step = nextRecordFetchStep({ attempt, error, nowMs: Date.now(), random: Math.random });
		}
		if (step.action !== 'retry') return step;
		await sleep(step.delayMs);
	}
}

function eventLabel(event: string): string {
	const [entity, action] = event.split('.');
	return `${entity.charAt(0).toUpperCase()}${entity.slice(1)} ${action.charAt(0).toUpperCase()}${action.slice(1)}`;
}

async function listSubscriptions(context: IHookFunctions): Promise<RemoteSubscription[]> {
	const rows = await collectPages<IDataObject>({
		fetchPage: async (cursor) => {
			const response = await propstreetRequest(context, { method: 'GET', path: '/api/v1/webhooks', qs: { cursor }, ...TRIGGER_LIMITS });
			return readPage<IDataObject>(response.body);
		},
	});
	return rows
		.filter((row) => row && row.id !== undefined && typeof row.url === 'string')
		.map((row) => ({ id: String(row.id), url: row.url as string, events: normaliseEvents(row.events), enabled: row.enabled !== false }));
}

async function deleteSubscription(context: IHookFunctions, id: string): Promise<void> {
	await propstreetRequest(context, {
		method: 'DELETE',
		path: `/api/v1/webhooks/${encodePathSegment(id)}`,
		// 404: already gone, which is what we wanted.
		acceptStatuses: [404],
		operation: `Deleting Propstreet webhook ${id}`,
		...TRIGGER_LIMITS,
	});
}

function selectedEvents(context: IHookFunctions | IWebhookFunctions): string[] {
	return normaliseEvents(context.getNodeParameter('events', []) as string[]);
}

function clearSubscription(staticData: TriggerStaticData): void {
	delete staticData.webhookId;
	delete staticData.secret;
	delete staticData.events;
}

export class PropstreetTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Propstreet Trigger',
		name: 'propstreetTrigger',
		icon: { light: 'file:propstreet.svg', dark: 'file:propstreet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when contacts, companies, links, projects or prospects change in Propstreet',
		defaults: { name: 'Propstreet Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: propstreetCredentials(),
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			authenticationProperty(),
			{
				displayName:
					'Propstreet may deliver a change more than once. A repeated delivery ID starts nothing, also after n8n restarts. In queue mode two copies arriving at the very same moment on different instances can still both run, so build the workflow to tolerate repeats (compare before writing, or use the deliveryId field).',
				name: 'repeatDeliveriesNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				description: 'The changes that start the workflow. Propstreet is subscribed to exactly these.',
				options: PROPSTREET_WEBHOOK_EVENTS.map((event) => ({ name: eventLabel(event), value: event })).sort((a, b) =>
					a.name.localeCompare(b.name),
				),
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Drop Test Deliveries',
						name: 'dropTestDeliveries',
						type: 'boolean',
						default: false,
						description:
							'Whether to answer test sends from Propstreet (header X-Propstreet-Test) without starting the workflow',
					},
					{
						displayName: 'Fetch Current Record',
						name: 'fetchCurrentRecord',
						type: 'boolean',
						default: false,
						description:
							'Whether to read the record from Propstreet before emitting it, so a late or out-of-order delivery never passes on stale data. A record that no longer exists is emitted with deleted set to true. If Propstreet is busy or unreachable, the delivery is answered 503 and Propstreet sends it again later; no execution starts.',
					},
					{
						displayName: 'Ignore Changes by This Integration',
						name: 'ignoreOwnChanges',
						type: 'boolean',
						default: false,
						description:
							'Whether to skip changes made through the Propstreet API (changeOrigin "api"), which is how this integration writes. Loop prevention: note that edits by any other API client are skipped too.',
					},
					{
						displayName: 'Ignore Changes From Origins',
						name: 'ignoreOrigins',
						type: 'multiOptions',
						default: [],
						description: 'Skip deliveries whose changeOrigin is one of these',
						options: CHANGE_ORIGINS.map((origin) => ({
							name: origin === 'api' || origin === 'mcp' || origin === 'ui' ? origin.toUpperCase() : 'System',
							value: origin,
						})),
					},
					{
						displayName: 'Signature Tolerance (Seconds)',
						name: 'toleranceSeconds',
						type: 'number',
						typeOptions: { minValue: TIMESTAMP_TOLERANCE_RANGE.min, maxValue: TIMESTAMP_TOLERANCE_RANGE.max },
						default: DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
						description:
							'How far the webhook-timestamp may be from this server’s clock, either way, before a delivery is rejected as a replay. 10–3600; a value from an expression is held to that range.',
					},
					{
						displayName: 'Subscription Name',
						name: 'subscriptionName',
						type: 'string',
						default: 'n8n Propstreet Trigger',
						description: 'Name of the webhook subscription as shown in Propstreet',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				if (!url) return false;
				const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
				const remote = await listSubscriptions(this);
				const plan = planSubscriptions(remote, url, selectedEvents(this), staticData);
				for (const id of plan.deleteIds) await deleteSubscription(this, id);
				if (plan.keepId === null) {
					clearSubscription(staticData);
					return false;
				}
				return true;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				const events = selectedEvents(this);
				if (!url) throw new NodeOperationError(this.getNode(), 'n8n did not provide a webhook URL for this node');
				if (events.length === 0) {
					throw new NodeOperationError(this.getNode(), 'Choose at least one event in "Events"');
				}
				const options = this.getNodeParameter('options', {}) as IDataObject;
				const name = (options.subscriptionName as string) || 'n8n Propstreet Trigger';
				const response = await propstreetRequest<IDataObject>(this, {
					method: 'POST',
					path: '/api/v1/webhooks',
					body: { url, events, name },
					// A retried POST could leave two subscriptions; checkExists would clean that up, but
					// one attempt keeps it simple.
					maxAttempts: 1,
					operation: 'Creating the Propstreet webhook',
				});
				const created = response.body;
				if (!created || created.id === undefined || typeof created.secret !== 'string' || !created.secret) {
					throw new NodeOperationError(
						this.getNode(),
						'Propstreet created the webhook but its answer has no id or secret, so deliveries could not be verified',
					);
				}
				const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
				staticData.webhookId = String(created.id);
				staticData.secret = created.secret;
				staticData.events = events;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
				if (staticData.webhookId) {
					try {
						await deleteSubscription(this, staticData.webhookId);
					} catch (error) {
						// Keep the id so a later deactivation can try again.
						this.logger.warn(
							`Propstreet Trigger could not delete webhook ${staticData.webhookId}: ${(error as Error).message}`,
						);
						return false;
					}
				}
				clearSubscription(staticData);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject() as unknown as HttpResponse;
		const staticData = this.getWorkflowStaticData('node') as TriggerStaticData;
		const options = this.getNodeParameter('options', {}) as IDataObject;

		if (!staticData.secret) {
			this.logger.warn(
				`Propstreet Trigger "${this.getNode().name}" has no webhook secret stored and rejected a delivery; activate the workflow again to re-register the webhook`,
			);
			return respond(res, 401, INVALID_SIGNATURE);
		}

		if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
		const rawBody: Buffer = Buffer.isBuffer(req.rawBody) ? req.rawBody : Buffer.from('');
		const headers = this.getHeaderData() as Record<string, unknown>;
		const check = verifyWebhook(
			{
				id: readHeader(headers, 'webhook-id'),
				timestamp: readHeader(headers, 'webhook-timestamp'),
				signature: readHeader(headers, 'webhook-signature'),
				body: rawBody,
			},
			{
				secret: staticData.secret,
				// Held to 10–3600 s by the core, however the value was given.
				toleranceSeconds: options.toleranceSeconds,
			},
		);
		if (!check.valid) {
			// The detail goes to the log only; the sender learns nothing about which check failed.
			this.logger.warn(`Propstreet Trigger rejected a delivery (${check.reason}): ${check.message}`);
			return respond(res, 401, INVALID_SIGNATURE);
		}

		const isTest = (readHeader(headers, 'x-propstreet-test') ?? '').toLowerCase() === 'true';
		if (isTest && options.dropTestDeliveries === true) {
			return respond(res, 200, { received: true, ignored: 'test_delivery' });
		}

		// A repeat starts nothing; the delivery is claimed now and released if we answer with an error.
		const nowMs = Date.now();
		const memory = new DeliveryMemory(this, staticData, nowMs);
		if (!(await memory.claim(check.id))) {
			return respond(res, 200, { received: true, ignored: 'duplicate_delivery' });
		}

		const parsed = parseEnvelope(rawBody);
		if (!parsed.ok) {
			await memory.release(check.id);
			return respond(res, 400, { error: 'invalid_payload', message: parsed.message });
		}
		const { envelope } = parsed;

		// Events we did not subscribe to (the subscription was edited in Propstreet) are skipped;
		// test sends pass so that "Listen for test event" works with any test event type.
		if (!isTest && !selectedEvents(this).includes(envelope.type)) {
			return respond(res, 200, { received: true, ignored: 'event_not_selected' });
		}

		const ignoredOrigins = new Set((options.ignoreOrigins as string[] | undefined) ?? []);
		if (options.ignoreOwnChanges === true) ignoredOrigins.add('api');
		const item = deliveryItem(envelope, check.id, isTest);
		if (item.changeOrigin && ignoredOrigins.has(item.changeOrigin)) {
			return respond(res, 200, { received: true, ignored: 'change_origin' });
		}

		if (options.fetchCurrentRecord === true && !item.deleted && item.entity) {
			const path = recordPath(item.entity, envelope.data);
			if (path) {
				// Whatever goes wrong, answer rather than throw: a throw is a failed execution (and an
				// error-workflow run) per rate-limit blip. The id is not remembered, so Propstreet's
				// retry of this delivery gets through.
				const current = await readCurrentRecord(this, item, path);
				if (current.action === 'gone') {
					item.deleted = true;
				} else if (current.action === 'record') {
					item.data = current.data;
					item.fetched = true;
					if (current.data.deletedUtc) item.deleted = true;
				} else if (current.action === 'unavailable') {
					await memory.release(check.id);
					this.logger.warn(
						`Propstreet Trigger answered 503 to delivery ${check.id} (${current.reason}); Propstreet will deliver it again`,
					);
					return respond(
						res,
						503,
						{ error: 'propstreet_unavailable', message: current.reason, retryAfterSeconds: current.retryAfterSeconds },
						{ 'Retry-After': String(current.retryAfterSeconds) },
					);
				} else {
					await memory.release(check.id);
					this.logger.warn(`Propstreet Trigger could not read the current record for delivery ${check.id}: ${current.reason}`);
					return respond(res, 500, { error: 'record_fetch_failed', status: current.status, message: current.reason });
				}
			}
		}

		// We answer Propstreet ourselves before handing n8n the item. That order matters on n8n 2.40:
		// n8n saves static data when the answer is sent, and only an answer sent before the run starts
		// finds our delivery memory still marked as changed (ARCHITECTURE.md "Repeated deliveries").
		return { ...respond(res, 200, { received: true }), workflowData: [[{ json: item as unknown as IDataObject }]] };
	}
}

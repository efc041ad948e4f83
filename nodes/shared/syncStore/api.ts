/**
 * Calls n8n's public data-table API with the Propstreet Sync State credential, and turns the
 * answers a user can act on into clear errors: a refused key, a key without data-table scopes,
 * a public API that is switched off or not at the configured URL.
 */
import { NodeApiError, type IDataObject, type IExecuteFunctions, type IHttpRequestMethods, type IPollFunctions, type JsonObject } from 'n8n-workflow';

/** The nodes that reach n8n's public API: regular nodes, and the Deal Poll Trigger (for the shared settings). */
export type ApiContext = IExecuteFunctions | IPollFunctions;

export const SYNC_STATE_CREDENTIAL = 'propstreetSyncStateApi';
const CREDENTIAL_NAME = 'Propstreet Sync State API';
export const DEFAULT_TABLE_NAME = 'Propstreet sync state';

export interface ApiCall {
	method: IHttpRequestMethods;
	/** Under the public API base, e.g. `/data-tables`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** What the call is for; starts the error message. */
	operation: string;
	/** The n8n API key scope this call needs (named in a 403). */
	scope: string;
	/** Statuses returned to the caller instead of thrown. */
	accept?: number[];
}

export interface ApiAnswer<T = unknown> {
	status: number;
	body: T;
}

export interface ApiSettings {
	baseUrl: string;
	tableName: string;
	/** The credential's claim re-check delay (`SyncStateStore.insertVisibleWithinMs`). */
	claimRecheckMs: number;
}

/** The credential's default: PostgreSQL commits an insert within milliseconds; this leaves room for a loaded database. */
export const DEFAULT_CLAIM_RECHECK_MS = 200;

export async function readSettings(ctx: ApiContext, itemIndex?: number): Promise<ApiSettings> {
	const credentials = await ctx.getCredentials(SYNC_STATE_CREDENTIAL, itemIndex);
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	const tableName = String(credentials.tableName ?? '').trim() || DEFAULT_TABLE_NAME;
	const recheck = Number(credentials.claimRecheckMs ?? DEFAULT_CLAIM_RECHECK_MS);
	const claimRecheckMs = Number.isFinite(recheck) && recheck >= 0 ? Math.min(recheck, 5000) : DEFAULT_CLAIM_RECHECK_MS;
	return { baseUrl, tableName, claimRecheckMs };
}

function messageOf(body: unknown): string {
	if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') return (body as { message: string }).message;
	return typeof body === 'string' ? body.slice(0, 200) : '';
}

/** True for n8n's "no such data table" answer (as opposed to no public API at all). */
export function isMissingTable(answer: ApiAnswer): boolean {
	return answer.status === 404 && /data table/i.test(messageOf(answer.body));
}

function explain(call: ApiCall, answer: ApiAnswer, baseUrl: string): { message: string; description: string } {
	const said = messageOf(answer.body);
	if (answer.status === 401) {
		return { message: `${call.operation}: n8n refused the API key`, description: `Check the API key in the "${CREDENTIAL_NAME}" credential (it may be wrong, expired or deleted). n8n said: ${said}` };
	}
	if (answer.status === 403 && !call.scope.startsWith('dataTable')) {
		return { message: `${call.operation}: the n8n API key lacks the scope ${call.scope}`, description: `Give the key in the "${CREDENTIAL_NAME}" credential the scope ${call.scope} (Settings → n8n API), or set the error workflow by hand in each workflow's settings. n8n said: ${said}` };
	}
	if (answer.status === 403) {
		return {
			message: `${call.operation}: the n8n API key lacks the data table scopes`,
			description: `The key in the "${CREDENTIAL_NAME}" credential needs the scope ${call.scope} (and the other data table scopes); create a key with them under Settings → n8n API.`,
		};
	}
	if (answer.status === 404 && !isMissingTable(answer)) {
		return {
			message: `${call.operation}: no n8n public API at ${baseUrl}`,
			description: `Check the Base URL in the "${CREDENTIAL_NAME}" credential (it ends in /api/v1) and that the public API is enabled (N8N_PUBLIC_API_DISABLED must not be true).`,
		};
	}
	return { message: `${call.operation}: n8n answered ${answer.status}${said ? ` (${said})` : ''}`, description: `${call.method} ${call.path}` };
}

export class DataTableApi {
	constructor(
		private readonly ctx: ApiContext,
		readonly settings: ApiSettings,
		private readonly itemIndex?: number,
	) {}

	async call<T = unknown>(call: ApiCall): Promise<ApiAnswer<T>> {
		let raw: { statusCode: number; body: unknown };
		try {
			raw = (await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, SYNC_STATE_CREDENTIAL, {
				method: call.method,
				url: `${this.settings.baseUrl}${call.path}`,
				qs: call.qs,
				body: call.body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode: number; body: unknown };
		} catch (error) {
			throw new NodeApiError(this.ctx.getNode(), (error instanceof NodeApiError ? (error.cause ?? error) : error) as JsonObject, {
				message: `${call.operation}: could not reach n8n's API at ${this.settings.baseUrl}`,
				description: `Check the Base URL in the "${CREDENTIAL_NAME}" credential; in queue mode every worker must reach it.`,
				itemIndex: this.itemIndex,
			});
		}
		const answer: ApiAnswer<T> = { status: Number(raw.statusCode), body: raw.body as T };
		if ((answer.status >= 200 && answer.status < 300) || call.accept?.includes(answer.status)) return answer;
		throw this.error(call, answer);
	}

	error(call: ApiCall, answer: ApiAnswer): NodeApiError {
		const { message, description } = explain(call, answer, this.settings.baseUrl);
		const body = answer.body && typeof answer.body === 'object' ? (answer.body as JsonObject) : ({ message: messageOf(answer.body) } as JsonObject);
		return new NodeApiError(this.ctx.getNode(), body, { message, description, httpCode: String(answer.status), itemIndex: this.itemIndex });
	}
}

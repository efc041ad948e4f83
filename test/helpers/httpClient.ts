/** A tiny fetch wrapper for contract tests: JSON in and out, status and headers kept. */
export interface CallOptions {
	body?: unknown;
	/** Sent as `x-api-token` unless `auth` says otherwise; null sends no credentials. */
	token?: string | null;
	auth?: 'header' | 'query' | 'bearer';
	headers?: Record<string, string>;
	query?: Record<string, string | number | boolean>;
	rawBody?: string;
}

export interface CallResult<T = any> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export function apiClient(baseUrl: string, defaultToken = 'pipedrive-dev-token') {
	return async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
		const url = new URL(path, baseUrl);
		for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
		const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
		const token = options.token === undefined ? defaultToken : options.token;
		if (token !== null) {
			if (options.auth === 'query') url.searchParams.set('api_token', token);
			else if (options.auth === 'bearer') headers.authorization = `Bearer ${token}`;
			else headers['x-api-token'] = token;
		}
		let body: string | undefined = options.rawBody;
		if (options.body !== undefined) {
			body = JSON.stringify(options.body);
			headers['content-type'] ??= 'application/json';
		}
		const res = await fetch(url, { method, headers, body });
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : null;
		} catch {
			// HTML or empty
		}
		return { status: res.status, headers: res.headers, body: parsed as T, text };
	};
}

/** Helpers for the contract tests: a tiny HTTP client and a webhook receiver. Not a test file. */
import http from 'http';
import type { AddressInfo } from 'net';
import type { PropstreetSimulator } from './server';

export interface ApiResult<T = any> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export interface CallOptions {
	body?: unknown;
	headers?: Record<string, string>;
	/** Bearer token; default the simulator's PAT; `null` sends no Authorization header. */
	token?: string | null;
	signal?: AbortSignal;
}

export async function call<T = any>(sim: PropstreetSimulator, method: string, path: string, opts: CallOptions = {}): Promise<ApiResult<T>> {
	const headers: Record<string, string> = { ...opts.headers };
	const token = opts.token === undefined ? sim.config.token : opts.token;
	if (token) headers.Authorization = `Bearer ${token}`;
	let body: string | undefined;
	if (opts.body !== undefined) {
		body = JSON.stringify(opts.body);
		headers['Content-Type'] ??= 'application/json';
	}
	const res = await fetch(sim.url + path, { method, headers, body, signal: opts.signal });
	const text = await res.text();
	let parsed: unknown = undefined;
	if (text) {
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export interface ReceivedWebhook {
	headers: http.IncomingHttpHeaders;
	raw: string;
	body: any;
	at: number;
}

export interface Receiver {
	url: string;
	received: ReceivedWebhook[];
	/** Status codes to answer with, in order; after the list runs out, `fallback` (default 200). */
	respond: number[];
	fallback: number;
	/** Delay before answering (ms). */
	delayMs: number;
	close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
	const receiver: Receiver = {
		url: '',
		received: [],
		respond: [],
		fallback: 200,
		delayMs: 0,
		close: async () => undefined,
	};
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			let body: unknown = null;
			try {
				body = JSON.parse(raw);
			} catch {
				body = null;
			}
			receiver.received.push({ headers: req.headers, raw, body, at: Date.now() });
			const status = receiver.respond.length ? (receiver.respond.shift() as number) : receiver.fallback;
			const answer = () => {
				if (!res.destroyed) res.writeHead(status).end();
			};
			if (receiver.delayMs) setTimeout(answer, receiver.delayMs);
			else answer();
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	receiver.close = () =>
		new Promise<void>((r) => {
			server.close(() => r());
			server.closeAllConnections();
		});
	return receiver;
}

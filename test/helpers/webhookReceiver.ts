/**
 * A webhook receiver for tests: a real HTTP server on 127.0.0.1 that records every request and answers
 * with the status the test chooses (per call, or a function of the call number).
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface ReceivedRequest {
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: any;
	at: number;
}

export interface WebhookReceiver {
	url: string;
	received: ReceivedRequest[];
	/** Status for the n-th request (0-based); default 200. */
	respondWith(status: number | ((index: number, request: ReceivedRequest) => number)): void;
	/** Resolves when at least `count` requests have arrived (rejects after `timeoutMs`). */
	waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
	close(): Promise<void>;
}

export async function startWebhookReceiver(path = '/hook'): Promise<WebhookReceiver> {
	const received: ReceivedRequest[] = [];
	let responder: (index: number, request: ReceivedRequest) => number = () => 200;
	const waiters: { count: number; resolve: () => void }[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			try {
				body = text ? JSON.parse(text) : null;
			} catch {
				// keep raw text
			}
			const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, at: Date.now() };
			received.push(request);
			const status = responder(received.length - 1, request);
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end('{}');
			for (const waiter of [...waiters]) {
				if (received.length >= waiter.count) {
					waiters.splice(waiters.indexOf(waiter), 1);
					waiter.resolve();
				}
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}${path}`,
		received,
		respondWith(status) {
			responder = typeof status === 'number' ? () => status : status;
		},
		waitFor(count, timeoutMs = 5000) {
			if (received.length >= count) return Promise.resolve(received);
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`Expected ${count} webhook requests, got ${received.length}`)), timeoutMs);
				waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(received); } });
			});
		},
		async close() {
			server.closeAllConnections?.();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

import type { Server } from 'http';
import type { AddressInfo } from 'net';

/** Starts `server` on 127.0.0.1 (port 0 = a free one); resolves with the port, rejects on a listen error. */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve());
	});
	return (server.address() as AddressInfo).port;
}

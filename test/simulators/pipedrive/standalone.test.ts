/** Standalone mode: env-configured port and token, one ready line. */
import { startStandalone } from './standalone';

describe('Pipedrive simulator: standalone', () => {
	it('starts on PIPEDRIVE_SIM_PORT with PIPEDRIVE_SIM_TOKEN and prints a ready line', async () => {
		const lines: string[] = [];
		const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			lines.push(String(chunk));
			return true;
		});
		const sim = await startStandalone({ PIPEDRIVE_SIM_PORT: '0', PIPEDRIVE_SIM_TOKEN: 'standalone-token' });
		write.mockRestore();
		try {
			expect(lines.join('')).toMatch(new RegExp(`^Pipedrive simulator ready on ${sim.url} .*token standalone-token`));
			const ok = await fetch(`${sim.url}/api/v2/persons/1001`, { headers: { 'x-api-token': 'standalone-token' } });
			expect(ok.status).toBe(200);
			const denied = await fetch(`${sim.url}/api/v2/persons/1001`, { headers: { 'x-api-token': 'pipedrive-dev-token' } });
			expect(denied.status).toBe(401);
		} finally {
			await sim.close();
		}
	});
});

/** The package's own Pipedrive credential: name, header auth, and its test request against the simulator. */
import { PipedriveSyncApi } from '../../../credentials/PipedriveSyncApi.credentials';
import { PIPEDRIVE_CREDENTIAL, DEFAULT_PIPEDRIVE_BASE_URL } from '../../../nodes/shared/pipedrive';
import { startPipedriveSimulator, type PipedriveSimulator } from '../../simulators/pipedrive';

describe('PipedriveSyncApi credential', () => {
	const credential = new PipedriveSyncApi();

	it('is the credential the transport asks for, with a password token and the generic host by default', () => {
		expect(credential.name).toBe(PIPEDRIVE_CREDENTIAL);
		const token = credential.properties.find((p) => p.name === 'apiToken');
		expect(token?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'baseUrl')?.default).toBe(DEFAULT_PIPEDRIVE_BASE_URL);
		expect(credential.authenticate).toEqual({ type: 'generic', properties: { headers: { 'x-api-token': '={{$credentials.apiToken}}' } } });
	});

	describe('test request', () => {
		let sim: PipedriveSimulator;
		beforeAll(async () => {
			sim = await startPipedriveSimulator({ seed: true });
		});
		afterAll(() => sim.close());

		it('GET /v1/users/me answers 200 with the token in x-api-token, 401 without it', async () => {
			expect(credential.test.request.url).toBe('/v1/users/me');
			const ok = await fetch(`${sim.url}${credential.test.request.url}`, { headers: { 'x-api-token': sim.token } });
			expect(ok.status).toBe(200);
			expect(await ok.json()).toMatchObject({ success: true, data: { company_domain: expect.any(String) } });
			expect((await fetch(`${sim.url}${credential.test.request.url}`)).status).toBe(401);
		});
	});
});

/**
 * Runs the Pipedrive simulator on its own: `npx tsx test/simulators/pipedrive/standalone.ts`.
 * PIPEDRIVE_SIM_PORT (default 4020), PIPEDRIVE_SIM_TOKEN (default pipedrive-dev-token),
 * PIPEDRIVE_SIM_SEED (default 1: load the Nordic seed), PIPEDRIVE_SIM_ENFORCE_BURST (default 0),
 * PIPEDRIVE_SIM_VERBOSE (default 0). Prints one ready line, then serves until SIGINT/SIGTERM.
 */
import { startPipedriveSimulator } from './index';

export async function startStandalone(env: NodeJS.ProcessEnv = process.env) {
	const port = Number(env.PIPEDRIVE_SIM_PORT ?? 4020);
	const token = env.PIPEDRIVE_SIM_TOKEN ?? 'pipedrive-dev-token';
	const sim = await startPipedriveSimulator({
		port,
		token,
		seed: (env.PIPEDRIVE_SIM_SEED ?? '1') !== '0',
		switches: { enforceBurst: env.PIPEDRIVE_SIM_ENFORCE_BURST === '1' },
		verbose: env.PIPEDRIVE_SIM_VERBOSE === '1',
	});
	process.stdout.write(`Pipedrive simulator ready on ${sim.url} (API v2 at ${sim.url}/api/v2, v1 at ${sim.url}/v1, token ${token}, control at ${sim.url}/__control)\n`);
	return sim;
}

if (require.main === module) {
	startStandalone()
		.then((sim) => {
			const stop = () => void sim.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((error) => {
			process.stderr.write(`Pipedrive simulator failed to start: ${(error as Error).message}\n`);
			process.exit(1);
		});
}

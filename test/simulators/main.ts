/**
 * `npm run simulators`: both simulators in one process, seeded with the shared Nordic dataset.
 * Propstreet on PROPSTREET_SIM_PORT (4010, token PROPSTREET_SIM_TOKEN), Pipedrive on
 * PIPEDRIVE_SIM_PORT (4020, token PIPEDRIVE_SIM_TOKEN). `--no-seed` starts them empty.
 * Each prints one ready line; Ctrl-C stops both.
 */
import { startPropstreetSimulator } from './propstreet';
import { startPipedriveSimulator } from './pipedrive';

function portFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	const port = raw === undefined || raw === '' ? fallback : Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} is not a port number: ${raw}`);
	return port;
}

async function main(): Promise<void> {
	const seed = !process.argv.includes('--no-seed');
	const propstreet = await startPropstreetSimulator({
		port: portFrom('PROPSTREET_SIM_PORT', 4010),
		token: process.env.PROPSTREET_SIM_TOKEN || 'propstreet-dev-token',
		seed,
	});
	const client = propstreet.config.oauthClients[0];
	console.log(
		`Propstreet simulator listening on ${propstreet.url} (token ${propstreet.config.token}; OAuth client ${client?.clientId}/${client?.clientSecret}; ${seed ? 'Nordic seed' : 'empty'})`,
	);
	const pipedrive = await startPipedriveSimulator({
		port: portFrom('PIPEDRIVE_SIM_PORT', 4020),
		token: process.env.PIPEDRIVE_SIM_TOKEN || 'pipedrive-dev-token',
		seed,
	});
	console.log(`Pipedrive simulator listening on ${pipedrive.url} (API v2 at /api/v2, v1 at /v1; token ${process.env.PIPEDRIVE_SIM_TOKEN || 'pipedrive-dev-token'}; ${seed ? 'Nordic seed' : 'empty'})`);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		Promise.all([propstreet.close(), pipedrive.close()]).then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(`Simulators failed to start: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});

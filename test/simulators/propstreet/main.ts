/**
 * Standalone Propstreet simulator: `npx tsx test/simulators/propstreet/main.ts [--no-seed]`.
 * Listens on PROPSTREET_SIM_PORT (default 4010) with the personal token PROPSTREET_SIM_TOKEN
 * (default propstreet-dev-token); seeds the Nordic dataset unless `--no-seed` or PROPSTREET_SIM_SEED=false.
 * Prints one line when ready.
 */
import { startPropstreetSimulator } from './index';

async function main(): Promise<void> {
	const port = Number(process.env.PROPSTREET_SIM_PORT ?? 4010);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PROPSTREET_SIM_PORT is not a port: ${process.env.PROPSTREET_SIM_PORT}`);
	const seed = !process.argv.includes('--no-seed') && !/^(false|0|no)$/i.test(process.env.PROPSTREET_SIM_SEED ?? '');
	const sim = await startPropstreetSimulator({
		port,
		token: process.env.PROPSTREET_SIM_TOKEN || undefined,
		seed,
		verbose: /^(true|1|yes)$/i.test(process.env.PROPSTREET_SIM_VERBOSE ?? ''),
	});
	const client = sim.config.oauthClients[0];
	console.log(
		`Propstreet simulator listening on ${sim.url} (token ${sim.config.token}; OAuth client ${client?.clientId}/${client?.clientSecret}; ${seed ? 'Nordic seed loaded' : 'empty'})`,
	);
	const stop = () => {
		sim.close().then(() => process.exit(0), () => process.exit(1));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err) => {
	console.error(`Propstreet simulator failed to start: ${err instanceof Error ? err.message : String(err)}`);
	process.exit(1);
});

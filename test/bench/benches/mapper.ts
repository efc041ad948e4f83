/**
 * Mapper core: Pipedrive Webhooks v2 persons → Propstreet contact bodies and organizations →
 * company bodies, one `mapRecord` call per event, with field definitions and an org → company map
 * as the Mapper node passes them. The mapped items are kept (the node returns them all), so the
 * heap figure includes the output.
 */
import { buildContext, mapRecord, resolveConfig, type MappedItem } from '../../../nodes/shared/core/mapping';
import { FIELD_DEFINITIONS, generateOrganizations, generatePersons } from '../data/pipedrive';
import { expectEqual, MB, MemorySampler, percentile, timeEach, type BenchRow, type MemoryFigures } from '../lib/measure';
import { formatInt } from '../lib/table';

const MIN_RECORDS_PER_SECOND = 5_000;
const MAX_HEAP_GROWTH_MB = 200;

function checks(count: number, totalMs: number, heapDeltaBytes: number) {
	const perSecond = count / (totalMs / 1000);
	return {
		perSecond,
		list: [
			{ figure: 'throughput', target: `≥ ${formatInt(MIN_RECORDS_PER_SECOND)}/s`, measured: `${formatInt(perSecond)}/s`, pass: perSecond >= MIN_RECORDS_PER_SECOND },
			{ figure: 'heap growth', target: `< ${MAX_HEAP_GROWTH_MB} MB`, measured: `${(heapDeltaBytes / MB).toFixed(1)} MB`, pass: heapDeltaBytes < MAX_HEAP_GROWTH_MB * MB },
		],
	};
}

/** What one timed mapping run measured, plus the items it produced. */
interface MapperRun {
	out: MappedItem[];
	totalMs: number;
	samples: number[];
	memory: MemoryFigures;
}

/**
 * Maps every event once toward Propstreet, timing each and sampling the heap. The warm-up events
 * (a separate slice) run first so the JIT does not count against the first records.
 */
function runMapper(entity: 'contact' | 'company', events: readonly unknown[], warmUp: readonly unknown[], ctx: ReturnType<typeof buildContext>): MapperRun {
	const config = resolveConfig({});
	for (const event of warmUp) mapRecord(event, entity, 'toPropstreet', config, ctx);

	const out: MappedItem[] = [];
	const sampler = new MemorySampler().start();
	const { totalMs, samples } = timeEach(events, (event) => mapRecord(event, entity, 'toPropstreet', config, ctx), (item) => out.push(item), 250, sampler);
	const memory = sampler.stop(out);
	return { out, totalMs, samples, memory };
}

function mapperRow(name: string, size: string, count: number, run: MapperRun, notes: string[]): BenchRow {
	const { perSecond, list } = checks(count, run.totalMs, run.memory.peakHeapDeltaBytes);
	return {
		name,
		size,
		totalMs: run.totalMs,
		throughput: { perSecond, unit: 'rec' },
		p50Ms: percentile(run.samples, 50),
		p95Ms: percentile(run.samples, 95),
		memory: run.memory,
		checks: list,
		notes,
	};
}

export function benchPersonsToContacts(count = 10_000): BenchRow {
	const { events, companyIdMap, expected } = generatePersons(count);
	const ctx = buildContext({ entity: 'contact', fieldDefinitions: { person: FIELD_DEFINITIONS.person }, lookups: { companyIdMap } });
	const run = runMapper('contact', events, generatePersons(200, 999).events, ctx);
	const { out } = run;

	// The answers, not only the time.
	expectEqual('mapped persons', out.length, count);
	expectEqual('contacts with a primary e-mail', out.filter((i) => typeof i.body.email === 'string').length, expected.validPrimaryEmails);
	expectEqual('contacts with a company connection', out.filter((i) => Array.isArray(i.body.connections)).length, expected.withConnection);
	expectEqual('contacts carrying the pipedrive ref', out.filter((i) => JSON.stringify(i.body.externalRefs ?? []).includes('"pipedrive"')).length, count);
	const accented = out.find((i) => i.body.lastName === 'af Klercker' || i.body.lastName === 'von Essen');
	const warnings = out.reduce((n, i) => n + i.warnings.length, 0);

	return mapperRow('Mapper: persons → contacts', `${formatInt(count)} persons`, count, run, [
		`persons → contacts: ${formatInt(expected.validPrimaryEmails)} with a valid primary e-mail, ${formatInt(expected.withConnection)} with a company connection, ${formatInt(warnings)} warnings (extra e-mails/phones, bad e-mails, unknown orgs); particle surname kept whole: ${accented ? `"${String(accented.body.firstName)}" / "${String(accented.body.lastName)}"` : 'none generated'}`,
	]);
}

export function benchOrganizationsToCompanies(count = 10_000): BenchRow {
	const { events, expected } = generateOrganizations(count);
	const ctx = buildContext({ entity: 'company', fieldDefinitions: { organization: FIELD_DEFINITIONS.organization } });
	const run = runMapper('company', events, generateOrganizations(200, 999).events, ctx);
	const { out } = run;

	expectEqual('mapped organizations', out.length, count);
	expectEqual('companies with a valid org number', out.filter((i) => i.match.orgNumber !== undefined).length, expected.validOrgNumbers);
	expectEqual('companies with a domain', out.filter((i) => typeof i.body.domain === 'string').length, expected.validDomains);
	expectEqual('companies with a country code', out.filter((i) => typeof i.body.countryCode === 'string').length, expected.recognisedCountries);
	const byCountry: Record<string, number> = {};
	for (const item of out) if (item.match.orgNumber) byCountry[item.match.orgNumber.namespace] = (byCountry[item.match.orgNumber.namespace] ?? 0) + 1;

	return mapperRow('Mapper: orgs → companies', `${formatInt(count)} orgs`, count, run, [
		`orgs → companies: ${formatInt(expected.validOrgNumbers)} valid org numbers (${Object.entries(byCountry).sort().map(([ns, n]) => `${ns} ${formatInt(n)}`).join(', ')}), ${formatInt(count - expected.validOrgNumbers)} missing/invalid; ${formatInt(expected.validDomains)} domains; ${formatInt(expected.recognisedCountries)} countries recognised`,
	]);
}

/**
 * Deterministic ids for the shared Nordic seed, so both simulators (and the tests, demo and e2e
 * suite) agree on which Pipedrive id belongs to which Propstreet record without a lookup.
 *
 * Pipedrive ids are numbers by position in the seed arrays: persons 1001+, organizations 2001+,
 * deals 3001+. Propstreet ids are strings: contacts 5001+, companies 6001+, projects 7001+,
 * prospects 8001+ (keyed `<dealKey>:<personKey>`, in deal order then prospect order), links 9001+
 * (keyed by the person key: one employment per person). Ids a simulator hands out at run time start
 * well above these ranges.
 */
import { deals, firms, persons } from './nordic';

export type PipedriveSeedKind = 'person' | 'organization' | 'deal';
export type PropstreetSeedKind = 'contact' | 'company' | 'project' | 'prospect' | 'link';

/** First id a simulator may hand out at run time (above every seeded id). */
export const FIRST_RUNTIME_ID = 100001;

function indexOf(keys: string[], key: string, what: string): number {
	const index = keys.indexOf(key);
	if (index < 0) throw new Error(`Unknown ${what} key in the Nordic seed: "${key}"`);
	return index;
}

export function prospectSeedKeys(): string[] {
	const keys: string[] = [];
	for (const deal of deals) for (const prospect of deal.prospects) keys.push(`${deal.key}:${prospect.personKey}`);
	return keys;
}

/** The Pipedrive id of a seeded person, organization or deal. */
export function pipedriveIdFor(kind: PipedriveSeedKind, key: string): number {
	switch (kind) {
		case 'person':
			return 1001 + indexOf(persons.map((p) => p.key), key, 'person');
		case 'organization':
			return 2001 + indexOf(firms.map((f) => f.key), key, 'firm');
		case 'deal':
			return 3001 + indexOf(deals.map((d) => d.key), key, 'deal');
	}
}

/** The Propstreet id (a string, as the API returns ids) of a seeded record. */
export function propstreetIdFor(kind: PropstreetSeedKind, key: string): string {
	switch (kind) {
		case 'contact':
			return String(5001 + indexOf(persons.map((p) => p.key), key, 'person'));
		case 'company':
			return String(6001 + indexOf(firms.map((f) => f.key), key, 'firm'));
		case 'project':
			return String(7001 + indexOf(deals.map((d) => d.key), key, 'deal'));
		case 'prospect':
			return String(8001 + indexOf(prospectSeedKeys(), key, 'prospect (<dealKey>:<personKey>)'));
		case 'link':
			return String(9001 + indexOf(persons.map((p) => p.key), key, 'person'));
	}
}

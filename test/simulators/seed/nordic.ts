/**
 * The shared Nordic commercial-real-estate dataset. Both simulators seed from this one file, so the
 * demo and the e2e suite see the same people, firms and deals on each side.
 *
 * Each record says on which side it exists and how the two sides relate:
 * - `linked`: ids are already stored on both sides (externalRefs in Propstreet, custom fields in Pipedrive);
 * - `match`: exists on both sides unlinked, matchable only by email / domain / org number;
 * - `conflict`: linked, but a field was edited differently on each side (values in `propstreetOverrides`);
 * - `pipedriveOnly` / `propstreetOnly`: exists on one side only.
 * Org numbers are valid for their country (checksums hold); domains are fictional.
 */

export type Presence = 'linked' | 'match' | 'conflict' | 'pipedriveOnly' | 'propstreetOnly';
export type CountryCode = 'SE' | 'NO' | 'DK' | 'FI';

export interface SeedFirm {
	key: string;
	name: string;
	countryCode: CountryCode;
	/** How the country is written in the Pipedrive address (a local or English name). */
	addressCountry: string;
	addressLocality: string;
	/** National format: NO 9 digits, SE NNNNNN-NNNN, DK 8 digits, FI NNNNNNN-N. */
	orgNumber: string | null;
	domain: string | null;
	strategy: string | null;
	tags: string[];
	presence: Presence;
	/** For `match` firms: which key Propstreet holds that makes them matchable. */
	matchBy?: 'domain' | 'orgNumber';
	/** For `conflict` firms: the values Propstreet holds instead. */
	propstreetOverrides?: Partial<Pick<SeedFirm, 'name' | 'strategy' | 'domain'>>;
}

export interface SeedPerson {
	key: string;
	/** The single Pipedrive name field. */
	name: string;
	firstName: string;
	lastName: string;
	emails: { value: string; label: 'work' | 'home' | 'other'; primary: boolean }[];
	phones: { value: string; label: 'work' | 'mobile' | 'home' | 'other'; primary: boolean }[];
	firmKey: string | null;
	jobTitle: string | null;
	/** Pipedrive label names; Propstreet tags use the same names lower-cased. */
	labels: string[];
	strategy: string | null;
	presence: Presence;
	propstreetOverrides?: Partial<Pick<SeedPerson, 'strategy' | 'jobTitle' | 'firstName' | 'lastName'>> & { phone?: string };
}

export type ProspectClassification = 'not_contacted' | 'contacted' | 'interested' | 'not_interested' | 'bidder';

export interface SeedDeal {
	key: string;
	title: string;
	/** Stage name in the "Nordic Transactions" pipeline. */
	stage: string;
	status: 'open' | 'won' | 'lost';
	value: number;
	currency: 'SEK' | 'NOK' | 'DKK' | 'EUR';
	personKey: string | null;
	firmKey: string | null;
	/** Extra deal participants (beyond the primary person). */
	participantKeys: string[];
	isPortfolio: boolean;
	propertyCount: number | null;
	propertyTypes: string[];
	presence: Presence;
	/** Propstreet side: the prospects on the project and their classification. */
	prospects: { personKey: string; classification: ProspectClassification; teaserMatched?: boolean }[];
}

export const PIPELINE_NAME = 'Nordic Transactions';

/** The spec's example stages, in pipeline order. */
export const STAGES = ['Lead In', 'Property Added', 'Teaser Drafting', 'Investor Outreach', 'Due Diligence', 'Closing'] as const;

export const PERSON_LABELS = ['Investor', 'Broker', 'Lender', 'VIP'] as const;

export const PROPERTY_TYPES = ['Office', 'Retail', 'Logistics', 'Residential', 'Hotel', 'Industrial'] as const;

export const firms: SeedFirm[] = [
	{ key: 'nordhav', name: 'Nordhav Fastigheter AB', countryCode: 'SE', addressCountry: 'Sverige', addressLocality: 'Stockholm', orgNumber: '556123-4567', domain: 'nordhav.example.se', strategy: 'Core-plus office in Stockholm CBD, SEK 200–800M tickets', tags: ['institutional'], presence: 'linked' },
	{ key: 'fjordkapital', name: 'Fjordkapital AS', countryCode: 'NO', addressCountry: 'Norge', addressLocality: 'Oslo', orgNumber: '923456783', domain: 'fjordkapital.example.no', strategy: 'Logistics along the E6 corridor', tags: ['private-equity'], presence: 'match', matchBy: 'orgNumber' },
	{ key: 'oresund', name: 'Øresund Ejendomme A/S', countryCode: 'DK', addressCountry: 'Danmark', addressLocality: 'København', orgNumber: '31245672', domain: 'oresund-ejendomme.example.dk', strategy: 'Residential value-add in Greater Copenhagen', tags: ['family-office'], presence: 'match', matchBy: 'domain' },
	{ key: 'saimaa', name: 'Saimaa Kiinteistöt Oy', countryCode: 'FI', addressCountry: 'Suomi', addressLocality: 'Helsinki', orgNumber: '2345678-0', domain: 'saimaa.example.fi', strategy: null, tags: [], presence: 'pipedriveOnly' },
	{ key: 'malarstaden', name: 'Mälarstaden Invest AB', countryCode: 'SE', addressCountry: 'Sweden', addressLocality: 'Västerås', orgNumber: '556789-0123', domain: 'malarstaden.example.se', strategy: 'Community properties (schools, care) across Mälardalen', tags: ['institutional'], presence: 'conflict', propstreetOverrides: { strategy: 'Social infrastructure, long leases, Mälardalen and Uppsala' } },
	{ key: 'bergen', name: 'Bergen Næringseiendom AS', countryCode: 'NO', addressCountry: 'Norway', addressLocality: 'Bergen', orgNumber: '987654325', domain: 'bergen-naering.example.no', strategy: 'Retail parks in Western Norway', tags: [], presence: 'linked' },
	{ key: 'aarhus', name: 'Aarhus Havn Capital ApS', countryCode: 'DK', addressCountry: 'Denmark', addressLocality: 'Aarhus', orgNumber: '29876541', domain: 'aarhushavn.example.dk', strategy: null, tags: [], presence: 'propstreetOnly' },
	{ key: 'gota', name: 'Göta Kapitalförvaltning AB', countryCode: 'SE', addressCountry: 'SE', addressLocality: 'Göteborg', orgNumber: '559011-2230', domain: 'gotakapital.example.se', strategy: 'Light industrial and logistics, West Sweden', tags: ['private-equity'], presence: 'pipedriveOnly' },
	{ key: 'lappi', name: 'Lappi Real Estate Oy', countryCode: 'FI', addressCountry: 'Finland', addressLocality: 'Oulu', orgNumber: '1987654-7', domain: 'lappi-re.example.fi', strategy: 'Hotels in Finnish Lapland', tags: [], presence: 'linked' },
];

export const persons: SeedPerson[] = [
	{ key: 'astrid', name: 'Astrid Öberg', firstName: 'Astrid', lastName: 'Öberg', emails: [{ value: 'astrid.oberg@nordhav.example.se', label: 'work', primary: true }, { value: 'astrid.oberg@gmail.example.com', label: 'home', primary: false }], phones: [{ value: '+46 70 123 45 67', label: 'mobile', primary: true }, { value: '+46 8 555 010 20', label: 'work', primary: false }], firmKey: 'nordhav', jobTitle: 'Head of Transactions', labels: ['Investor', 'VIP'], strategy: 'Office, Stockholm inner city, SEK 300M+', presence: 'linked' },
	{ key: 'lars', name: 'Lars-Erik Åkesson', firstName: 'Lars-Erik', lastName: 'Åkesson', emails: [{ value: 'lars-erik.akesson@nordhav.example.se', label: 'work', primary: true }], phones: [{ value: '+46 70 222 33 44', label: 'work', primary: true }], firmKey: 'nordhav', jobTitle: 'CIO', labels: ['Investor'], strategy: null, presence: 'linked' },
	{ key: 'ingrid', name: 'Ingrid Sæther', firstName: 'Ingrid', lastName: 'Sæther', emails: [{ value: 'ingrid.saether@fjordkapital.example.no', label: 'work', primary: true }], phones: [{ value: '+47 912 34 567', label: 'mobile', primary: true }], firmKey: 'fjordkapital', jobTitle: 'Investment Director', labels: ['Investor'], strategy: 'Logistics, Oslo region, NOK 100–500M', presence: 'match' },
	{ key: 'bjorn', name: 'Bjørn Løvås', firstName: 'Bjørn', lastName: 'Løvås', emails: [{ value: 'bjorn.lovas@fjordkapital.example.no', label: 'work', primary: false }, { value: 'b.lovas@fjordkapital.example.no', label: 'other', primary: true }], phones: [{ value: '+47 922 00 111', label: 'work', primary: true }], firmKey: 'fjordkapital', jobTitle: 'Partner', labels: ['Investor', 'VIP'], strategy: null, presence: 'pipedriveOnly' },
	{ key: 'mette', name: 'Mette Kjærgaard', firstName: 'Mette', lastName: 'Kjærgaard', emails: [{ value: 'mette@oresund-ejendomme.example.dk', label: 'work', primary: true }], phones: [{ value: '+45 20 12 34 56', label: 'mobile', primary: true }], firmKey: 'oresund', jobTitle: 'Adm. direktør', labels: ['Investor'], strategy: 'Residential, Copenhagen, DKK 50–250M', presence: 'match' },
	{ key: 'soren', name: 'Søren Ærø', firstName: 'Søren', lastName: 'Ærø', emails: [{ value: 'soren.aero@oresund-ejendomme.example.dk', label: 'work', primary: true }], phones: [], firmKey: 'oresund', jobTitle: 'Analyst', labels: [], strategy: null, presence: 'pipedriveOnly' },
	{ key: 'aino', name: 'Aino Mäkelä', firstName: 'Aino', lastName: 'Mäkelä', emails: [{ value: 'aino.makela@saimaa.example.fi', label: 'work', primary: true }], phones: [{ value: '+358 40 123 4567', label: 'mobile', primary: true }], firmKey: 'saimaa', jobTitle: 'Toimitusjohtaja', labels: ['Investor'], strategy: 'Retail and grocery-anchored centres in Finland', presence: 'pipedriveOnly' },
	{ key: 'karin', name: 'Karin von Essen', firstName: 'Karin', lastName: 'von Essen', emails: [{ value: 'karin.vonessen@malarstaden.example.se', label: 'work', primary: true }], phones: [{ value: '+46 21 10 20 30', label: 'work', primary: true }], firmKey: 'malarstaden', jobTitle: 'VD', labels: ['Investor'], strategy: 'Schools and elderly care, 15+ year leases', presence: 'conflict', propstreetOverrides: { strategy: 'Social infrastructure, indexed leases, Mälardalen', jobTitle: 'CEO' } },
	{ key: 'per', name: 'Per Olof af Klercker', firstName: 'Per Olof', lastName: 'af Klercker', emails: [{ value: 'po.afklercker@malarstaden.example.se', label: 'work', primary: true }], phones: [], firmKey: 'malarstaden', jobTitle: 'CFO', labels: ['Lender'], strategy: null, presence: 'linked' },
	{ key: 'sigrid', name: 'Sigrid Hågensen', firstName: 'Sigrid', lastName: 'Hågensen', emails: [{ value: 'sigrid@bergen-naering.example.no', label: 'work', primary: true }], phones: [{ value: '+47 55 12 34 56', label: 'work', primary: true }], firmKey: 'bergen', jobTitle: 'Daglig leder', labels: ['Investor'], strategy: 'Retail parks, Vestland', presence: 'linked' },
	{ key: 'anders', name: 'Anders Højbjerg', firstName: 'Anders', lastName: 'Højbjerg', emails: [{ value: 'anders@aarhushavn.example.dk', label: 'work', primary: true }], phones: [{ value: '+45 30 40 50 60', label: 'mobile', primary: true }], firmKey: 'aarhus', jobTitle: 'Partner', labels: ['Investor'], strategy: 'Harbour-front mixed use, Aarhus', presence: 'propstreetOnly' },
	{ key: 'elin', name: 'Elin Grönqvist', firstName: 'Elin', lastName: 'Grönqvist', emails: [{ value: 'elin.gronqvist@gotakapital.example.se', label: 'work', primary: true }], phones: [{ value: '+46 31 700 80 90', label: 'work', primary: true }], firmKey: 'gota', jobTitle: 'Investment Manager', labels: ['Investor'], strategy: null, presence: 'pipedriveOnly' },
	{ key: 'juha', name: 'Juha-Pekka Äijälä', firstName: 'Juha-Pekka', lastName: 'Äijälä', emails: [{ value: 'jp.aijala@lappi-re.example.fi', label: 'work', primary: true }], phones: [{ value: '+358 50 765 4321', label: 'mobile', primary: true }], firmKey: 'lappi', jobTitle: 'CEO', labels: ['Investor', 'VIP'], strategy: 'Hotels and leisure, Lapland', presence: 'linked' },
	{ key: 'nils', name: 'Nils', firstName: 'Nils', lastName: '', emails: [{ value: 'nils@broker.example.se', label: 'work', primary: true }], phones: [], firmKey: null, jobTitle: null, labels: ['Broker'], strategy: null, presence: 'pipedriveOnly' },
	{ key: 'freja', name: 'Freja Lindqvist', firstName: 'Freja', lastName: 'Lindqvist', emails: [{ value: 'freja.lindqvist@nordhav.example.se', label: 'work', primary: true }], phones: [], firmKey: 'nordhav', jobTitle: 'Analyst', labels: ['Investor'], strategy: null, presence: 'match' },
];

export const deals: SeedDeal[] = [
	{ key: 'kista', title: 'Kista Office Portfolio', stage: 'Due Diligence', status: 'open', value: 1_500_000_000, currency: 'SEK', personKey: 'astrid', firmKey: 'nordhav', participantKeys: ['lars', 'karin'], isPortfolio: true, propertyCount: 3, propertyTypes: ['Office'], presence: 'linked', prospects: [{ personKey: 'astrid', classification: 'interested' }, { personKey: 'lars', classification: 'contacted' }, { personKey: 'karin', classification: 'bidder' }, { personKey: 'juha', classification: 'not_contacted', teaserMatched: true }] },
	{ key: 'alnabru', title: 'Alnabru Logistics Hub', stage: 'Investor Outreach', status: 'open', value: 420_000_000, currency: 'NOK', personKey: 'ingrid', firmKey: 'fjordkapital', participantKeys: ['sigrid'], isPortfolio: false, propertyCount: null, propertyTypes: ['Logistics'], presence: 'linked', prospects: [{ personKey: 'sigrid', classification: 'not_interested' }] },
	{ key: 'nyhavn', title: 'Nyhavn Residential', stage: 'Teaser Drafting', status: 'open', value: 180_000_000, currency: 'DKK', personKey: 'mette', firmKey: 'oresund', participantKeys: [], isPortfolio: false, propertyCount: null, propertyTypes: ['Residential'], presence: 'pipedriveOnly', prospects: [] },
	{ key: 'levi', title: 'Levi Ski Hotel', stage: 'Closing', status: 'won', value: 35_000_000, currency: 'EUR', personKey: 'juha', firmKey: 'lappi', participantKeys: [], isPortfolio: false, propertyCount: null, propertyTypes: ['Hotel'], presence: 'linked', prospects: [{ personKey: 'juha', classification: 'bidder' }] },
	{ key: 'vasteras', title: 'Västerås School Portfolio', stage: 'Property Added', status: 'open', value: 610_000_000, currency: 'SEK', personKey: 'karin', firmKey: 'malarstaden', participantKeys: ['per'], isPortfolio: true, propertyCount: 5, propertyTypes: ['Office', 'Residential'], presence: 'pipedriveOnly', prospects: [] },
	{ key: 'tampere', title: 'Tampere Retail Centre', stage: 'Lead In', status: 'lost', value: 22_000_000, currency: 'EUR', personKey: 'aino', firmKey: 'saimaa', participantKeys: [], isPortfolio: false, propertyCount: null, propertyTypes: ['Retail'], presence: 'pipedriveOnly', prospects: [] },
	{ key: 'aarhusharbour', title: 'Aarhus Harbour Mixed Use', stage: 'Investor Outreach', status: 'open', value: 300_000_000, currency: 'DKK', personKey: 'anders', firmKey: 'aarhus', participantKeys: [], isPortfolio: false, propertyCount: null, propertyTypes: ['Office', 'Retail'], presence: 'propstreetOnly', prospects: [{ personKey: 'anders', classification: 'interested' }] },
];

export const seed = { firms, persons, deals, stages: STAGES, pipelineName: PIPELINE_NAME, labels: PERSON_LABELS, propertyTypes: PROPERTY_TYPES };
export type NordicSeed = typeof seed;

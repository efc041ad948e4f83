/**
 * Maps the shared Nordic seed (test/simulators/seed/nordic.ts) into Propstreet records.
 *
 * - Firms present in Propstreet (linked / match / conflict / propstreetOnly) become companies.
 *   Linked and conflict firms carry `{namespace: 'pipedrive', id: <org id>}` plus the org-number ref;
 *   match-by-orgNumber firms carry only the `orgnr-<cc>` ref (no domain), match-by-domain firms only
 *   the domain; Propstreet-only firms carry domain and org-number ref. Conflict firms hold
 *   `propstreetOverrides`.
 * - Persons present in Propstreet become contacts (primary email / phone, labels lower-cased as tags,
 *   strategy) with one primary connection to their firm's company (job title) when that firm exists.
 * - Linked / Propstreet-only deals become projects, state per the spec's stage table; their
 *   `prospects` become prospects (teaser-matched ones get a `teaser` object and `chat`).
 */
import { deals, firms, persons, type SeedDeal, type SeedFirm, type SeedPerson } from '../seed/nordic';
import { pipedriveIdFor, propstreetIdFor } from '../seed/ids';
import { normaliseDomain } from './resources/companies';
import { normalisePhone } from './resources/contacts';
import type { Store } from './store';
import type {
	CompanyRecord,
	ContactRecord,
	ExternalRef,
	LinkRecord,
	Price,
	ProjectClassification,
	ProjectRecord,
	ProjectStatus,
	ProspectRecord,
	TeaserStage,
	VersionedRecord,
} from './types';

/** Namespace prefix for org numbers: `orgnr-se`, `orgnr-no`, … (ARCHITECTURE.md). */
export const ORGNR_NAMESPACE_PREFIX = 'orgnr-';

export function orgNumberRef(firm: Pick<SeedFirm, 'countryCode' | 'orgNumber'>, prefix = ORGNR_NAMESPACE_PREFIX): ExternalRef | null {
	if (!firm.orgNumber) return null;
	return { namespace: `${prefix}${firm.countryCode.toLowerCase()}`, id: firm.orgNumber.replace(/\D/g, '') };
}

const inPropstreet = (presence: string) => presence !== 'pipedriveOnly';
const isLinked = (presence: string) => presence === 'linked' || presence === 'conflict';

/** The spec's stage table (Pipedrive stage → classification and teaser stage). */
export const STAGE_TABLE: Record<string, { classification: ProjectClassification; teaserStage: TeaserStage | null }> = {
	'Lead In': { classification: 'draft', teaserStage: null },
	'Property Added': { classification: 'draft', teaserStage: null },
	'Teaser Drafting': { classification: 'active', teaserStage: 'published' },
	'Investor Outreach': { classification: 'active', teaserStage: 'communicated' },
	'Due Diligence': { classification: 'active', teaserStage: 'communicated' },
	Closing: { classification: 'active', teaserStage: 'communicated' },
};

export interface PropstreetSeedData {
	companies: CompanyRecord[];
	contacts: ContactRecord[];
	links: LinkRecord[];
	projects: ProjectRecord[];
	prospects: ProspectRecord[];
}

function toPrice(value: number, currency: string): Price {
	if (value % 1_000_000 === 0) return { value: value / 1_000_000, currency, scale: 'millions' };
	if (value % 1_000 === 0) return { value: value / 1_000, currency, scale: 'thousands' };
	return { value, currency, scale: 'none' };
}

/** Builds the records; `nowMs` anchors the timestamps (records were last changed 30 to 1 days ago). */
export function buildPropstreetSeed(nowMs: number, nextEtag: () => string): PropstreetSeedData {
	let minute = 0;
	const base = nowMs - 30 * 24 * 60 * 60 * 1000;
	const versioned = (id: string, deleted = false): VersionedRecord => {
		const at = new Date(base + minute++ * 60_000).toISOString();
		return { id, createdUtc: at, updatedUtc: at, deletedUtc: deleted ? at : null, etag: nextEtag(), changeType: null, changeOrigin: null };
	};

	const companies: CompanyRecord[] = firms.filter((f) => inPropstreet(f.presence)).map((f: SeedFirm) => {
		const refs: ExternalRef[] = [];
		if (isLinked(f.presence)) refs.push({ namespace: 'pipedrive', id: String(pipedriveIdFor('organization', f.key)) });
		const orgRef = orgNumberRef(f);
		const withOrgRef = f.presence !== 'match' || f.matchBy === 'orgNumber';
		if (orgRef && withOrgRef) refs.push(orgRef);
		const withDomain = f.presence !== 'match' || f.matchBy === 'domain';
		const o = f.presence === 'conflict' ? f.propstreetOverrides ?? {} : {};
		const domain = o.domain !== undefined ? o.domain : withDomain ? f.domain : null;
		return {
			...versioned(propstreetIdFor('company', f.key)),
			name: o.name ?? f.name,
			externalRefs: refs,
			countryCode: f.countryCode,
			domain: domain ? normaliseDomain(domain) : null,
			homepageUrl: domain ? `https://${domain}` : null,
			linkedInUrl: null,
			strategy: o.strategy !== undefined ? o.strategy : f.strategy,
			tags: [...f.tags],
		};
	});
	const companyIds = new Set(companies.map((c) => c.id));

	const contacts: ContactRecord[] = [];
	const links: LinkRecord[] = [];
	for (const p of persons.filter((x: SeedPerson) => inPropstreet(x.presence))) {
		const o = p.presence === 'conflict' ? p.propstreetOverrides ?? {} : {};
		const email = p.emails.find((e) => e.primary)?.value ?? p.emails[0]?.value ?? null;
		const rawPhone = o.phone ?? p.phones.find((x) => x.primary)?.value ?? p.phones[0]?.value ?? null;
		const phone = rawPhone ? normalisePhone(rawPhone) : null;
		const contact: ContactRecord = {
			...versioned(propstreetIdFor('contact', p.key)),
			externalRefs: isLinked(p.presence) ? [{ namespace: 'pipedrive', id: String(pipedriveIdFor('person', p.key)) }] : [],
			firstName: o.firstName ?? p.firstName,
			lastName: (o.lastName ?? p.lastName) || null,
			email,
			phone,
			linkedInUrl: null,
			emails: email ? [{ address: email, type: 'work' }] : [],
			phones: phone ? [{ number: phone, type: p.phones.find((x) => x.primary)?.label ?? null }] : [],
			primaryLanguage: null,
			tags: p.labels.map((l) => l.toLowerCase()),
			strategy: o.strategy !== undefined ? o.strategy : p.strategy,
			profilePictureUrl: null,
			blocked: false,
		};
		contacts.push(contact);
		const companyId = p.firmKey ? propstreetIdFor('company', p.firmKey) : null;
		if (companyId && companyIds.has(companyId)) {
			links.push({
				...versioned(propstreetIdFor('link', p.key)),
				contactId: contact.id,
				companyId,
				jobTitle: o.jobTitle !== undefined ? o.jobTitle : p.jobTitle,
				isPrimary: true,
			});
		}
	}
	const contactIds = new Set(contacts.map((c) => c.id));
	const personPresence = new Map(persons.map((p) => [p.key, p.presence]));

	const projects: ProjectRecord[] = [];
	const prospects: ProspectRecord[] = [];
	for (const d of deals.filter((x: SeedDeal) => x.presence === 'linked' || x.presence === 'propstreetOnly' || x.presence === 'conflict')) {
		const row = STAGE_TABLE[d.stage] ?? { classification: 'draft', teaserStage: null };
		const status: ProjectStatus = d.status === 'won' ? 'closed' : d.status === 'lost' ? 'deleted' : 'open';
		const v = versioned(propstreetIdFor('project', d.key), status === 'deleted');
		const stage = row.teaserStage;
		const rank = stage ? ['property_added', 'drafting', 'published', 'verified', 'communicated'].indexOf(stage) : -1;
		projects.push({
			...v,
			name: d.title,
			externalRefs: isLinked(d.presence) ? [{ namespace: 'pipedrive', id: String(pipedriveIdFor('deal', d.key)) }] : [],
			asset: d.isPortfolio ? { type: 'portfolio', propertyCount: d.propertyCount } : { type: 'single', propertyCount: null },
			status,
			classification: row.classification,
			exclusivity: null,
			price: toPrice(d.value, d.currency),
			priceRange: null,
			propertyIds: [],
			teaser: stage
				? {
						id: `t${v.id}`,
						stage,
						createdUtc: v.createdUtc,
						updatedUtc: v.updatedUtc,
						etag: nextEtag(),
						publishedUtc: rank >= 2 ? v.createdUtc : null,
						verifiedUtc: rank >= 3 ? v.createdUtc : null,
						communicatedUtc: rank >= 4 ? v.createdUtc : null,
						isPreMarket: false,
						title: d.title,
						tags: d.propertyTypes.map((t) => t.toLowerCase()),
						options: {},
						changeType: null,
						changeOrigin: null,
					}
				: null,
		});
		for (const pr of d.prospects) {
			const contactId = propstreetIdFor('contact', pr.personKey);
			if (!contactIds.has(contactId)) throw new Error(`Seed prospect ${d.key}:${pr.personKey} points at a person who is not in Propstreet`);
			const companyId = links.find((l) => l.contactId === contactId && l.isPrimary)?.companyId ?? null;
			// Broker-added prospects on linked deals carry the participant's Pipedrive person id; teaser matches do not.
			const withRef = !pr.teaserMatched && isLinked(d.presence) && isLinked(personPresence.get(pr.personKey) ?? '');
			prospects.push({
				...versioned(propstreetIdFor('prospect', `${d.key}:${pr.personKey}`), status === 'deleted'),
				projectId: v.id,
				contactId,
				companyId,
				externalRefs: withRef ? [{ namespace: 'pipedrive', id: String(pipedriveIdFor('person', pr.personKey)) }] : [],
				classification: pr.classification,
				capabilities: pr.teaserMatched ? ['chat'] : [],
				tags: [],
				teaser: pr.teaserMatched ? { acceptedUtc: v.createdUtc, deadlineUtc: new Date(nowMs + 14 * 24 * 60 * 60 * 1000).toISOString() } : null,
			});
		}
	}
	return { companies, contacts, links, projects, prospects };
}

/** Loads the Nordic dataset into a store (no webhooks: it is the state before anything happens). */
export function loadSeed(store: Store): PropstreetSeedData {
	const data = buildPropstreetSeed(store.clock.now(), () => store.nextEtag());
	for (const r of data.companies) store.companies.set(r.id, r);
	for (const r of data.contacts) store.contacts.set(r.id, r);
	for (const r of data.links) store.links.set(r.id, r);
	for (const r of data.projects) store.projects.set(r.id, r);
	for (const r of data.prospects) store.prospects.set(r.id, r);
	return data;
}

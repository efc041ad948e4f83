/** An in-memory deal and project for the membership core: participants, prospects, person classifications, with write counts. */
import type { DealMember, ProjectProspect } from '../../../nodes/shared/core/membership/model';
import type { MembershipPorts, MembershipRun } from '../../../nodes/shared/core/membership/ports';
import { MemoryStateStore } from '../../../nodes/shared/core/syncState/store';

export class FakeWorld implements MembershipPorts {
	/** deal id → person id → participant id ('' for the primary person). */
	deals = new Map<string, Map<string, string>>();
	primary = new Map<string, string>();
	/** project id → prospects. */
	projects = new Map<string, ProjectProspect[]>();
	personClass = new Map<string, string | null>();
	/** person ⇄ contact links the records themselves store. */
	personContact = new Map<string, string>();
	writes: string[] = [];
	private seq = 1;
	private clock = 0;

	tick(): string {
		return new Date(Date.UTC(2026, 0, 1, 10, 0, ++this.clock)).toISOString();
	}
	addDeal(dealId: string, primary: string, participants: string[] = []): void {
		this.deals.set(dealId, new Map(participants.map((p) => [p, String(this.seq++)])));
		this.primary.set(dealId, primary);
	}
	userAddsParticipant(dealId: string, personId: string): void {
		this.deals.get(dealId)!.set(personId, String(this.seq++));
	}
	userRemovesParticipant(dealId: string, personId: string): void {
		this.deals.get(dealId)!.delete(personId);
	}
	userAddsProspect(projectId: string, contactId: string, classification = 'not_contacted', teaser = false): ProjectProspect {
		const p: ProjectProspect = { prospectId: `p${this.seq++}`, contactId, personId: null, classification, teaser, updatedAt: this.tick() };
		this.projects.set(projectId, [...(this.projects.get(projectId) ?? []), p]);
		return p;
	}
	userRemovesProspect(projectId: string, contactId: string): void {
		this.projects.set(projectId, (this.projects.get(projectId) ?? []).filter((p) => p.contactId !== contactId));
	}
	userClassifies(projectId: string, contactId: string, value: string): void {
		const p = (this.projects.get(projectId) ?? []).find((x) => x.contactId === contactId)!;
		p.classification = value;
		p.updatedAt = this.tick();
	}
	prospectContacts(projectId: string): string[] {
		return (this.projects.get(projectId) ?? []).map((p) => p.contactId).sort();
	}
	participantPersons(dealId: string): string[] {
		return [...this.deals.get(dealId)!.keys()].sort();
	}

	async listMembers(dealId: string): Promise<DealMember[] | null> {
		if (this.gone.has(`deal:${dealId}`)) return null;
		const people = this.deals.get(dealId)!;
		const primary = this.primary.get(dealId)!;
		const members: DealMember[] = [...people].map(([personId, participantId]) => ({ personId, participantId, primary: personId === primary, contactId: this.personContact.get(personId) ?? null, classification: this.personClass.get(personId) ?? null, updatedAt: null }));
		if (!people.has(primary)) members.unshift({ personId: primary, participantId: null, primary: true, contactId: this.personContact.get(primary) ?? null });
		return members;
	}
	/** Persons deleted in Pipedrive and contacts / projects deleted in Propstreet: adds of them answer null. */
	gone = new Set<string>();
	/** Idempotency-Keys used, with the body they carried (Propstreet refuses a key reused with another body). */
	keys = new Map<string, string>();
	/** A Pipedrive person merge: the participant records of `from` stay, now naming `into`. */
	userMergesPerson(from: string, into: string): void {
		for (const people of this.deals.values()) {
			const participant = people.get(from);
			if (participant === undefined) continue;
			people.delete(from);
			if (!people.has(into)) people.set(into, participant);
		}
	}
	async addParticipant(dealId: string, personId: string) {
		if (this.gone.has(`person:${personId}`)) return null;
		this.writes.push(`addParticipant ${dealId} ${personId}`);
		const id = String(this.seq++);
		this.deals.get(dealId)!.set(personId, id);
		return { participantId: id };
	}
	async removeParticipant(dealId: string, participantId: string) {
		this.writes.push(`removeParticipant ${dealId} ${participantId}`);
		const deal = this.deals.get(dealId)!;
		for (const [person, id] of deal) if (id === participantId) deal.delete(person);
	}
	async readPersonClassification(personId: string) {
		return { value: this.personClass.get(personId) ?? null, updatedAt: null };
	}
	async setPersonClassification(personId: string, value: string) {
		this.writes.push(`classifyPerson ${personId} ${value}`);
		this.personClass.set(personId, value);
	}
	async listProspects(projectId: string) {
		if (this.gone.has(`project:${projectId}`)) return null;
		return (this.projects.get(projectId) ?? []).map((p) => ({ ...p, personId: null }));
	}
	async addProspect(projectId: string, contactId: string, personId: string, sourceKey: string) {
		if (this.gone.has(`contact:${contactId}`)) return null;
		const body = `${contactId} ${personId}`;
		if (this.keys.has(sourceKey) && this.keys.get(sourceKey) !== body) throw new Error(`422: Idempotency-Key ${sourceKey} was already used with a different request body`);
		this.keys.set(sourceKey, body);
		this.writes.push(`addProspect ${projectId} ${contactId}`);
		return { ...this.userAddsProspect(projectId, contactId) };
	}
	async removeProspect(projectId: string, prospectId: string) {
		this.writes.push(`removeProspect ${projectId} ${prospectId}`);
		this.projects.set(projectId, (this.projects.get(projectId) ?? []).filter((p) => p.prospectId !== prospectId));
	}
	async setProspectClassification(projectId: string, prospect: ProjectProspect, value: string) {
		this.writes.push(`classifyProspect ${prospect.prospectId} ${value}`);
		const p = (this.projects.get(projectId) ?? []).find((x) => x.prospectId === prospect.prospectId)!;
		p.classification = value;
		p.updatedAt = this.tick();
		return true;
	}
	async contactOfPerson(personId: string) {
		return this.personContact.get(personId) ?? null;
	}
	async personOfContact(contactId: string) {
		for (const [person, contact] of this.personContact) if (contact === contactId) return person;
		return null;
	}
}

export function runFor(world: FakeWorld, store = new MemoryStateStore(), owner = 'run-1'): MembershipRun {
	return { ports: world, store, rules: { policy: 'lastWriteWins' }, owner, now: () => new Date(), wait: async () => undefined };
}

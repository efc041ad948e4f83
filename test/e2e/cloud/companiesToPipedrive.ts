/**
 * Cloud companies Propstreet → Pipedrive (03's company deliveries, run by the loop 00), created, renamed,
 * and linked to an organization found by domain instead of created twice. Registered by
 * cloud.e2e.test.ts on its running stack.
 */
import type { Stack } from '../../harness/stack';
import { contactRecords, type Rec } from '../contactRecords';

export function registerCompaniesToPipedrive(getStack: () => Stack): void {
	const { ps, pd, refOf } = contactRecords(getStack);
	describe('n8n Cloud edition: companies Propstreet → Pipedrive with built-in nodes only', () => {
		const orgCustom = (org: Rec | undefined, name: string) => {
			const value = (org?.custom_fields ?? {})[pd().fieldKey('organization', name)];
			return value && typeof value === 'object' && 'value' in value ? value.value : value;
		};
		const orgsOf = (companyId: string) => pd().organizations().filter((o) => String(orgCustom(o as Rec, 'propstreet_company_id') ?? '') === companyId) as Rec[];
		const companyRows = async (companyId: string) => (await getStack().syncStateRows()).filter((r) => r.entity === 'company' && r.propstreetId === companyId);

		test('a company created, then renamed, in Propstreet arrives in Pipedrive once; both sides name each other', async () => {
			const company = ps().createCompany({ name: 'Vättern Förvaltning AB', domain: 'vatternforvaltning.example.se' }) as Rec;
			const org = await getStack().waitFor(() => orgsOf(company.id)[0], { what: 'the Pipedrive organization of the new company', timeoutMs: 90000 });
			expect(org.name).toBe('Vättern Förvaltning AB');
			expect(orgCustom(org, 'domain')).toBe('vatternforvaltning.example.se');
			await getStack().waitFor(() => refOf(ps().get('company', company.id)) === String(org.id), { what: 'the pipedrive ref on the company', timeoutMs: 60000 });
			await getStack().settle({ quietMs: 3000 });
			ps().updateCompany(company.id, { name: 'Vättern Förvaltning Holding AB' });
			await getStack().waitFor(() => orgsOf(company.id)[0]?.name === 'Vättern Förvaltning Holding AB', { what: 'the new name in Pipedrive', timeoutMs: 90000 });
			await getStack().settle({ quietMs: 3000 });
			expect(orgsOf(company.id)).toHaveLength(1);
			expect(ps().get('company', company.id)?.name).toBe('Vättern Förvaltning Holding AB');
			expect((await companyRows(company.id)).map((r) => ({ pipedriveId: r.pipedriveId, status: r.status }))).toEqual([{ pipedriveId: String(org.id), status: 'linked' }]);
		}, 300000);

		test('a company whose domain a Pipedrive organization already has is linked to it, not created again', async () => {
			// Seeded in Pipedrive only (no webhook was sent for it): Saimaa Kiinteistöt Oy, saimaa.example.fi.
			const org = pd().organizations().find((o) => o.name === 'Saimaa Kiinteistöt Oy') as Rec;
			expect(orgCustom(org, 'domain')).toBe('saimaa.example.fi');
			const before = pd().organizations().length;
			const company = ps().createCompany({ name: 'Saimaa Kiinteistöt', domain: 'saimaa.example.fi', countryCode: 'FI' }) as Rec;
			await getStack().waitFor(() => refOf(ps().get('company', company.id)) === String(org.id), { what: 'the existing organization as the company ref', timeoutMs: 90000 });
			await getStack().waitFor(() => String(orgCustom(pd().organizations().find((o) => o.id === org.id) as Rec, 'propstreet_company_id') ?? '') === company.id, { what: 'the company id on the existing organization', timeoutMs: 60000 });
			await getStack().settle({ quietMs: 3000 });
			expect(pd().organizations().length).toBe(before);
			// First link, no baseline: the one conflict rule (the company is newer) gives both sides its name.
			expect((pd().organizations().find((o) => o.id === org.id) as Rec).name).toBe('Saimaa Kiinteistöt');
			expect(ps().get('company', company.id)).toMatchObject({ name: 'Saimaa Kiinteistöt', domain: 'saimaa.example.fi' });
			expect((await companyRows(company.id)).map((r) => ({ pipedriveId: r.pipedriveId, status: r.status }))).toEqual([{ pipedriveId: String(org.id), status: 'linked' }]);
		}, 300000);
	});
}

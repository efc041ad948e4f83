import { syncEvent } from '../../../nodes/shared/core/twoWay/event';
import { companyRun, KEYS } from './fakes';

function newOrg(pd: ReturnType<typeof companyRun>['pd'], over: Record<string, unknown> = {}) {
	return pd.put({
		id: 70,
		name: 'Fjord Capital AB',
		address: { value: 'Stockholm, Sverige', country: 'Sverige' },
		custom_fields: { [KEYS.companyId]: null, [KEYS.domain]: 'https://www.fjordcapital.example.se', [KEYS.orgNumber]: '556677-8899' },
		...over,
	});
}

describe('two-way company sync from events', () => {
	it('a new organization creates one company, links both ways, and its echo costs no call', async () => {
		const { run, pd, ps, store } = companyRun();
		const org = newOrg(pd);
		const out = await syncEvent(run, { side: 'pipedrive', record: org, action: 'create' });
		expect(out.action).toBe('created');
		expect(ps.records.size).toBe(1);
		const company = [...ps.records.values()][0];
		expect(company).toMatchObject({ name: 'Fjord Capital AB', countryCode: 'SE', domain: 'fjordcapital.example.se' });
		expect(company.externalRefs).toEqual([{ namespace: 'pipedrive', id: '70' }, { namespace: 'orgnr-se', id: '5566778899' }]);
		expect((pd.records.get('70')!.custom_fields as Record<string, unknown>)[KEYS.companyId]).toBe(company.id);
		expect(store.all().map((r) => r.status)).toEqual(['linked']);

		const calls = JSON.stringify([pd.calls, ps.calls]);
		const echo = await syncEvent(run, { side: 'pipedrive', record: { ...pd.records.get('70')! }, action: 'change' });
		expect(echo.action).toBe('unchanged');
		expect(JSON.stringify([pd.calls, ps.calls])).toBe(calls);
	});

	it('a partial webhook body is completed by a read before anything is written', async () => {
		const { run, pd, ps } = companyRun();
		await syncEvent(run, { side: 'pipedrive', record: newOrg(pd), action: 'create' });
		const full = pd.put({ ...pd.records.get('70')!, name: 'Fjord Capital Group AB' });
		const reads = pd.calls.get;
		const out = await syncEvent(run, { side: 'pipedrive', record: { id: 70, name: full.name, update_time: full.update_time }, action: 'change' });
		expect(out.action).toBe('updated');
		expect(pd.calls.get).toBe(reads + 1);
		expect(out.written.propstreet).toEqual({ name: 'Fjord Capital Group AB' });
		const company = [...ps.records.values()][0];
		expect(company).toMatchObject({ name: 'Fjord Capital Group AB', domain: 'fjordcapital.example.se' });
	});

	it('a Propstreet company carrying deletedUtc unlinks instead of updating, and is not created again (case 9)', async () => {
		const { run, pd, ps } = companyRun();
		await syncEvent(run, { side: 'pipedrive', record: newOrg(pd), action: 'create' });
		const company = [...ps.records.values()][0];
		const deleted = { ...company, name: 'Renamed Before Delete', deletedUtc: '2026-05-01T12:00:00Z' };
		const writes = pd.calls.update;
		const out = await syncEvent(run, { side: 'propstreet', record: deleted, action: 'change' });
		expect(out.action).toBe('unlinked');
		expect(pd.calls.update).toBe(writes);
		expect(pd.records.get('70')!.name).toBe('Fjord Capital AB');

		ps.records.get(String(company.id))!.deletedUtc = '2026-05-01T12:00:00Z';
		const again = await syncEvent(run, { side: 'pipedrive', record: pd.put({ ...pd.records.get('70')!, name: 'Fjord After' }), action: 'change' });
		expect(again.action).toBe('skipped');
		expect(ps.calls.create).toBe(1);
	});

	it('a Propstreet write planned from the event record carries its etag: a concurrent edit since is refused (412) and merged, not overwritten (case 10)', async () => {
		const { run, pd, ps } = companyRun();
		await syncEvent(run, { side: 'pipedrive', record: newOrg(pd), action: 'create' });
		const id = String([...ps.records.values()][0].id);
		pd.put({ ...pd.records.get('70')!, name: 'Fjord (Pipedrive)' });
		ps.ms += 10_000;
		const edited = ps.put({ ...ps.records.get(id)!, domain: 'fjordgroup.example.se' }, ps.records.get(id)!._v);
		// Someone renames it in Propstreet after the delivery was sent.
		ps.ms += 10_000;
		ps.put({ ...ps.records.get(id)!, name: 'Fjord (Propstreet, later)' }, ps.records.get(id)!._v);
		const out = await syncEvent(run, { side: 'propstreet', record: { ...edited.record, etag: edited.etag }, action: 'change' });
		expect(out.action).toBe('updated');
		expect(ps.records.get(id)).toMatchObject({ name: 'Fjord (Propstreet, later)', domain: 'fjordgroup.example.se' });
		expect(pd.records.get('70')).toMatchObject({ name: 'Fjord (Propstreet, later)' });
		expect((pd.records.get('70')!.custom_fields as Record<string, unknown>)[KEYS.domain]).toBe('fjordgroup.example.se');
	});
});

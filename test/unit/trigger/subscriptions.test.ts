import { PROPSTREET_WEBHOOK_EVENTS, planSubscriptions, sameEvents } from '../../../nodes/shared/core/webhookSubscriptions';

const URL = 'https://n8n.example.com/webhook/abc/webhook';
const EVENTS = ['contact.created', 'contact.updated'];

describe('planSubscriptions', () => {
	it('lists the 15 documented events', () => {
		expect(PROPSTREET_WEBHOOK_EVENTS).toHaveLength(15);
		expect(PROPSTREET_WEBHOOK_EVENTS).toContain('prospect.deleted');
	});

	it('keeps our subscription when URL, events and stored id+secret match', () => {
		const plan = planSubscriptions([{ id: '7', url: URL, events: ['contact.updated', 'contact.created'] }], URL, EVENTS, {
			webhookId: '7',
			secret: 'whsec_x',
		});
		expect(plan).toEqual({ keepId: '7', deleteIds: [] });
	});

	it('deletes a matching subscription whose secret we do not hold', () => {
		const plan = planSubscriptions([{ id: '7', url: URL, events: EVENTS }], URL, EVENTS, {});
		expect(plan).toEqual({ keepId: null, deleteIds: ['7'] });
	});

	it('deletes a matching subscription when the stored secret belongs to another id', () => {
		const plan = planSubscriptions([{ id: '7', url: URL, events: EVENTS }], URL, EVENTS, { webhookId: '6', secret: 'whsec_x' });
		expect(plan).toEqual({ keepId: null, deleteIds: ['7'] });
	});

	it('deletes stale subscriptions at our URL with other events and duplicates, keeps others’ URLs alone', () => {
		const plan = planSubscriptions(
			[
				{ id: '1', url: URL, events: ['company.created'] },
				{ id: '2', url: URL, events: EVENTS },
				{ id: '3', url: URL, events: EVENTS },
				{ id: '4', url: 'https://elsewhere.example.com/hook', events: EVENTS },
			],
			URL,
			EVENTS,
			{ webhookId: '2', secret: 'whsec_x' },
		);
		expect(plan).toEqual({ keepId: '2', deleteIds: ['1', '3'] });
	});

	it('replaces a subscription Propstreet has disabled', () => {
		const plan = planSubscriptions([{ id: '7', url: URL, events: EVENTS, enabled: false }], URL, EVENTS, {
			webhookId: '7',
			secret: 'whsec_x',
		});
		expect(plan).toEqual({ keepId: null, deleteIds: ['7'] });
	});

	it('compares event sets ignoring order, case and duplicates', () => {
		expect(sameEvents(['A.b', 'c.d', 'c.d'], ['c.d', 'a.b'])).toBe(true);
		expect(sameEvents(['a.b'], ['a.b', 'c.d'])).toBe(false);
	});
});

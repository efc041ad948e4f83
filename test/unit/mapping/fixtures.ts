/** Shared fixtures: Pipedrive field definitions and stages shaped like the real API responses. */
import { buildContext, resolveConfig, type EntityName, type MapperConfigInput, type MapperLookups } from '../../../nodes/shared/core/mapping';

const hex = (c: string) => c.repeat(40);
export const KEYS = {
	contactId: hex('a'),
	strategy: hex('b'),
	classification: hex('c'),
	jobTitleCustom: hex('d'),
	companyId: hex('e'),
	domain: hex('f'),
	orgNumber: hex('1'),
	projectId: hex('2'),
	isPortfolio: hex('3'),
	propertyCount: hex('4'),
	propertyType: hex('5'),
};

/** v1 shape (`key`, `name`), as GET /v1/personFields returns it. */
export const personFieldsV1 = {
	success: true,
	data: [
		{ id: 9001, key: 'name', name: 'Name', field_type: 'varchar', edit_flag: false },
		{ id: 9002, key: 'label_ids', name: 'Labels', field_type: 'set', options: [{ id: 1, label: 'Investor', color: 'green' }, { id: 2, label: 'Broker' }, { id: 3, label: 'Lender' }, { id: 4, label: 'VIP' }] },
		{ id: 9003, key: KEYS.contactId, name: 'propstreet_contact_id', field_type: 'varchar', edit_flag: true },
		{ id: 9004, key: KEYS.strategy, name: 'investor_strategy', field_type: 'text', edit_flag: true },
		{ id: 9005, key: KEYS.classification, name: 'classification', field_type: 'enum', edit_flag: true, options: [{ id: 11, label: 'Not contacted' }, { id: 12, label: 'Contacted' }, { id: 13, label: 'Interested' }, { id: 14, label: 'Not interested' }, { id: 15, label: 'Bidder' }] },
		{ id: 9006, key: KEYS.jobTitleCustom, name: 'Job title (custom)', field_type: 'varchar', edit_flag: true },
	],
};

/** v2 shape (`field_code`, `field_name`), as GET /api/v2/organizationFields returns it. */
export const organizationFieldsV2 = {
	success: true,
	data: [
		{ field_code: 'name', field_name: 'Name', field_type: 'varchar', is_custom_field: false, options: null },
		{ field_code: KEYS.companyId, field_name: 'propstreet_company_id', field_type: 'varchar', is_custom_field: true, options: null },
		{ field_code: KEYS.domain, field_name: 'domain', field_type: 'varchar', is_custom_field: true, options: null },
		{ field_code: KEYS.orgNumber, field_name: 'org_number', field_type: 'varchar', is_custom_field: true, options: null },
	],
};

export const dealFieldsV2 = [
	{ field_code: KEYS.projectId, field_name: 'propstreet_project_id', field_type: 'varchar', is_custom_field: true },
	{ field_code: KEYS.isPortfolio, field_name: 'is_portfolio', field_type: 'enum', is_custom_field: true, options: [{ id: 21, label: 'Yes' }, { id: 22, label: 'No' }] },
	{ field_code: KEYS.propertyCount, field_name: 'property_count', field_type: 'double', is_custom_field: true },
	{
		field_code: KEYS.propertyType,
		field_name: 'property_type',
		field_type: 'set',
		is_custom_field: true,
		options: ['Office', 'Retail', 'Logistics', 'Residential', 'Hotel', 'Industrial', 'Parking'].map((label, i) => ({ id: 31 + i, label })),
	},
];

export const fieldDefinitions = { personFields: personFieldsV1, organizationFields: organizationFieldsV2, dealFields: dealFieldsV2 };

export const stageDefinitions = {
	stages: ['Lead In', 'Property Added', 'Teaser Drafting', 'Investor Outreach', 'Due Diligence', 'Closing'].map((name, i) => ({ id: i + 1, name, pipeline_id: 1, order_nr: i })),
	pipelines: [{ id: 1, name: 'Nordic Transactions' }, { id: 2, name: 'Leasing' }],
};

export function setup(entity: EntityName, options: { config?: MapperConfigInput; lookups?: MapperLookups; current?: Record<string, unknown> | null; noDefinitions?: boolean } = {}) {
	return {
		config: resolveConfig(options.config ?? {}),
		ctx: buildContext({
			entity,
			fieldDefinitions: options.noDefinitions ? undefined : fieldDefinitions,
			stageDefinitions: options.noDefinitions ? undefined : stageDefinitions,
			lookups: options.lookups ?? {},
			current: options.current ?? null,
		}),
	};
}

export function pipedriveWebhook(entity: string, action: 'create' | 'change' | 'delete', data: Record<string, unknown> | null, previous: Record<string, unknown> | null = null, meta: Record<string, unknown> = {}) {
	return {
		meta: { action, entity, entity_id: String((data ?? previous)?.id), id: `evt-${entity}-${action}`, version: '2.0', change_source: 'app', timestamp: '2026-03-04T10:00:00.123Z', ...meta },
		data,
		previous,
	};
}

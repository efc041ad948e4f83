import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { DEFAULT_CONFIG, DEFAULT_STAGE_TABLE, MAPPED_FIELDS, TEASER_STAGES } from '../shared/core/mapping/config';

const fieldOptions: INodePropertyOptions[] = Object.values(MAPPED_FIELDS)
	.flat()
	.map((f) => ({ name: `${f.id.split('.')[0][0].toUpperCase()}${f.id.split('.')[0].slice(1)}: ${f.label}`, value: f.id }))
	.sort((a, b) => a.name.localeCompare(b.name));

const keyField = (displayName: string, name: string, defaultValue: string, description: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: defaultValue,
	description,
});

const classificationOptions: INodePropertyOptions[] = [
	{ name: 'Active', value: 'active' },
	{ name: 'Draft', value: 'draft' },
	{ name: 'Inactive', value: 'inactive' },
];

const teaserOptions: INodePropertyOptions[] = [
	{ name: 'None', value: '' },
	...TEASER_STAGES.map((s) => ({ name: s.replace('_', ' ').replace(/^./, (c) => c.toUpperCase()), value: s })),
].sort((a, b) => a.name.localeCompare(b.name));

const p = DEFAULT_CONFIG.fieldKeys;

export const mapperProperties: INodeProperties[] = [
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Pipedrive → Propstreet', value: 'toPropstreet', description: 'Map Pipedrive records to Propstreet request bodies' },
			{ name: 'Propstreet → Pipedrive', value: 'toPipedrive', description: 'Map Propstreet records to Pipedrive API v2 bodies' },
		],
		default: 'toPropstreet',
	},
	{
		displayName: 'Entity',
		name: 'entity',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Company (Organization)', value: 'company', description: 'Pipedrive organization ⇄ Propstreet company' },
			{ name: 'Contact (Person)', value: 'contact', description: 'Pipedrive person ⇄ Propstreet contact' },
			{ name: 'Note', value: 'note', description: 'Pipedrive note ⇄ Propstreet contact, company or project note' },
			{ name: 'Project (Deal)', value: 'project', description: 'Pipedrive deal ⇄ Propstreet project' },
			{ name: 'Prospect (Participant)', value: 'prospect', description: 'Pipedrive deal participant ⇄ Propstreet prospect' },
		],
		default: 'contact',
	},
	{
		displayName: 'Record Field',
		name: 'recordField',
		type: 'string',
		default: '',
		placeholder: 'e.g. body',
		description:
			'Dot path of the record inside each input item. Empty = the whole item. Pipedrive webhooks (v1 and v2), Pipedrive API responses and Propstreet webhook envelopes are unwrapped automatically.',
	},
	{
		displayName: 'Current Target Record',
		name: 'currentRecord',
		type: 'json',
		default: '',
		description:
			'Optional: the record as it is now on the target side (e.g. the Propstreet contact fetched before an update). Enables merging of lists that the target replaces, change detection, the conflict rules and the output field "patch": only the fields that differ, {} when nothing does.',
	},
	{
		displayName: 'Known IDs',
		name: 'lookups',
		type: 'collection',
		placeholder: 'Add ID',
		default: {},
		options: [
			{ displayName: 'Company ID Map (JSON)', name: 'companyIdMap', type: 'json', default: '', description: 'Object of Pipedrive organization ID → Propstreet company ID' },
			{ displayName: 'Contact ID Map (JSON)', name: 'contactIdMap', type: 'json', default: '', description: 'Object of Pipedrive person ID → Propstreet contact ID' },
			{ displayName: 'Pipedrive Deal ID', name: 'pipedriveDealId', type: 'string', default: '' },
			{ displayName: 'Pipedrive Organization ID', name: 'pipedriveOrgId', type: 'string', default: '' },
			{ displayName: 'Pipedrive Person ID', name: 'pipedrivePersonId', type: 'string', default: '' },
			{ displayName: 'Propstreet Company ID', name: 'propstreetCompanyId', type: 'string', default: '', description: "ID of the Propstreet company for the person's organization" },
			{ displayName: 'Propstreet Contact ID', name: 'propstreetContactId', type: 'string', default: '' },
			{ displayName: 'Propstreet Project ID', name: 'propstreetProjectId', type: 'string', default: '' },
		],
	},
	{
		displayName: 'Pipedrive Field Keys',
		name: 'fieldKeys',
		type: 'fixedCollection',
		placeholder: 'Set Field Keys',
		default: {},
		description: 'Pipedrive custom fields, by field name (resolved through Field Definitions) or by 40-character key',
		options: [
			{
				displayName: 'Person Fields',
				name: 'person',
				values: [
					keyField('Propstreet Contact ID Field', 'propstreetContactId', p.person.propstreetContactId, 'Person field holding the Propstreet contact ID'),
					keyField('Investor Strategy Field', 'investorStrategy', p.person.investorStrategy, 'Person field ⇄ Propstreet strategy'),
					keyField('Classification Field', 'classification', p.person.classification, 'Person field ⇄ prospect classification'),
					keyField('Job Title Field', 'jobTitle', p.person.jobTitle, '"job_title" for the built-in field (needs contact sync in Pipedrive), or a custom field name or key'),
				],
			},
			{
				displayName: 'Organization Fields',
				name: 'organization',
				values: [
					keyField('Propstreet Company ID Field', 'propstreetCompanyId', p.organization.propstreetCompanyId, 'Organization field holding the Propstreet company ID'),
					keyField('Domain Field', 'domain', p.organization.domain, 'Organization field ⇄ company domain'),
					keyField('Org Number Field', 'orgNumber', p.organization.orgNumber, 'Organization field ⇄ Nordic organisation number'),
				],
			},
			{
				displayName: 'Deal Fields',
				name: 'deal',
				values: [
					keyField('Propstreet Project ID Field', 'propstreetProjectId', p.deal.propstreetProjectId, 'Deal field holding the Propstreet project ID'),
					keyField('Is Portfolio Field', 'isPortfolio', p.deal.isPortfolio, 'Single-option Yes/No deal field ⇄ asset type'),
					keyField('Property Count Field', 'propertyCount', p.deal.propertyCount, 'Number deal field ⇄ asset property count'),
					keyField('Property Type Field', 'propertyType', p.deal.propertyType, 'Multiple-option deal field (reported as property categories)'),
				],
			},
		],
	},
	{
		displayName: 'Label Map',
		name: 'labelMap',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Label Pair',
		default: {},
		description: 'Pipedrive person label ⇄ Propstreet tag. Labels not listed follow the Unmapped Labels option.',
		options: [
			{
				displayName: 'Pair',
				name: 'pairs',
				values: [
					{ displayName: 'Pipedrive Label', name: 'pipedrive', type: 'string', default: '' },
					{ displayName: 'Propstreet Tag', name: 'propstreet', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Stage Table',
		name: 'stageTable',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Stage',
		default: {
			rows: DEFAULT_STAGE_TABLE.map((r) => ({
				pipedriveStage: r.pipedriveStage,
				classification: r.classification,
				teaserStage: r.teaserStage,
				reverseMatch: r.reverseMatch.join(', '),
			})),
		},
		description:
			'Deal stage → project classification (and the teaser stage Propstreet should show). Mapping back, a deal whose stage already has the project\'s classification keeps its stage; otherwise the first row whose classification matches and whose Maps Back From list holds the teaser stage wins.',
		options: [
			{
				displayName: 'Stage',
				name: 'rows',
				values: [
					{ displayName: 'Pipedrive Stage', name: 'pipedriveStage', type: 'string', default: '', description: 'Stage name (needs Stage Definitions) or numeric stage ID' },
					{ displayName: 'Classification', name: 'classification', type: 'options', options: classificationOptions, default: 'draft' },
					{ displayName: 'Teaser Stage', name: 'teaserStage', type: 'options', options: teaserOptions, default: '', description: 'Expected teaser stage (read-only in Propstreet; reported only)' },
					{
						displayName: 'Maps Back From',
						name: 'reverseMatch',
						type: 'string',
						default: '',
						description: 'Comma-separated teaser stages ("none" = no teaser) that map back to this row',
					},
				],
			},
		],
	},
	{
		displayName: 'Field Sync',
		name: 'fieldSync',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field Setting',
		default: {},
		description: 'Switch a mapped field off or limit it to one direction. Fields not listed use their default (both directions).',
		options: [
			{
				displayName: 'Field',
				name: 'fields',
				values: [
					{ displayName: 'Field', name: 'field', type: 'options', options: fieldOptions, default: 'contact.name' },
					{
						displayName: 'Sync',
						name: 'direction',
						type: 'options',
						options: [
							{ name: 'Both Directions', value: 'both' },
							{ name: 'Off', value: 'off' },
							{ name: 'Only Pipedrive → Propstreet', value: 'toPropstreet' },
							{ name: 'Only Propstreet → Pipedrive', value: 'toPipedrive' },
						],
						default: 'both',
					},
				],
			},
		],
	},
	{
		displayName: 'Field Definitions',
		name: 'fieldDefinitions',
		type: 'json',
		default: '',
		description:
			'Optional output of Pipedrive /personFields, /organizationFields, /dealFields (API v1 or v2): a list for the mapped entity, or an object keyed person / organization / deal. Resolves field names to keys and option IDs to labels.',
	},
	{
		displayName: 'Stage Definitions',
		name: 'stageDefinitions',
		type: 'json',
		default: '',
		description: 'Optional output of Pipedrive /api/v2/stages (or { stages, pipelines }), so the stage table can use stage names',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Conflict Rule',
				name: 'conflictStrategy',
				type: 'options',
				options: [
					{ name: 'Last Write Wins', value: 'lastWriteWins', description: 'Drop fields the target changed more recently' },
					{ name: 'Manual Review', value: 'manualReview', description: 'Send items that would overwrite a newer target value to the Review output' },
					{ name: 'Source of Truth per Field', value: 'sourceOfTruthPerField', description: 'Each field is owned by one system; others fall back to last write wins' },
				],
				default: 'lastWriteWins',
				description: 'Applies when Current Target Record is given',
			},
			{
				displayName: 'Deal Stage From Project',
				name: 'reverseStage',
				type: 'options',
				options: [
					{
						name: 'Follow the Teaser Stage',
						value: 'teaserStage',
						description: "Move the deal unless its stage row lists the project's teaser stage under Maps Back From",
					},
					{
						name: 'Keep While the Classification Matches',
						value: 'classification',
						description: "A deal whose stage maps to the project's classification keeps its stage (the teaser stage is read-only and lags)",
					},
				],
				default: 'classification',
				description: 'Propstreet → Pipedrive: when a project update moves the deal to another stage',
			},
			{
				displayName: 'Fields Owned by Pipedrive',
				name: 'pipedriveOwned',
				type: 'multiOptions',
				options: fieldOptions,
				default: [],
				description: 'For "Source of Truth per Field": Pipedrive wins for these fields',
			},
			{
				displayName: 'Fields Owned by Propstreet',
				name: 'propstreetOwned',
				type: 'multiOptions',
				options: fieldOptions,
				default: [],
				description: 'For "Source of Truth per Field": Propstreet wins for these fields',
			},
			{
				displayName: 'Note Max Length',
				name: 'noteMaxLength',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10000 },
				default: 10000,
				description: 'Longer notes are cut (with a warning)',
			},
			{
				displayName: 'Note Target Order',
				name: 'noteTargetOrder',
				type: 'options',
				options: [
					{ name: 'Deal, Person, Organization', value: 'deal,person,organization' },
					{ name: 'Organization, Person, Deal', value: 'organization,person,deal' },
					{ name: 'Person, Deal, Organization', value: 'person,deal,organization' },
					{ name: 'Person, Organization, Deal', value: 'person,organization,deal' },
				],
				default: 'deal,person,organization',
				description: 'Where a Pipedrive note linked to several records goes',
			},
			{
				displayName: 'On Deal Lost',
				name: 'onLost',
				type: 'options',
				options: [
					{ name: 'Ask to Delete the Project', value: 'deleteProject' },
					{ name: 'Keep Classification', value: 'keep' },
					{ name: 'Set Classification Inactive', value: 'inactive' },
				],
				default: 'inactive',
			},
			{
				displayName: 'On Deal Won',
				name: 'onWon',
				type: 'options',
				options: [
					{ name: 'Keep Classification', value: 'keep' },
					{ name: 'Set Classification Inactive', value: 'inactive' },
				],
				default: 'inactive',
				description: 'Propstreet project status is read-only, so the item also says to close the project in the Propstreet app',
			},
			{
				displayName: 'On Open Project, Closed Deal',
				name: 'onProjectOpenDealClosed',
				type: 'options',
				options: [
					{ name: 'Reopen the Deal', value: 'reopen' },
					{ name: 'Report, Leave the Deal Closed', value: 'report' },
				],
				default: 'report',
				description: 'Propstreet → Pipedrive: the project is open but the deal is won or lost (often only because the project has not been closed in the Propstreet app yet)',
			},
			{
				displayName: 'On Project Closed',
				name: 'onProjectClosed',
				type: 'options',
				options: [
					{ name: 'Ignore', value: 'ignore' },
					{ name: 'Mark Deal Won', value: 'won' },
				],
				default: 'won',
			},
			{
				displayName: 'On Project Deleted',
				name: 'onProjectDeleted',
				type: 'options',
				options: [
					{ name: 'Ignore', value: 'ignore' },
					{ name: 'Mark Deal Lost', value: 'lost' },
				],
				default: 'lost',
			},
			{
				displayName: 'On Record Deleted',
				name: 'onDelete',
				type: 'options',
				options: [
					{ name: 'Ask to Delete on the Other Side', value: 'delete' },
					{ name: 'Report Only', value: 'report' },
				],
				default: 'report',
				description: 'A person, organization or deal deleted on one side. Nothing is ever deleted by the mapper itself.',
			},
			{
				displayName: 'Org Number Namespace Prefix',
				name: 'orgNumberPrefix',
				type: 'string',
				default: 'orgnr-',
				description: 'External-ref namespace prefix; the country code is appended (orgnr-se)',
			},
			{
				displayName: 'Pipedrive Namespace',
				name: 'pipedriveNamespace',
				type: 'string',
				default: 'pipedrive',
				description: 'External-ref namespace for Pipedrive IDs in Propstreet',
			},
			{
				displayName: 'Synced Pipelines',
				name: 'pipelines',
				type: 'string',
				default: '',
				description: 'Comma-separated pipeline IDs or names; deals in other pipelines are marked skip. Empty = all.',
			},
			{
				displayName: 'Unmapped Labels',
				name: 'unmappedLabels',
				type: 'options',
				options: [
					{ name: 'Drop (With a Warning)', value: 'drop' },
					{ name: 'Use the Lower-Cased Label as Tag', value: 'lowercase' },
				],
				default: 'lowercase',
			},
		],
	},
];

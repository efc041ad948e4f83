import type { INodeProperties } from 'n8n-workflow';

/** Output order is part of the node's contract: workflows connect by index. */
export const OUTPUT_NAMES = [
	'Add Prospects',
	'Remove Prospects',
	'Add Participants',
	'Remove Participants',
	'Update Classification',
	'Unmatched',
];

export const OUTPUT = {
	addProspects: 0,
	removeProspects: 1,
	addParticipants: 2,
	removeParticipants: 3,
	updateClassification: 4,
	unmatched: 5,
} as const;

const bothOnly = { show: { direction: ['both'] } };
const oneWayOnly = { show: { direction: ['pipedriveToPropstreet', 'propstreetToPipedrive'] } };

/**
 * Every data field defaults to an expression on the incoming item, so the usual input is one item
 * per deal/project pair. Each can also hold raw JSON typed into the field.
 */
export const participantDifferProperties: INodeProperties[] = [
	{
		displayName: 'Deal ID',
		name: 'dealId',
		type: 'string',
		default: '={{ $json.dealId }}',
		required: true,
		description: 'The Pipedrive deal of this pair',
	},
	{
		displayName: 'Project ID',
		name: 'projectId',
		type: 'string',
		default: '={{ $json.projectId }}',
		required: true,
		description: 'The Propstreet project of this pair',
	},
	{
		displayName: 'Deal',
		name: 'deal',
		type: 'json',
		default: '={{ $json.deal }}',
		description:
			'The Pipedrive deal, for its primary person_id (a number or the v1 object). Leave empty when the primary person should not count.',
	},
	{
		displayName: 'Participants',
		name: 'participants',
		type: 'json',
		default: '={{ $json.participants }}',
		required: true,
		description:
			'The items of GET /v1/deals/{ID}/participants, or the whole response. Each item\'s ID is the participant record, person_id the person.',
	},
	{
		displayName: 'Prospects',
		name: 'prospects',
		type: 'json',
		default: '={{ $json.prospects }}',
		required: true,
		description: 'The project\'s Propstreet prospects, or the whole list response',
	},
	{
		displayName: 'ID Map',
		name: 'idMap',
		type: 'json',
		default: '={{ $json.idMap }}',
		description:
			'Pipedrive person ID to Propstreet contact ID: an object like {"42": "c-1"}, an array of Propstreet contacts (their pipedrive external refs) and/or Pipedrive persons (their Propstreet contact ID field), or {map, contacts, persons}',
	},
	{
		displayName: 'Person Classifications',
		name: 'personClassifications',
		type: 'json',
		default: '={{ $json.personClassifications }}',
		description:
			'Each person\'s classification field, like {"42": "Interested"}: label, Propstreet code, option ID or {ID, label}. A person missing here and in the persons given is not compared.',
	},
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Both Ways',
				value: 'both',
				description: 'Write to both systems',
			},
			{
				name: 'Pipedrive → Propstreet',
				value: 'pipedriveToPropstreet',
				description: 'Only change prospects; participants are the source',
			},
			{
				name: 'Propstreet → Pipedrive',
				value: 'propstreetToPipedrive',
				description: 'Only change participants; prospects are the source',
			},
		],
		default: 'both',
	},
	{
		displayName: 'Person Only in Pipedrive',
		name: 'onlyInPipedrive',
		type: 'options',
		displayOptions: bothOnly,
		options: [
			{ name: 'Add as Prospect', value: 'add' },
			{ name: 'Leave As Is', value: 'ignore' },
			{ name: 'Remove Participant', value: 'remove' },
		],
		default: 'add',
		description:
			'What to do with a participant who is not a prospect. Without stored state the node cannot tell a new participant from a removed prospect, so this decides.',
	},
	{
		displayName: 'Person Only in Propstreet',
		name: 'onlyInPropstreet',
		type: 'options',
		displayOptions: bothOnly,
		options: [
			{ name: 'Add as Participant', value: 'add' },
			{ name: 'Leave As Is', value: 'ignore' },
			{ name: 'Remove Prospect', value: 'remove' },
		],
		default: 'add',
		description: 'What to do with a prospect who is not a participant. Teaser-matched prospects are never removed.',
	},
	{
		displayName: 'Mirror Removals',
		name: 'mirrorRemovals',
		type: 'boolean',
		displayOptions: oneWayOnly,
		default: true,
		description:
			'Whether someone missing on the source side is removed from the target side. Off: the target keeps them. Teaser-matched prospects are never removed.',
	},
	{
		displayName: 'Classification Source of Truth',
		name: 'classificationSource',
		type: 'options',
		displayOptions: bothOnly,
		options: [
			{ name: 'Propstreet', value: 'propstreet' },
			{ name: 'Pipedrive', value: 'pipedrive' },
		],
		default: 'propstreet',
		description:
			'Which side wins when both have a classification and they differ. One-way directions always take the source side.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Classification Field Key',
				name: 'classificationField',
				type: 'string',
				default: 'classification',
				description:
					'Key of the person custom field holding the classification (the 40-character key in most accounts), read from persons in the ID map and from participants\' person objects',
			},
			{
				displayName: 'Classification Options',
				name: 'classificationOptions',
				type: 'json',
				default: '[]',
				description:
					'The classification field\'s options [{ID, label}] from personFields: lets option IDs be read and adds optionId to Pipedrive updates',
			},
			{
				displayName: 'Contact ID Field Key',
				name: 'contactIdField',
				type: 'string',
				default: 'propstreet_contact_id',
				description: 'Key of the person custom field holding the Propstreet contact ID',
			},
			{
				displayName: 'External Ref Namespace',
				name: 'namespace',
				type: 'string',
				default: 'pipedrive',
				description: 'Namespace of Pipedrive person IDs in Propstreet external refs',
			},
			{
				displayName: 'Include Primary Person',
				name: 'includePrimaryPerson',
				type: 'boolean',
				default: true,
				description: 'Whether the deal\'s primary person counts as a participant (the spec makes them a prospect)',
			},
			{
				displayName: 'Include Teaser-Matched Prospects',
				name: 'includeTeaserMatched',
				type: 'boolean',
				default: false,
				description:
					'Whether prospects Propstreet matched itself (with a teaser) are added to the deal as participants. They are never removed either way.',
			},
			{
				displayName: 'Limit to Contact IDs',
				name: 'scopeContactIds',
				type: 'string',
				default: '',
				description:
					'Comma-separated Propstreet contact IDs: only these people get actions (for runs started by one prospect event)',
			},
			{
				displayName: 'Limit to Person IDs',
				name: 'scopePersonIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Pipedrive person IDs: only these people get actions',
			},
			{
				displayName: 'Prospects per Batch',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 100,
				description: 'Prospects per Add Prospects item; prospects:batch takes at most 100',
			},
			{
				displayName: 'Sync Classification',
				name: 'syncClassification',
				type: 'boolean',
				default: true,
				description: 'Whether to emit classification updates',
			},
		],
	},
];

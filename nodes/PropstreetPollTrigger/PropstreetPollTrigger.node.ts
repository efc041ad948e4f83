/**
 * Propstreet Poll Trigger: delta polling with `updated_since` + `include_deleted=true`.
 * A separate node from Propstreet Trigger because n8n picks webhook vs polling behaviour from
 * the description (see the comment at the top of PropstreetTrigger.node.ts).
 */
import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { readPage } from '../shared/core/http';
import {
	classifyChange,
	DEFAULT_MAX_PAGES_PER_POLL,
	DEFAULT_OVERLAP_SECONDS,
	ENTITY_OF_RESOURCE,
	pollChanges,
	readPollState,
	recordKey,
	type ListPage,
	type PolledRecord,
	type PollResource,
} from '../shared/core/polling';
import { collectionPath } from '../shared/core/propstreetPaths';
import { polledItem } from '../shared/core/webhookDelivery';
import { authenticationProperty, propstreetCredentials, propstreetRequest, TRIGGER_LIMITS } from '../Propstreet/transport';

interface PollStaticData extends IDataObject {
	/** Which list the stored state belongs to; a different resource or project starts afresh. */
	scope?: string;
	pollState?: IDataObject;
}

export class PropstreetPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Propstreet Poll Trigger',
		name: 'propstreetPollTrigger',
		icon: { light: 'file:propstreet.svg', dark: 'file:propstreet.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Poll " + $parameter["resource"]}}',
		description: 'Starts the workflow when Propstreet records change, by polling for updates and deletions',
		defaults: { name: 'Propstreet Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: propstreetCredentials(),
		properties: [
			authenticationProperty(),
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Company', value: 'companies' },
					{ name: 'Contact', value: 'contacts' },
					{ name: 'Link (Contact at Company)', value: 'links' },
					{ name: 'Project', value: 'projects' },
					{ name: 'Prospect', value: 'prospects' },
				],
				default: 'contacts',
			},
			{
				displayName: 'Project ID',
				name: 'projectId',
				type: 'string',
				required: true,
				default: '',
				description: 'The Propstreet project whose prospects are watched',
				displayOptions: { show: { resource: ['prospects'] } },
			},
			{
				displayName: 'Emit',
				name: 'changeKinds',
				type: 'multiOptions',
				options: [
					{ name: 'Created', value: 'created' },
					{ name: 'Deleted', value: 'deleted' },
					{ name: 'Updated', value: 'updated' },
				],
				default: ['created', 'updated', 'deleted'],
				description:
					'Which changes start the workflow. A record counts as created when its createdUtc equals its updatedUtc, and as deleted when deletedUtc is set.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Max Pages per Poll',
						name: 'maxPages',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_MAX_PAGES_PER_POLL,
						description: 'A larger backlog is continued by the next poll from where this one stopped',
					},
					{
						displayName: 'Overlap (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: DEFAULT_OVERLAP_SECONDS,
						description:
							'How far back each poll re-reads before the newest change already seen, to catch late writes. Records seen twice unchanged are emitted once.',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 500 },
						default: 500,
						description: 'Records per request (Propstreet allows 1–500)',
					},
					{
						displayName: 'Start From',
						name: 'startFrom',
						type: 'dateTime',
						default: '',
						description:
							'On the first poll, report changes since this time. Empty: the first poll only records the starting point and reports later changes.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const resource = this.getNodeParameter('resource') as PollResource;
		if (!(resource in ENTITY_OF_RESOURCE)) {
			throw new NodeOperationError(this.getNode(), `Unknown resource "${String(resource)}"`);
		}
		const projectId = resource === 'prospects' ? String(this.getNodeParameter('projectId', '') ?? '').trim() : '';
		let path: string | null;
		try {
			path = collectionPath(ENTITY_OF_RESOURCE[resource], projectId);
		} catch (error) {
			// An id that is not a Propstreet id never reaches a request (core/ids).
			throw new NodeOperationError(this.getNode(), `"Project ID" is not a valid Propstreet ID: ${JSON.stringify(projectId)}`, {
				description: (error as Error).message,
			});
		}
		if (!path) {
			throw new NodeOperationError(this.getNode(), 'Project ID is empty: prospects are listed per project');
		}
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const pageSize = Math.min(500, Math.max(1, Number(options.pageSize) || 500));
		const list = async (qs: IDataObject) => readPage<PolledRecord>((await propstreetRequest(this, { method: 'GET', path, qs, ...TRIGGER_LIMITS })).body);

		if (this.getMode() === 'manual') {
			// "Fetch test event": one recent-enough record as a sample; stored state is left alone.
			const [record] = (await list({ page_size: 1, include_deleted: true })).items;
			if (!record) return null;
			const kind = classifyChange(record);
			const item = polledItem({ kind, event: `${ENTITY_OF_RESOURCE[resource]}.${kind}`, key: recordKey(record), record });
			return [[{ json: item as unknown as IDataObject }]];
		}

		const staticData = this.getWorkflowStaticData('node') as PollStaticData;
		const scope = resource === 'prospects' ? `prospects:${projectId}` : resource;
		const stored = staticData.scope === scope ? readPollState(staticData.pollState) : null;

		const startedMs = Date.now();
		// Newer n8n gives each poll a time budget; stop paging well before it runs out.
		const budgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : undefined;
		const fetchPage = async (query: { updatedSince: string; cursor?: string }): Promise<ListPage> => {
			const page = await list({ updated_since: query.updatedSince, include_deleted: true, page_size: pageSize, cursor: query.cursor });
			return { data: page.items, page: { nextCursor: page.nextCursor ?? null, hasMore: page.nextCursor !== undefined } };
		};
		const outcome = await pollChanges(stored, fetchPage, {
			resource,
			nowMs: startedMs,
			overlapSeconds: options.overlapSeconds === undefined ? DEFAULT_OVERLAP_SECONDS : Number(options.overlapSeconds),
			startFrom: (options.startFrom as string) || undefined,
			maxPages: Number(options.maxPages) || DEFAULT_MAX_PAGES_PER_POLL,
			shouldStop: budgetMs ? () => Date.now() - startedMs > budgetMs / 2 : undefined,
		});

		staticData.scope = scope;
		staticData.pollState = outcome.state as unknown as IDataObject;

		const kinds = new Set((this.getNodeParameter('changeKinds', ['created', 'updated', 'deleted']) as string[]) ?? []);
		const items = outcome.changes
			.filter((change) => kinds.has(change.kind))
			.map((change) => ({ json: polledItem(change) as unknown as IDataObject }));
		return items.length ? [items] : null;
	}
}

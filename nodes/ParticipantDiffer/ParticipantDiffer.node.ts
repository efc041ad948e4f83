import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import {
	diffParticipants,
	oneWayPolicy,
	ParticipantDiffInputError,
	parseJsonField,
	type ParticipantDiffDirection,
	type ParticipantDiffInput,
	type ParticipantDiffOptions,
	type ParticipantDiffResult,
	type OneSidePolicy,
} from '../shared/core/participantDiff';
import { OUTPUT, OUTPUT_NAMES, participantDifferProperties } from './description';

/** Fields of type json: an expression gives the value itself, typed text is parsed. */
function readJson(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	return parseJsonField(ctx.getNodeParameter(name, itemIndex, fallback) as unknown, name);
}

function readInput(ctx: IExecuteFunctions, itemIndex: number): ParticipantDiffInput {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		dealId: ctx.getNodeParameter('dealId', itemIndex, '') as unknown,
		projectId: ctx.getNodeParameter('projectId', itemIndex, '') as unknown,
		deal: readJson(ctx, 'deal', itemIndex, undefined),
		participants: readJson(ctx, 'participants', itemIndex),
		prospects: readJson(ctx, 'prospects', itemIndex),
		idMap: readJson(ctx, 'idMap', itemIndex, undefined),
		personClassifications: readJson(ctx, 'personClassifications', itemIndex, undefined),
		classificationOptions: parseJsonField(options.classificationOptions, 'classificationOptions'),
		scope: { personIds: options.scopePersonIds, contactIds: options.scopeContactIds },
	};
}

function readOptions(ctx: IExecuteFunctions, itemIndex: number): Partial<ParticipantDiffOptions> {
	const direction = ctx.getNodeParameter('direction', itemIndex, 'both') as ParticipantDiffDirection;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const policy =
		direction === 'both'
			? {
					onlyInPipedrive: ctx.getNodeParameter('onlyInPipedrive', itemIndex, 'add') as OneSidePolicy,
					onlyInPropstreet: ctx.getNodeParameter('onlyInPropstreet', itemIndex, 'add') as OneSidePolicy,
					classificationSource: ctx.getNodeParameter('classificationSource', itemIndex, 'propstreet') as
						| 'propstreet'
						| 'pipedrive',
				}
			: oneWayPolicy(direction, ctx.getNodeParameter('mirrorRemovals', itemIndex, true) as boolean);
	const picked: Partial<ParticipantDiffOptions> = { direction, ...policy };
	if (options.syncClassification !== undefined) picked.syncClassification = options.syncClassification as boolean;
	if (options.includeTeaserMatched !== undefined) picked.includeTeaserMatched = options.includeTeaserMatched as boolean;
	if (options.includePrimaryPerson !== undefined) picked.includePrimaryPerson = options.includePrimaryPerson as boolean;
	if (options.namespace) picked.namespace = String(options.namespace);
	if (options.contactIdField) picked.contactIdField = String(options.contactIdField);
	if (options.classificationField) picked.classificationField = String(options.classificationField);
	if (options.batchSize !== undefined) picked.batchSize = Number(options.batchSize);
	return picked;
}

/** The deal id for error messages, read without letting a second error hide the first. */
function dealLabel(ctx: IExecuteFunctions, itemIndex: number): string {
	try {
		const id = ctx.getNodeParameter('dealId', itemIndex, '') as unknown;
		return (typeof id === 'string' && id.trim() !== '') || typeof id === 'number' ? ` (deal ${id})` : '';
	} catch {
		return '';
	}
}

function toOutputs(result: ParticipantDiffResult, itemIndex: number, outputs: INodeExecutionData[][]): void {
	const push = (output: number, rows: object[]) => {
		for (const row of rows) outputs[output].push({ json: row as IDataObject, pairedItem: { item: itemIndex } });
	};
	push(OUTPUT.addProspects, result.addProspects);
	push(OUTPUT.removeProspects, result.removeProspects);
	push(OUTPUT.addParticipants, result.addParticipants);
	push(OUTPUT.removeParticipants, result.removeParticipants);
	push(OUTPUT.updateClassification, result.updateClassifications);
	push(OUTPUT.unmatched, result.unmatched);
}

/**
 * Keeps a deal's participants and its project's prospects in step. Thin: reads parameters, calls
 * the pure core (core/participantDiff) and routes its lists to six named outputs.
 */
export class ParticipantDiffer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Participant Differ',
		name: 'participantDiffer',
		icon: { light: 'file:participantDiffer.svg', dark: 'file:participantDiffer.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["direction"]}}',
		description:
			'Compare Pipedrive deal participants with Propstreet project prospects and list the adds, removals and classification updates',
		defaults: { name: 'Participant Differ' },
		// Not an AI tool: it works on whole deal/project snapshots, not on a question. n8n-workflow
		// types this field as `true | {...}` (no `false`), and lint wants it stated, so: undefined.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
			NodeConnectionTypes.Main,
		],
		outputNames: OUTPUT_NAMES,
		properties: participantDifferProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const outputs: INodeExecutionData[][] = OUTPUT_NAMES.map(() => []);
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const result = diffParticipants(readInput(this, itemIndex), readOptions(this, itemIndex));
				toOutputs(result, itemIndex, outputs);
			} catch (caught) {
				let error: NodeOperationError;
				if (caught instanceof ParticipantDiffInputError) {
					error = new NodeOperationError(
						this.getNode(),
						`${caught.field} ${caught.problem} in item ${itemIndex}${dealLabel(this, itemIndex)}`,
						{ itemIndex },
					);
				} else if (caught instanceof NodeOperationError) {
					error = caught;
				} else {
					error = new NodeOperationError(this.getNode(), caught as Error, { itemIndex });
				}
				if (this.continueOnFail()) {
					// On Unmatched, so a failed pair never feeds the write outputs; `error` lets n8n move
					// it to the error output when "On Error" is set to use one.
					outputs[OUTPUT.unmatched].push({
						json: { error: error.message },
						error,
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				throw error;
			}
		}
		return outputs;
	}
}

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { forOperation, toItems } from '../operation';
import { ifMatchOption } from '../properties';
import { optionalString, requiredId } from '../parameters';
import { checkClassification, classificationProperty, projectLocator, prospectIdProperty, prospectsPath } from './fields';
import { encodePathSegment, propstreetRequest } from '../../transport';

export const description: INodeProperties[] = forOperation('prospect', 'updateClassification', [
	projectLocator,
	prospectIdProperty,
	classificationProperty,
	{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [ifMatchOption] },
]);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const path = prospectsPath.call(this, i);
	const id = requiredId.call(this, 'prospectId', i, 'Prospect ID');
	const classification = checkClassification.call(this, this.getNodeParameter('classification', i), i);
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const response = await propstreetRequest(this, {
		method: 'PATCH',
		path: `${path}/${encodePathSegment(id)}`,
		body: { classification },
		ifMatch: optionalString(options.ifMatch),
		itemIndex: i,
	});
	return toItems.call(this, response.body as IDataObject, i);
}

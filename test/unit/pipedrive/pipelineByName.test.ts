import { findPipelineByName } from '../../../nodes/shared/core/pipedrive/pipelineByName';

describe('findPipelineByName', () => {
	const pipelines = [
		{ id: 1, name: 'Sales' },
		{ id: 2, name: ' Nordic Transactions ' },
	];

	it('matches a typed name regardless of case and surrounding spaces', () => {
		expect(findPipelineByName(pipelines, 'nordic transactions')?.id).toBe(2);
		expect(findPipelineByName(pipelines, '  SALES ')?.id).toBe(1);
	});

	it('finds nothing for another name, a part of a name or an empty name', () => {
		expect(findPipelineByName(pipelines, 'Nordic')).toBeUndefined();
		expect(findPipelineByName(pipelines, 'Leasing')).toBeUndefined();
		expect(findPipelineByName(pipelines, '')).toBeUndefined();
	});
});

/** Cloud 08's deal list: which pipelines (by name, remembered), every page, a clear error for a pipeline name Pipedrive does not have. */
import { nextListingCall, pipelineCacheOf, startDealListing, takeListingAnswer } from '../../../nodes/shared/core/cloud/dealListing';

const pipelines = { statusCode: 200, body: { data: [{ id: 4, name: 'Nordic Transactions' }, { id: 9, name: 'Leasing' }, { id: 5, name: 'Old', is_deleted: true }], additional_data: { next_cursor: null } } };
const page = (ids: number[], next: string | null) => ({ statusCode: 200, body: { data: ids.map((id) => ({ id, participants_count: 1, update_time: '2026-12-04T10:00:00Z', title: 'x' })), additional_data: { next_cursor: next } } });

describe('Cloud 08 deal listing', () => {
	it('looks the named pipelines up once (any case), then lists each one page by page', () => {
		let listing = startDealListing([' leasing ', 'Nordic Transactions'], undefined);
		expect(nextListingCall(listing)?.path).toBe('/api/v2/pipelines?limit=500');
		listing = takeListingAnswer(listing, pipelines);
		expect(pipelineCacheOf(listing)).toEqual({ key: 'leasing\nnordic transactions', ids: [9, 4] });
		expect(nextListingCall(listing)?.path).toBe('/api/v2/deals?status=open&limit=500&include_fields=participants_count&pipeline_id=9');
		listing = takeListingAnswer(listing, page([1, 2], 'c/2'));
		expect(nextListingCall(listing)?.path).toBe('/api/v2/deals?status=open&limit=500&include_fields=participants_count&pipeline_id=9&cursor=c%2F2');
		listing = takeListingAnswer(listing, page([3], null));
		expect(nextListingCall(listing)?.path).toBe('/api/v2/deals?status=open&limit=500&include_fields=participants_count&pipeline_id=4');
		listing = takeListingAnswer(listing, page([7], null));
		expect(nextListingCall(listing)).toBeNull();
		// Only what the poll snapshot reads is kept.
		expect(listing.deals).toEqual([1, 2, 3, 7].map((id) => ({ id: String(id), participants_count: 1, update_time: '2026-12-04T10:00:00Z' })));
		// The next run with the same names skips the pipelines call; other names look them up again.
		expect(nextListingCall(startDealListing(['Leasing', 'nordic transactions'], pipelineCacheOf(listing)))?.path).toContain('pipeline_id=9');
		expect(nextListingCall(startDealListing(['Leasing'], pipelineCacheOf(listing)))?.path).toBe('/api/v2/pipelines?limit=500');
	});

	it('lists every open deal when no pipeline is named', () => {
		expect(nextListingCall(startDealListing([], undefined))?.path).toBe('/api/v2/deals?status=open&limit=500&include_fields=participants_count');
	});

	it('stops with the name when Pipedrive has no such pipeline (a deleted one does not count), and with the status when a page fails', () => {
		expect(() => takeListingAnswer(startDealListing(['Old'], undefined), pipelines)).toThrow('No Pipedrive pipeline is named "Old"');
		const listing = takeListingAnswer(startDealListing(['Leasing'], undefined), pipelines);
		expect(() => takeListingAnswer(listing, { statusCode: 429, body: { error: 'Too many' } })).toThrow(/pipeline 9 answered HTTP 429/);
	});
});

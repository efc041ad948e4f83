/**
 * The Sync node's field-definition cache: per process and Pipedrive account, a day long (read again
 * early only on a miss the caller reports), and
 * never in workflow static data (a queue-mode worker's save of static data would overwrite the
 * trigger's stored webhook secret; see fieldDefinitions.ts).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { FIELD_DEFINITIONS_TTL_MS, fieldDefinitions, forgetFieldDefinitions, LIST_DEFINITIONS_MAX_AGE_MS } from '../../../nodes/PipedrivePropstreetSync/fieldDefinitions';
import * as pipedrive from '../../../nodes/shared/pipedrive';

jest.mock('../../../nodes/shared/pipedrive', () => ({
	...jest.requireActual('../../../nodes/shared/pipedrive'),
	getPersonFields: jest.fn(),
	getOrganizationFields: jest.fn(),
}));

const getPersonFields = pipedrive.getPersonFields as jest.Mock;
const getOrganizationFields = pipedrive.getOrganizationFields as jest.Mock;

function context(account: { baseUrl: string; apiToken: string }) {
	const getWorkflowStaticData = jest.fn(() => ({}));
	const ctx = {
		getCredentials: jest.fn(async (type: string) => {
			expect(type).toBe(pipedrive.PIPEDRIVE_CREDENTIAL);
			return account;
		}),
		getWorkflowStaticData,
	} as unknown as IExecuteFunctions;
	return { ctx, getWorkflowStaticData };
}

beforeEach(() => {
	forgetFieldDefinitions();
	jest.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z') });
	getPersonFields.mockReset().mockImplementation(async () => [{ key: 'abc', name: `read ${getPersonFields.mock.calls.length}` }]);
	getOrganizationFields.mockReset().mockResolvedValue([{ key: 'org', name: 'Org field' }]);
});
afterEach(() => jest.useRealTimers());

test('reads each catalog once per account, serves later runs from memory, and never touches workflow static data', async () => {
	const a = context({ baseUrl: 'https://api.pipedrive.com', apiToken: 'token-a' });
	const first = await fieldDefinitions(a.ctx, 0, 'personFields');
	const again = await fieldDefinitions(context({ baseUrl: 'https://api.pipedrive.com', apiToken: 'token-a' }).ctx, 3, 'personFields');
	expect(again).toBe(first);
	expect(getPersonFields).toHaveBeenCalledTimes(1);
	expect(getPersonFields).toHaveBeenCalledWith(a.ctx, { itemIndex: 0 });

	await fieldDefinitions(a.ctx, 0, 'organizationFields');
	expect(getOrganizationFields).toHaveBeenCalledTimes(1);
	expect(a.getWorkflowStaticData).not.toHaveBeenCalled();
});

test('another Pipedrive account (token or base URL) has its own entry', async () => {
	await fieldDefinitions(context({ baseUrl: 'https://api.pipedrive.com', apiToken: 'token-a' }).ctx, 0, 'personFields');
	await fieldDefinitions(context({ baseUrl: 'https://api.pipedrive.com', apiToken: 'token-b' }).ctx, 0, 'personFields');
	await fieldDefinitions(context({ baseUrl: 'http://127.0.0.1:9999', apiToken: 'token-a' }).ctx, 0, 'personFields');
	expect(getPersonFields).toHaveBeenCalledTimes(3);
});

test('an entry older than a day is read again; a value given in the options is used without reading', async () => {
	const { ctx } = context({ baseUrl: 'https://api.pipedrive.com', apiToken: 'token-a' });
	const first = await fieldDefinitions(ctx, 0, 'personFields');
	jest.setSystemTime(Date.now() + FIELD_DEFINITIONS_TTL_MS - 1);
	expect(await fieldDefinitions(ctx, 0, 'personFields')).toBe(first);
	jest.setSystemTime(Date.now() + 2);
	const fresh = await fieldDefinitions(ctx, 0, 'personFields');
	expect(fresh).not.toBe(first);
	expect(getPersonFields).toHaveBeenCalledTimes(2);

	const given = [{ key: 'given', name: 'Given' }];
	expect(await fieldDefinitions(ctx, 0, 'personFields', given)).toBe(given);
	expect(getPersonFields).toHaveBeenCalledTimes(2);
});

test('a miss the caller reports forces one read; a miss the read does not cure is remembered and reads nothing more', async () => {
	const { ctx } = context({ baseUrl: 'https://api.pipedrive.com', apiToken: 'token-a' });
	expect(FIELD_DEFINITIONS_TTL_MS).toBe(24 * 3_600_000);
	const first = await fieldDefinitions(ctx, 0, 'personFields');
	const known = (fields: unknown) => ((fields as Array<{ key: string }>).some((f) => f.key === 'abc') ? [] : ['field abc']);
	expect(await fieldDefinitions(ctx, 0, 'personFields', undefined, { misses: known })).toBe(first);
	expect(getPersonFields).toHaveBeenCalledTimes(1);

	// A payload with a key the cache lacks: read once; the field is still missing after the read (the account lacks it).
	const lacking = () => ['field def'];
	const second = await fieldDefinitions(ctx, 0, 'personFields', undefined, { misses: lacking });
	expect(second).not.toBe(first);
	expect(await fieldDefinitions(ctx, 0, 'personFields', undefined, { misses: lacking })).toBe(second);
	// Another caller's miss does not make the first one's come back.
	const other = () => ['name Strategy'];
	await fieldDefinitions(ctx, 0, 'personFields', undefined, { misses: other });
	await fieldDefinitions(ctx, 0, 'personFields', undefined, { misses: lacking });
	await fieldDefinitions(ctx, 0, 'personFields', undefined, { misses: other });
	expect(getPersonFields).toHaveBeenCalledTimes(3);
});

test('the backfill takes at most an hour-old copy, and fresh always reads', async () => {
	const { ctx } = context({ baseUrl: 'https://api.pipedrive.com', apiToken: 'token-a' });
	const first = await fieldDefinitions(ctx, 0, 'personFields');
	jest.setSystemTime(Date.now() + LIST_DEFINITIONS_MAX_AGE_MS + 1);
	expect(await fieldDefinitions(ctx, 0, 'personFields')).toBe(first);
	const listed = await fieldDefinitions(ctx, 0, 'personFields', undefined, { maxAgeMs: LIST_DEFINITIONS_MAX_AGE_MS });
	expect(listed).not.toBe(first);
	expect(await fieldDefinitions(ctx, 0, 'personFields', undefined, { fresh: true })).not.toBe(listed);
	expect(getPersonFields).toHaveBeenCalledTimes(3);
});

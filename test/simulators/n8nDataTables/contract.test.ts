/** The n8n data-table simulator against the shapes and statuses of n8n 2.40.7's public API. */
import { startN8nDataTableSimulator, type N8nDataTableSimulator } from '.';

let sim: N8nDataTableSimulator;

beforeAll(async () => {
	sim = await startN8nDataTableSimulator({ extraKeys: { 'read-only-key': { scopes: ['dataTable:list'] } } });
});
afterAll(async () => sim.close());
beforeEach(() => sim.reset());

async function call(method: string, path: string, options: { query?: Record<string, string>; body?: unknown; key?: string | null } = {}) {
	const url = new URL(`${sim.url}${path}`);
	for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
	const headers: Record<string, string> = { accept: 'application/json' };
	const key = options.key === undefined ? sim.apiKey : options.key;
	if (key !== null) headers['x-n8n-api-key'] = key;
	if (options.body !== undefined) headers['content-type'] = 'application/json';
	const res = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
	const text = await res.text();
	let body: any = text;
	try {
		body = text ? JSON.parse(text) : null;
	} catch {
		// HTML
	}
	return { status: res.status, body };
}

const COLUMNS = [
	{ name: 'entity', type: 'string' },
	{ name: 'version', type: 'number' },
];
const filter = (...filters: object[]) => JSON.stringify({ type: 'and', filters });

async function newTable(name = 'state') {
	const res = await call('POST', '/data-tables', { body: { name, columns: COLUMNS } });
	expect(res.status).toBe(201);
	return res.body.id as string;
}

describe('authentication and scopes', () => {
	it('401 without a key or with a wrong one, 403 without the scope', async () => {
		expect(await call('GET', '/data-tables', { key: null })).toEqual({ status: 401, body: { message: "'X-N8N-API-KEY' header required" } });
		expect(await call('GET', '/data-tables', { key: 'nope' })).toEqual({ status: 401, body: { message: 'unauthorized' } });
		expect((await call('GET', '/data-tables', { key: 'read-only-key' })).status).toBe(200);
		expect(await call('POST', '/data-tables', { key: 'read-only-key', body: { name: 'x', columns: [] } })).toEqual({ status: 403, body: { message: 'Forbidden' } });
	});

	it('a disabled public API answers 404 for everything', async () => {
		sim.switches.publicApiDisabled = true;
		const res = await call('GET', '/data-tables');
		expect(res.status).toBe(404);
		expect(typeof res.body).toBe('string');
	});
});

describe('tables and columns', () => {
	it('creates a table (201, n8n shape), refuses a duplicate name in the project (409), lists by name substring', async () => {
		const created = await call('POST', '/data-tables', { body: { name: 'Propstreet sync state', columns: COLUMNS } });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ id: expect.stringMatching(/^[A-Za-z0-9]{16}$/), name: 'Propstreet sync state', projectId: 'personalProject1', sizeBytes: 0 });
		expect(created.body.columns.map((c: any) => [c.name, c.type, c.index])).toEqual([['entity', 'string', 0], ['version', 'number', 1]]);
		const dup = await call('POST', '/data-tables', { body: { name: 'Propstreet sync state', columns: [] } });
		expect(dup).toEqual({ status: 409, body: { message: "Data table with name 'Propstreet sync state' already exists in this project" } });
		await newTable('Propstreet sync state (old)');
		const listed = await call('GET', '/data-tables', { query: { filter: JSON.stringify({ name: 'SYNC STATE' }), sortBy: 'createdAt:asc' } });
		expect(listed.body.data.map((t: any) => t.name)).toEqual(['Propstreet sync state', 'Propstreet sync state (old)']);
		expect(listed.body.nextCursor).toBeNull();
	});

	it('validates: bad filter fields, bad JSON, bad sort, bad id format, unknown table', async () => {
		expect(await call('GET', '/data-tables', { query: { filter: JSON.stringify({ title: 'x' }) } })).toEqual({ status: 400, body: { message: 'Invalid filter fields' } });
		expect((await call('GET', '/data-tables', { query: { filter: '{nope' } })).status).toBe(400);
		expect((await call('GET', '/data-tables', { query: { sortBy: 'id:asc' } })).status).toBe(400);
		expect((await call('GET', '/data-tables', { query: { offset: '1' } })).body).toEqual({ message: "Unknown query parameter 'offset'" });
		expect((await call('GET', '/data-tables/short/rows')).body).toEqual({ message: 'request/params/dataTableId must match format "nanoid"' });
		expect(await call('GET', '/data-tables/AAAAAAAAAAAAAAAA/rows')).toEqual({ status: 404, body: { message: "Could not find the data table: 'AAAAAAAAAAAAAAAA'" } });
	});

	it('adds a column (201), 409 when it exists; old rows read null in it', async () => {
		const id = await newTable();
		await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ entity: 'contact' }] } });
		const added = await call('POST', `/data-tables/${id}/columns`, { body: { name: 'owner', type: 'string' } });
		expect(added.status).toBe(201);
		expect(added.body).toMatchObject({ name: 'owner', type: 'string', index: 2, dataTableId: id });
		expect((await call('POST', `/data-tables/${id}/columns`, { body: { name: 'owner', type: 'string' } })).status).toBe(409);
		expect(sim.rows(id)[0]).toMatchObject({ entity: 'contact', owner: null });
	});
});

describe('rows', () => {
	it('inserts with each return type; ids auto-increment; system columns set', async () => {
		const id = await newTable();
		expect((await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ entity: 'a' }] } })).body).toEqual({ success: true, insertedRows: 1 });
		expect((await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ entity: 'b' }], returnType: 'id' } })).body).toEqual([{ id: 2 }]);
		const all = await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ entity: 'c', version: 1 }], returnType: 'all' } });
		expect(all.body).toEqual([{ entity: 'c', version: 1, id: 3, createdAt: expect.any(String), updatedAt: expect.any(String) }]);
		expect((await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ nope: 1 }] } })).body).toEqual({ message: "Validation error with data table request: unknown column name 'nope'" });
		expect((await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ version: 'x' }] } })).status).toBe(400);
		expect((await call('POST', `/data-tables/${id}/rows`, { body: { data: [] } })).status).toBe(400);
	});

	it('filters (eq, neq, isEmpty, isNotEmpty, or), sorts, and pages with n8n cursors', async () => {
		const id = await newTable();
		const data = [{ entity: 'a', version: 3 }, { entity: 'b', version: 1 }, { entity: '', version: 2 }, { entity: null, version: 5 }, { entity: 'a', version: 4 }];
		await call('POST', `/data-tables/${id}/rows`, { body: { data } });
		const ids = async (f: string, extra: Record<string, string> = {}) => (await call('GET', `/data-tables/${id}/rows`, { query: { filter: f, ...extra } })).body.data.map((r: any) => r.id);
		expect(await ids(filter({ columnName: 'entity', condition: 'eq', value: 'a' }))).toEqual([1, 5]);
		expect(await ids(filter({ columnName: 'entity', condition: 'neq', value: 'a' }))).toEqual([2, 3, 4]);
		expect(await ids(filter({ columnName: 'entity', condition: 'isEmpty', value: null }))).toEqual([3, 4]);
		expect(await ids(filter({ columnName: 'entity', condition: 'isNotEmpty', value: null }))).toEqual([1, 2, 5]);
		expect(await ids(filter({ columnName: 'entity', value: 'a' }, { columnName: 'version', condition: 'gt', value: 3 }))).toEqual([5]);
		expect(await ids(JSON.stringify({ type: 'or', filters: [{ columnName: 'entity', value: 'b' }, { columnName: 'version', value: 5 }] }))).toEqual([2, 4]);
		expect(await ids(filter(), { sortBy: 'version:desc' })).toEqual([4, 5, 1, 3, 2]);
		const first = await call('GET', `/data-tables/${id}/rows`, { query: { limit: '2', sortBy: 'id:asc' } });
		expect(first.body.data.map((r: any) => r.id)).toEqual([1, 2]);
		const second = await call('GET', `/data-tables/${id}/rows`, { query: { cursor: first.body.nextCursor } });
		expect(second.body.data.map((r: any) => r.id)).toEqual([3, 4]);
		const third = await call('GET', `/data-tables/${id}/rows`, { query: { cursor: second.body.nextCursor } });
		expect(third.body).toEqual({ data: [expect.objectContaining({ id: 5 })], nextCursor: null });
		expect((await call('GET', `/data-tables/${id}/rows`, { query: { cursor: 'garbage' } })).body).toEqual({ message: 'An invalid cursor was provided' });
		expect((await call('GET', `/data-tables/${id}/rows`, { query: { filter: filter({ columnName: 'nope', value: 1 }) } })).status).toBe(400);
		expect((await call('GET', `/data-tables/${id}/rows`, { query: { limit: '251' } })).status).toBe(400);
	});

	it('updates by filter: true, or the updated rows with returnData; updatedAt moves; isEmpty is not an update condition', async () => {
		const id = await newTable();
		await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ entity: 'a', version: 1 }, { entity: 'b', version: 1 }] } });
		const before = sim.rows(id)[0].updatedAt as string;
		sim.clock.advance(1000);
		const f = { type: 'and', filters: [{ columnName: 'id', condition: 'eq', value: 1 }, { columnName: 'version', condition: 'eq', value: 1 }] };
		expect((await call('PATCH', `/data-tables/${id}/rows/update`, { body: { filter: f, data: { version: 2 } } })).body).toBe(true);
		expect(sim.rows(id)[0]).toMatchObject({ version: 2 });
		expect(Date.parse(sim.rows(id)[0].updatedAt as string)).toBeGreaterThan(Date.parse(before));
		const stale = await call('PATCH', `/data-tables/${id}/rows/update`, { body: { filter: f, data: { version: 9 }, returnData: true } });
		expect(stale.body).toEqual([]);
		const g = { filters: [{ columnName: 'entity', condition: 'eq', value: 'b' }] };
		const ok = await call('PATCH', `/data-tables/${id}/rows/update`, { body: { filter: g, data: { version: 7 }, returnData: true } });
		expect(ok.body).toEqual([expect.objectContaining({ id: 2, entity: 'b', version: 7 })]);
		const empty = { filters: [{ columnName: 'entity', condition: 'isEmpty', value: null }] };
		expect((await call('PATCH', `/data-tables/${id}/rows/update`, { body: { filter: empty, data: { version: 1 } } })).status).toBe(400);
		expect((await call('PATCH', `/data-tables/${id}/rows/update`, { body: { filter: { filters: [] }, data: { version: 1 } } })).status).toBe(400);
	});

	it('SQLite switch: the returned rows are the ones read before the UPDATE, even when another write got in between', async () => {
		const id = await newTable();
		await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ entity: 'a', version: 1 }] } });
		sim.switches.sqliteReturnedRows = true;
		sim.hooks.updateGap = () => {
			sim.tables()[0].rows[0].version = 2; // a concurrent writer moves the row on
		};
		const f = { filters: [{ columnName: 'id', condition: 'eq', value: 1 }, { columnName: 'version', condition: 'eq', value: 1 }] };
		const res = await call('PATCH', `/data-tables/${id}/rows/update`, { body: { filter: f, data: { entity: 'mine' }, returnData: true } });
		expect(res.body).toEqual([expect.objectContaining({ id: 1, entity: 'a', version: 2 })]);
	});

	it('deletes by filter (filter required); returnData returns the deleted rows', async () => {
		const id = await newTable();
		await call('POST', `/data-tables/${id}/rows`, { body: { data: [{ entity: 'a' }, { entity: 'b' }, { entity: 'c' }] } });
		expect((await call('DELETE', `/data-tables/${id}/rows/delete`)).status).toBe(400);
		expect((await call('DELETE', `/data-tables/${id}/rows/delete`, { query: { filter: filter() } })).body).toEqual({ message: 'At least one filter condition is required for delete operations' });
		expect((await call('DELETE', `/data-tables/${id}/rows/delete`, { query: { filter: filter({ columnName: 'id', value: 1 }) } })).body).toBe(true);
		const gone = await call('DELETE', `/data-tables/${id}/rows/delete`, { query: { filter: filter({ columnName: 'entity', value: 'b' }), returnData: 'true' } });
		expect(gone.body).toEqual([expect.objectContaining({ id: 2, entity: 'b' })]);
		expect(sim.rows(id).map((r) => r.id)).toEqual([3]);
	});
});

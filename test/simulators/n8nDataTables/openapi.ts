/**
 * The part of n8n's OpenAPI request validation (express-openapi-validator over openapi.yml) that the
 * data-table routes meet: the `nanoid` path id, unknown or malformed query parameters, and the
 * required properties and enums of the request bodies. Messages follow the validator's wording.
 */
const QUERY: Record<string, string[]> = {
	listDataTables: ['limit', 'cursor', 'filter', 'sortBy'],
	getDataTableRows: ['limit', 'cursor', 'filter', 'sortBy', 'search'],
	deleteDataTableRows: ['filter', 'returnData', 'dryRun'],
};

const UPDATE_CONDITIONS = ['eq', 'neq', 'like', 'ilike', 'gt', 'gte', 'lt', 'lte'];
const CREATE_COLUMN_TYPES = ['string', 'number', 'boolean', 'date', 'json'];
const COLUMN_TYPES = ['string', 'number', 'boolean', 'date'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function queryProblem(operation: string, query: Record<string, string>): string | null {
	const allowed = QUERY[operation] ?? [];
	for (const name of Object.keys(query)) if (!allowed.includes(name)) return `Unknown query parameter '${name}'`;
	if (query.limit !== undefined) {
		if (query.limit.trim() === '' || isNaN(Number(query.limit))) return 'request/query/limit must be number';
		if (Number(query.limit) > 250) return 'request/query/limit must be <= 250';
	}
	if (query.filter !== undefined) {
		try {
			JSON.parse(query.filter);
		} catch {
			return 'request/query/filter must match format "jsonString"';
		}
	}
	for (const flag of ['returnData', 'dryRun']) {
		if (query[flag] !== undefined && !['true', 'false'].includes(query[flag])) return `request/query/${flag} must be boolean`;
	}
	if (operation === 'deleteDataTableRows' && query.filter === undefined) return "request/query must have required property 'filter'";
	return null;
}

function required(body: Json, path: string, names: string[]): string | null {
	for (const name of names) if (!(name in body)) return `${path} must have required property '${name}'`;
	return null;
}

function createTableProblem(body: Json): string | null {
	const missing = required(body, 'request/body', ['name', 'columns']);
	if (missing) return missing;
	if (typeof body.name !== 'string') return 'request/body/name must be string';
	if (body.name.length < 1) return 'request/body/name must NOT have fewer than 1 characters';
	if (body.name.length > 128) return 'request/body/name must NOT have more than 128 characters';
	if (!Array.isArray(body.columns)) return 'request/body/columns must be array';
	for (const [i, column] of body.columns.entries()) {
		if (!isObject(column)) return `request/body/columns/${i} must be object`;
		const problem = required(column, `request/body/columns/${i}`, ['name', 'type']);
		if (problem) return problem;
		if (!CREATE_COLUMN_TYPES.includes(String(column.type))) {
			return `request/body/columns/${i}/type must be equal to one of the allowed values: ${CREATE_COLUMN_TYPES.join(', ')}`;
		}
	}
	return null;
}

function addColumnProblem(body: Json): string | null {
	const missing = required(body, 'request/body', ['name', 'type']);
	if (missing) return missing;
	if (typeof body.name !== 'string' || !/^[a-zA-Z][a-zA-Z0-9_]*$/.test(body.name) || body.name.length > 63) {
		return 'request/body/name must match pattern "^[a-zA-Z][a-zA-Z0-9_]*$"';
	}
	if (!COLUMN_TYPES.includes(String(body.type))) return `request/body/type must be equal to one of the allowed values: ${COLUMN_TYPES.join(', ')}`;
	return null;
}

function insertRowsProblem(body: Json): string | null {
	const missing = required(body, 'request/body', ['data']);
	if (missing) return missing;
	if (!Array.isArray(body.data)) return 'request/body/data must be array';
	if (body.data.length < 1) return 'request/body/data must NOT have fewer than 1 items';
	if (body.returnType !== undefined && !['count', 'id', 'all'].includes(String(body.returnType))) {
		return 'request/body/returnType must be equal to one of the allowed values: count, id, all';
	}
	return null;
}

function updateRowsProblem(body: Json): string | null {
	const missing = required(body, 'request/body', ['filter', 'data']);
	if (missing) return missing;
	if (!isObject(body.filter)) return 'request/body/filter must be object';
	const noFilters = required(body.filter, 'request/body/filter', ['filters']);
	if (noFilters) return noFilters;
	const filters = body.filter.filters;
	if (!Array.isArray(filters)) return 'request/body/filter/filters must be array';
	if (filters.length < 1) return 'request/body/filter/filters must NOT have fewer than 1 items';
	for (const [i, f] of filters.entries()) {
		if (!isObject(f)) return `request/body/filter/filters/${i} must be object`;
		const problem = required(f, `request/body/filter/filters/${i}`, ['columnName', 'condition', 'value']);
		if (problem) return problem;
		if (!UPDATE_CONDITIONS.includes(String(f.condition))) {
			return `request/body/filter/filters/${i}/condition must be equal to one of the allowed values: ${UPDATE_CONDITIONS.join(', ')}`;
		}
	}
	if (!isObject(body.data)) return 'request/body/data must be object';
	return null;
}

const BODY: Record<string, (body: Json) => string | null> = {
	createDataTable: createTableProblem,
	createDataTableColumn: addColumnProblem,
	insertDataTableRows: insertRowsProblem,
	updateDataTableRows: updateRowsProblem,
};

/** The validator's first complaint about a request, or null when it passes. */
export function openApiProblem(operation: string, params: Record<string, string>, query: Record<string, string>, body: unknown): string | null {
	if (params.dataTableId !== undefined && !/^[A-Za-z0-9]{16}$/.test(params.dataTableId)) {
		return 'request/params/dataTableId must match format "nanoid"';
	}
	const problem = queryProblem(operation, query);
	if (problem) return problem;
	const check = BODY[operation];
	if (!check) return null;
	if (!isObject(body)) return 'request/body must be object';
	return check(body);
}

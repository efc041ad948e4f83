/**
 * Resource-locator searches. Propstreet's list endpoints have no name filter, so each call reads one
 * page (cursor = pagination token) and filters it here by name, email or id.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';
import { readPage } from '../../shared/core/http';
import { propstreetRequest } from '../transport';

const PAGE_SIZE = 200;

async function searchPage(
	ctx: ILoadOptionsFunctions,
	path: string,
	filter: string | undefined,
	paginationToken: string | undefined,
	label: (row: IDataObject) => string,
): Promise<INodeListSearchResult> {
	const response = await propstreetRequest(ctx, { method: 'GET', path, qs: { page_size: PAGE_SIZE, cursor: paginationToken } });
	const page = readPage<IDataObject>(response.body);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = page.items
		.filter((row) => !row.deletedUtc)
		.map((row) => ({ name: label(row), value: String(row.id) }))
		.filter((r) => !needle || r.name.toLowerCase().includes(needle) || r.value === needle);
	return { results, paginationToken: page.nextCursor };
}

function contactLabel(row: IDataObject): string {
	const name = [row.firstName, row.lastName].filter(Boolean).join(' ');
	const email = row.email ? String(row.email) : '';
	return name && email ? `${name} (${email})` : name || email || `Contact ${String(row.id)}`;
}

export async function searchContacts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return searchPage(this, '/api/v1/network/contacts', filter, paginationToken, contactLabel);
}

export async function searchCompanies(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return searchPage(this, '/api/v1/network/companies', filter, paginationToken, (row) =>
		row.domain ? `${String(row.name)} (${String(row.domain)})` : String(row.name ?? `Company ${String(row.id)}`),
	);
}

export async function searchProjects(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return searchPage(this, '/api/v1/projects', filter, paginationToken, (row) => String(row.name ?? `Project ${String(row.id)}`));
}

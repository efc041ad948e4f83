/**
 * One n8n Data Table reached through the public API with the Propstreet Sync State credential:
 * found (or created with its columns) on first use, its id kept for the execution, and found again
 * when someone deleted it meanwhile. The sync state store and the review queue each use one.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { DataTableApi, isMissingTable, readSettings, type ApiAnswer, type ApiCall, type ApiSettings } from './api';
import { resolveTable, type TableSpec } from './bootstrap';

export type Filter = { columnName: string; condition: 'eq'; value: string | number };
export const eq = (columnName: string, value: string | number): Filter => ({ columnName, condition: 'eq', value });
export const filterOf = (...filters: Filter[]) => ({ type: 'and', filters });

interface RowPage<Row> {
	data?: Row[];
	nextCursor?: string | null;
}

export class DataTableHandle {
	private table?: Promise<{ api: DataTableApi; tableId: string }>;
	/** The credential's settings, once the table was first resolved. */
	settings?: ApiSettings;

	/** `tableName` picks the table from the credential's settings (the state table's name by default). */
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly spec: TableSpec,
		private readonly tableName: (settings: ApiSettings) => string,
		private readonly itemIndex?: number,
	) {}

	private resolve() {
		this.table ??= (async () => {
			const settings = await readSettings(this.ctx, this.itemIndex);
			this.settings = settings;
			const api = new DataTableApi(this.ctx, { ...settings, tableName: this.tableName(settings) }, this.itemIndex);
			return { api, tableId: await resolveTable(this.ctx, api, this.itemIndex, this.spec) };
		})().catch((error) => {
			this.table = undefined; // the next call tries again
			throw error;
		});
		return this.table;
	}

	/** One call on the table; when the table was deleted meanwhile, finds or recreates it and retries once. */
	async onTable<T>(build: (tablePath: string) => ApiCall): Promise<ApiAnswer<T>> {
		for (let attempt = 0; ; attempt++) {
			const { api, tableId } = await this.resolve();
			const call = build(`/data-tables/${encodeURIComponent(tableId)}`);
			const answer = await api.call<T>({ ...call, accept: [...(call.accept ?? []), 404] });
			if (answer.status !== 404) return answer;
			if (attempt > 0 || !isMissingTable(answer)) throw api.error(call, answer);
			this.table = undefined;
		}
	}

	/** Every row matching `filter`, in row id order, page by page. */
	async rows<Row>(filter: ReturnType<typeof filterOf>, operation: string): Promise<Row[]> {
		const rows: Row[] = [];
		let cursor: string | undefined;
		do {
			const page: ApiAnswer<RowPage<Row>> = await this.onTable<RowPage<Row>>((table) => ({
				method: 'GET',
				path: `${table}/rows`,
				qs: { filter: JSON.stringify(filter), sortBy: 'id:asc', limit: 250, ...(cursor ? { cursor } : {}) },
				operation,
				scope: 'dataTableRow:read',
			}));
			rows.push(...(page.body?.data ?? []));
			cursor = page.body?.nextCursor ?? undefined;
		} while (cursor);
		return rows;
	}
}

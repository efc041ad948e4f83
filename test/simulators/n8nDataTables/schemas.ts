/**
 * Request shapes of n8n 2.40.7's public data-table API, rewritten from its DTOs (@n8n/api-types:
 * PublicApiListDataTableQueryDto, PublicApiListDataTableContentQueryDto, PublicApiCreateDataTableDto,
 * AddDataTableColumnDto, AddDataTableRowsDto, UpdateDataTableRowDto, DeleteDataTableRowsDto). The
 * installed @n8n/api-types is an older release (no isEmpty/isNotEmpty), so the simulator carries its
 * own copy instead of importing it. Query values arrive as strings, as in n8n.
 */
import { z } from 'zod';

export const MAX_ITEMS_PER_PAGE = 250;
export const COLUMN_NAME_REGEX = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const COLUMN_ERROR =
	'Only alphabetical characters and non-leading numbers and underscores are allowed for column names, and the maximum length is 63 characters.';

export const columnName = z.string().trim().min(1).max(63).regex(COLUMN_NAME_REGEX, COLUMN_ERROR);
export const columnType = z.enum(['string', 'number', 'boolean', 'date']);
export type ColumnType = z.infer<typeof columnType>;
const cellValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.date()]);
export type CellValue = z.infer<typeof cellValue>;

export const CONDITIONS = ['eq', 'neq', 'like', 'ilike', 'gt', 'gte', 'lt', 'lte', 'isEmpty', 'isNotEmpty'] as const;
export type Condition = (typeof CONDITIONS)[number];

const filterRecord = z.object({
	columnName,
	condition: z.enum(CONDITIONS).default('eq'),
	value: z.union([z.string(), z.number(), z.boolean(), z.date(), z.null()]),
});
export const rowFilter = z.object({
	type: z.union([z.literal('and'), z.literal('or')]).default('and'),
	filters: z.array(filterRecord).default([]),
});
export type RowFilter = z.infer<typeof rowFilter>;

const limit = z
	.string()
	.optional()
	.transform((v) => (v ? parseInt(v, 10) : 100))
	.refine((v) => !isNaN(v) && Number.isInteger(v), { message: 'Param `limit` must be a valid integer' })
	.refine((v) => v >= 0, { message: 'Param `limit` must be a non-negative integer' })
	.transform((v) => Math.min(v, MAX_ITEMS_PER_PAGE));
const offset = z
	.string()
	.optional()
	.transform((v) => (v ? parseInt(v, 10) : 0))
	.refine((v) => !isNaN(v) && Number.isInteger(v), { message: 'Param `offset` must be a valid integer' })
	.refine((v) => v >= 0, { message: 'Param `offset` must be a non-negative integer' });

function jsonField<T extends z.ZodTypeAny>(schema: T, fieldsMessage = 'Invalid filter fields') {
	return z
		.string()
		.optional()
		.transform((val, ctx): z.infer<T> | undefined => {
			if (!val) return undefined;
			let parsed: unknown;
			try {
				parsed = JSON.parse(val);
			} catch {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Invalid filter format', path: ['filter'] });
				return z.NEVER;
			}
			const result = schema.safeParse(parsed);
			if (!result.success) {
				ctx.addIssue({ code: z.ZodIssueCode.custom, message: fieldsMessage, path: ['filter'] });
				return z.NEVER;
			}
			return result.data;
		});
}

const TABLE_SORTS = ['name:asc', 'name:desc', 'createdAt:asc', 'createdAt:desc', 'updatedAt:asc', 'updatedAt:desc', 'size:asc', 'size:desc'] as const;
const stringOrList = z.union([z.string(), z.array(z.string())]);

export const listTablesQuery = z.object({
	limit,
	offset,
	filter: jsonField(z.object({ id: stringOrList.optional(), name: stringOrList.optional(), projectId: z.string().optional() }).strict()),
	sortBy: z.enum(TABLE_SORTS, { message: `sortBy must be one of: ${TABLE_SORTS.join(', ')}` }).optional(),
});

const rowSort = z
	.string()
	.optional()
	.transform((val, ctx): [string, 'ASC' | 'DESC'] | undefined => {
		if (val === undefined) return undefined;
		if (!val.includes(':')) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Invalid sort format, expected <columnName>:<asc/desc>', path: ['sort'] });
			return z.NEVER;
		}
		const [column, rawDirection] = val.split(':');
		const name = columnName.safeParse(column);
		if (!name.success) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: name.error.errors[0]?.message ?? 'Invalid sort columnName', path: ['sortBy'] });
			return z.NEVER;
		}
		const direction = rawDirection?.toUpperCase();
		if (direction !== 'ASC' && direction !== 'DESC') {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Invalid sort direction', path: ['sort'] });
			return z.NEVER;
		}
		return [name.data, direction];
	});

export const listRowsQuery = z.object({ limit, offset, filter: jsonField(rowFilter), sortBy: rowSort, search: z.string().optional() });

export const createTableBody = z.object({
	name: z.string().trim().min(1).max(128),
	columns: z.array(z.object({ name: columnName, type: columnType, csvColumnName: z.string().optional() })),
	fileId: z.string().optional(),
	hasHeaders: z.boolean().optional(),
	projectId: z.string().optional(),
});

export const addColumnBody = z.object({ name: columnName, type: columnType, index: z.number().optional() });

export const insertRowsBody = z.object({
	data: z.array(z.record(columnName, cellValue)),
	returnType: z.union([z.literal('all'), z.literal('count'), z.literal('id')]).optional().default('count'),
});

export const updateRowsBody = z.object({
	filter: rowFilter.refine((f) => f.filters.length > 0, { message: 'filter must not be empty' }),
	data: z.record(columnName, cellValue).refine((d) => Object.keys(d).length > 0, { message: 'data must not be empty' }),
	returnData: z.boolean().optional().default(false),
	dryRun: z.boolean().optional().default(false),
});

const queryBoolean = z
	.union([z.string(), z.boolean()])
	.optional()
	.transform((v) => (typeof v === 'string' ? v === 'true' : (v ?? false)));

export const deleteRowsQuery = z.object({
	filter: z.string().transform((val, ctx) => {
		if (!val) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Filter is required for delete operations', path: ['filter'] });
			return z.NEVER;
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(val);
		} catch {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Invalid filter format', path: ['filter'] });
			return z.NEVER;
		}
		const result = rowFilter.safeParse(parsed);
		if (!result.success) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'Invalid filter fields', path: ['filter'] });
			return z.NEVER;
		}
		if (result.data.filters.length === 0) {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'At least one filter condition is required for delete operations', path: ['filter'] });
			return z.NEVER;
		}
		return result.data;
	}),
	returnData: queryBoolean,
	dryRun: queryBoolean,
});

/** The first problem, worded as n8n's handlers word it (`payload.error.errors[0]?.message`). */
export function firstIssue(error: z.ZodError, fallback: string): string {
	return error.errors[0]?.message || fallback;
}

/** problem+json errors (RFC 7807), the one error shape every Propstreet endpoint answers with. */

export const PROBLEM_TYPE = 'https://tools.ietf.org/html/rfc7807';

export type FieldErrors = Record<string, string[]>;

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly title: string,
		readonly detail?: string,
		readonly extra: { errors?: FieldErrors; type?: string; headers?: Record<string, string> } = {},
	) {
		super(detail ?? title);
	}
}

export function problemBody(err: ApiError, instance: string): Record<string, unknown> {
	const body: Record<string, unknown> = {
		type: err.extra.type ?? PROBLEM_TYPE,
		title: err.title,
		status: err.status,
	};
	if (err.detail !== undefined) body.detail = err.detail;
	body.instance = instance;
	if (err.extra.errors) body.errors = err.extra.errors;
	return body;
}

export const badRequest = (detail: string, errors?: FieldErrors) =>
	new ApiError(400, errors ? 'Validation Error' : 'Bad Request', detail, { errors });
export const validationError = (errors: FieldErrors) =>
	new ApiError(400, 'Validation Error', 'One or more validation errors occurred.', { errors });
export const notFound = (what: string) => new ApiError(404, 'Not Found', `${what} was not found.`);
export const conflict = (detail: string, type?: string) => new ApiError(409, 'Conflict', detail, { type });
export const preconditionFailed = () =>
	new ApiError(412, 'Precondition Failed', 'The resource has changed since it was read (If-Match does not match the current ETag).', {
		type: '/help/precondition-failed',
	});
export const preconditionRequired = () =>
	new ApiError(428, 'Precondition Required', 'This endpoint requires an If-Match header with the current ETag.', {
		type: '/help/precondition-required',
	});
export const unprocessable = (detail: string, errors?: FieldErrors) =>
	new ApiError(422, 'Unprocessable Entity', detail, { errors });

/** Collects field errors so one response names every bad field. */
export class FieldErrorCollector {
	readonly errors: FieldErrors = {};
	add(field: string, message: string): void {
		(this.errors[field] ??= []).push(message);
	}
	get any(): boolean {
		return Object.keys(this.errors).length > 0;
	}
	throwIfAny(): void {
		if (this.any) throw validationError(this.errors);
	}
}

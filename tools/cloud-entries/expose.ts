/**
 * How a bundled entry hands its functions to the Code node's own lines: one global object. The
 * Code node's sandbox replaces `Object.defineProperty` with a no-op before user code runs, so the
 * bundle cannot use esbuild's module exports; a plain assignment survives it.
 */
export function exposeToCodeNode(api: Record<string, unknown>): void {
	(globalThis as unknown as { propstreetCloud: Record<string, unknown> }).propstreetCloud = api;
}

/**
 * Under tsx, `import … from './X.node'` finds `X.node.json` (n8n's codex file next to each node)
 * before `X.node.ts`, so node classes come back undefined. Jest resolves the .ts first. This hook
 * makes a relative `*.node` request try `*.node.ts` first; install it before loading any node.
 * It also gives the test kits' mocked trigger contexts the `jest.fn` they expect.
 */
import Module from 'module';

type Resolve = (request: string, parent: unknown, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
let installed = false;

export function preferNodeSources(): void {
	if (installed) return;
	installed = true;
	// The test kits build trigger contexts with jest-mock-extended, which calls the global `jest.fn`.
	const globals = globalThis as unknown as { jest?: unknown };
	if (!globals.jest) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { ModuleMocker } = require('jest-mock') as typeof import('jest-mock');
		const mocker = new ModuleMocker(globalThis);
		globals.jest = { fn: mocker.fn.bind(mocker) };
	}
	const original = moduleWithResolve._resolveFilename;
	moduleWithResolve._resolveFilename = function (request, parent, ...rest) {
		if (request.startsWith('.') && request.endsWith('.node')) {
			try {
				return original.call(this, `${request}.ts`, parent, ...rest);
			} catch {
				// not a TypeScript node next to it: resolve as asked
			}
		}
		return original.call(this, request, parent, ...rest);
	};
}

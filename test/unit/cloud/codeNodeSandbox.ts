/**
 * Runs a Code node's JavaScript the way n8n 2.x's JS task runner does in its default (secure)
 * mode, closely enough to catch what breaks generated code there: a fresh vm context holding only
 * the runner's globals (Buffer, timers, TextEncoder…), `require` refusing every module (no
 * NODE_FUNCTION_ALLOW_* on Cloud), and the hardening lines it runs before user code
 * (`Object.defineProperty` and the prototype getters/setters made no-ops, built-in constructors
 * frozen). The body runs inside an async function, as in the Code node.
 */
import * as vm from 'vm';

const HARDENING = [
	'globalThis.global = globalThis',
	'var module = { exports: {} }',
	'Object.getPrototypeOf = () => ({})',
	'Reflect.getPrototypeOf = () => ({})',
	'Object.setPrototypeOf = () => false',
	'Reflect.setPrototypeOf = () => false',
	'Object.defineProperty = () => ({})',
	'Object.defineProperties = () => ({})',
	'[Object, Function, Array, String, Number, Boolean, RegExp, Error, TypeError, RangeError, Promise, Symbol, Map, Set, WeakMap, WeakSet, Date, JSON, Math, Reflect, ArrayBuffer, DataView, Uint8Array].forEach((c) => { try { Object.freeze(c); } catch {} })',
];

export interface CodeNodeGlobals {
	[name: string]: unknown;
}

export async function runCodeNode(jsCode: string, globals: CodeNodeGlobals = {}): Promise<unknown> {
	const context = vm.createContext({
		Buffer,
		setTimeout,
		clearTimeout,
		TextEncoder,
		TextDecoder,
		btoa,
		atob,
		require: (name: string) => {
			throw new Error(`Cannot find module '${name}' [line 1] (the Code node allows no modules on n8n Cloud)`);
		},
		...globals,
	});
	const script = `${HARDENING.join('; ')}; module.exports = async function VmCodeWrapper() {${jsCode}\n}.call(globalThis)`;
	return await (vm.runInContext(script, context, { timeout: 10000 }) as Promise<unknown>);
}

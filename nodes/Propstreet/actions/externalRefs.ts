/** External references (namespace + id) as the Propstreet node's parameters give them: the fixed collection or the JSON field. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { fail } from './operation';

/** Reads external refs from the fixedCollection value ({ref: [...]}) or an array; undefined when neither. */
export function readExternalRefsCollection(value: unknown): Array<{ namespace: string; id: string }> | undefined {
	const refs = Array.isArray(value) ? value : (value as { ref?: unknown } | undefined)?.ref;
	if (!Array.isArray(refs)) return undefined;
	return refs
		.map((r: { namespace?: unknown; id?: unknown }) => ({ namespace: String(r?.namespace ?? '').trim(), id: String(r?.id ?? '').trim() }))
		.filter((r) => r.namespace && r.id);
}

/** The refs a collection holds: the JSON field when set (text or array), else the fixedCollection. */
export function externalRefsFrom(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): Array<{ namespace: string; id: string }> | undefined {
	let json: unknown = fields.externalRefsJson;
	if (typeof json === 'string') {
		const text = json.trim();
		json = undefined;
		if (text) {
			try {
				json = JSON.parse(text);
			} catch {
				fail.call(this, itemIndex, `"External References (JSON)" on item ${itemIndex} is not valid JSON: ${text.slice(0, 80)}`);
			}
		}
	}
	if (json !== undefined && json !== null) {
		if (!Array.isArray(json)) fail.call(this, itemIndex, `"External References (JSON)" on item ${itemIndex} must be an array of {"namespace", "id"}`);
		return readExternalRefsCollection(json);
	}
	return readExternalRefsCollection(fields.externalRefs);
}

/**
 * Reading contacts and persons out of a running stack's simulators, as the contact e2e files
 * assert them: the pipedrive ref on a contact, a person's custom field by name, the person that
 * names a contact.
 */
import type { Stack } from '../harness/stack';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rec = Record<string, any>;

export function contactRecords(stack: () => Stack) {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const ps = () => stack().propstreet.control as any;
	const pd = () => stack().pipedrive.control;
	const refOf = (record: Rec | undefined) => ((record?.externalRefs as Rec[] | undefined) ?? []).find((r) => r.namespace === 'pipedrive')?.id as string | undefined;
	const pdCustom = (record: Rec | undefined, name: string) => {
		const value = (record?.custom_fields ?? {})[pd().fieldKey('person', name)];
		return value && typeof value === 'object' && 'value' in value ? value.value : value;
	};
	const personOf = (contactId: string) => pd().persons().find((p) => String(pdCustom(p as Rec, 'propstreet_contact_id') ?? '') === contactId) as Rec | undefined;
	return { ps, pd, refOf, pdCustom, personOf };
}

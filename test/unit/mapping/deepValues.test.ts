/** Values nested far deeper than any record: refused by name, never a bare stack overflow. */
import { assertNestingDepth, MAX_NESTING_DEPTH, NestingTooDeepError } from '../../../nodes/shared/core/depth';
import { canonicalJson } from '../../../nodes/shared/core/hash';
import { mapRecord, MappingError, sameValue } from '../../../nodes/shared/core/mapping';
import { diffParticipants, ParticipantDiffInputError } from '../../../nodes/shared/core/participantDiff';
import { stableStringify } from '../../../nodes/shared/core/sync';
import { KEYS, pipedriveWebhook, setup } from './fixtures';

const DEEP = 20_000;
function nested(depth: number, array = false): unknown {
	let value: unknown = 'x';
	for (let i = 0; i < depth; i++) value = array ? [value] : { a: value };
	return value;
}

describe('nesting depth', () => {
	it('accepts the limit and names the path past it', () => {
		expect(() => assertNestingDepth(nested(MAX_NESTING_DEPTH), 'v')).not.toThrow();
		expect(() => assertNestingDepth({ ok: 1, deep: nested(DEEP, true) })).toThrow(new NestingTooDeepError('deep[0][0][0]…'));
		const cyclic: Record<string, unknown> = { a: 1 };
		cyclic.self = cyclic;
		expect(() => assertNestingDepth(cyclic)).not.toThrow();
	});

	it('the recursive walkers stop at the limit with the same error', () => {
		for (const walk of [() => canonicalJson(nested(DEEP)), () => stableStringify(nested(DEEP, true)), () => sameValue(nested(DEEP), 'x')]) {
			expect(walk).toThrow(NestingTooDeepError);
		}
		expect(canonicalJson(nested(50))).toContain('"a"');
	});

	it('the Mapper names the field and the record', () => {
		const { config, ctx } = setup('contact');
		const event = pipedriveWebhook('person', 'change', { id: 1013, name: 'Astrid Öberg', custom_fields: { [KEYS.strategy]: nested(DEEP, true) } });
		const error = (() => {
			try {
				mapRecord(event, 'contact', 'toPropstreet', config, ctx);
			} catch (caught) {
				return caught;
			}
		})() as MappingError;
		expect(error).toBeInstanceOf(MappingError);
		expect(error.field).toBe(`data.custom_fields.${KEYS.strategy}[0]…`);
		expect(error.record).toBe('Pipedrive person 1013');
		expect(error.message).toContain(`is nested more than ${MAX_NESTING_DEPTH} levels deep`);
	});

	it('the Mapper checks the current target record too', () => {
		const { config, ctx } = setup('contact', { current: { id: 'c-1', firstName: nested(DEEP) } as Record<string, unknown> });
		expect(() => mapRecord(pipedriveWebhook('person', 'change', { id: 7, name: 'A B' }), 'contact', 'toPropstreet', config, ctx)).toThrow(
			'Pipedrive person 7: currentRecord.firstName.a.a…: is nested',
		);
	});

	it('the Differ names the field', () => {
		const input = { dealId: 1, projectId: 'p-1', participants: [{ id: 5, person_id: nested(DEEP) }], prospects: [] };
		expect(() => diffParticipants(input)).toThrow(new ParticipantDiffInputError('participants[0].person_id.a…', `is nested more than ${MAX_NESTING_DEPTH} levels deep`));
	});
});

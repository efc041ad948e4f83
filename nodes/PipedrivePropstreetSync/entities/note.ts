/** Pipedrive notes → Propstreet notes (one way; an edit revises the linked note, a delete archives it). */
import { syncNoteEvent } from '../../shared/core/twoWay/noteSync';
import { propstreetNotes } from '../noteSides';
import type { SyncEntityBinding } from './binding';

export const noteBinding: SyncEntityBinding = {
	value: 'note',
	name: 'Note (Pipedrive → Propstreet)',
	description: "A Pipedrive note → a note on the deal's project, the person's contact or the organization's company",
	syncEvent: async ({ ctx, i, store, config }, common, event) =>
		syncNoteEvent(
			{ config, rules: common.rules, store, port: propstreetNotes(ctx, i, config.pipedriveNamespace), createInPropstreet: common.createOn.propstreet, owner: common.owner, now: common.now, wait: common.wait },
			event,
		),
};

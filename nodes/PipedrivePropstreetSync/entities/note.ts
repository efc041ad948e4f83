/** Pipedrive notes → Propstreet notes (one way; an edit revises the linked note, a delete archives it). */
import { syncNoteEvent } from '../../shared/core/twoWay/noteSync';
import { propstreetNotes } from '../noteSides';
import type { OwnFlowBinding } from './binding';

export const noteBinding: OwnFlowBinding = {
	value: 'note',
	name: 'Note (Pipedrive → Propstreet)',
	description: "A Pipedrive note → a note on the deal's project, the person's contact or the organization's company",
	syncEvent: async ({ ctx, i, settings }, event) =>
		syncNoteEvent(
			{ config: settings.config, rules: settings.rules, store: settings.store, port: propstreetNotes(ctx, i, settings.config.pipedriveNamespace), createInPropstreet: settings.createOn.propstreet, owner: settings.owner, now: settings.now, wait: settings.wait },
			event,
		),
};

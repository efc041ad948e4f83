/**
 * A review table row ("Propstreet sync review") as a `ReviewEntry`, shared by the self-hosted
 * queue (`syncStore/reviewQueue.ts`) and the Cloud edition's (`cloud/replayedReviewQueue.ts`), so
 * both read one table layout alike.
 */
import type { SyncEntity } from '../syncState/link';
import { REVIEW_STATUSES, type ReviewEntry, type ReviewStatus } from './queue';

const text = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value));

export function rowToEntry(row: Record<string, unknown>): ReviewEntry {
	const status = REVIEW_STATUSES.includes(row.status as ReviewStatus) ? (row.status as ReviewStatus) : 'settled';
	return {
		rowId: Number(row.id),
		key: text(row.key),
		entity: text(row.entity) as SyncEntity,
		pipedriveId: text(row.pipedriveId),
		propstreetId: text(row.propstreetId),
		field: text(row.field),
		pipedriveValue: text(row.pipedriveValue),
		propstreetValue: text(row.propstreetValue),
		lastSynced: text(row.lastSynced),
		rule: text(row.rule),
		raisedAt: text(row.raisedAt),
		resolution: text(row.resolution),
		status,
		appliedAt: text(row.appliedAt),
	};
}

/**
 * The latest daily token budget reading per Pipedrive account, kept in this n8n process's memory
 * (like the field-definition cache): every execution of every node in the process adds to what
 * the others know, so a poll or a backfill can hold back before its first call. The account is
 * told apart by base URL and a hash of the API token (the token itself is not kept). Static data
 * is not used: in queue mode a worker starts with it empty (see fieldDefinitions.ts).
 */
import { stableHash } from '../core/hash';
import type { DailyBudgetReading } from '../core/pipedrive';

const readings = new Map<string, DailyBudgetReading>();
const MAX_ACCOUNTS = 1000;

export function accountKeyOf(baseUrl: string, apiToken: string): string {
	return `${baseUrl}\u0000${stableHash(apiToken)}`;
}

/** Keeps the newer of the stored and the given reading. */
export function rememberDailyBudget(account: string, reading: DailyBudgetReading): void {
	const known = readings.get(account);
	if (known && known.seenAtMs > reading.seenAtMs) return;
	readings.delete(account);
	readings.set(account, reading);
	if (readings.size > MAX_ACCOUNTS) readings.delete(readings.keys().next().value as string);
}

export function dailyBudgetReading(account: string): DailyBudgetReading | undefined {
	return readings.get(account);
}

/** Empties the memory (tests start from a clean process). */
export function forgetDailyBudgets(): void {
	readings.clear();
}

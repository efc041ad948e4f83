/**
 * The simulated clock. Timestamps, rate-limit windows, the daily budget reset and webhook bans all
 * read it, so `control.advanceClock()` moves them together. Webhook retry delays are real timers
 * (made short for tests with `webhookRetryDelaysMs`).
 */
export class SimClock {
	private offsetMs: number;
	private frozenAt: number | null;

	constructor(options: { start?: string | Date | number; frozen?: boolean } = {}) {
		const start = options.start === undefined ? Date.now() : new Date(options.start).getTime();
		if (Number.isNaN(start)) throw new Error(`Invalid clock start: ${String(options.start)}`);
		this.offsetMs = start - Date.now();
		this.frozenAt = options.frozen ? start : null;
	}

	now(): number {
		return this.frozenAt ?? Date.now() + this.offsetMs;
	}

	advance(ms: number): void {
		if (!(ms >= 0)) throw new Error('advanceClock needs a non-negative number of milliseconds');
		if (this.frozenAt !== null) this.frozenAt += ms;
		else this.offsetMs += ms;
	}
}

/**
 * The simulated clock both simulators use. Everything time-based in a simulator (timestamps, token
 * expiry, rate-limit windows, budget resets, idempotency retention, webhook bans and retry
 * schedules) reads it, so `control.advanceClock()` moves them all together.
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

	iso(): string {
		return new Date(this.now()).toISOString();
	}

	advance(ms: number): void {
		if (!(ms >= 0)) throw new Error('advanceClock needs a non-negative number of milliseconds');
		if (this.frozenAt !== null) this.frozenAt += ms;
		else this.offsetMs += ms;
	}
}

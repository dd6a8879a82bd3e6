// Spaces requests so that no window of the API's rate limits (requests per second, per minute)
// holds more than it allows, and holds everything back while the service asks for a pause (429).
// Pure bookkeeping: the caller passes the time and does the waiting, so tests need no clock.

/** At most `limit` request starts in any `windowMs`. */
export interface RateWindow {
	limit: number;
	windowMs: number;
}

export class Pacer {
	/** Reserved start times, oldest first, kept for as long as the longest window. */
	private starts: number[] = [];

	private pausedUntil = Number.NEGATIVE_INFINITY;

	private readonly windows: RateWindow[];

	private readonly longestWindowMs: number;

	constructor(windows: RateWindow[]) {
		// A window without a positive, finite limit does not limit anything.
		this.windows = windows.filter(
			({ limit, windowMs }) => Number.isFinite(limit) && limit >= 1 && Number.isFinite(windowMs) && windowMs > 0,
		);
		this.longestWindowMs = Math.max(0, ...this.windows.map(({ windowMs }) => windowMs));
	}

	/**
	 * Reserves the earliest start at or after `now` that keeps every window within its limit and
	 * returns it; the caller waits until then. Starts are handed out in call order (first come,
	 * first served), so a later caller never overtakes one that is already waiting.
	 */
	reserve(now: number): number {
		const last = this.starts.length > 0 ? this.starts[this.starts.length - 1] : Number.NEGATIVE_INFINITY;
		let at = Math.max(now, this.pausedUntil, last);
		for (const { limit, windowMs } of this.windows) {
			// With starts s1 <= s2 <= ... the next one may go once the limit-th latest has left the window.
			if (this.starts.length >= limit) at = Math.max(at, this.starts[this.starts.length - limit] + windowMs);
		}
		this.starts.push(at);
		this.forgetBefore(at - this.longestWindowMs);
		return at;
	}

	/** Holds back every start until `until` (e.g. the end of a 429's Retry-After). */
	pauseUntil(until: number): void {
		if (until > this.pausedUntil) this.pausedUntil = until;
	}

	/** Whether a pause asked for after a start was reserved still runs at `now`. */
	isPaused(now: number): boolean {
		return now < this.pausedUntil;
	}

	private forgetBefore(cutoff: number): void {
		let drop = 0;
		while (drop < this.starts.length && this.starts[drop] <= cutoff) drop++;
		if (drop > 0) this.starts = this.starts.slice(drop);
	}
}

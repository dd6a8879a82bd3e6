// Spaces requests so that no window of the API's rate limits (requests per second, per minute)
// holds more than it allows, and holds everything back while the service asks for a pause (429).
// Pure bookkeeping: the caller passes the time and does the waiting, so tests need no clock.
//
// The service counts a request when it arrives, the pacer when it leaves. A request leaves a little
// after its reserved start (timers, n8n's own work) and travels; the pacer assumes it arrives within
// `slackMs` of its start. It also arrives at the latest when its answer is back, so an answer that
// comes sooner than the slack bounds the arrival more tightly (on a fast link, windows then cost
// one answer's time instead of the whole slack).
//   With `latestArrival(i)` that bound for request i, request k may start once every request at
// least `limit` places before it arrived a window ago: then any window holding k's arrival and
// `limit` others would need one of those earlier requests inside it, and none of them is.

/** At most `limit` request arrivals in any `windowMs`. */
export interface RateWindow {
	limit: number;
	windowMs: number;
	/** How much later than it left a request may arrive, as long as its answer is not back. */
	slackMs: number;
}

/** A reserved start. `answered` records when the request's answer (or its failure) came back. */
export interface Reservation {
	readonly at: number;
	answered(now: number): void;
}

/** One ms past the window's end: a window counts arrivals at both of its ends. */
const MARGIN_MS = 1;

class Start implements Reservation {
	answeredAt?: number;

	constructor(readonly at: number) {}

	answered(now: number): void {
		this.answeredAt ??= Math.max(this.at, now);
	}

	/** The latest this request can have arrived. */
	latestArrival(slackMs: number): number {
		const guessed = this.at + slackMs;
		return this.answeredAt === undefined ? guessed : Math.min(guessed, this.answeredAt);
	}
}

export class Pacer {
	/** Reserved starts, in start order, kept for as long as the longest window (and its slack). */
	private starts: Start[] = [];

	private pausedUntil = Number.NEGATIVE_INFINITY;

	private readonly windows: RateWindow[];

	private readonly memoryMs: number;

	constructor(windows: RateWindow[]) {
		// A window without a positive, finite limit does not limit anything.
		this.windows = windows
			.filter(({ limit, windowMs }) => Number.isFinite(limit) && limit >= 1 && Number.isFinite(windowMs) && windowMs > 0)
			.map((window) => ({ ...window, slackMs: Number.isFinite(window.slackMs) ? Math.max(0, window.slackMs) : 0 }));
		this.memoryMs = Math.max(0, ...this.windows.map(({ windowMs, slackMs }) => windowMs + 2 * slackMs + MARGIN_MS));
	}

	/**
	 * Reserves the earliest start at or after `now` that keeps every window within its limit. The
	 * caller waits until `at`, sends, and calls `answered` when the answer is back. Starts are handed
	 * out in call order (first come, first served), so a later caller never overtakes one already waiting.
	 */
	reserve(now: number): Reservation {
		const count = this.starts.length;
		let at = Math.max(now, this.pausedUntil, count > 0 ? this.starts[count - 1].at : Number.NEGATIVE_INFINITY);
		for (const { limit, windowMs, slackMs } of this.windows) {
			if (count < limit) continue;
			// Every start at or before the limit-th latest must have arrived a window ago. Those that
			// left more than `slackMs` before it are known to have arrived before it could have.
			const governing = count - limit;
			const from = this.starts[governing].at - slackMs;
			for (let i = governing; i >= 0 && this.starts[i].at >= from; i--) {
				at = Math.max(at, this.starts[i].latestArrival(slackMs) + windowMs + MARGIN_MS);
			}
		}
		const start = new Start(at);
		this.starts.push(start);
		this.forgetBefore(at - this.memoryMs);
		return start;
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
		while (drop < this.starts.length && this.starts[drop].at <= cutoff) drop++;
		if (drop > 0) this.starts = this.starts.slice(drop);
	}
}

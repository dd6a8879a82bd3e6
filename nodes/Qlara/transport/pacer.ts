// Spaces requests so that no window of the API's rate limits (requests per second, per minute)
// holds more than it allows, and holds everything back while the service asks for a pause (429).
// Pure bookkeeping: the caller passes the time and does the waiting, so tests need no clock.
//
// The service counts a request when it arrives, the pacer when it leaves. A request arrives at the
// latest when its answer is back, so once the answer is in, its time bounds the arrival exactly,
// however the request was held up on the way (n8n busy, a new connection and TLS handshake per
// request, a slow network). Until then the pacer assumes it arrives within `slackMs` of its start.
//   With `latestArrival(i)` that bound for request i, request k may start once every request at
// least `limit` places before it arrived a window ago: then any window holding k's arrival and
// `limit` others would need one of those earlier requests inside it, and none of them is. With
// fewer requests in flight than `limit` (the node's defaults: 10 and 50), those are answered.

/** At most `limit` request arrivals in any `windowMs`. */
export interface RateWindow {
	limit: number;
	windowMs: number;
	/** How much later than it left a request may arrive, as long as its answer is not back. */
	slackMs: number;
	/**
	 * How much longer than the service a recorded request of someone else holds its place here: when
	 * the window moves past it, its sender, which counts on the place as this pacer counts on its
	 * own, may take it first. Two processes that each take every place the window frees collide.
	 */
	recordedHoldMs?: number;
}

/**
 * A reserved start. `answered` records when the request's answer (or its failure) came back.
 * `fits` tells whether starting now still keeps every window within its limit: requests before it
 * may have been answered later than the pacer assumed when it reserved (n8n busy, a burst of new
 * connections), and a 429 may have paused everything. `cancel` gives back a start that never left,
 * or that the service did not count (it answered 429).
 */
export interface Reservation {
	readonly at: number;
	answered(now: number): void;
	fits(now: number): boolean;
	cancel(): void;
}

/** One ms past the window's end: a window counts arrivals at both of its ends. */
const MARGIN_MS = 1;

class Start {
	answeredAt?: number;

	/** `recorded`: someone else's request, learnt from the service, not one of this pacer's own. */
	constructor(
		readonly at: number,
		readonly recorded = false,
	) {}

	answered(now: number): void {
		this.answeredAt ??= Math.max(this.at, now);
	}

	/** The latest this request can have arrived. */
	latestArrival(slackMs: number): number {
		return this.answeredAt ?? this.at + slackMs;
	}

	/** Until when it holds its place in `window` (the window's own length not counted). */
	heldUntil({ slackMs, recordedHoldMs = 0 }: Pick<RateWindow, 'slackMs' | 'recordedHoldMs'>): number {
		return this.latestArrival(slackMs) + (this.recorded ? recordedHoldMs : 0);
	}
}

export class Pacer {
	/** Reserved starts, in start order, kept while they may still count in a window. */
	private starts: Start[] = [];

	private pausedUntil = Number.NEGATIVE_INFINITY;

	private windows: RateWindow[] = [];

	/** The longest of every window's length, slack and hold: how long a start may count anywhere. */
	private longest = { windowMs: 0, slackMs: 0, recordedHoldMs: 0 };

	constructor(windows: RateWindow[]) {
		this.setWindows(windows);
	}

	/** Changes the limits (e.g. once the service tells its own); starts already reserved keep counting. */
	setWindows(windows: RateWindow[]): void {
		// A window without a positive, finite limit does not limit anything.
		this.windows = windows
			.filter(({ limit, windowMs }) => Number.isFinite(limit) && limit >= 1 && Number.isFinite(windowMs) && windowMs > 0)
			.map((window) => ({ ...window, slackMs: Number.isFinite(window.slackMs) ? Math.max(0, window.slackMs) : 0 }));
		this.longest = {
			windowMs: Math.max(0, ...this.windows.map(({ windowMs }) => windowMs)),
			slackMs: Math.max(0, ...this.windows.map(({ slackMs }) => slackMs)),
			recordedHoldMs: Math.max(0, ...this.windows.map(({ recordedHoldMs = 0 }) => recordedHoldMs)),
		};
	}

	/**
	 * Reserves the earliest start at or after `now` that keeps every window within its limit. The
	 * caller waits until `at`, sends, and calls `answered` when the answer is back. Starts are handed
	 * out in call order (first come, first served), so a later caller never overtakes one already waiting.
	 */
	reserve(now: number): Reservation {
		return this.reserveAt(this.earliest(now), now);
	}

	/** Reserves a start at `at`, which the caller found at `now` with `earliest` (of this pacer and others). */
	reserveAt(at: number, now: number): Reservation {
		const start = new Start(at);
		this.starts.push(start);
		this.forget(now);
		return {
			at,
			answered: (answeredAt) => start.answered(answeredAt),
			fits: (when) => this.fits(start, when),
			cancel: () => this.cancel(start),
		};
	}

	/**
	 * Records `count` requests that someone else sent with the same key and that the service counted
	 * in (from, to] (learnt from its X-RateLimit-Remaining), spread evenly over that time: they fill
	 * windows as this pacer's own do.
	 */
	recordArrivals(count: number, from: number, to: number): void {
		if (!(count >= 1)) return;
		const whole = Math.floor(count);
		const step = (to - from) / whole;
		const arrived = Array.from({ length: whole }, (_, i) => {
			const start = new Start(Math.round(to - step * (whole - 1 - i)), true);
			start.answered(start.at);
			return start;
		});
		let index = this.starts.length;
		while (index > 0 && this.starts[index - 1].at > arrived[0].at) index--;
		this.starts.splice(index, 0, ...arrived);
		// Kept in time order with the starts already there, which the window check counts on: those
		// after the inserted ones are in order, so the first of them tells whether any is earlier.
		const next = this.starts[index + whole];
		if (next !== undefined && next.at < to) this.starts.sort((a, b) => a.at - b.at);
	}

	/**
	 * How many requests counted by this pacer (own and recorded) may have arrived in (at - windowMs,
	 * at]; recorded ones counted `recordedExtraMs` longer.
	 */
	countedIn(windowMs: number, at: number, recordedExtraMs = 0): number {
		let count = 0;
		for (const start of this.starts) {
			if (start.at <= at && start.latestArrival(0) + (start.recorded ? recordedExtraMs : 0) > at - windowMs) count++;
		}
		return count;
	}

	/** The earliest start at or after `now` that keeps every window within its limit; reserves nothing. */
	earliest(now: number): number {
		const count = this.starts.length;
		const last = count > 0 ? this.starts[count - 1].at : Number.NEGATIVE_INFINITY;
		return Math.max(now, this.pausedUntil, last, this.windowsAllow(count));
	}

	/**
	 * The earliest a start at position `index` of the list keeps every window within its limit:
	 * every start at least `limit` places before it must have arrived a window ago.
	 */
	private windowsAllow(index: number): number {
		let at = Number.NEGATIVE_INFINITY;
		for (const window of this.windows) {
			for (let i = index - window.limit; i >= 0; i--) {
				at = Math.max(at, this.starts[i].heldUntil(window) + window.windowMs + MARGIN_MS);
			}
		}
		return at;
	}

	/** Whether `start` may leave at `at`: no pause runs, and the windows allow it with what is known now. */
	private fits(start: Start, at: number): boolean {
		return at >= this.pausedUntil && this.windowsAllow(this.starts.indexOf(start)) <= at;
	}

	/** Takes back a start that never left: it counts in no window. */
	private cancel(start: Start): void {
		const index = this.starts.indexOf(start);
		if (index >= 0) this.starts.splice(index, 1);
	}

	/** Holds back every start until `until` (e.g. the end of a 429's Retry-After). */
	pauseUntil(until: number): void {
		if (until > this.pausedUntil) this.pausedUntil = until;
	}

	/**
	 * Drops the oldest starts that can no longer count in a window at `now` or later. Not at a
	 * reserved start's time, which may lie a minute ahead: until then `countedIn` still counts them.
	 */
	private forget(now: number): void {
		let drop = 0;
		while (
			drop < this.starts.length &&
			this.starts[drop].heldUntil(this.longest) + this.longest.windowMs + MARGIN_MS <= now
		) {
			drop++;
		}
		if (drop > 0) this.starts = this.starts.slice(drop);
	}
}

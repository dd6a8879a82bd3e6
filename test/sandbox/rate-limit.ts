// Per-key request limits as the guide documents them: a per-minute budget with a per-second
// burst cap, both sliding windows, answered with 429 and the X-RateLimit-* headers.
import { ApiError } from './http';
import type { RateLimit } from './options';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export class RateLimiter {
	/** When each counted request arrived, oldest first, within the last minute. */
	private arrivals: number[] = [];

	constructor(
		private limits: RateLimit | false,
		private readonly now: () => number,
	) {}

	configure(limits: RateLimit | false): void {
		this.limits = limits;
		this.arrivals = [];
	}

	reset(): void {
		this.arrivals = [];
	}

	/**
	 * Counts one request, or throws the documented 429 when it is over a limit. A refused
	 * request is not counted: it was not processed, so resending it later is safe.
	 */
	take(): Record<string, string> {
		if (!this.limits) return {};
		const now = this.now();
		this.prune(now);
		const retryAfter = this.retryAfterSeconds(now, this.limits);
		if (retryAfter > 0) {
			throw new ApiError(
				429,
				`Rate limit exceeded. Please retry after ${retryAfter} seconds.`,
				{ retryAfter },
				{ 'Retry-After': String(retryAfter), ...this.headers(this.limits, 0) },
			);
		}
		this.arrivals.push(now);
		return this.headers(this.limits, this.limits.perMinute - this.arrivals.length);
	}

	/** The headers for an answer that did not count against the limit (401, injected faults). */
	peek(): Record<string, string> {
		if (!this.limits) return {};
		this.prune(this.now());
		return this.headers(this.limits, Math.max(0, this.limits.perMinute - this.arrivals.length));
	}

	private retryAfterSeconds(now: number, limits: RateLimit): number {
		let waitMs = 0;
		if (this.arrivals.length >= limits.perMinute) {
			waitMs = this.arrivals[this.arrivals.length - limits.perMinute] + MINUTE - now;
		}
		const lastSecond = this.arrivals.filter((at) => at > now - SECOND);
		if (lastSecond.length >= limits.perSecond) {
			waitMs = Math.max(waitMs, lastSecond[lastSecond.length - limits.perSecond] + SECOND - now);
		}
		return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / SECOND)) : 0;
	}

	private prune(now: number): void {
		const cutoff = now - MINUTE;
		let drop = 0;
		while (drop < this.arrivals.length && this.arrivals[drop] <= cutoff) drop++;
		if (drop > 0) this.arrivals = this.arrivals.slice(drop);
	}

	private headers(limits: RateLimit, remaining: number): Record<string, string> {
		return { 'X-RateLimit-Limit': String(limits.perMinute), 'X-RateLimit-Remaining': String(remaining) };
	}
}

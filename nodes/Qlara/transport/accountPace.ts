// The pace of one API key, shared by everything this n8n process sends with it.
//
// Store `accountPaces`: per process (so per queue-mode worker, per webhook processor), one entry
// per Qlara account (base URL + key, as a hash), at most MAX_ACCOUNTS, each dropped once unused for
// IDLE_MS. It holds rate bookkeeping only: request times, the limits learnt from the service, the
// end of a pause a 429 asked for. No key, no message content.
//
// Qlara counts every request made with a key — every execution, every worker, every other
// application (Qlara's WhatsApp guide: 1,000 requests a minute with bursts of 50 a second on a
// production key). In one process, one pacer per key keeps concurrent executions from colliding.
// Across processes, which share no memory, the service's own view decides:
// - each answer's X-RateLimit-Remaining reveals requests this process did not send; they are
//   counted as if sent here, against the minute, not the current second, spread over the time they
//   can have come in, so that at the minute's turn their places free up when the service's do (and
//   are left to their sender for a second first, see RECORDED_HOLD_MS);
// - a 429 was not counted by the service, so it holds no place here either;
// - a 429 in a crowded second halves this process's burst, which grows back step by step while
//   others still show and at once when none has for two seconds;
// - every 429 pauses the process until the Retry-After plus a random spread, so processes do not
//   all come back at the same moment.
// A start is reserved only within a second of its time (reserveSoon), so that requests waiting
// while the burst is small use it once it has grown back.
import { Pacer, type RateWindow, type Reservation } from './pacer';

/** Qlara's documented production limits, used until the service says otherwise. */
export const SERVICE_PER_MINUTE = 1000;
export const SERVICE_PER_SECOND = 50;

/** Requests counted for a while after they left, until their answer bounds their arrival (see pacer.ts). */
const SECOND_SLACK_MS = 100;
const MINUTE_SLACK_MS = 1000;

/**
 * How much longer than the service this process counts its own requests when comparing with
 * X-RateLimit-Remaining: the service counted when it answered, this process reads the answer a
 * little later, and at the minute's edge its oldest requests may have left the service's window
 * but not yet its own. Without the margin, those few would be taken for someone else's.
 */
const REMAINING_SKEW_MS = 250;

/** After a 429, how long without another before the burst grows again by one step. */
const BURST_RECOVERY_MS = 500;

/** Each step adds this share of the burst (at least one request a second). */
const BURST_GROWTH = 1 / 8;

/**
 * After this long without an answer that reveals requests of others, this process takes itself to
 * be alone on the key: its burst grows back to the whole ceiling at once.
 */
const ALONE_AFTER_MS = 2000;

/**
 * A 429 whose Retry-After is no longer than this met the per-second burst (another process sent in
 * the same second): the burst is halved. A longer one met the minute's budget, which a smaller
 * burst would not have spared: the process only waits.
 */
const BURST_COLLISION_MAX_RETRY_MS = 1000;

/**
 * Requests of others that X-RateLimit-Remaining reveals are recorded as arrived no later than this
 * long before the answer, so that they fill the minute's budget but not the current second (whose
 * collisions a 429 shows); from when on, see `othersBusySince`.
 */
const FOREIGN_ARRIVAL_AGE_MS = 1001;

/**
 * When the minute's window moves past another process's requests, the places they free are left to
 * that process for this long (see RateWindow.recordedHoldMs): at the minute's turn each process
 * takes back its own places first, and the other's only if the service still shows them free.
 */
const RECORDED_HOLD_MS = 1000;

/**
 * The random spread added to a 429's pause: up to a quarter of the Retry-After, at least 100 ms and
 * at most a second. A collision in a crowded second (Retry-After 1 s) is spread over 250 ms: enough
 * for processes to come back apart, with their halved bursts, without leaving the key idle.
 */
const RATE_LIMIT_SPREAD_SHARE = 1 / 4;
const RATE_LIMIT_SPREAD_MS = 1000;

const MAX_ACCOUNTS = 100;
const IDLE_MS = 10 * 60_000;

/** What an answer's X-RateLimit-* headers said. */
export interface RateLimitHeaders {
	limit?: number;
	remaining?: number;
}

export class AccountPace {
	readonly pacer: Pacer;

	private perMinute = SERVICE_PER_MINUTE;

	/** The most this process sends in a second; lowered by 429s, grown back slowly. */
	private perSecond = SERVICE_PER_SECOND;

	private lastRateLimitedAt = Number.NEGATIVE_INFINITY;

	private lastGrowthAt = Number.NEGATIVE_INFINITY;

	/** When an answer that went through last came back. */
	private lastObservedAt = Number.NEGATIVE_INFINITY;

	/** When this process met its first 429. */
	private firstRateLimitedAt?: number;

	/** When an answer's X-RateLimit-Remaining last revealed requests of others. */
	private othersSeenAt = Number.NEGATIVE_INFINITY;

	lastUsed = 0;

	constructor(private readonly random: () => number = Math.random) {
		this.pacer = new Pacer(this.windows());
	}

	private windows(): RateWindow[] {
		return [
			{ limit: this.perSecond, windowMs: 1000, slackMs: SECOND_SLACK_MS },
			{ limit: this.perMinute, windowMs: 60_000, slackMs: MINUTE_SLACK_MS, recordedHoldMs: RECORDED_HOLD_MS },
		];
	}

	/**
	 * The most a second may hold for this key. Qlara documents two: a production key's 50 (of 1,000 a
	 * minute), a trial key's 10 (of 100), so a tenth of a smaller budget, at most 50; a budget above
	 * production's bursts in production's proportion (a twentieth), as documented for none.
	 */
	private get burstCeiling(): number {
		if (this.perMinute > SERVICE_PER_MINUTE) return Math.ceil((this.perMinute * SERVICE_PER_SECOND) / SERVICE_PER_MINUTE);
		return Math.min(SERVICE_PER_SECOND, Math.max(1, Math.ceil(this.perMinute / 10)));
	}

	/** The burst this process allows itself now (for tests and logs). */
	get burst(): number {
		return this.perSecond;
	}

	/** The per-minute budget this process paces to: the service's limit once it said one. */
	get minuteLimit(): number {
		return this.perMinute;
	}

	/**
	 * Learns from an answer's headers, read at `now`: what the service counted when it answered
	 * includes this process's requests that left by then, and others'.
	 */
	observe(headers: RateLimitHeaders, now: number): void {
		const { limit, remaining } = headers;
		if (limit !== undefined && limit >= 1 && limit !== this.perMinute) {
			this.perMinute = limit;
			this.setBurst(Math.min(this.perSecond, this.burstCeiling));
		}
		if (remaining !== undefined && remaining >= 0) {
			const countedByService = this.perMinute - remaining;
			// Others' requests recorded here were dated up to FOREIGN_ARRIVAL_AGE_MS before they came
			// in: at the minute's turn they leave this count before the service's, and would be taken
			// for new ones (and counted twice) if they did not count that much longer.
			const countedHere = this.pacer.countedIn(60_000 + REMAINING_SKEW_MS, now, FOREIGN_ARRIVAL_AGE_MS);
			const others = Math.floor(countedByService - countedHere);
			if (others >= 1) {
				this.othersSeenAt = now;
				const at = now - FOREIGN_ARRIVAL_AGE_MS;
				this.pacer.recordArrivals(others, Math.min(at, this.othersBusySince(now)), at);
			}
		}
		this.lastObservedAt = now;
		if (now - this.lastRateLimitedAt >= BURST_RECOVERY_MS && now - this.lastGrowthAt >= BURST_RECOVERY_MS) {
			this.lastGrowthAt = now;
			if (this.perSecond < this.burstCeiling) {
				// Alone on the key again (no one else's requests seen lately): the whole burst at once.
				const alone = now - this.othersSeenAt >= ALONE_AFTER_MS;
				const step = Math.max(1, Math.floor(this.perSecond * BURST_GROWTH));
				this.setBurst(alone ? this.burstCeiling : Math.min(this.burstCeiling, this.perSecond + step));
			}
		}
	}

	/** Sets the burst and the pacer's windows (the minute's too, which may have changed with it). */
	private setBurst(perSecond: number): void {
		this.perSecond = perSecond;
		this.pacer.setWindows(this.windows());
	}

	/**
	 * Since when the requests of others an answer reveals may have arrived, as far as this process
	 * can tell: since the answer before (whose Remaining counted the earlier ones), if it came within
	 * the minute. In a first answer after 429s, since a second before the first 429: the key was busy
	 * from then on. Else some time in the minute: no earlier than just over a second ago, so that
	 * at the minute's turn they free their places no earlier than the service does.
	 */
	private othersBusySince(now: number): number {
		if (now - this.lastObservedAt <= 60_000) return this.lastObservedAt;
		return this.firstRateLimitedAt !== undefined ? this.firstRateLimitedAt - 1000 : Number.POSITIVE_INFINITY;
	}

	/**
	 * A 429: someone else uses the key too (or the limits are lower than assumed). A short
	 * Retry-After (a burst collision) halves the burst; every 429 holds every request of this process
	 * back until the Retry-After has passed, plus a random spread. Returns when this process may
	 * send again.
	 */
	rateLimited(retryAfterMs: number, now: number): number {
		if (retryAfterMs <= BURST_COLLISION_MAX_RETRY_MS && now - this.lastRateLimitedAt >= 1000) {
			this.setBurst(Math.max(1, Math.floor(this.perSecond / 2)));
		}
		this.lastRateLimitedAt = now;
		this.firstRateLimitedAt ??= now;
		const spread = Math.min(RATE_LIMIT_SPREAD_MS, Math.max(100, retryAfterMs * RATE_LIMIT_SPREAD_SHARE));
		const until = now + retryAfterMs + Math.round(this.random() * spread);
		this.pacer.pauseUntil(until);
		return until;
	}
}

/** The earliest start at or after `now` that every pacer allows (the run's own caps and the key's pace). */
function earliestInAll(pacers: Pacer[], now: number): number {
	let at = now;
	for (let settled = false; !settled; ) {
		settled = true;
		for (const pacer of pacers) {
			const earliest = pacer.earliest(at);
			if (earliest > at) {
				at = earliest;
				settled = false;
			}
		}
	}
	return at;
}

function reserveAtInAll(pacers: Pacer[], at: number, now: number): Reservation {
	const reservations = pacers.map((pacer) => pacer.reserveAt(at, now));
	return {
		at,
		answered: (answeredAt) => reservations.forEach((reservation) => reservation.answered(answeredAt)),
		fits: (when) => reservations.every((reservation) => reservation.fits(when)),
		cancel: () => reservations.forEach((reservation) => reservation.cancel()),
	};
}

/** A start reserved in several pacers at once, however far ahead. */
export function reserveInAll(pacers: Pacer[], now: number): Reservation {
	return reserveAtInAll(pacers, earliestInAll(pacers, now), now);
}

/**
 * How far ahead a start is reserved. The limits a reservation was made under change meanwhile (the
 * burst grows back after a 429, another process stops sending), and a start reserved under the old
 * ones keeps its late time: 50 requests waiting under a burst of 1 would be spread over 50 s.
 */
export const RESERVE_AHEAD_MS = 1000;

/**
 * A start reserved in several pacers at once, if it comes within RESERVE_AHEAD_MS; else when to ask
 * again (just before the earliest start as things stand).
 */
export function reserveSoon(pacers: Pacer[], now: number): Reservation | { askAgainAt: number } {
	const at = earliestInAll(pacers, now);
	return at - now > RESERVE_AHEAD_MS ? { askAgainAt: at - RESERVE_AHEAD_MS } : reserveAtInAll(pacers, at, now);
}

/** The store: one pace per account, in this process. */
const accountPaces = new Map<string, AccountPace>();

/** The pace of this account in this process, made on first use. */
export function accountPace(account: string, now: number): AccountPace {
	let pace = accountPaces.get(account);
	if (pace === undefined) {
		for (const [key, other] of accountPaces) {
			if (now - other.lastUsed > IDLE_MS || accountPaces.size >= MAX_ACCOUNTS) accountPaces.delete(key);
		}
		pace = new AccountPace();
		accountPaces.set(account, pace);
	}
	pace.lastUsed = now;
	return pace;
}

/** Empties the store (tests that start over). */
export function resetAccountPaces(): void {
	accountPaces.clear();
}

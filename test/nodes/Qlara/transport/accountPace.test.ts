// The key's pace in one process, and how processes that share a key converge without shared
// memory: seeded simulations with their own clock, against a model of Qlara's sliding windows.
import {
	AccountPace,
	accountPace,
	RESERVE_AHEAD_MS,
	reserveInAll,
	reserveSoon,
	resetAccountPaces,
} from '../../../../nodes/Qlara/transport/accountPace';
import { Pacer } from '../../../../nodes/Qlara/transport/pacer';
import { DEFAULT_REQUEST_SETTINGS, rateWindows } from '../../../../nodes/Qlara/transport/requestSettings';
import { mulberry32 } from '../../../sandbox/faults';

/** The most times found in any window of `windowMs`, (t - windowMs, t] as the sandbox counts. */
function busiestWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let end = 0, start = 0; end < sorted.length; end++) {
		while (sorted[start] <= sorted[end] - windowMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

beforeEach(() => resetAccountPaces());

describe('one pace per API key in a process', () => {
	it('gives every execution on the same account the same pace, and another account its own', () => {
		expect(accountPace('account-a', 0)).toBe(accountPace('account-a', 10));
		expect(accountPace('account-b', 0)).not.toBe(accountPace('account-a', 0));
	});

	it('keeps two executions started together within the key limits together, not each', () => {
		const shared = accountPace('account-a', 0).pacer;
		const runs = [new Pacer(rateWindows(DEFAULT_REQUEST_SETTINGS)), new Pacer(rateWindows(DEFAULT_REQUEST_SETTINGS))];
		const starts: number[] = [];
		// The two runs ask in turn, as their items interleave.
		for (let i = 0; i < 600; i++) {
			const reservation = reserveInAll([runs[i % 2], shared], 0);
			reservation.answered(reservation.at + 20);
			starts.push(reservation.at);
		}
		expect(busiestWindow(starts, 1000)).toBeLessThanOrEqual(50);
		expect(busiestWindow(starts, 60_000)).toBeLessThanOrEqual(1000);
		// Alone, each run would have let 50 go in the first second: 100 together.
		expect(starts.filter((at) => at < 1000)).toHaveLength(50);
	});

	it("still caps a run's own share with its Request Options", () => {
		const shared = accountPace('account-a', 0).pacer;
		const slow = new Pacer(rateWindows({ ...DEFAULT_REQUEST_SETTINGS, maxRequestsPerSecond: 5 }));
		const starts = Array.from({ length: 10 }, () => reserveInAll([slow, shared], 0).at);
		expect(starts.filter((at) => at < 1000)).toHaveLength(5);
	});

	it('reserves a start only when it comes within a second, so that waiting requests use a burst that grew back meanwhile', () => {
		const pace = new AccountPace(() => 0);
		// Five collisions, a second apart: the burst is down to one a second.
		for (let at = 0; at <= 4000; at += 1000) pace.rateLimited(1000, at);
		expect(pace.burst).toBe(1);
		const now = 6000;
		const slots = Array.from({ length: 20 }, () => reserveSoon([pace.pacer], now));
		const reserved = slots.filter((slot) => !('askAgainAt' in slot)) as Array<{ at: number }>;
		// Under a burst of one, 20 reservations would reach 19 s ahead; only those within a second are made.
		expect(reserved.length).toBeLessThanOrEqual(2);
		reserved.forEach(({ at }) => expect(at - now).toBeLessThanOrEqual(RESERVE_AHEAD_MS));
		slots.filter((slot) => 'askAgainAt' in slot).forEach((slot) => expect((slot as { askAgainAt: number }).askAgainAt).toBeLessThanOrEqual(now + 1000));
		// Others stopped: the burst is back, and the requests that asked again go within the second.
		pace.observe({}, 8000);
		expect(pace.burst).toBe(50);
		const again = Array.from({ length: 18 }, () => reserveSoon([pace.pacer], 8000));
		again.forEach((slot) => expect('askAgainAt' in slot ? Number.POSITIVE_INFINITY : slot.at).toBeLessThan(9001));
	});

		it('does not hold back an account for the requests of another', () => {
		const a = accountPace('account-a', 0).pacer;
		const b = accountPace('account-b', 0).pacer;
		for (let i = 0; i < 50; i++) a.reserve(0);
		expect(a.reserve(0).at).toBeGreaterThan(1000);
		expect(b.reserve(0).at).toBe(0);
	});
});

describe("pacing by the service's own view of the budget", () => {
	it('counts the requests X-RateLimit-Remaining reveals that this process did not send', () => {
		const pace = new AccountPace(() => 0.5);
		const starts: number[] = [];
		for (let i = 0; i < 100; i++) {
			const reservation = pace.pacer.reserve(0);
			reservation.answered(reservation.at + 20);
			starts.push(reservation.at);
		}
		// The service says 500 are left: 400 came from elsewhere (another worker on the key).
		pace.observe({ limit: 1000, remaining: 500 }, 2500);
		const next = Array.from({ length: 600 }, () => pace.pacer.reserve(2500).at);
		expect(next[499]).toBeLessThan(60_000);
		// The 501st would make 1,001 in the minute: it waits for the window to move on.
		expect(next[500]).toBeGreaterThanOrEqual(60_000);
	});

	it('counts those requests against the minute, not against the current second', () => {
		const pace = new AccountPace(() => 0.5);
		// The service says 300 are gone, none of them this process's: another worker's, some time in the minute.
		pace.observe({ limit: 1000, remaining: 700 }, 5000);
		const next = Array.from({ length: 701 }, () => pace.pacer.reserve(5000).at);
		// This second is still free for a whole burst...
		expect(next.filter((at) => at < 6000)).toHaveLength(50);
		// ...and the minute holds 700 more, not 1,000.
		expect(next[699]).toBeLessThan(60_000);
		expect(next[700]).toBeGreaterThan(60_000);
	});

	it('places the requests of others seen first after 429s over the time since just before the first 429, not all at the end', () => {
		const pace = new AccountPace(() => 0.5);
		pace.rateLimited(1000, 300);
		// The first answer that went through, at 12 s: the minute is spent, by another worker, while this one met 429s.
		pace.observe({ limit: 1000, remaining: 0 }, 12_000);
		const inFirstSeconds = pace.pacer.countedIn(5000, 4300);
		expect(inFirstSeconds).toBeGreaterThan(350);
		expect(inFirstSeconds).toBeLessThan(500);
		// So the minute's budget frees up from about 60 s on, as the service's does, not from 71 s.
		const next = pace.pacer.reserve(30_000).at;
		expect(next).toBeGreaterThan(59_000);
		expect(next).toBeLessThan(61_000);
	});

	it("at the minute's turn takes its own places back at once, and another process's a second after they free up", () => {
		const pace = new AccountPace(() => 0.5);
		for (let i = 0; i < 10; i++) pace.pacer.reserve(0).answered(20);
		// The first answer: the minute is spent, 990 of it by another worker.
		pace.observe({ limit: 1000, remaining: 0 }, 1500);
		const next = Array.from({ length: 11 }, () => pace.pacer.reserve(30_000).at);
		// This process's own ten places free up when the service's window moves past them...
		next.slice(0, 10).forEach((at) => expect(at).toBe(60_021));
		// ...the other's (recorded at 499 ms) a second later than the service frees them, for it to take first.
		expect(next[10]).toBe(499 + 60_000 + 1000 + 1);
	});

	it("at the minute's turn does not take another process's requests, recorded up to a second early, for new ones", () => {
		const pace = new AccountPace(() => 0.5);
		for (let i = 0; i < 10; i++) pace.pacer.reserve(0).answered(20);
		// The first answer: 11 counted, one of them another worker's, sent at 1,480 ms, recorded here at 499 ms.
		pace.observe({ limit: 1000, remaining: 989 }, 1500);
		pace.pacer.reserve(60_550).answered(60_570);
		// At 61,000 the service still counts the other's request (until 61,480); the record of it here
		// has left the minute. It is the same request, not a new one to count again.
		pace.observe({ limit: 1000, remaining: 998 }, 61_000);
		expect(pace.pacer.countedIn(60_000, 61_000)).toBe(1);
	});

		it('halves its burst for a 429 of a crowded second, not for one of a spent minute', () => {
		const minute = new AccountPace(() => 0.5);
		const until = minute.rateLimited(12_000, 0);
		expect(minute.burst).toBe(50);
		expect(until).toBeGreaterThanOrEqual(12_000);
		expect(minute.pacer.reserve(0).at).toBe(until);
		const second = new AccountPace(() => 0.5);
		second.rateLimited(1000, 0);
		expect(second.burst).toBe(25);
	});

	it("takes the key's own limit from X-RateLimit-Limit, with a burst to match (a trial key)", () => {
		const pace = new AccountPace();
		pace.observe({ limit: 100, remaining: 99 }, 10);
		expect(pace.minuteLimit).toBe(100);
		expect(pace.burst).toBe(10);
	});

	it("gives a key with a budget above production's a burst in production's proportion", () => {
		const pace = new AccountPace();
		pace.pacer.reserve(0).answered(5);
		// This process's one request, the key's only one: no one else on it, so the whole burst at once.
		pace.observe({ limit: 6000, remaining: 5999 }, 10);
		expect(pace.minuteLimit).toBe(6000);
		expect(pace.burst).toBe(300);
		const starts = Array.from({ length: 301 }, () => pace.pacer.reserve(10).at);
		expect(starts.filter((at) => at < 1005)).toHaveLength(299);
	});

	it('after a 429 halves its burst and pauses until Retry-After plus a seeded spread, then grows back by an eighth every 500 ms while others send, and at once when they stop', () => {
		const first = new AccountPace(mulberry32(1));
		const second = new AccountPace(mulberry32(2));
		const pausedUntil = [first.rateLimited(1000, 0), second.rateLimited(1000, 0)];
		expect(first.burst).toBe(25);
		pausedUntil.forEach((until) => expect(until).toBeGreaterThanOrEqual(1000));
		pausedUntil.forEach((until) => expect(until).toBeLessThanOrEqual(2000));
		// Two processes told the same Retry-After do not come back at the same moment.
		expect(pausedUntil[0]).not.toBe(pausedUntil[1]);
		expect(first.pacer.reserve(0).at).toBe(pausedUntil[0]);
		// The service counted 100 requests this process did not send: someone else still uses the key.
		first.observe({ limit: 1000, remaining: 900 }, 2600);
		expect(first.burst).toBe(28);
		first.observe({}, 2800);
		expect(first.burst).toBe(28);
		first.observe({}, 3100);
		expect(first.burst).toBe(31);
		// Two seconds without an answer that shows others: alone on the key, the whole burst again.
		first.observe({}, 4500);
		expect(first.burst).toBe(34);
		first.observe({}, 4600);
		first.observe({}, 5100);
		expect(first.burst).toBe(50);
	});
});

/** A model of Qlara's limits: sliding windows of arrivals, a 429 not counted. */
class ServiceModel {
	readonly arrivals: number[] = [];

	rateLimited = 0;

	constructor(
		private readonly perSecond: number,
		private readonly perMinute: number,
	) {}

	arrive(at: number): { ok: true; remaining: number } | { ok: false; retryAfterMs: number } {
		const inMinute = this.arrivals.filter((t) => t > at - 60_000);
		const inSecond = inMinute.filter((t) => t > at - 1000);
		let waitMs = 0;
		if (inMinute.length >= this.perMinute) waitMs = inMinute[inMinute.length - this.perMinute] + 60_000 - at;
		if (inSecond.length >= this.perSecond) waitMs = Math.max(waitMs, inSecond[inSecond.length - this.perSecond] + 1000 - at);
		if (waitMs > 0) {
			this.rateLimited++;
			return { ok: false, retryAfterMs: Math.max(1, Math.ceil(waitMs / 1000)) * 1000 };
		}
		this.arrivals.push(at);
		return { ok: true, remaining: this.perMinute - inMinute.length - 1 };
	}
}

/**
 * `processes` n8n processes on one key, each with its own pace and `concurrency` requests in flight,
 * send `perProcess` requests each, the n-th process from n × `startGapMs`; a request takes 5 ms
 * plus up to `maxTransitMs` to arrive, and 5–25 ms more to be answered.
 */
function simulate(processes: number, perProcess: number, concurrency: number, seed: number, maxTransitMs = 20, startGapMs = 0) {
	const random = mulberry32(seed);
	const service = new ServiceModel(50, 1000);
	const events: Array<{ at: number; run: () => void }> = [];
	const schedule = (at: number, run: () => void) => events.push({ at, run });
	let finishedAt = 0;
	let requests = 0;

	for (let p = 0; p < processes; p++) {
		const pace = new AccountPace(mulberry32(seed + p + 1));
		let left = perProcess;
		const send = (now: number): void => {
			// As ApiSession.startSlot does: a start far off is asked for again just before it.
			const slot = reserveSoon([pace.pacer], now);
			if ('askAgainAt' in slot) {
				const again = Math.max(slot.askAgainAt, now + 250);
				schedule(again, () => send(again));
				return;
			}
			const reservation = slot;
			schedule(reservation.at, () => {
				// A start that no longer fits is given back and asked again (as ApiSession.startSlot does).
				if (!reservation.fits(reservation.at)) {
					reservation.cancel();
					send(reservation.at);
					return;
				}
				requests++;
				const arrival = reservation.at + 5 + Math.floor(random() * maxTransitMs);
				const answer = service.arrive(arrival);
				const answeredAt = arrival + 5 + Math.floor(random() * 20);
				schedule(answeredAt, () => {
					// As qlaraApiRequest does: a 429, which the service did not count, holds no place.
					if (answer.ok) reservation.answered(answeredAt);
					else reservation.cancel();
					if (answer.ok) {
						pace.observe({ limit: 1000, remaining: answer.remaining }, answeredAt);
						finishedAt = Math.max(finishedAt, answeredAt);
						if (left > 0) {
							left--;
							send(answeredAt);
						}
					} else {
						pace.rateLimited(answer.retryAfterMs, answeredAt);
						send(answeredAt);
					}
				});
			});
		};
		for (let i = 0; i < concurrency && left > 0; i++) {
			left--;
			send(p * startGapMs);
		}
	}
	while (events.length > 0) {
		events.sort((a, b) => a.at - b.at);
		(events.shift() as { run: () => void }).run();
	}
	return { accepted: service.arrivals.length, rateLimited: service.rateLimited, requests, finishedAt };
}

describe('processes that share a key, without shared memory (seeded simulations)', () => {
	it('two workers sending 1,500 together meet few 429s and finish near the least time the limits allow', () => {
		const result = simulate(2, 750, 10, 20261201);
		expect(result.accepted).toBe(1500);
		expect(result.rateLimited / result.requests).toBeLessThanOrEqual(0.1);
		// 1,000 in the first minute, the other 500 as the first ones leave it: about 70 s at best.
		expect(result.finishedAt).toBeLessThan(1.25 * 70_000);
	});

	it.each([
		['4 × 300: 20 requests in flight in each worker', 20],
		['10 × 120: 50 requests in flight in each worker', 50],
	])('two workers sending 1,200 together (%s) finish within 1.10 × the least time the limits allow, whatever the seed', (_, concurrency) => {
		for (let seed = 1; seed <= 6; seed++) {
			const result = simulate(2, 600, concurrency, seed, 30, 300);
			expect(result.accepted).toBe(1200);
			expect(result.rateLimited / result.requests).toBeLessThanOrEqual(0.1);
			// 1,000 in the first 20 s, the other 200 from 60 s on: 63 s at best.
			expect(result.finishedAt).toBeLessThan(1.1 * 63_000);
		}
	});

	it('one process with 40 requests in flight, some held up on their way for up to 300 ms, meets no 429 and finishes in the least time', () => {
		// 1,200 requests: 1,000 in the first 19 s, the other 200 from 60 s on, at 50 a second.
		const result = simulate(1, 1200, 40, 11, 300);
		expect(result.accepted).toBe(1200);
		expect(result.rateLimited).toBe(0);
		expect(result.finishedAt).toBeLessThan(1.05 * 63_000);
	});

	it('one process with the whole load meets no 429 at all', () => {
		const result = simulate(1, 1500, 20, 7);
		expect(result.accepted).toBe(1500);
		expect(result.rateLimited).toBe(0);
	});
});

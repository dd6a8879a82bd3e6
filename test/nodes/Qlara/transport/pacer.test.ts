import { Pacer, type RateWindow } from '../../../../nodes/Qlara/transport/pacer';
import { mulberry32 } from '../../../sandbox/faults';

/** Reserves `count` starts, all asked for at `now`, and returns their times. */
function starts(pacer: Pacer, count: number, now = 0): number[] {
	return Array.from({ length: count }, () => pacer.reserve(now).at);
}

/** The most times found in any window of `windowMs`, (t - windowMs, t] as the sandbox counts. */
function busiestWindow(times: number[], windowMs: number): number {
	return Math.max(...times.map((t) => times.filter((u) => u > t - windowMs && u <= t).length));
}

const perSecond = (limit: number, slackMs = 0): RateWindow => ({ limit, windowMs: 1000, slackMs });

describe('pacing requests under the rate limits', () => {
	it('lets a burst up to the per-second limit go at once, then spaces the rest a window later', () => {
		const pacer = new Pacer([perSecond(3)]);
		// A window counts arrivals at both ends, so the next burst goes 1 ms after the window.
		expect(starts(pacer, 7)).toEqual([0, 0, 0, 1001, 1001, 1001, 2002]);
	});

	it('allows for late arrival while the answers are not back', () => {
		const pacer = new Pacer([perSecond(3, 100)]);
		expect(starts(pacer, 4)).toEqual([0, 0, 0, 1101]);
	});

	it('once an answer is back, counts from it instead of the slack', () => {
		const pacer = new Pacer([perSecond(2, 100)]);
		const first = pacer.reserve(0);
		const second = pacer.reserve(0);
		first.answered(20);
		second.answered(35);
		// The first arrived by 20 ms at the latest, the second by 35 ms.
		expect(pacer.reserve(40).at).toBe(1021);
		expect(pacer.reserve(40).at).toBe(1036);
	});

	it('counts a request until its answer even when that is slower than the slack: it may have left late', () => {
		const pacer = new Pacer([perSecond(1, 100)]);
		pacer.reserve(0).answered(700);
		expect(pacer.reserve(800).at).toBe(1701);
	});

	it('keeps a request that may still count, however long ago it started', () => {
		// A request answered only after 30 s (a timeout) may have arrived just before.
		const pacer = new Pacer([perSecond(2, 100), { limit: 1000, windowMs: 60_000, slackMs: 1000 }]);
		const slow = pacer.reserve(0);
		for (let second = 1; second <= 29; second++) pacer.reserve(second * 1000).answered(second * 1000 + 20);
		slow.answered(30_000);
		// 2 a second: the start after 30 s waits for the slow one's answer to leave the window.
		expect(pacer.reserve(30_500).at).toBe(31_001);
	});

	it('waits for an earlier request that may still be arriving, even when a later one is answered', () => {
		const pacer = new Pacer([perSecond(2, 100)]);
		const slow = pacer.reserve(0);
		const fast = pacer.reserve(0);
		fast.answered(10);
		slow.answered(80);
		expect(pacer.reserve(100).at).toBe(1081);
		// The 2nd before this one (`fast`) was answered by 10 ms, but `slow`, before it, only by 80 ms.
		expect(pacer.reserve(100).at).toBe(1081);
	});

	it('never puts more than the limit in any window, whenever requests ask', () => {
		const pacer = new Pacer([perSecond(5, 100)]);
		const asked = [0, 10, 10, 200, 950, 960, 1500, 1500, 1500, 1600, 2990, 3000, 3001];
		const given = asked.map((now) => pacer.reserve(now).at);
		expect(busiestWindow(given, 1000)).toBeLessThanOrEqual(5);
		given.forEach((start, i) => expect(start).toBeGreaterThanOrEqual(asked[i]));
	});

	it('keeps any window within the limit however late requests arrive, answers slow or fast', () => {
		// 10 requests out at a time, as the node sends; each arrives 0–400 ms after it left (more than
		// the slack: n8n was busy) and is answered 0–400 ms after that. The service counts arrivals.
		const random = mulberry32(20261122);
		const pacer = new Pacer([perSecond(50, 100), { limit: 400, windowMs: 10_000, slackMs: 1000 }]);
		const arrivals: number[] = [];
		const freeAt: number[] = Array.from({ length: 10 }, () => 0);
		for (let request = 0; request < 3000; request++) {
			freeAt.sort((a, b) => a - b);
			const reservation = pacer.reserve(freeAt[0]);
			const arrival = reservation.at + Math.floor(random() ** 3 * 400);
			const answer = arrival + Math.floor(random() ** 3 * 400);
			reservation.answered(answer);
			arrivals.push(arrival);
			freeAt[0] = answer;
		}
		arrivals.sort((a, b) => a - b);
		expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(50);
		expect(busiestWindow(arrivals, 10_000)).toBeLessThanOrEqual(400);
		// And it does not crawl: 3,000 under 400 per 10 s take at least 70 s; late arrivals cost some.
		expect(arrivals[arrivals.length - 1]).toBeLessThan(90_000);
	});

	it('does not delay requests that come slower than the limit', () => {
		const pacer = new Pacer([perSecond(2)]);
		expect([0, 600, 1200, 1800].map((now) => pacer.reserve(now).at)).toEqual([0, 600, 1200, 1800]);
	});

	it('keeps to the per-minute budget as well as the per-second burst', () => {
		// A production key: 50 a second, 1,000 a minute; answers back at once.
		const pacer = new Pacer([perSecond(50), { limit: 1000, windowMs: 60_000, slackMs: 0 }]);
		const given = starts(pacer, 2500);
		expect(busiestWindow(given, 1000)).toBe(50);
		expect(busiestWindow(given, 60_000)).toBe(1000);
		// The first thousand go in 19 s at 50/s; the next thousand wait for the minute to turn.
		expect(given[999]).toBe(19 * 1001);
		expect(given[1000]).toBe(60_001);
		expect(given[2499]).toBe(2 * 60_001 + 9 * 1001);
	});

	it('hands out starts first come, first served', () => {
		const pacer = new Pacer([{ limit: 1, windowMs: 100, slackMs: 0 }]);
		const given = [pacer.reserve(0), pacer.reserve(0), pacer.reserve(50), pacer.reserve(10)].map(({ at }) => at);
		expect(given).toEqual([0, 101, 202, 303]);
	});

	it('holds every start back while a 429 asked for a pause', () => {
		const pacer = new Pacer([perSecond(10)]);
		const before = pacer.reserve(0);
		expect(before.at).toBe(0);
		pacer.pauseUntil(5000);
		// A start reserved before the pause no longer fits until it ends.
		expect(before.fits(4999)).toBe(false);
		expect(before.fits(5000)).toBe(true);
		expect(pacer.reserve(100).at).toBe(5000);
		// A shorter pause asked later does not cut the longer one.
		pacer.pauseUntil(2000);
		expect(pacer.reserve(200).at).toBe(5000);
	});

	it('tells a start that no longer fits once earlier requests were answered later than assumed', () => {
		const pacer = new Pacer([{ limit: 2, windowMs: 1000, slackMs: 100 }]);
		const [first] = [pacer.reserve(0), pacer.reserve(0)];
		// Both unanswered: the third may go once the first has arrived a second ago, assumed by 100 ms.
		const third = pacer.reserve(0);
		expect(third.at).toBe(1101);
		expect(third.fits(1101)).toBe(true);
		// The first was held up on its way (n8n busy, a new connection): answered only at 500.
		first.answered(500);
		expect(third.fits(1101)).toBe(false);
		expect(third.fits(1501)).toBe(true);
		// Given back, it counts nowhere: two new starts take the slots the first one's answer allows.
		third.cancel();
		expect([pacer.reserve(0).at, pacer.reserve(0).at]).toEqual([1501, 1501]);
	});

	it('keeps counting the starts of the current minute while later starts are reserved a minute ahead', () => {
		const pacer = new Pacer([perSecond(50), { limit: 1000, windowMs: 60_000, slackMs: 1000 }]);
		const now = 19_500;
		for (let i = 0; i < 1000; i++) {
			const reservation = pacer.reserve(0);
			reservation.answered(reservation.at + 20);
		}
		// The minute is full: 40 requests wait for it to turn, their starts a minute ahead.
		const ahead = Array.from({ length: 40 }, () => pacer.reserve(now).at);
		expect(Math.min(...ahead)).toBeGreaterThan(60_000);
		// What the service counts now is still the whole thousand.
		expect(pacer.countedIn(60_000, now)).toBe(1000);
	});

	it('ignores windows without a usable limit', () => {
		const pacer = new Pacer([
			{ limit: 0, windowMs: 1000, slackMs: 0 },
			{ limit: Number.NaN, windowMs: 1000, slackMs: 0 },
		]);
		expect(starts(pacer, 100).every((start) => start === 0)).toBe(true);
	});

	it('forgets starts that have left the longest window', () => {
		const pacer = new Pacer([perSecond(2, 100)]);
		for (let second = 0; second < 10_000; second++) {
			const now = second * 2000;
			for (const reservation of [pacer.reserve(now), pacer.reserve(now)]) {
				expect(reservation.at).toBe(now);
				reservation.answered(now + 20);
			}
		}
		expect((pacer as unknown as { starts: unknown[] }).starts.length).toBeLessThanOrEqual(2);
	});
});

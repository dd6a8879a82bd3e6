import { Pacer } from '../../../../nodes/Qlara/transport/pacer';

/** Reserves `count` starts, all asked for at `now`, and returns them. */
function starts(pacer: Pacer, count: number, now = 0): number[] {
	return Array.from({ length: count }, () => pacer.reserve(now));
}

/** The most starts found in any window of `windowMs` (half-open, as a sliding-window counter sees it). */
function busiestWindow(times: number[], windowMs: number): number {
	return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));
}

describe('pacing requests under the rate limits', () => {
	it('lets a burst up to the per-second limit go at once, then spaces the rest a window later', () => {
		const pacer = new Pacer([{ limit: 3, windowMs: 1000 }]);
		expect(starts(pacer, 7)).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
	});

	it('never puts more than the limit in any window, whenever requests ask', () => {
		const pacer = new Pacer([{ limit: 5, windowMs: 1000 }]);
		const asked = [0, 10, 10, 200, 950, 960, 1500, 1500, 1500, 1600, 2990, 3000, 3001];
		const given = asked.map((now) => pacer.reserve(now));
		expect(busiestWindow(given, 1000)).toBeLessThanOrEqual(5);
		given.forEach((start, i) => expect(start).toBeGreaterThanOrEqual(asked[i]));
	});

	it('does not delay requests that come slower than the limit', () => {
		const pacer = new Pacer([{ limit: 2, windowMs: 1000 }]);
		expect([0, 600, 1200, 1800].map((now) => pacer.reserve(now))).toEqual([0, 600, 1200, 1800]);
	});

	it('keeps to the per-minute budget as well as the per-second burst', () => {
		// A production key: 50 a second, 1,000 a minute.
		const pacer = new Pacer([
			{ limit: 50, windowMs: 1000 },
			{ limit: 1000, windowMs: 60_000 },
		]);
		const given = starts(pacer, 2500);
		expect(busiestWindow(given, 1000)).toBe(50);
		expect(busiestWindow(given, 60_000)).toBe(1000);
		// The first thousand go in 20 s at 50/s; the next thousand wait for the minute to turn.
		expect(given[999]).toBe(19_000);
		expect(given[1000]).toBe(60_000);
		expect(given[2499]).toBe(120_000 + 9_000);
	});

	it('hands out starts first come, first served', () => {
		const pacer = new Pacer([{ limit: 1, windowMs: 100 }]);
		const given = [pacer.reserve(0), pacer.reserve(0), pacer.reserve(50), pacer.reserve(10)];
		expect(given).toEqual([0, 100, 200, 300]);
	});

	it('holds every start back while a 429 asked for a pause', () => {
		const pacer = new Pacer([{ limit: 10, windowMs: 1000 }]);
		expect(pacer.reserve(0)).toBe(0);
		pacer.pauseUntil(5000);
		expect(pacer.isPaused(4999)).toBe(true);
		expect(pacer.reserve(100)).toBe(5000);
		// A shorter pause asked later does not cut the longer one.
		pacer.pauseUntil(2000);
		expect(pacer.reserve(200)).toBe(5000);
		expect(pacer.isPaused(5000)).toBe(false);
	});

	it('ignores windows without a usable limit', () => {
		const pacer = new Pacer([
			{ limit: 0, windowMs: 1000 },
			{ limit: Number.NaN, windowMs: 1000 },
		]);
		expect(starts(pacer, 100).every((start) => start === 0)).toBe(true);
	});

	it('forgets starts that have left the longest window', () => {
		const pacer = new Pacer([{ limit: 2, windowMs: 1000 }]);
		for (let second = 0; second < 10_000; second++) {
			expect(pacer.reserve(second * 1000)).toBe(second * 1000);
			expect(pacer.reserve(second * 1000)).toBe(second * 1000);
		}
		expect((pacer as unknown as { starts: number[] }).starts.length).toBeLessThanOrEqual(2);
	});
});

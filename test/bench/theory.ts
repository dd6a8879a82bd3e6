// The least time N requests can take under the API's rate limits: sliding windows of `perSecond`
// requests in any second and `perMinute` in any minute (the sandbox's rule, and the guide's).
//
// With requests arriving at a_0 <= a_1 <= ..., request k may arrive once the perSecond-th before it
// has left the one-second window and the perMinute-th before it the one-minute window:
//   a_k = max(a_{k-1}, a_{k-perSecond} + 1 s, a_{k-perMinute} + 60 s),  a_0 = 0.
// For 1,000/min with 50/s bursts that is a_k = 60 s * floor(k / 1000) + 1 s * floor((k mod 1000) / 50):
// the first 1,000 go in 19 s, then nothing until the first ones leave the minute, at 60 s. So
// 1,500 sends take at least 69 s plus one answer — not N / rate = 90 s: the burst allowance lets a
// client get ahead of the per-minute rate, and only the per-minute window holds it back.

export interface RateLimitSpec {
	perMinute: number;
	perSecond: number;
}

/** Arrival time (ms after the first) of each of `count` requests sent as early as the limits allow. */
export function earliestArrivals(count: number, limits: RateLimitSpec): number[] {
	const arrivals: number[] = [];
	for (let k = 0; k < count; k++) {
		let at = k > 0 ? arrivals[k - 1] : 0;
		if (k >= limits.perSecond) at = Math.max(at, arrivals[k - limits.perSecond] + 1000);
		if (k >= limits.perMinute) at = Math.max(at, arrivals[k - limits.perMinute] + 60_000);
		arrivals.push(at);
	}
	return arrivals;
}

/** The least time to have `count` requests answered: the last one's earliest arrival plus one answer's latency. */
export function minimumMs(count: number, limits: RateLimitSpec, latencyMs: number): number {
	if (count <= 0) return 0;
	return earliestArrivals(count, limits)[count - 1] + latencyMs;
}

/** The naive figure: count / (perMinute per minute). */
export function naiveMs(count: number, limits: RateLimitSpec): number {
	return (count * 60_000) / limits.perMinute;
}

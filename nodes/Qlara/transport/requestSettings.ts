// How fast, how often and how long the node talks to Qlara: the Request Options a user sets, with
// defaults that fit a production key (guide: 1,000 requests a minute with bursts of 50 a second).
import type { IDataObject } from 'n8n-workflow';

import type { RateWindow } from './pacer';

export interface RequestSettings {
	/** Burst cap; the service counts any one-second window. */
	maxRequestsPerSecond: number;
	/** Sustained budget; the service counts any one-minute window. */
	maxRequestsPerMinute: number;
	/** Items handled at the same time, so requests in flight at most. */
	maxConcurrentRequests: number;
	/** Further attempts after the first failed with an error other than a 429, where a retry is allowed. */
	maxRetries: number;
	/** How long one request may wait in all for Qlara's rate limit (429s) before it fails; 0 fails at once. */
	maxRateLimitWaitMs: number;
	/** How long one attempt waits for an answer. */
	timeoutMs: number;
	/** Repeat a send or template creation whose outcome is unknown even without a way to check it. */
	retryUncertain: boolean;
}

export const DEFAULT_REQUEST_SETTINGS: RequestSettings = {
	maxRequestsPerSecond: 50,
	// Without it a send of thousands would burst at 50/s for 20 s and then meet 429s for 40 s.
	maxRequestsPerMinute: 1000,
	// Ten requests of a few hundred milliseconds each already reach 50 a second.
	maxConcurrentRequests: 10,
	maxRetries: 5,
	// A CRM import of thousands of messages on a shared key may queue for minutes; beyond that the
	// user is better told than kept waiting.
	maxRateLimitWaitMs: 5 * 60_000,
	timeoutMs: 30_000,
	retryUncertain: false,
};

/**
 * Our clock counts when a request leaves, the service's when it arrives: until its answer is back,
 * the pacer assumes a request arrives at most this much later than it left (see pacer.ts).
 */
export const SECOND_WINDOW_SLACK_MS = 100;
export const MINUTE_WINDOW_SLACK_MS = 1000;

function clampInt(value: unknown, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isFinite(number)) return fallback;
	return Math.min(max, Math.max(min, Math.floor(number)));
}

/** The settings from the Request Options collection; a missing or unusable value takes its default. */
export function readRequestSettings(options: IDataObject | undefined): RequestSettings {
	const given = options ?? {};
	const defaults = DEFAULT_REQUEST_SETTINGS;
	return {
		maxRequestsPerSecond: clampInt(given.maxRequestsPerSecond, defaults.maxRequestsPerSecond, 1),
		maxRequestsPerMinute: clampInt(given.maxRequestsPerMinute, defaults.maxRequestsPerMinute, 1),
		maxConcurrentRequests: clampInt(given.maxConcurrentRequests, defaults.maxConcurrentRequests, 1, 1000),
		maxRetries: clampInt(given.maxRetries, defaults.maxRetries, 0, 100),
		maxRateLimitWaitMs:
			clampInt(given.maxRateLimitWait, defaults.maxRateLimitWaitMs / 1000, 0, 24 * 60 * 60) * 1000,
		timeoutMs: clampInt(given.timeout, defaults.timeoutMs, 1),
		retryUncertain: given.retryUncertain === true,
	};
}

/** The pacer's windows for these settings. */
export function rateWindows(settings: RequestSettings): RateWindow[] {
	return [
		{ limit: settings.maxRequestsPerSecond, windowMs: 1000, slackMs: SECOND_WINDOW_SLACK_MS },
		{ limit: settings.maxRequestsPerMinute, windowMs: 60_000, slackMs: MINUTE_WINDOW_SLACK_MS },
	];
}

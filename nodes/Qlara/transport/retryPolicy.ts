// When a failed request is tried again, and after how long. The rule that matters most: a request
// that may already have done its work (a send that timed out) is never repeated blindly, so the
// node never sends a message twice by itself.
import type { FailureOutcome, StopReason } from './failure';

/**
 * `repeatable`: doing it twice ends as doing it once (GET reads; PUT replaces with the same body;
 * DELETE removes what is already gone). `once`: doing it twice does it twice (POST: a send is a
 * second message, a template creation a second submission).
 */
export type RequestKind = 'repeatable' | 'once';

export function requestKind(method: string): RequestKind {
	return ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].includes(method.toUpperCase()) ? 'repeatable' : 'once';
}

/** The longest wait honoured from a Retry-After; a longer one is cut to this and tried anyway. */
export const MAX_RETRY_AFTER_MS = 120_000;
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/**
 * Exponential backoff with jitter before retry number `attempt` (1 for the first retry): a
 * random wait between half and all of 0.5 s, 1 s, 2 s, ... up to 30 s, so that many items
 * failing together do not all come back at the same moment.
 */
export function backoffDelay(attempt: number, random: () => number): number {
	const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The wait before trying again: what the service asked for, else backoff. */
export function retryDelay(attempt: number, retryAfterSeconds: number | undefined, random: () => number): number {
	if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
		return Math.min(MAX_RETRY_AFTER_MS, Math.ceil(retryAfterSeconds * 1000));
	}
	return backoffDelay(attempt, random);
}

export interface RetryInput {
	kind: RequestKind;
	outcome: FailureOutcome;
	/** Failed attempts so far other than 429s, this one included: 1 for the first. */
	failures: number;
	maxRetries: number;
	/** How long this request already waited for the rate limit. */
	rateLimitWaitedMs: number;
	maxRateLimitWaitMs: number;
	/** 429s met so far by this request, this one included. */
	rateLimitedTimes: number;
	/** The user allowed repeating a `once` request whose outcome is unknown. */
	retryUncertain: boolean;
	/** The caller can find out whether a `once` request went through (a send with its own messageId). */
	canConfirm: boolean;
	retryAfterSeconds?: number;
}

export type RetryPlan =
	| { action: 'retry'; delayMs: number }
	/** A 429: wait (the whole process waits with it), then send again. */
	| { action: 'waitForRateLimit'; delayMs: number }
	/** Ask the service whether it was done; send again only if not and `resend`. */
	| { action: 'confirm'; resend: boolean }
	| { action: 'stop'; reason: StopReason };

export function planRetry(input: RetryInput, random: () => number = Math.random): RetryPlan {
	const { kind, outcome, failures, maxRetries } = input;
	if (outcome === 'refused') return { action: 'stop', reason: 'final' };
	if (outcome === 'cancelled') return { action: 'stop', reason: kind === 'once' ? 'mayHaveGoneThrough' : 'stopped' };
	if (outcome === 'notProcessed') {
		// Nothing was done, so waiting is always safe: only the time the user allows bounds it.
		const delayMs = retryDelay(Math.max(1, input.rateLimitedTimes), input.retryAfterSeconds, random);
		const allowed = input.maxRateLimitWaitMs > 0 && input.rateLimitWaitedMs + delayMs <= input.maxRateLimitWaitMs;
		return allowed ? { action: 'waitForRateLimit', delayMs } : { action: 'stop', reason: 'rateLimitWait' };
	}
	const attemptsLeft = failures <= maxRetries;
	if (outcome === 'unknown' && kind === 'once') {
		// Checking is worth it even with no attempt left: it can still turn the failure into a success.
		if (input.canConfirm) return { action: 'confirm', resend: attemptsLeft };
		if (!input.retryUncertain) return { action: 'stop', reason: 'mayHaveGoneThrough' };
	}
	if (!attemptsLeft) return { action: 'stop', reason: 'exhausted' };
	return { action: 'retry', delayMs: retryDelay(failures, input.retryAfterSeconds, random) };
}

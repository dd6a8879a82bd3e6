// When a failed request is tried again, and after how long. The rule that matters most: a request
// that may already have done its work (a send that timed out) is never repeated blindly, so the
// node never sends a message twice by itself.
import type { ApiFailure, StopReason } from '../helpers/interfaces';

/**
 * `repeatable`: doing it twice ends as doing it once (GET reads; PUT replaces with the same body;
 * DELETE removes what is already gone). `once`: doing it twice does it twice (POST: a send is a
 * second message, a template creation a second submission).
 */
export type RequestKind = 'repeatable' | 'once';

export function requestKind(method: string): RequestKind {
	return ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].includes(method.toUpperCase()) ? 'repeatable' : 'once';
}

/** What a failure says about whether the service did the work. */
export type FailureOutcome =
	/** 429: the service says it did nothing, so sending again is always safe. */
	| 'notProcessed'
	/** The request never reached the service (connection refused, name not found). */
	| 'notSent'
	/** It may have been done: a 5xx, a connection dropped after the request left, a timeout. */
	| 'unknown'
	/** Any other answer (400, 401, 404, ...): the same request would get the same answer. */
	| 'refused'
	/** The execution was stopped. */
	| 'cancelled';

/** Codes of errors raised before a request could reach the service. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'];

/** Codes of a request that got no answer in time (axios says ECONNABORTED, Node ETIMEDOUT). */
const TIMEOUT_CODES = ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'];

export function isTimeout(networkCode: string | undefined): boolean {
	return networkCode !== undefined && TIMEOUT_CODES.includes(networkCode);
}

export function failureOutcome(failure: Pick<ApiFailure, 'status' | 'networkCode'>): FailureOutcome {
	const { status, networkCode } = failure;
	if (status === undefined) {
		if (networkCode === 'ERR_CANCELED') return 'cancelled';
		if (networkCode !== undefined && NOT_SENT_CODES.includes(networkCode)) return 'notSent';
		// A reset, a timeout or an error we cannot place: the request may have been processed.
		return 'unknown';
	}
	if (status === 429) return 'notProcessed';
	if (status >= 500) return 'unknown';
	return 'refused';
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
	/** The attempt that just failed: 1 for the first. */
	attempt: number;
	maxRetries: number;
	/** The user allowed repeating a `once` request whose outcome is unknown. */
	retryUncertain: boolean;
	/** The caller can find out whether a `once` request went through (a send with its own messageId). */
	canConfirm: boolean;
	retryAfterSeconds?: number;
}

export type RetryPlan =
	| { action: 'retry'; delayMs: number }
	/** Wait, ask the service whether it was done; send again only if not and `resend`. */
	| { action: 'confirm'; delayMs: number; resend: boolean }
	| { action: 'stop'; reason: StopReason };

export function planRetry(input: RetryInput, random: () => number = Math.random): RetryPlan {
	const { kind, outcome, attempt, maxRetries } = input;
	if (outcome === 'refused' || outcome === 'cancelled') return { action: 'stop', reason: 'final' };
	const attemptsLeft = attempt <= maxRetries;
	const delayMs = retryDelay(attempt, input.retryAfterSeconds, random);

	if (outcome === 'unknown' && kind === 'once') {
		// Checking is worth it even with no attempt left: it can still turn the failure into a success.
		if (input.canConfirm) return { action: 'confirm', delayMs, resend: attemptsLeft };
		if (!input.retryUncertain) return { action: 'stop', reason: 'mayHaveGoneThrough' };
	}
	if (!attemptsLeft) return { action: 'stop', reason: 'exhausted' };
	return { action: 'retry', delayMs };
}

// What the transport knows about a request that failed, and what that says about the work: the
// vocabulary shared by the retry policy and the error wording.

/** A failed request, free of credentials. */
export interface ApiFailure {
	method: string;
	path: string;
	/** HTTP status; undefined when no answer came (connection refused, timeout, ...). */
	status?: number;
	/** The answer's body, parsed when it was JSON. */
	body?: unknown;
	/** Seconds to wait, from the body's retryAfter or the Retry-After header. */
	retryAfter?: number;
	/** The network error code when no answer came, e.g. ECONNREFUSED. */
	networkCode?: string;
	/** The base URL the request went to (not a secret), for connection errors. */
	baseUrl?: string;
	/** How many times the request was sent. */
	attempts?: number;
	/** How long each attempt waited for an answer. */
	timeoutMs?: number;
	/** How long the request waited in all for the rate limit. */
	rateLimitWaitedMs?: number;
	/** Why the node stopped trying; undefined for a failure reported as it came. */
	stopReason?: StopReason;
	/** Why it cannot be told whether the request went through anyway. */
	cannotTell?: string;
	/** The service's status check says the request did not go through (so nothing was done). */
	confirmedNotDone?: boolean;
}

/**
 * `final`: asking again would get the same answer. `exhausted`: every allowed attempt failed.
 * `mayHaveGoneThrough`: the request may have been done, and repeating it could do it twice.
 * `rateLimitWait`: the rate limit held the request back longer than allowed. `stopped`: the
 * execution was stopped before the request was sent.
 */
export type StopReason = 'final' | 'exhausted' | 'mayHaveGoneThrough' | 'rateLimitWait' | 'stopped';

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
	/** The execution was stopped while the request was on its way: it may have been done. */
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

import {
	BACKOFF_CAP_MS,
	MAX_RETRY_AFTER_MS,
	backoffDelay,
	planRetry,
	requestKind,
	retryDelay,
	type RetryInput,
} from '../../../../nodes/Qlara/transport/retryPolicy';
import { failureOutcome } from '../../../../nodes/Qlara/transport/failure';

const low = () => 0;
const high = () => 0.999999;

describe('what a failure says about the work', () => {
	it.each([
		[{ status: 429 }, 'notProcessed'],
		[{ status: 500 }, 'unknown'],
		[{ status: 503 }, 'unknown'],
		[{ networkCode: 'ECONNRESET' }, 'unknown'],
		[{ networkCode: 'ECONNABORTED' }, 'unknown'],
		[{ networkCode: 'ETIMEDOUT' }, 'unknown'],
		[{}, 'unknown'],
		[{ networkCode: 'ECONNREFUSED' }, 'notSent'],
		[{ networkCode: 'ENOTFOUND' }, 'notSent'],
		[{ networkCode: 'ERR_CANCELED' }, 'cancelled'],
		[{ status: 400 }, 'refused'],
		[{ status: 401 }, 'refused'],
		[{ status: 404 }, 'refused'],
		[{ status: 409 }, 'refused'],
	])('%p is %s', (failure, outcome) => {
		expect(failureOutcome(failure)).toBe(outcome);
	});

	it('treats reads, replacements and deletions as repeatable and POSTs as once-only', () => {
		expect(['GET', 'PUT', 'DELETE', 'get'].map(requestKind)).toEqual(['repeatable', 'repeatable', 'repeatable', 'repeatable']);
		expect(['POST', 'PATCH'].map(requestKind)).toEqual(['once', 'once']);
	});
});

describe('backoff', () => {
	it('doubles from half a second up to 30 s, with jitter between half and all of it', () => {
		expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, high))).toEqual([500, 1000, 2000, 4000, 8000]);
		expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, low))).toEqual([250, 500, 1000, 2000, 4000]);
		expect(backoffDelay(20, high)).toBe(BACKOFF_CAP_MS);
	});

	it("waits what the service asked for when it said, without jitter", () => {
		expect(retryDelay(1, 12, high)).toBe(12_000);
		expect(retryDelay(3, 0, high)).toBe(0);
		expect(retryDelay(1, 0.5, high)).toBe(500);
		expect(retryDelay(1, 3600, high)).toBe(MAX_RETRY_AFTER_MS);
		expect(retryDelay(2, undefined, high)).toBe(1000);
		expect(retryDelay(2, Number.NaN, high)).toBe(1000);
	});
});

describe('deciding whether to try again', () => {
	const base: RetryInput = {
		kind: 'once',
		outcome: 'unknown',
		failures: 1,
		maxRetries: 5,
		rateLimitWaitedMs: 0,
		maxRateLimitWaitMs: 300_000,
		rateLimitedTimes: 0,
		retryUncertain: false,
		canConfirm: false,
	};

	const rateLimited: RetryInput = { ...base, outcome: 'notProcessed', failures: 0, rateLimitedTimes: 1 };

	it('waits out a 429, which was not processed, as long as it asked for', () => {
		expect(planRetry({ ...rateLimited, retryAfterSeconds: 2 })).toEqual({ action: 'waitForRateLimit', delayMs: 2000 });
		expect(planRetry({ ...rateLimited, kind: 'repeatable' }, high)).toEqual({ action: 'waitForRateLimit', delayMs: 500 });
	});

	it('counts 429s apart from the retries of other failures: only the time budget ends them', () => {
		expect(planRetry({ ...rateLimited, rateLimitedTimes: 50, maxRetries: 0, retryAfterSeconds: 1 })).toEqual({
			action: 'waitForRateLimit',
			delayMs: 1000,
		});
		expect(planRetry({ ...rateLimited, rateLimitWaitedMs: 299_500, retryAfterSeconds: 1 })).toEqual({ action: 'stop', reason: 'rateLimitWait' });
		expect(planRetry({ ...rateLimited, maxRateLimitWaitMs: 0, retryAfterSeconds: 1 })).toEqual({ action: 'stop', reason: 'rateLimitWait' });
	});

	it('never repeats a send that may have gone through when it cannot be checked', () => {
		expect(planRetry(base)).toEqual({ action: 'stop', reason: 'mayHaveGoneThrough' });
	});

	it('checks a send with its own message id first, and sends again only with attempts left', () => {
		expect(planRetry({ ...base, canConfirm: true }, high)).toEqual({ action: 'confirm', resend: true });
		expect(planRetry({ ...base, canConfirm: true, failures: 6 }, high)).toEqual({ action: 'confirm', resend: false });
	});

	it('repeats an uncertain send only when the user allowed it', () => {
		expect(planRetry({ ...base, retryUncertain: true }, high)).toEqual({ action: 'retry', delayMs: 500 });
		expect(planRetry({ ...base, retryUncertain: true, failures: 6 })).toEqual({ action: 'stop', reason: 'exhausted' });
	});

	it('retries reads and other repeatable requests freely on server errors, resets and timeouts', () => {
		expect(planRetry({ ...base, kind: 'repeatable' }, high)).toEqual({ action: 'retry', delayMs: 500 });
		expect(planRetry({ ...base, kind: 'repeatable', retryAfterSeconds: 1 })).toEqual({ action: 'retry', delayMs: 1000 });
	});

	it('retries a request that never reached the service, send or not', () => {
		expect(planRetry({ ...base, outcome: 'notSent' }, high)).toEqual({ action: 'retry', delayMs: 500 });
	});

	it('stops after the configured number of retries', () => {
		expect(planRetry({ ...base, kind: 'repeatable', failures: 5 }, high).action).toBe('retry');
		expect(planRetry({ ...base, kind: 'repeatable', failures: 6 })).toEqual({ action: 'stop', reason: 'exhausted' });
		expect(planRetry({ ...base, kind: 'repeatable', maxRetries: 0 })).toEqual({ action: 'stop', reason: 'exhausted' });
	});

	it('does not retry answers that would not change, nor a stopped run', () => {
		expect(planRetry({ ...base, outcome: 'refused', kind: 'repeatable' })).toEqual({ action: 'stop', reason: 'final' });
		expect(planRetry({ ...base, outcome: 'cancelled', kind: 'repeatable' })).toEqual({ action: 'stop', reason: 'stopped' });
	});

	it('says a send cut by Stop may have gone through', () => {
		expect(planRetry({ ...base, outcome: 'cancelled' })).toEqual({ action: 'stop', reason: 'mayHaveGoneThrough' });
	});
});

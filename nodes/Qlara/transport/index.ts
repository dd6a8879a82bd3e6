// The one way this node talks HTTP: authentication, base URL, JSON, pacing, timeouts, retries and
// error wording live here, so every request (sends, list pages, template fetches) follows them.
// n8n's request helper is asked for the whole answer and never throws on a status, so only
// network errors (no answer at all) are read from what it throws.
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions, IN8nHttpFullResponse, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { API_KEY_HEADER } from '../../../credentials/QlaraApi.credentials';
import type { RateLimitHeaders } from './accountPace';
import { redact } from '../../shared/redaction';
import { describeApiError, type RequestMeaning } from './errors';
import { failureOutcome, type ApiFailure, type StopReason } from './failure';
import { planRetry, requestKind } from './retryPolicy';
import type { ApiSession } from './session';

export { openApiSession, type ApiSession, type QlaraContext } from './session';
export type { RepeatWords, RequestMeaning } from './errors';

/** Items per page when following pages; Qlara's list endpoints take `limit` and a 0-based `page`. */
export const PAGE_SIZE = 100;

/** A safety stop for a service that never sends a short page. */
const MAX_PAGES = 1000;

/** What a caller learnt when asked whether a request whose answer was lost went through. */
export type Confirmation =
	/** It went through: this is the answer to use instead of sending again. */
	| { sent: unknown }
	/** It did not: sending again is safe. */
	| { notSent: true }
	/** It cannot be told (and why). */
	| { cannotTell: string };

export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	meaning?: RequestMeaning;
	/**
	 * For a request that must not be done twice (a send): after an attempt whose outcome is
	 * unknown, finds out whether it went through. `attemptStartedAt` is when that attempt left.
	 */
	confirm?: (attemptStartedAt: number) => Promise<Confirmation>;
	/** Called when Qlara turned the request down as sent (a 4xx other than 429), before the error is thrown. */
	onRefused?: () => void;
}

function header(headers: unknown, name: string): string | undefined {
	if (typeof headers !== 'object' || headers === null) return undefined;
	const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
	return found === undefined || found[1] === undefined || found[1] === null ? undefined : String(found[1]);
}

function numberOrUndefined(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

function rateLimitHeaders(headers: unknown): RateLimitHeaders {
	return {
		limit: numberOrUndefined(header(headers, 'x-ratelimit-limit')),
		remaining: numberOrUndefined(header(headers, 'x-ratelimit-remaining')),
	};
}

/** The network code of a request that got no answer: ECONNRESET, ECONNABORTED (timeout), ERR_CANCELED (Stop), ... */
function networkCodeOf(error: unknown): string | undefined {
	const codeOf = (value: unknown): string | undefined => {
		if (typeof value !== 'object' || value === null) return undefined;
		const { code, httpCode } = value as { code?: unknown; httpCode?: unknown };
		if (typeof code === 'string') return code;
		return typeof httpCode === 'string' && /^E[A-Z_]+$/.test(httpCode) ? httpCode : undefined;
	};
	const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
	if (typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'CanceledError') return 'ERR_CANCELED';
	return codeOf(error) ?? codeOf(cause) ?? 'UNKNOWN';
}

/** The NodeApiError users see for a failure: plain language, and the key redacted everywhere. */
function apiError(session: ApiSession, failure: ApiFailure, meaning: RequestMeaning = {}): NodeApiError {
	const secrets = [session.credentials.apiKey];
	const { message, description } = describeApiError(failure, meaning);
	const response: JsonObject = { status: failure.status ?? null, method: failure.method, path: failure.path };
	if (failure.attempts !== undefined) response.attempts = failure.attempts;
	if (failure.networkCode !== undefined) response.networkCode = failure.networkCode;
	if (failure.body !== undefined) {
		response.body = JSON.parse(redact(JSON.stringify(failure.body) ?? 'null', secrets));
	}
	return new NodeApiError(session.context.getNode(), response, {
		message: redact(message, secrets),
		description: redact(description, secrets),
		...(failure.status !== undefined && { httpCode: String(failure.status) }),
	});
}

/**
 * Sends one request to the Qlara API with the session's credential and returns the parsed JSON
 * answer. It waits for a start slot under the rate limits, gives each attempt the timeout, and tries
 * again where that is safe (see retryPolicy.ts); after Stop, nothing more leaves. A final failure
 * becomes a NodeApiError in plain language, without the API key.
 */
export async function qlaraApiRequest(session: ApiSession, request: ApiRequest): Promise<unknown> {
	const { method, path, body, qs, meaning, confirm, onRefused } = request;
	const { settings, baseUrl } = session;
	const kind = requestKind(method);
	let attempts = 0;
	let failures = 0;
	let rateLimitedTimes = 0;
	let rateLimitWaitedMs = 0;
	/** An earlier attempt may have done the work: a later failure must not say "not sent". */
	let mayHaveGoneThrough = false;

	const stop = (failure: ApiFailure, stopReason: StopReason): NodeApiError =>
		apiError(
			session,
			{
				...failure,
				// After an attempt that may have done the work, whatever stops the request says so.
				stopReason: mayHaveGoneThrough && kind === 'once' ? 'mayHaveGoneThrough' : stopReason,
				attempts,
				timeoutMs: settings.timeoutMs,
				rateLimitWaitedMs,
			},
			meaning,
		);

	for (;;) {
		const reservation = await session.startSlot();
		if (reservation === undefined) throw stop({ method, path, baseUrl }, 'stopped');
		const options: IHttpRequestOptions = {
			method,
			url: `${baseUrl}${path}`,
			json: true,
			// The credential's own header (QlaraApi.authenticate), set from the key read once per run.
			headers: { Accept: 'application/json', [API_KEY_HEADER]: session.credentials.apiKey ?? '' },
			timeout: settings.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		const signal = session.signal;
		if (signal !== undefined) options.abortSignal = signal;
		if (body !== undefined) options.body = body;
		if (qs !== undefined && Object.keys(qs).length > 0) options.qs = qs;

		attempts++;
		const startedAt = session.now();
		let failure: ApiFailure;
		try {
			const response = (await session.context.helpers.httpRequest(options)) as IN8nHttpFullResponse;
			const answeredAt = session.now();
			const status = response.statusCode;
			// A 429 was not counted by the service: it holds no place in any window.
			if (status === 429) reservation.cancel();
			else {
				reservation.answered(answeredAt);
				session.pace.observe(rateLimitHeaders(response.headers), answeredAt);
			}
			if (status >= 200 && status < 300) return response.body;
			const body = response.body;
			const retryAfter =
				numberOrUndefined(typeof body === 'object' && body !== null ? (body as IDataObject).retryAfter : undefined) ??
				numberOrUndefined(header(response.headers, 'retry-after'));
			failure = { method, path, baseUrl, status, body, ...(retryAfter !== undefined && { retryAfter }) };
		} catch (error) {
			reservation.answered(session.now());
			failure = { method, path, baseUrl, networkCode: networkCodeOf(error) };
		}

		const outcome = failureOutcome(failure);
		if (outcome === 'notProcessed') rateLimitedTimes++;
		else failures++;
		if (outcome === 'unknown' || outcome === 'cancelled') mayHaveGoneThrough = true;
		const plan = planRetry(
			{
				kind,
				outcome,
				failures,
				maxRetries: settings.maxRetries,
				rateLimitWaitedMs,
				maxRateLimitWaitMs: settings.maxRateLimitWaitMs,
				rateLimitedTimes,
				retryUncertain: settings.retryUncertain,
				canConfirm: confirm !== undefined,
				retryAfterSeconds: failure.retryAfter,
			},
			session.random,
		);
		if (plan.action === 'stop') {
			if (outcome === 'refused') onRefused?.();
			throw stop(failure, plan.reason);
		}

		if (plan.action === 'waitForRateLimit') {
			// The key's budget is spent: hold back every request of this process, not only this one.
			const until = session.pace.rateLimited(plan.delayMs, session.now());
			const waitStart = session.now();
			await session.wait(until - waitStart);
			rateLimitWaitedMs += session.now() - waitStart;
			continue;
		}
		session.context.logger?.debug(
			`Qlara: ${method} ${path} failed (${failure.status ?? failure.networkCode ?? 'no answer'}, attempt ${attempts}); ` +
				(plan.action === 'confirm' ? 'checking whether it went through' : `trying again in ${plan.delayMs} ms`),
		);
		if (plan.action === 'retry') {
			await session.wait(plan.delayMs);
			continue;
		}
		// plan.action === 'confirm': only a `once` request with a way to check gets here.
		const found = await (confirm as NonNullable<ApiRequest['confirm']>)(startedAt);
		if ('sent' in found) return found.sent;
		if ('cannotTell' in found) {
			if (settings.retryUncertain && plan.resend) continue;
			throw stop({ ...failure, cannotTell: found.cannotTell }, 'mayHaveGoneThrough');
		}
		// Qlara's status check shows this attempt did not go through.
		mayHaveGoneThrough = false;
		if (!plan.resend) throw stop({ ...failure, confirmedNotDone: true }, 'exhausted');
	}
}

/** The HTTP status of a failure this transport reported, if Qlara answered. */
function statusOf(error: unknown): number | undefined {
	const status = error instanceof NodeApiError ? Number(error.httpCode) : Number.NaN;
	return Number.isInteger(status) ? status : undefined;
}

/** Qlara answered 404: what was asked for does not exist. */
export function isNotFound(error: unknown): boolean {
	return statusOf(error) === 404;
}

/**
 * Follows the pages of a list endpoint (`limit` and a 0-based `page`) and returns its items, or the
 * first `limit` of them. `readPage` picks the items out of one answer.
 */
export async function qlaraApiRequestAllItems(
	session: ApiSession,
	path: string,
	readPage: (response: unknown) => IDataObject[],
	qs: IDataObject = {},
	limit?: number,
): Promise<IDataObject[]> {
	const pageSize = limit === undefined ? PAGE_SIZE : Math.max(1, Math.min(limit, PAGE_SIZE));
	const items: IDataObject[] = [];
	let previousFirst: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const response = await qlaraApiRequest(session, { method: 'GET', path, qs: { ...qs, limit: pageSize, page } });
		const pageItems = readPage(response);
		// A service that ignores `page` answers the first page again: stop instead of looping.
		const first = pageItems.length > 0 ? JSON.stringify(pageItems[0]) : undefined;
		if (page > 0 && first !== undefined && first === previousFirst) break;
		previousFirst = first;
		items.push(...pageItems);
		if (limit !== undefined && items.length >= limit) break;
		// A short page is the last one; a longer one means the service does not page at all.
		if (pageItems.length !== pageSize) break;
	}
	return limit === undefined ? items : items.slice(0, limit);
}

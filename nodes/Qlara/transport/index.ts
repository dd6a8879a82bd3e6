// The one way this node talks HTTP: authentication, base URL, JSON, pacing, timeouts, retries and
// error mapping live here, so every request (sends, list pages, template fetches) follows them.
import { createHash } from 'crypto';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { API_KEY_HEADER, baseUrlOf, type QlaraCredentials } from '../../../credentials/QlaraApi.credentials';
import { describeApiError, redact } from '../helpers/apiErrors';
import type { ApiFailure, StopReason } from '../helpers/interfaces';
import { isObject } from '../helpers/responses';
import { failureOutcome, planRetry, requestKind } from './retryPolicy';
import { sessionFor } from './session';

type QlaraContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Items per page when following pages; the guide's list endpoints take `limit` and a 0-based `page`. */
export const PAGE_SIZE = 100;

/** A safety stop for a service that never sends a short page. */
const MAX_PAGES = 1000;

function header(headers: unknown, name: string): string | undefined {
	if (!isObject(headers)) return undefined;
	const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
	return found === undefined ? undefined : String(found[1]);
}

/**
 * What n8n's request helper threw, reduced to status, body and Retry-After. The helper wraps the
 * HTTP client's error (which holds the request, authentication header included), so only these
 * fields are kept.
 */
function failureOf(error: unknown, method: string, path: string, baseUrl: string): ApiFailure {
	const wrapped = isObject(error) ? error : {};
	const cause = isObject(wrapped.cause) ? wrapped.cause : wrapped;
	const response = isObject(cause.response) ? cause.response : isObject(wrapped.response) ? wrapped.response : undefined;
	const httpCode = Number(wrapped.httpCode);
	const status = typeof response?.status === 'number' ? response.status : Number.isInteger(httpCode) && httpCode > 0 ? httpCode : undefined;
	const context = isObject(wrapped.context) ? wrapped.context : {};
	const body = response !== undefined && 'data' in response ? response.data : context.data;
	const retryAfterValue = (isObject(body) ? body.retryAfter : undefined) ?? header(response?.headers, 'retry-after');
	const retryAfter = Number(retryAfterValue);
	// The HTTP client's code (ECONNRESET, ECONNABORTED, ...); n8n moves it to httpCode when it wraps the error.
	const networkCode =
		typeof cause.code === 'string'
			? cause.code
			: typeof wrapped.httpCode === 'string' && /^E[A-Z_]+$/.test(wrapped.httpCode)
				? wrapped.httpCode
				: undefined;
	return {
		method,
		path,
		baseUrl,
		status,
		body,
		...(Number.isFinite(retryAfter) && retryAfterValue !== undefined && { retryAfter }),
		...(status === undefined && networkCode !== undefined && { networkCode }),
	};
}

/** The `qlaraApi` credential of this node run. n8n reads and decrypts it on every call; once per run is enough. */
async function credentialsOf(this: QlaraContext): Promise<QlaraCredentials> {
	const session = sessionFor(this);
	session.credentials ??= this.getCredentials('qlaraApi') as Promise<QlaraCredentials>;
	return await session.credentials;
}

/**
 * Names the Qlara account this run talks to (service and key), as a hash that does not reveal the
 * key, so what is kept between runs (templates) is never mixed up between accounts.
 */
export async function accountOf(this: QlaraContext): Promise<string> {
	const credentials = await credentialsOf.call(this);
	return createHash('sha256')
		.update(`${baseUrlOf(credentials)}\n${credentials.apiKey ?? ''}`)
		.digest('hex');
}

export interface QlaraRequestOptions {
	/**
	 * For a request that must not be done twice (a send): after an attempt whose outcome is
	 * unknown, finds out whether it went through. Returns the answer to use instead of sending
	 * again, or undefined when it did not go through; throws when it cannot tell.
	 */
	confirm?: () => Promise<unknown>;
}

function cancelSignal(context: QlaraContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context && typeof context.getExecutionCancelSignal === 'function'
		? context.getExecutionCancelSignal()
		: undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Sends one request to the Qlara API with the `qlaraApi` credential and returns the parsed JSON
 * answer. It waits for its turn under the rate limits, gives each attempt the timeout, and tries
 * again where that is safe (see retryPolicy.ts). A final failure becomes a NodeApiError in plain
 * language, without the API key.
 */
export async function qlaraApiRequest(
	this: QlaraContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
	requestOptions: QlaraRequestOptions = {},
): Promise<unknown> {
	const session = sessionFor(this);
	const credentials = await credentialsOf.call(this);
	const baseUrl = baseUrlOf(credentials);
	const { settings } = session;
	const signal = cancelSignal(this);
	const kind = requestKind(method);

	const fail = (failure: ApiFailure, stopReason: StopReason): NodeApiError =>
		apiError.call(this, { ...failure, stopReason }, credentials.apiKey);

	for (let attempt = 1; ; attempt++) {
		const reservation = await session.turn(signal);
		const options: IHttpRequestOptions = {
			method,
			url: `${baseUrl}${path}`,
			json: true,
			// The credential's own header (QlaraApi.authenticate), set here from the key read once per run:
			// httpRequestWithAuthentication would read and decrypt the credential again for every request,
			// which cost more CPU than the rest of a send (see test/bench).
			headers: { Accept: 'application/json', [API_KEY_HEADER]: credentials.apiKey ?? '' },
			timeout: settings.timeoutMs,
		};
		if (body !== undefined) options.body = body;
		if (qs !== undefined && Object.keys(qs).length > 0) options.qs = qs;

		try {
			const response: unknown = await this.helpers.httpRequest(options);
			reservation.answered(session.now());
			return response;
		} catch (error) {
			reservation.answered(session.now());
			const failure: ApiFailure = {
				...failureOf(error, method, path, baseUrl),
				attempts: attempt,
				timeoutMs: settings.timeoutMs,
			};
			const outcome = signal?.aborted ? 'cancelled' : failureOutcome(failure);
			const plan = planRetry({
				kind,
				outcome,
				attempt,
				maxRetries: settings.maxRetries,
				retryUncertain: settings.retryUncertain,
				canConfirm: requestOptions.confirm !== undefined,
				retryAfterSeconds: failure.retryAfter,
			});
			if (plan.action === 'stop') throw fail(failure, plan.reason);
			// The key's budget is spent: hold back every request of this run, not only this one.
			if (outcome === 'notProcessed') session.pacer.pauseUntil(session.now() + plan.delayMs);
			this.logger?.debug(
				`Qlara: ${method} ${path} failed (${failure.status ?? failure.networkCode ?? 'no answer'}, attempt ${attempt}); ` +
					`${plan.action === 'confirm' ? 'checking whether it went through' : 'trying again'} in ${plan.delayMs} ms`,
			);
			await session.wait(plan.delayMs, signal);
			if (signal?.aborted) throw fail(failure, 'final');

			if (plan.action === 'confirm' && requestOptions.confirm !== undefined) {
				let answer: unknown;
				try {
					answer = await requestOptions.confirm();
				} catch (confirmError) {
					// It cannot be told whether it went through: repeat it only if the user allowed that.
					if (settings.retryUncertain && plan.resend) continue;
					throw fail({ ...failure, confirmError: messageOf(confirmError) }, 'mayHaveGoneThrough');
				}
				if (answer !== undefined) return answer;
				if (!plan.resend) throw fail({ ...failure, confirmedNotDone: true }, 'exhausted');
			}
		}
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

/** Qlara answered and turned the request down as sent (see retryPolicy's `refused`). */
export function isRefusal(error: unknown): boolean {
	const status = statusOf(error);
	return status !== undefined && failureOutcome({ status }) === 'refused';
}

/** The NodeApiError users see for a failure: plain language, and the key redacted everywhere. */
function apiError(this: QlaraContext, failure: ApiFailure, key: string | undefined): NodeApiError {
	const { message, description } = describeApiError(failure);
	const response: JsonObject = { status: failure.status ?? null, method: failure.method, path: failure.path };
	if (failure.attempts !== undefined) response.attempts = failure.attempts;
	if (failure.networkCode !== undefined) response.networkCode = failure.networkCode;
	if (failure.body !== undefined) {
		response.body = JSON.parse(redact(JSON.stringify(failure.body) ?? 'null', key));
	}
	return new NodeApiError(this.getNode(), response, {
		message: redact(message, key),
		description: redact(description, key),
		...(failure.status !== undefined && { httpCode: String(failure.status) }),
	});
}

/**
 * Follows the pages of a list endpoint (`limit` and a 0-based `page`) and returns its items, or the
 * first `limit` of them. `readPage` picks the items out of one answer.
 */
export async function qlaraApiRequestAllItems(
	this: QlaraContext,
	path: string,
	readPage: (response: unknown) => IDataObject[],
	qs: IDataObject = {},
	limit?: number,
): Promise<IDataObject[]> {
	const pageSize = limit === undefined ? PAGE_SIZE : Math.max(1, Math.min(limit, PAGE_SIZE));
	const items: IDataObject[] = [];
	let previousFirst: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const response = await qlaraApiRequest.call(this, 'GET', path, undefined, { ...qs, limit: pageSize, page });
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

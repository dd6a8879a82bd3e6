// The one way this node talks HTTP: authentication, base URL, JSON and error mapping live here, so
// pacing and retries can be added in one place.
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeApiError, redact } from '../helpers/apiErrors';
import type { ApiFailure } from '../helpers/interfaces';

type QlaraContext = IExecuteFunctions | ILoadOptionsFunctions;

export const DEFAULT_BASE_URL = 'https://lora-api.agiletelecom.com';

/** Items per page when following pages; the guide's list endpoints take `limit` and a 0-based `page`. */
export const PAGE_SIZE = 100;

/** A safety stop for a service that never sends a short page. */
const MAX_PAGES = 1000;

interface QlaraCredentials {
	apiKey?: string;
	baseUrl?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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
	return {
		method,
		path,
		baseUrl,
		status,
		body,
		...(Number.isFinite(retryAfter) && retryAfterValue !== undefined && { retryAfter }),
		...(status === undefined && typeof cause.code === 'string' && { networkCode: cause.code }),
	};
}

/**
 * Sends one request to the Qlara API with the `qlaraApi` credential and returns the parsed JSON
 * answer. Any failure becomes a NodeApiError in plain language, without the API key.
 */
export async function qlaraApiRequest(
	this: QlaraContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<unknown> {
	const credentials = (await this.getCredentials('qlaraApi')) as QlaraCredentials;
	const baseUrl = (String(credentials.baseUrl ?? '').trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
	const options: IHttpRequestOptions = {
		method,
		url: `${baseUrl}${path}`,
		json: true,
		headers: { Accept: 'application/json' },
	};
	if (body !== undefined) options.body = body;
	if (qs !== undefined && Object.keys(qs).length > 0) options.qs = qs;

	try {
		return await this.helpers.httpRequestWithAuthentication.call(this, 'qlaraApi', options);
	} catch (error) {
		const failure = failureOf(error, method, path, baseUrl);
		const { message, description } = describeApiError(failure);
		const key = credentials.apiKey;
		const response: JsonObject = { status: failure.status ?? null, method, path };
		if (failure.body !== undefined) {
			response.body = JSON.parse(redact(JSON.stringify(failure.body) ?? 'null', key));
		}
		throw new NodeApiError(this.getNode(), response, {
			message: redact(message, key),
			description: redact(description, key),
			...(failure.status !== undefined && { httpCode: String(failure.status) }),
		});
	}
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

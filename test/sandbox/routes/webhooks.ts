// The account's one delivery-status webhook (guide): register, read, replace, remove.
import type { Context } from '../context';
import { ApiError, badRequest, jsonObject, notFound, type ApiRequest, type ApiResponse } from '../http';
import { isHttpUrl } from '../options';
import { route, type Route } from '../router';
import { iso } from '../time';

export const WEBHOOK_PATH = '/api/partner-gateway/v1/webhooks/delivery-status';

export const webhookRoutes: Array<Route<Context>> = [
	route('GET', WEBHOOK_PATH, get),
	route('POST', WEBHOOK_PATH, register),
	route('PUT', WEBHOOK_PATH, replace),
	route('DELETE', WEBHOOK_PATH, remove),
];

const NONE = 'No delivery-status webhook is registered for this account; register one with POST.';

function get(ctx: Context): ApiResponse {
	if (!ctx.state.webhook) throw notFound(NONE);
	return { status: 200, body: ctx.state.webhook };
}

/** 409 rather than a silent takeover: the URL may belong to another workflow or system. */
function register(ctx: Context, req: ApiRequest): ApiResponse {
	const callbackUrl = parseCallbackUrl(req);
	const current = ctx.state.webhook;
	if (current) {
		throw new ApiError(
			409,
			`A delivery-status webhook is already registered (${current.callbackUrl}); replace it with PUT or remove it with DELETE first.`,
			{ callbackUrl: current.callbackUrl },
		);
	}
	return { status: 201, body: ctx.state.registerWebhook(callbackUrl) };
}

function replace(ctx: Context, req: ApiRequest): ApiResponse {
	const webhook = ctx.state.webhook;
	if (!webhook) throw notFound(NONE);
	webhook.callbackUrl = parseCallbackUrl(req);
	webhook.updatedAt = iso(ctx.now());
	return { status: 200, body: webhook };
}

function remove(ctx: Context): ApiResponse {
	if (!ctx.state.webhook) throw notFound(NONE);
	ctx.state.webhook = null;
	return { status: 204 };
}

function parseCallbackUrl(req: ApiRequest): string {
	const { callbackUrl } = jsonObject(req);
	if (typeof callbackUrl !== 'string' || !isHttpUrl(callbackUrl)) {
		throw badRequest('callbackUrl', 'callbackUrl is required: the http(s) address that will receive delivery events.');
	}
	return callbackUrl;
}

// The /_sandbox/ control calls, for suites that run the sandbox in another process. They need
// no API key, are not recorded in the request log and do not count against the rate limit.
import { jsonObject, type ApiRequest, type ApiResponse } from '../http';
import type { SandboxConfig } from '../options';
import { route, type Route } from '../router';
import type { Sandbox } from '../server';
import { TEMPLATE_STATUSES, type TemplateStatus } from '../types';

export const CONTROL_PREFIX = '/_sandbox';

export const controlRoutes: Array<Route<Sandbox>> = [
	route('GET', `${CONTROL_PREFIX}/requests`, (sandbox) => ok(sandbox.requests)),
	route('GET', `${CONTROL_PREFIX}/sent`, (sandbox) => ok(sandbox.sent)),
	route('GET', `${CONTROL_PREFIX}/counters`, (sandbox) => ok(sandbox.counters())),
	route('GET', `${CONTROL_PREFIX}/deliveries`, deliveries),
	route('GET', `${CONTROL_PREFIX}/idle`, idle),
	route('GET', `${CONTROL_PREFIX}/config`, (sandbox) => ok(sandbox.config())),
	route('POST', `${CONTROL_PREFIX}/config`, (sandbox, req) => ok(sandbox.configure(jsonObject(req) as SandboxConfig))),
	route('POST', `${CONTROL_PREFIX}/reset`, (sandbox) => {
		sandbox.reset();
		return { status: 204 };
	}),
	route('POST', `${CONTROL_PREFIX}/inbound`, inbound),
	route('POST', `${CONTROL_PREFIX}/templates/:id/status`, templateStatus),
];

function ok(body: unknown): ApiResponse {
	return { status: 200, body };
}

/** ?min=n&timeoutMs=t waits until at least n attempts were made, then answers the whole list. */
async function deliveries(sandbox: Sandbox, req: ApiRequest): Promise<ApiResponse> {
	const min = Number(req.query.min ?? 0);
	if (min > 0) {
		await sandbox.waitForDeliveries(min, Number(req.query.timeoutMs ?? 5000)).catch(() => undefined);
	}
	return ok(sandbox.deliveries);
}

/** Answers once no delivery work is pending (scheduled, in flight or awaiting a retry). */
async function idle(sandbox: Sandbox, req: ApiRequest): Promise<ApiResponse> {
	await sandbox.idle(Number(req.query.timeoutMs ?? 10_000));
	return { status: 204 };
}

function inbound(sandbox: Sandbox, req: ApiRequest): ApiResponse {
	const { source, text, phoneNumberId, at } = jsonObject(req);
	if (typeof source !== 'string') throw new Error('source is required: the customer number, e.g. +393401234567.');
	if (text !== undefined && typeof text !== 'string') throw new Error('text must be a string.');
	if (phoneNumberId !== undefined && typeof phoneNumberId !== 'string') throw new Error('phoneNumberId must be a string.');
	if (at !== undefined && (typeof at !== 'string' || Number.isNaN(Date.parse(at)))) {
		throw new Error('at must be an ISO 8601 timestamp.');
	}
	return ok(sandbox.recordInbound(source, text, phoneNumberId, at === undefined ? undefined : new Date(at)));
}

function templateStatus(sandbox: Sandbox, req: ApiRequest): ApiResponse {
	const { status, language } = jsonObject(req);
	if (!TEMPLATE_STATUSES.includes(status as TemplateStatus)) {
		throw new Error(`status must be one of ${TEMPLATE_STATUSES.join(', ')}.`);
	}
	if (language !== undefined && typeof language !== 'string') throw new Error('language must be a string.');
	return ok(sandbox.setTemplateStatus(req.params.id, status as TemplateStatus, language));
}

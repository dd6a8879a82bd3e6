// The one function through which the trigger talks to Qlara's delivery-webhook registration endpoints.
import type { IDataObject, IHookFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { baseUrlOf, type QlaraCredentials } from '../../credentials/QlaraApi.credentials';
import { redact } from '../shared/redaction';
import { secretTokenOf } from './settings';

export const WEBHOOK_REGISTRATION_PATH = '/api/partner-gateway/v1/webhooks/delivery-status';

export interface QlaraReply {
	status: number;
	body: IDataObject;
}

/**
 * The secrets no error or log line of the trigger may show: the API key and the webhook token. Never
 * throws: it is called while reporting another failure.
 */
export async function secretsOf(ctx: IHookFunctions): Promise<string[]> {
	const secrets: string[] = [];
	try {
		const credentials = (await ctx.getCredentials('qlaraApi')) as QlaraCredentials;
		if (credentials.apiKey) secrets.push(credentials.apiKey);
	} catch {
		// No API credential: there is no key to leak.
	}
	try {
		secrets.push(await secretTokenOf(ctx));
	} catch {
		// No webhook credential: there is no token to leak.
	}
	return secrets;
}

/** Sends one request and returns the status with the body; deciding what a status means is the caller's job. */
export async function callWebhookRegistration(
	this: IHookFunctions,
	method: IHttpRequestMethods,
	body?: IDataObject,
): Promise<QlaraReply> {
	const base = baseUrlOf((await this.getCredentials('qlaraApi')) as QlaraCredentials);
	try {
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'qlaraApi', {
			method,
			url: `${base}${WEBHOOK_REGISTRATION_PATH}`,
			body,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; body: unknown };
		const parsed = response.body;
		return {
			status: response.statusCode,
			body: typeof parsed === 'object' && parsed !== null ? (parsed as IDataObject) : {},
		};
	} catch (error) {
		// Only the message and code: the helper's error holds the request, API key header included.
		const { message, code } = error as { message?: string; code?: string };
		const secrets = await secretsOf(this);
		const cause = { message: redact(message ?? 'request failed', secrets), code: code ?? null };
		throw new NodeApiError(this.getNode(), cause as JsonObject, {
			message: `Could not reach Qlara at ${base} to manage the delivery webhook`,
			description: 'Check the Base URL of the Qlara credential and that this n8n instance can reach it.',
		});
	}
}

/**
 * A reply the caller did not expect, said in words a user can act on, without the secrets: a service
 * may echo the request, API key header included, in its error.
 */
export async function registrationError(this: IHookFunctions, action: string, reply: QlaraReply): Promise<NodeApiError> {
	const secrets = await secretsOf(this);
	const body = JSON.parse(redact(JSON.stringify(reply.body), secrets)) as IDataObject;
	const serviceMessage = typeof body.message === 'string' ? body.message : undefined;
	let description = serviceMessage ?? 'Qlara gave no reason.';
	if (reply.status === 401 || reply.status === 403) {
		description = 'Qlara refused the API key: check the API key of the Qlara credential.';
	} else if (reply.status === 429) {
		const wait = typeof body.retryAfter === 'number' ? ` ${body.retryAfter} seconds` : ' a moment';
		description = `Qlara's rate limit was reached; activate the workflow again after${wait}.`;
	} else if (reply.status >= 500) {
		description = `Qlara had a problem (${serviceMessage ?? 'server error'}); try activating the workflow again later.`;
	}
	return new NodeApiError(this.getNode(), body as JsonObject, {
		message: `Could not ${action} the Qlara delivery webhook (HTTP ${reply.status})`,
		description: redact(description, secrets),
		httpCode: String(reply.status),
	});
}

// The one function through which the trigger talks to Qlara's delivery-webhook registration endpoints.
import type { IDataObject, IHookFunctions, IHttpRequestMethods, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { baseUrlOf, type QlaraCredentials } from '../../credentials/QlaraApi.credentials';

export const WEBHOOK_REGISTRATION_PATH = '/api/partner-gateway/v1/webhooks/delivery-status';

export interface QlaraReply {
	status: number;
	body: IDataObject;
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
		throw new NodeApiError(this.getNode(), { message: message ?? 'request failed', code: code ?? null } as JsonObject, {
			message: `Could not reach Qlara at ${base} to manage the delivery webhook`,
			description: 'Check the Base URL of the Qlara credential and that this n8n instance can reach it.',
		});
	}
}

/** A reply the caller did not expect, said in words a user can act on. */
export function registrationError(this: IHookFunctions, action: string, reply: QlaraReply): NodeApiError {
	const serviceMessage = typeof reply.body.message === 'string' ? reply.body.message : undefined;
	let description = serviceMessage ?? 'Qlara gave no reason.';
	if (reply.status === 401 || reply.status === 403) {
		description = 'Qlara refused the API key: check the API key of the Qlara credential.';
	} else if (reply.status === 429) {
		const wait = typeof reply.body.retryAfter === 'number' ? ` ${reply.body.retryAfter} seconds` : ' a moment';
		description = `Qlara's rate limit was reached; activate the workflow again after${wait}.`;
	} else if (reply.status >= 500) {
		description = `Qlara had a problem (${serviceMessage ?? 'server error'}); try activating the workflow again later.`;
	}
	return new NodeApiError(this.getNode(), reply.body as JsonObject, {
		message: `Could not ${action} the Qlara delivery webhook (HTTP ${reply.status})`,
		description,
		httpCode: String(reply.status),
	});
}

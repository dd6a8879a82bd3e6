// One callback request: check its token, read and validate its events, and hand the chosen ones to the workflow.
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { readJsonBody } from './body';
import { TOKEN_QUERY_PARAMETER } from './callbackUrl';
import { normaliseEvent, type EventKind } from './event';
import { routeEvents } from './outputs';
import { validatePayload } from './payload';
import { tokensMatch } from './token';

// What this node uses of n8n's request and response (Express's, on Node's http), described here:
// n8n Cloud allows community nodes no import of Node's modules.
interface WebhookRequest {
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	rawBody?: Uint8Array;
}

interface WebhookResponse {
	headersSent: boolean;
	writeHead(status: number, headers: Record<string, string>): unknown;
	end(body: string): unknown;
}

/** The reason phrases of the answers this node gives itself. */
const REASONS = {
	400: 'Bad Request',
	401: 'Unauthorized',
	413: 'Payload Too Large',
} as const;

/** Answers the caller directly and starts nothing. */
function refuse(res: WebhookResponse, status: keyof typeof REASONS, message: string, extra: object = {}): IWebhookResponseData {
	if (!res.headersSent) {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify({ status, error: REASONS[status], message, ...extra }));
	}
	return { noWebhookResponse: true };
}

export async function receiveEvents(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as WebhookRequest;
	const res = this.getResponseObject() as unknown as WebhookResponse;

	const token = String(this.getNodeParameter('secretToken', '')).trim();
	if (token !== '') {
		const query = (this.getQueryData() ?? {}) as Record<string, unknown>;
		if (!tokensMatch(query[TOKEN_QUERY_PARAMETER], token)) {
			return refuse(res, 401, `Missing or wrong token: call this URL with the ?${TOKEN_QUERY_PARAMETER}= set in the Qlara Trigger.`);
		}
	}

	const body = readJsonBody({ rawBody: req.rawBody, body: req.body, contentLength: req.headers['content-length'] });
	if (!body.ok) return refuse(res, body.status, body.message);

	const payload = validatePayload(body.value);
	if (!payload.ok) {
		return refuse(res, 400, payload.message, payload.index === undefined ? {} : { index: payload.index });
	}

	const selected = this.getNodeParameter('events', []) as EventKind[];
	const separateOutputs = this.getNodeParameter('separateOutputs', false) === true;
	const outputs = routeEvents(payload.events.map(normaliseEvent), selected, separateOutputs);
	if (outputs.every((events) => events.length === 0)) {
		// Still a 2xx: the event was received fine, and a failure status would only make Qlara retry it.
		return { webhookResponse: { message: 'Received; no event of the kinds this trigger listens to, so no workflow started' } };
	}
	return { workflowData: outputs.map((events) => events.map((event) => ({ json: event }))) };
}

// One callback request: check its token, read and validate its events, and hand the chosen ones to the workflow.
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { redact } from '../shared/redaction';
import { readJsonBody } from './body';
import { TOKEN_QUERY_PARAMETER } from './callbackUrl';
import { normaliseEvent } from './event';
import { routeEvents } from './outputs';
import { validatePayload, type RejectedEvent } from './payload';
import { secretTokenOf, selectedKinds, versionOf } from './settings';
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
	200: 'OK',
	400: 'Bad Request',
	401: 'Unauthorized',
	413: 'Payload Too Large',
} as const;

/** A batch of 10,000 bad events would otherwise answer with a list as long as the batch. */
export const MAX_LISTED_REJECTIONS = 100;

/** Answers the caller directly; n8n then sends nothing of its own. */
function answer(res: WebhookResponse, status: keyof typeof REASONS, body: object): void {
	if (!res.headersSent) {
		res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
		res.end(JSON.stringify(body));
	}
}

/** Answers the caller and starts nothing. */
function refuse(res: WebhookResponse, status: Exclude<keyof typeof REASONS, 200>, message: string, extra: object = {}): IWebhookResponseData {
	answer(res, status, { status, error: REASONS[status], message, ...extra });
	return { noWebhookResponse: true };
}

function listed(rejected: RejectedEvent[]): object {
	return {
		rejected: rejected.slice(0, MAX_LISTED_REJECTIONS),
		...(rejected.length > MAX_LISTED_REJECTIONS ? { rejectedCount: rejected.length } : {}),
	};
}

export async function receiveEvents(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as WebhookRequest;
	const res = this.getResponseObject() as unknown as WebhookResponse;
	const version = versionOf(this);

	const token = await secretTokenOf(this);
	if (token !== '' || version >= 2) {
		const query = (this.getQueryData() ?? {}) as Record<string, unknown>;
		if (!tokensMatch(query[TOKEN_QUERY_PARAMETER], token)) {
			const where = version >= 2 ? 'the Secret Token of the Qlara Webhook credential' : 'the Secret Token set in the Qlara Trigger';
			return refuse(res, 401, `Missing or wrong token: call this URL with ?${TOKEN_QUERY_PARAMETER}= and ${where}.`);
		}
	}

	const body = readJsonBody({ rawBody: req.rawBody, body: req.body, contentLength: req.headers['content-length'] });
	if (!body.ok) return refuse(res, body.status, body.message);

	const payload = validatePayload(body.value);
	if (!payload.ok) {
		const first = payload.rejected[0];
		const extra = first ? { index: first.index, ...listed(payload.rejected) } : {};
		return refuse(res, 400, payload.message, extra);
	}
	if (payload.rejected.length > 0) {
		this.logger.warn(
			redact(
				`Qlara Trigger: ${payload.rejected.length} of ${payload.total} events of a batch were rejected, first: ${payload.rejected[0].message}`,
				[token],
			),
		);
	}

	const selected = selectedKinds(this);
	const separateOutputs = this.getNodeParameter('separateOutputs', false) === true;
	const outputs = routeEvents(payload.events.map(normaliseEvent), selected, separateOutputs, version);
	const started = outputs.some((events) => events.length > 0);
	if (payload.rejected.length > 0) {
		// Still a 2xx: a retry would send the same bad events again and the good ones twice.
		answer(res, 200, {
			message: `${payload.events.length} of ${payload.total} events received${started ? ', workflow was started' : ''}; the rejected ones cannot be read, sending them again will not help`,
			accepted: payload.events.length,
			...listed(payload.rejected),
		});
	}
	const answered = payload.rejected.length > 0 ? { noWebhookResponse: true } : {};
	if (!started) {
		// Still a 2xx: the event was received fine, and a failure status would only make Qlara retry it.
		return { ...answered, webhookResponse: { message: 'Received; no event of the kinds this trigger listens to, so no workflow started' } };
	}
	return { ...answered, workflowData: outputs.map((events) => events.map((event) => ({ json: event }))) };
}

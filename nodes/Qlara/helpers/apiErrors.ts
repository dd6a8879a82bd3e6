// Turns a failed request into what a user reads: a plain-language message and what to do next.
import { SEND_PATH, TEMPLATES_PATH } from '../transport/endpoints';
import { failureOutcome, isTimeout } from '../transport/retryPolicy';
import type { ApiFailure } from './interfaces';
import { isObject } from './responses';

export interface ErrorText {
	message: string;
	description: string;
}

/** The service's own words, if it wrote any: `message`, else `error`/`detail`, else a text body. */
export function apiMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() === '' ? undefined : body.trim().slice(0, 500);
	if (!isObject(body)) return undefined;
	for (const key of ['message', 'detail', 'error_description', 'error']) {
		const value = body[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
		if (isObject(value) && typeof value.message === 'string') return value.message.trim();
	}
	return undefined;
}

function field(body: unknown): string {
	return isObject(body) && typeof body.field === 'string' ? body.field : '';
}

/** Which 400 it is; the service's wording varies, so both its `field` and its words count. */
export type BadRequestKind = 'window' | 'templateNotApproved' | 'unknownTemplate' | 'parameterCount' | 'other';

export function classifyBadRequest(body: unknown): BadRequestKind {
	const text = apiMessage(body) ?? '';
	const where = field(body);
	if (/24[\s-]*(h\b|hours?)|customer (service )?window|messaging window|re-?engage/i.test(text)) return 'window';
	const aboutTemplate = /template/i.test(text) || where.startsWith('template');
	if (aboutTemplate && /\b(not approved|pending|rejected|paused|disabled|in review|under review)\b/i.test(text)) {
		return 'templateNotApproved';
	}
	if (/\bparameters?\b/i.test(text) && /\d+\s+variables?|\bcount\b|mismatch|\bexpected\b|number of/i.test(text)) {
		return 'parameterCount';
	}
	if (aboutTemplate && /does ?n[o']t exist|not exist|not found|unknown|no '?[\w-]*'? ?version|no such/i.test(text)) {
		return 'unknownTemplate';
	}
	return 'other';
}

function said(serviceText: string | undefined): string {
	return serviceText ? ` Qlara said: "${serviceText}"` : '';
}

function templateIdOf(path: string): string | undefined {
	return /\/templates\/([^/?]+)/.exec(path)?.[1];
}

function seconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(1))} s`;
}

/** What a request that must not be done twice would have done, for the words of its errors. */
interface Deed {
	/** e.g. "the message may have been sent" */
	mayHave: string;
	/** e.g. "so it was not sent again to avoid a duplicate" */
	notAgain: string;
	/** What to do about it. */
	advice: string;
}

function deedOf(failure: ApiFailure): Deed {
	if (failure.method === 'POST' && failure.path === SEND_PATH) {
		return {
			mayHave: 'the message may have been sent',
			notAgain: 'so it was not sent again to avoid a duplicate',
			advice:
				"Check in Qlara (the message's delivery event, or the dashboard) whether it went out before sending this item again. " +
				'Set Options → Custom Message ID (e.g. an order number) and the node checks with Qlara by itself and sends again only if Qlara did not take the message; ' +
				'or turn on Request Options → Retry Sends That May Have Gone Through to send again regardless (the recipient may then get it twice).',
		};
	}
	if (failure.method === 'POST' && failure.path === TEMPLATES_PATH) {
		return {
			mayHave: 'the template may have been created',
			notAgain: 'so it was not submitted again to avoid a duplicate',
			advice:
				'Check with Template → Get Many whether it exists before creating it again, ' +
				'or turn on Request Options → Retry Creations That May Have Gone Through.',
		};
	}
	return {
		mayHave: 'it may have been done',
		notAgain: 'so it was not repeated',
		advice: 'Check in Qlara whether it was done before trying again.',
	};
}

/** What went wrong with the request that got no usable answer, in a few words. */
function noAnswer(failure: ApiFailure): { message: string; description: string } | undefined {
	if (failure.status !== undefined) return undefined;
	if (failureOutcome(failure) === 'notSent') {
		return {
			message: 'Could not reach the Qlara API',
			description:
				`No answer came from ${failure.baseUrl ?? 'the Qlara API'}${failure.networkCode ? ` (${failure.networkCode})` : ''}. ` +
				'Check Base URL in the Qlara credential and the network connection, then try again.',
		};
	}
	if (isTimeout(failure.networkCode)) {
		const within = failure.timeoutMs !== undefined ? ` within ${seconds(failure.timeoutMs)}` : ' in time';
		return {
			message: `Qlara did not answer${within}`,
			description: 'The service may be slow or busy; raise Request Options → Timeout if it often needs longer.',
		};
	}
	return {
		message: 'The connection to Qlara dropped before it answered',
		description: `The connection to ${failure.baseUrl ?? 'the Qlara API'} closed without an answer${failure.networkCode ? ` (${failure.networkCode})` : ''}.`,
	};
}

function attemptsNote(failure: ApiFailure): string {
	return failure.attempts !== undefined && failure.attempts > 1 ? ` (${failure.attempts} attempts)` : '';
}

/** The message and description of a NodeApiError for a failed request. */
export function describeApiError(failure: ApiFailure): ErrorText {
	const text = describeAnswer(failure);
	if (failure.stopReason === 'mayHaveGoneThrough') {
		const deed = deedOf(failure);
		const checked = failure.confirmError !== undefined;
		return {
			message: `${text.message}${checked ? ', and checking its status failed' : ''}; ${deed.mayHave}, ${deed.notAgain}`,
			description:
				(checked ? `The node asked Qlara whether it went through and got: "${failure.confirmError}". ` : '') +
				deed.advice,
		};
	}
	if (failure.stopReason === 'exhausted') {
		return {
			message: `${text.message}${attemptsNote(failure)}`,
			description:
				(failure.confirmedNotDone ? "Qlara's status check shows it did not go through, so nothing was done. " : '') +
				text.description,
		};
	}
	return text;
}

/** The failure as the service's answer (or its absence) tells it, whatever the node did next. */
function describeAnswer(failure: ApiFailure): ErrorText {
	const { status, body } = failure;
	const serviceText = apiMessage(body);
	const tries = failure.attempts !== undefined && failure.attempts > 1 ? `The node tried ${failure.attempts} times. ` : '';

	const unanswered = noAnswer(failure);
	if (unanswered !== undefined || status === undefined) {
		const { message, description } = unanswered ?? { message: 'Qlara did not answer', description: '' };
		return { message, description: `${tries}${description}` };
	}
	if (status === 400) {
		switch (classifyBadRequest(body)) {
			case 'window':
				return {
					message: "The customer's 24-hour window is closed, so free-form text cannot be sent",
					description:
						"WhatsApp accepts free-form messages only within 24 hours of the customer's last message. " +
						`Use a template, or wait for the customer to write.${said(serviceText)}`,
				};
			case 'templateNotApproved':
				return {
					message: 'The template is not approved yet',
					description:
						'Meta must approve a template before it can be sent (usually within 24 hours), and an edited template needs a new approval. ' +
						`Check its status with Template → Get, or choose an approved template.${said(serviceText)}`,
				};
			case 'unknownTemplate':
				return {
					message: 'Qlara does not know this template',
					description:
						'No template with this name exists in this language. Choose the template from the list of approved templates, ' +
						`or check its name and language.${said(serviceText)}`,
				};
			case 'parameterCount':
				return {
					message: "The number of template parameters does not match the template's variables",
					description:
						'Give exactly one value per variable of the template, in order: the first fills {{1}}, the second {{2}}, and so on.' +
						said(serviceText),
				};
			default:
				return {
					message: serviceText ? `Qlara rejected the request: ${serviceText}` : 'Qlara rejected the request as invalid',
					description: 'Check the fields named in the message, correct them and try again.',
				};
		}
	}
	if (status === 401) {
		return {
			message: 'Qlara rejected the API key',
			description:
				'Check the API key in the Qlara credential: copy it again from the Qlara dashboard (Account Settings → API Keys), ' +
				'and check that Base URL points to the service the key belongs to.',
		};
	}
	if (status === 403) {
		return {
			message: 'Qlara refused this operation for this API key',
			description: `The key is valid but is not allowed to do this; check the account's permissions with Qlara.${said(serviceText)}`,
		};
	}
	if (status === 404) {
		const templateId = templateIdOf(failure.path);
		// A DELETE tried again after an attempt that got no answer: that attempt may have done it.
		const earlierDeleted =
			failure.method === 'DELETE' && (failure.attempts ?? 1) > 1
				? "An earlier attempt of this deletion got no answer and may have deleted it already. "
				: '';
		return templateId !== undefined
			? {
					message: `Template ${decodeURIComponent(templateId)} was not found`,
					description: `${earlierDeleted}It may have been deleted, or the ID is wrong. Choose the template from the list instead.${said(serviceText)}`,
				}
			: {
					message: 'Qlara did not find what was requested',
					description: `Check Base URL in the Qlara credential; keep the default unless you use a sandbox.${said(serviceText)}`,
				};
	}
	if (status === 409) {
		return {
			message: serviceText ? `Conflict: ${serviceText}` : 'The request conflicts with something that already exists',
			description: 'A template with this name and language may already exist: update it instead, or use another name.',
		};
	}
	if (status === 429) {
		const wait = failure.retryAfter !== undefined ? `${failure.retryAfter} seconds` : 'a short while';
		return {
			message: "Qlara's rate limit was reached",
			description:
				`Too many requests in a short time; this one was not processed, so it is safe to send again after ${wait}. ${tries}` +
				'Lower Max Requests per Second or per Minute in Request Options (another workflow may be using the same API key), ' +
				'or raise Max Retries so the node waits and tries again longer.',
		};
	}
	if (status >= 500) {
		return {
			message: `Qlara answered with a server error (status ${status})`,
			description: `${tries}This is usually temporary: try again in a moment.${said(serviceText)}`,
		};
	}
	return {
		message: serviceText ? `Qlara answered with status ${status}: ${serviceText}` : `Qlara answered with status ${status}`,
		description: 'Check the request and try again.',
	};
}

/** Replaces every occurrence of a secret in a text, so a key echoed by a service never reaches the user. */
export function redact(text: string, secret: string | undefined): string {
	if (!secret || secret.length < 4) return text;
	return text.split(secret).join('[redacted]');
}

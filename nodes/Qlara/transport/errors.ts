// Turns a failed request into what a user reads: a plain-language message and what to do next.
// The caller tells what the request meant (what a repeat would do, what a 404 is about); the words
// for each answer of the service are here.
import type { IDataObject } from 'n8n-workflow';

import { failureOutcome, isTimeout, type ApiFailure } from './failure';

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function qlaraSaid(serviceText: string | undefined): string {
	return serviceText ? ` Qlara said: "${serviceText}"` : '';
}

function seconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(1))} s`;
}

/** What a request that must not be done twice would have done, for the words of its errors. */
export interface RepeatWords {
	/** e.g. "the message may have been sent" */
	mayHave: string;
	/** e.g. "so it was not sent again to avoid a duplicate" */
	notAgain: string;
	/** What to do about it. */
	advice: string;
}

/** What a request means, as its caller knows: the words its failures need beyond the service's answer. */
export interface RequestMeaning {
	/** For a request that must not be done twice. */
	once?: RepeatWords;
	/** What a 404 says: e.g. "Template 42 was not found". */
	notFound?: ErrorText;
}

const SOMETHING_ONCE: RepeatWords = {
	mayHave: 'it may have been done',
	notAgain: 'so it was not repeated',
	advice: 'Check in Qlara whether it was done before trying again.',
};

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
export function describeApiError(failure: ApiFailure, meaning: RequestMeaning = {}): ErrorText {
	if (failure.stopReason === 'stopped') {
		return {
			message: 'The execution was stopped before this request was sent',
			description: 'Nothing was sent for this item.',
		};
	}
	const text = describeAnswer(failure, meaning);
	if (failure.stopReason === 'mayHaveGoneThrough') {
		const words = meaning.once ?? SOMETHING_ONCE;
		const cancelled = failureOutcome(failure) === 'cancelled';
		const cannotTell = failure.cannotTell !== undefined;
		return {
			message: cancelled
				? `The execution was stopped while the request was on its way; ${words.mayHave}`
				: `${text.message}; ${words.mayHave}, ${words.notAgain}`,
			description: (cannotTell ? `The node asked Qlara whether it went through: ${failure.cannotTell}. ` : '') + words.advice,
		};
	}
	const waited = failure.rateLimitWaitedMs ?? 0;
	if (failure.stopReason === 'rateLimitWait' && waited > 0) {
		return {
			message: `Qlara's rate limit held this request back for ${seconds(waited)}, longer than allowed`,
			description:
				'It was not processed, so it is safe to send again. Other workflows or applications may be using the same API key: ' +
				'raise Request Options → Max Wait for Rate Limit to let the node wait longer, or spread the work over time.',
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
function describeAnswer(failure: ApiFailure, meaning: RequestMeaning): ErrorText {
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
						`Use a template, or wait for the customer to write.${qlaraSaid(serviceText)}`,
				};
			case 'templateNotApproved':
				return {
					message: 'The template is not approved yet',
					description:
						'Meta must approve a template before it can be sent (usually within 24 hours), and an edited template needs a new approval. ' +
						`Check its status with Template → Get, or choose an approved template.${qlaraSaid(serviceText)}`,
				};
			case 'unknownTemplate':
				return {
					message: 'Qlara does not know this template',
					description:
						'No template with this name exists in this language. Choose the template from the list of approved templates, ' +
						`or check its name and language.${qlaraSaid(serviceText)}`,
				};
			case 'parameterCount':
				return {
					message: "The number of template parameters does not match the template's variables",
					description:
						'Give exactly one value per variable of the template, in order: the first fills {{1}}, the second {{2}}, and so on.' +
						qlaraSaid(serviceText),
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
			description: `The key is valid but is not allowed to do this; check the account's permissions with Qlara.${qlaraSaid(serviceText)}`,
		};
	}
	if (status === 404) {
		// A DELETE tried again after an attempt that got no answer: that attempt may have done it.
		const earlierDeleted =
			failure.method === 'DELETE' && (failure.attempts ?? 1) > 1
				? 'An earlier attempt of this deletion got no answer and may have deleted it already. '
				: '';
		const notFound = meaning.notFound ?? {
			message: 'Qlara did not find what was requested',
			description: 'Check Base URL in the Qlara credential; keep the default unless you use a sandbox.',
		};
		return { message: notFound.message, description: `${earlierDeleted}${notFound.description}${qlaraSaid(serviceText)}` };
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
				'Another workflow or application may be using the same API key: raise Request Options → Max Wait for Rate Limit, ' +
				'or lower Max Requests per Second or per Minute.',
		};
	}
	if (status >= 500) {
		return {
			message: `Qlara answered with a server error (status ${status})`,
			description: `${tries}This is usually temporary: try again in a moment.${qlaraSaid(serviceText)}`,
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

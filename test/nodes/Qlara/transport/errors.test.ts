import { SEND_MEANING } from '../../../../nodes/Qlara/actions/message/send.operation';
import { templateMeaning } from '../../../../nodes/Qlara/actions/shared/fetchTemplate';
import { CREATE_MEANING } from '../../../../nodes/Qlara/actions/template/create.operation';
import { classifyBadRequest, describeApiError as describe_, type RequestMeaning } from '../../../../nodes/Qlara/transport/errors';
import type { ApiFailure } from '../../../../nodes/Qlara/transport/failure';
import { SEND, TEMPLATES } from '../../../sandbox/reference';


/** The words for a failure, with the meaning its caller gives: a send, a creation, a template. */
function describeApiError(failure: ApiFailure, meaning?: RequestMeaning) {
	if (meaning !== undefined) return describe_(failure, meaning);
	if (failure.method === 'POST' && failure.path === SEND) return describe_(failure, SEND_MEANING);
	if (failure.method === 'POST' && failure.path === TEMPLATES) return describe_(failure, CREATE_MEANING);
	const templateId = /\/templates\/([^/?]+)/.exec(failure.path)?.[1];
	return describe_(failure, templateId === undefined ? {} : templateMeaning(templateId));
}

const send = { method: 'POST', path: SEND };
const read = { method: 'GET', path: TEMPLATES };

describe('mapping service errors to plain language', () => {
	it('explains the 24-hour window and says what to do', () => {
		const text = describeApiError({
			...send,
			status: 400,
			body: {
				status: 400,
				message:
					"Free-form messages can only be sent within 24 hours of the customer's last message, and +393401234567 has not written to this number in the last 24 hours.",
				field: 'body',
			},
		});
		expect(text.message).toBe("The customer's 24-hour window is closed, so free-form text cannot be sent");
		expect(text.description).toContain('Use a template, or wait for the customer to write.');
		expect(text.description).toContain('Qlara said: "Free-form messages');
	});

	it.each([
		["Template 'nope' does not exist; list the approved ones with GET ...?status=APPROVED.", 'unknownTemplate'],
		["Template 'order_shipped' has no 'fr' version; it exists in: it, en.", 'unknownTemplate'],
		['Template not found', 'unknownTemplate'],
		["Template 'spring_sale' (it) is PENDING, not APPROVED; it can be sent once Meta approves it.", 'templateNotApproved'],
		['The template is not approved', 'templateNotApproved'],
		[
			"Template 'order_shipped' (it) has 2 variable(s) ({{1}}, {{2}}), but template.parameters has 1 value(s).",
			'parameterCount',
		],
		['Parameter count mismatch: expected 2, got 1', 'parameterCount'],
		['Outside the 24h customer service window', 'window'],
		['template.parameters[1] is empty; every variable needs a value.', 'other'],
		['destination is required', 'other'],
	])('reads %p as %s', (message, kind) => {
		expect(classifyBadRequest({ message })).toBe(kind);
	});

	it('gives each kind of 400 its own message', () => {
		const messageOf = (message: string) => describeApiError({ ...send, status: 400, body: { message } }).message;
		expect(messageOf("Template 'nope' does not exist.")).toBe('Qlara does not know this template');
		expect(messageOf("Template 'x' is PENDING, not APPROVED")).toBe('The template is not approved yet');
		expect(messageOf("Template 'x' has 2 variable(s), but template.parameters has 1 value(s).")).toBe(
			"The number of template parameters does not match the template's variables",
		);
		expect(messageOf('media.url is required for image')).toBe('Qlara rejected the request: media.url is required for image');
	});

	it('points a 401 at the credential', () => {
		const text = describeApiError({ ...send, status: 401, body: { message: 'Invalid API key' } });
		expect(text.message).toBe('Qlara rejected the API key');
		expect(text.description).toContain('API key in the Qlara credential');
	});

	it('says a deletion tried again may have been done by the attempt that got no answer', () => {
		const path = `${TEMPLATES}/42`;
		expect(describeApiError({ method: 'DELETE', path, status: 404, attempts: 2 }).description).toContain(
			'An earlier attempt of this deletion got no answer and may have deleted it already.',
		);
		expect(describeApiError({ method: 'DELETE', path, status: 404, attempts: 1 }).description).not.toContain('earlier attempt');
	});

	it('names the template of a 404', () => {
		expect(describeApiError({ method: 'GET', path: `${TEMPLATES}/999`, status: 404 }).message).toBe(
			'Template 999 was not found',
		);
	});

	it('tells how long to wait on a 429 and that resending is safe', () => {
		const text = describeApiError({ ...send, status: 429, body: { message: 'Rate limit exceeded.', retryAfter: 12 }, retryAfter: 12 });
		expect(text.message).toBe("Qlara's rate limit was reached");
		expect(text.description).toContain('safe to send again after 12 seconds');
		expect(text.description).toContain('Max Wait for Rate Limit');
	});

	it('counts the attempts of a 429 the node gave up on', () => {
		const text = describeApiError({ ...send, status: 429, retryAfter: 1, attempts: 6, stopReason: 'exhausted' });
		expect(text.message).toBe("Qlara's rate limit was reached (6 attempts)");
		expect(text.description).toContain('The node tried 6 times.');
	});

	it('calls a 5xx a temporary server error, without advising to re-run the node', () => {
		const text = describeApiError({ ...read, status: 503, body: { message: 'Service unavailable' } });
		expect(text.message).toBe('Qlara answered with a server error (status 503)');
		expect(text.description).toContain('usually temporary');
		expect(text.description).not.toContain('Retry On Fail');
	});

	it('explains a request that got no answer', () => {
		const text = describeApiError({ ...send, networkCode: 'ECONNREFUSED', baseUrl: 'http://127.0.0.1:9' });
		expect(text.message).toBe('Could not reach the Qlara API');
		expect(text.description).toContain('http://127.0.0.1:9 (ECONNREFUSED)');
	});

	it('names the timeout of a request that got no answer in time', () => {
		const text = describeApiError({ ...read, networkCode: 'ECONNABORTED', timeoutMs: 30_000, attempts: 6, stopReason: 'exhausted' });
		expect(text.message).toBe('Qlara did not answer within 30 s (6 attempts)');
		expect(text.description).toContain('Request Options → Timeout');
	});

	it('says a dropped connection dropped', () => {
		expect(describeApiError({ ...read, networkCode: 'ECONNRESET', baseUrl: 'http://qlara.test' }).message).toBe(
			'The connection to Qlara dropped before it answered',
		);
	});
});

describe('a send that may have gone through', () => {
	it('says that the message may have been sent and was not sent again, and what to do', () => {
		const text = describeApiError({ ...send, networkCode: 'ECONNABORTED', timeoutMs: 30_000, attempts: 1, stopReason: 'mayHaveGoneThrough' });
		expect(text.message).toBe(
			'Qlara did not answer within 30 s; the message may have been sent, so it was not sent again to avoid a duplicate',
		);
		expect(text.description).toContain('Custom Message ID');
		expect(text.description).toContain('Retry Sends That May Have Gone Through');
	});

	it('covers a reset and a server error the same way', () => {
		expect(describeApiError({ ...send, networkCode: 'ECONNRESET', stopReason: 'mayHaveGoneThrough' }).message).toBe(
			'The connection to Qlara dropped before it answered; the message may have been sent, so it was not sent again to avoid a duplicate',
		);
		expect(describeApiError({ ...send, status: 500, stopReason: 'mayHaveGoneThrough' }).message).toBe(
			'Qlara answered with a server error (status 500); the message may have been sent, so it was not sent again to avoid a duplicate',
		);
	});

	it('says why checking the status by Custom Message ID could not tell', () => {
		const text = describeApiError({ ...send, status: 503, stopReason: 'mayHaveGoneThrough', cannotTell: "Qlara answered UNKNOWN for Custom Message ID 'o-1'" });
		expect(text.message).toBe(
			'Qlara answered with a server error (status 503); the message may have been sent, so it was not sent again to avoid a duplicate',
		);
		expect(text.description).toContain("The node asked Qlara whether it went through: Qlara answered UNKNOWN for Custom Message ID 'o-1'.");
	});

	it('says a send cut by Stop may have been sent', () => {
		const text = describeApiError({ ...send, networkCode: 'ERR_CANCELED', stopReason: 'mayHaveGoneThrough' });
		expect(text.message).toBe('The execution was stopped while the request was on its way; the message may have been sent');
	});

	it('says a request held back by Stop before it left was not sent', () => {
		expect(describeApiError({ ...send, stopReason: 'stopped' })).toEqual({
			message: 'The execution was stopped before this request was sent',
			description: 'Nothing was sent for this item.',
		});
	});

	it('says how long the rate limit held a request back and what to change', () => {
		const text = describeApiError({ ...send, status: 429, stopReason: 'rateLimitWait', rateLimitWaitedMs: 301_500 });
		expect(text.message).toBe("Qlara's rate limit held this request back for 301.5 s, longer than allowed");
		expect(text.description).toContain('Max Wait for Rate Limit');
	});

	it('says when the status check showed nothing was sent', () => {
		const text = describeApiError({ ...send, status: 503, attempts: 6, stopReason: 'exhausted', confirmedNotDone: true });
		expect(text.message).toBe('Qlara answered with a server error (status 503) (6 attempts)');
		expect(text.description).toContain('did not go through');
	});

	it('speaks of the template for a template creation', () => {
		const text = describeApiError({ method: 'POST', path: TEMPLATES, status: 502, stopReason: 'mayHaveGoneThrough' });
		expect(text.message).toBe(
			'Qlara answered with a server error (status 502); the template may have been created, so it was not submitted again to avoid a duplicate',
		);
		expect(text.description).toContain('Retry Creations That May Have Gone Through');
	});
});

// Validates a send body the way the service does, field by field, with a 400 that names the
// field and says how to fix it.
import { ApiError, badRequest } from './http';
import { parseMedia } from './media';
import { isInternationalNumber } from './phone';
import type { SandboxState } from './state';
import { templateVariables } from './templates';
import type { SentMessage, SendTemplate } from './types';

export type SendRequest = Omit<SentMessage, 'messageId' | 'at'>;

const MAX_BODY_LENGTH = 4096;

export function parseSendRequest(input: Record<string, unknown>, state: SandboxState): SendRequest {
	const destination = parseDestination(input.destination);
	const phoneNumberId = parsePhoneNumberId(input.phoneNumberId, state);

	const hasTemplate = input.template !== undefined && input.template !== null;
	const hasBody = input.body !== undefined && input.body !== null;
	if (hasTemplate && hasBody) {
		throw badRequest('template', 'Send either template or body, not both: a template message cannot carry free-form text.');
	}
	if (!hasTemplate && !hasBody) {
		throw badRequest(
			'body',
			'Send a template (an approved template by name and language) or a body (free-form text); the request has neither.',
		);
	}

	const request: SendRequest = {
		destination,
		phoneNumberId,
		fallbackRcs: optionalBoolean(input.fallbackRcs, 'fallbackRcs'),
		fallbackSms: optionalBoolean(input.fallbackSms, 'fallbackSms'),
		simulation: optionalBoolean(input.simulation, 'simulation'),
	};
	if (hasTemplate) request.template = parseTemplate(input.template, state);
	if (hasBody) request.body = parseBody(input.body);
	if (input.media !== undefined && input.media !== null) request.media = parseMedia(input.media);
	if (input.campaignId !== undefined && input.campaignId !== null) {
		request.campaignId = parseCampaignId(input.campaignId);
	}
	if (input.messageId !== undefined && input.messageId !== null) {
		if (typeof input.messageId !== 'string' || input.messageId === '' || input.messageId.length > 255) {
			throw badRequest('messageId', 'messageId (your own id for the message) must be text of 1 to 255 characters.');
		}
		request.customerMessageId = input.messageId;
	}

	// Free-form text is the only thing the 24-hour window restricts; templates go any time (seed).
	if (hasBody && !state.windowOpen(phoneNumberId, destination)) {
		throw new ApiError(
			400,
			`Free-form messages can only be sent within 24 hours of the customer's last message, and ${destination} ` +
				`has not written to this number in the last 24 hours. Send an approved template instead.`,
			{ field: 'body' },
		);
	}
	return request;
}

function parseDestination(value: unknown): string {
	if (value === undefined || value === null || value === '') {
		throw badRequest('destination', "destination is required: the recipient's number in international format, e.g. +393401234567.");
	}
	if (typeof value !== 'string' || !isInternationalNumber(value)) {
		throw badRequest(
			'destination',
			`destination ${JSON.stringify(value)} is not a phone number in international format: a '+', the country code and the number, no spaces (e.g. +393401234567).`,
		);
	}
	return value;
}

function parsePhoneNumberId(value: unknown, state: SandboxState): string {
	if (value === undefined || value === null || value === '') {
		throw badRequest('phoneNumberId', 'phoneNumberId is required: the id of the sending WhatsApp number, from GET /api/message-server/whatsapp/phone-numbers.');
	}
	// The guide types the id as an integer, the seed as a string: both are accepted.
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw badRequest('phoneNumberId', 'phoneNumberId must be a string.');
	}
	const id = String(value);
	const phone = state.phoneNumber(id);
	if (!phone) {
		throw badRequest(
			'phoneNumberId',
			`phoneNumberId '${id}' is not one of this account's WhatsApp numbers; list them with GET /api/message-server/whatsapp/phone-numbers.`,
		);
	}
	if (phone.status !== 'CONNECTED') {
		throw badRequest(
			'phoneNumberId',
			`The WhatsApp number ${phone.phoneNumber} (phoneNumberId '${id}') is ${phone.status}, not CONNECTED, so it cannot send.`,
		);
	}
	return id;
}

function parseTemplate(value: unknown, state: SandboxState): SendTemplate {
	if (typeof value !== 'object' || Array.isArray(value) || value === null) {
		throw badRequest('template', 'template must be an object: {"name": "...", "language": "it", "parameters": [...]}.');
	}
	const { name, language, parameters = [] } = value as Record<string, unknown>;
	if (typeof name !== 'string' || name === '') throw badRequest('template.name', 'template.name is required.');
	if (typeof language !== 'string' || language === '') {
		throw badRequest('template.language', 'template.language is required, e.g. "it" or "en".');
	}
	if (!Array.isArray(parameters)) throw badRequest('template.parameters', 'template.parameters must be an array of text values.');
	parameters.forEach((parameter: unknown, i) => {
		if (typeof parameter !== 'string') {
			throw badRequest('template.parameters', `template.parameters[${i}] must be text; got ${JSON.stringify(parameter)}.`);
		}
		if (parameter.trim() === '') {
			throw badRequest('template.parameters', `template.parameters[${i}] is empty; every variable needs a value.`);
		}
	});

	const template = state.templateByName(name, language);
	if (!template) {
		const languages = state.templates.filter((t) => t.name === name).map((t) => t.language);
		throw badRequest(
			'template.name',
			languages.length > 0
				? `Template '${name}' has no '${language}' version; it exists in: ${languages.join(', ')}.`
				: `Template '${name}' does not exist; list the approved ones with GET /api/message-server/whatsapp/templates?status=APPROVED.`,
		);
	}
	if (template.status !== 'APPROVED') {
		throw badRequest(
			'template.name',
			`Template '${name}' (${language}) is ${template.status}, not APPROVED; it can be sent once Meta approves it.`,
		);
	}
	const variables = templateVariables(template);
	if (parameters.length !== variables.length) {
		throw badRequest(
			'template.parameters',
			`Template '${name}' (${language}) has ${variables.length} variable(s)` +
				(variables.length ? ` (${variables.map((n) => `{{${n}}}`).join(', ')})` : '') +
				`, but template.parameters has ${parameters.length} value(s).`,
		);
	}
	return { name, language, parameters: parameters as string[] };
}

function parseBody(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw badRequest('body', 'body must be non-empty text.');
	}
	if (value.length > MAX_BODY_LENGTH) {
		throw badRequest('body', `body is ${value.length} characters long; the limit is ${MAX_BODY_LENGTH}.`);
	}
	return value;
}

function parseCampaignId(value: unknown): string {
	if (typeof value !== 'string') throw badRequest('campaignId', 'campaignId must be text.');
	if (value.length > 255) {
		throw badRequest('campaignId', `campaignId is ${value.length} characters long; the limit is 255.`);
	}
	return value;
}

function optionalBoolean(value: unknown, field: string): boolean {
	if (value === undefined || value === null) return false;
	if (typeof value !== 'boolean') throw badRequest(field, `${field} must be true or false; got ${JSON.stringify(value)}.`);
	return value;
}

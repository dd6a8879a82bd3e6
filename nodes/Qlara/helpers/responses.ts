// Tolerant readers of the API's answers: every shape choice about what comes back lives here.
import type { IDataObject } from 'n8n-workflow';

import type { QlaraTemplate, TemplateComponent } from './interfaces';

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object inside a `{data: {...}}` envelope, or the answer itself when it has none. */
export function unwrapData(response: unknown): unknown {
	return isObject(response) && isObject(response.data) ? response.data : response;
}

/**
 * The items of a list answer: a bare array, or an object holding the array under one of `keys`
 * (e.g. phoneNumbers, data), or under any array-valued property as a last resort.
 */
export function readList(response: unknown, keys: string[]): IDataObject[] {
	if (Array.isArray(response)) return response.filter(isObject);
	if (!isObject(response)) return [];
	for (const key of keys) {
		const value = response[key];
		if (Array.isArray(value)) return value.filter(isObject);
		if (isObject(value)) {
			const nested = readList(value, keys);
			if (nested.length > 0) return nested;
		}
	}
	const anyArray = Object.values(response).find(Array.isArray);
	return anyArray ? (anyArray as unknown[]).filter(isObject) : [];
}

export const PHONE_NUMBER_LIST_KEYS = ['phoneNumbers', 'data', 'items', 'content'];
export const TEMPLATE_LIST_KEYS = ['data', 'templates', 'items', 'content'];

function text(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

/**
 * A template in the list/get shape ({id, name, language, status, components}); also accepts the
 * create body's shape (lang, headerText, body, footer, buttons) and a `{data: {...}}` wrapper.
 */
export function readTemplate(response: unknown): QlaraTemplate {
	const raw = unwrapData(response);
	const template = isObject(raw) ? raw : {};
	let components: TemplateComponent[];
	if (Array.isArray(template.components)) {
		components = template.components.filter(isObject) as TemplateComponent[];
	} else {
		components = [];
		if (typeof template.headerText === 'string') components.push({ type: 'HEADER', format: 'TEXT', text: template.headerText });
		if (typeof template.body === 'string') components.push({ type: 'BODY', text: template.body });
		if (typeof template.footer === 'string') components.push({ type: 'FOOTER', text: template.footer });
		if (Array.isArray(template.buttons)) components.push({ type: 'BUTTONS', buttons: template.buttons.filter(isObject) });
	}
	return {
		id: text(template.id) ?? '',
		name: text(template.name) ?? '',
		language: text(template.language) ?? text(template.lang) ?? '',
		status: text(template.status),
		category: text(template.category),
		components,
	};
}

/** What a send's answer says about the one destination the node sent to. */
export interface SendResult {
	accepted: boolean;
	/** The answer plus messageId, destination, accepted, simulation (and customerMessageId). */
	output: IDataObject;
	/** Why the destination refused, when the result says so. */
	reason?: string;
}

/**
 * Reads a send's answer ({messageId, simulation, results: [{destination, accepted}]}). A result
 * with accepted: false is a refusal; an answer without results counts as accepted (a 200).
 */
export function readSendResult(response: unknown, destination: string, simulationRequested: boolean): SendResult {
	const answer = isObject(response) ? response : {};
	const results = Array.isArray(answer.results) ? answer.results.filter(isObject) : [];
	const result = results.find((r) => r.destination === destination) ?? results[0];
	const accepted = result?.accepted !== false;
	const customerMessageId = text(answer.customerMessageId) ?? text(result?.customerMessageId);
	const output: IDataObject = {
		...answer,
		messageId: text(answer.messageId) ?? text(result?.messageId) ?? null,
		destination: text(result?.destination) ?? destination,
		accepted,
		simulation: typeof answer.simulation === 'boolean' ? answer.simulation : simulationRequested,
	};
	if (customerMessageId !== undefined) output.customerMessageId = customerMessageId;
	const reason = text(result?.description) ?? text(result?.message) ?? text(result?.error);
	return { accepted, output, ...(reason !== undefined && { reason }) };
}

/**
 * Rebuilds a send's answer from a status lookup (GET .../messages/status/{customerMessageId},
 * guide: {customerMessageId, messageId, destination, channel, deliveryStatus, ...}) that proved
 * the send went through (see confirmSend.ts), for a send whose own answer was lost.
 */
export function sendAnswerFromStatus(status: IDataObject, destination: string, simulationRequested: boolean): IDataObject {
	const channel = text(status.channel);
	const answer: IDataObject = {
		messageId: text(status.messageId) ?? null,
		simulation: typeof status.simulation === 'boolean' ? status.simulation : simulationRequested,
		results: [{ destination, accepted: true, ...(channel !== undefined && { channel }) }],
		// The answer was lost and found again by asking Qlara: say so on the item.
		confirmedByStatusCheck: true,
	};
	const customerMessageId = text(status.customerMessageId);
	if (customerMessageId !== undefined) answer.customerMessageId = customerMessageId;
	return answer;
}

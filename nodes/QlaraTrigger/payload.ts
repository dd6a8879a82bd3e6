// Decides whether a parsed body is one Qlara event or an array of them, and names the first bad one.
import type { IDataObject } from 'n8n-workflow';

import { eventTypeOf, statusCodeOf } from './event';

export type PayloadCheck =
	| { ok: true; events: IDataObject[] }
	| { ok: false; message: string; /** 0-based position of the bad event in an array body. */ index?: number };

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasId(value: unknown): boolean {
	return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/** What is wrong with one event, or undefined when it is a Qlara event this node can read. */
export function eventProblem(event: unknown): string | undefined {
	if (!isPlainObject(event)) return 'is not a JSON object';
	if (event.eventType !== undefined && typeof event.eventType !== 'string') return 'has an eventType that is not text';
	const eventType = eventTypeOf(event);
	switch (eventType) {
		case 'DELIVERY': {
			if (!hasId(event.messageId)) return 'has no messageId';
			const status = event.statusCode ?? event.status;
			if (status === undefined || status === null || status === '') return 'has no status (status or statusCode)';
			if (statusCodeOf(event) === null) return `has a status that is not a number: ${JSON.stringify(status)}`;
			return undefined;
		}
		case 'READ':
			return hasId(event.messageId) ? undefined : 'has no messageId';
		case 'INBOUND':
			return hasId(event.source) ? undefined : 'has no source';
		default:
			// A kind this package does not know yet passes as 'unknown', but only if it names a message or sender.
			return hasId(event.messageId) || hasId(event.source) ? undefined : 'has neither a messageId nor a source';
	}
}

export function validatePayload(value: unknown): PayloadCheck {
	if (Array.isArray(value)) {
		if (value.length === 0) return { ok: false, message: 'The body is an empty array: expected at least one event.' };
		for (let index = 0; index < value.length; index++) {
			const problem = eventProblem(value[index]);
			if (problem) return { ok: false, index, message: `Event ${index + 1} of ${value.length} ${problem}.` };
		}
		return { ok: true, events: value as IDataObject[] };
	}
	if (!isPlainObject(value)) {
		return { ok: false, message: 'The body is not a JSON object or an array of objects.' };
	}
	const problem = eventProblem(value);
	return problem ? { ok: false, message: `The event ${problem}.` } : { ok: true, events: [value] };
}

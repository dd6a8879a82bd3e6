// Decides whether a parsed body is one Qlara event or an array of them, and names the first bad one.
import type { IDataObject } from 'n8n-workflow';

import { eventTypeOf, statusCodeOf } from './event';

/** An event of a batch that cannot be read; Qlara's retry would send the same bytes, so it never will be. */
export interface RejectedEvent {
	/** 0-based position in the array body. */
	index: number;
	message: string;
}

export type PayloadCheck =
	/** At least one event is readable; `rejected` lists the others of a batch. */
	| { ok: true; events: IDataObject[]; rejected: RejectedEvent[]; total: number }
	| { ok: false; message: string; rejected: RejectedEvent[] };

/**
 * Deeper than any Qlara event (two levels at most); n8n's editor and API cannot show an execution whose
 * data nests thousands of levels, and its recursive copies would overflow the stack.
 */
export const MAX_NESTING_DEPTH = 32;

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as JSON, cut short: it goes into answers and log lines, and the sender chose it. */
function shortJson(value: unknown): string {
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function hasId(value: unknown): boolean {
	return (typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/** How deep objects and arrays nest in a value (a flat object is 1), counted without recursion up to `limit` + 1. */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
	let deepest = 0;
	const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
	while (pending.length > 0) {
		const { value: current, depth } = pending.pop()!;
		if (typeof current !== 'object' || current === null) continue;
		deepest = Math.max(deepest, depth);
		if (deepest > limit) return deepest;
		for (const child of Object.values(current)) {
			if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: depth + 1 });
		}
	}
	return deepest;
}

/** What is wrong with one event, or undefined when it is a Qlara event this node can read. */
export function eventProblem(event: unknown): string | undefined {
	if (!isPlainObject(event)) return 'is not a JSON object';
	if (nestingDepth(event) > MAX_NESTING_DEPTH) return `nests objects or arrays more than ${MAX_NESTING_DEPTH} levels deep`;
	if (event.eventType !== undefined && typeof event.eventType !== 'string') return 'has an eventType that is not text';
	const eventType = eventTypeOf(event);
	switch (eventType) {
		case 'DELIVERY': {
			if (!hasId(event.messageId)) return 'has no messageId';
			const status = event.statusCode ?? event.status;
			if (status === undefined || status === null || status === '') return 'has no status (status or statusCode)';
			if (statusCodeOf(event) === null) return `has a status that is not a number: ${shortJson(status)}`;
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

/**
 * The readable events of a body, and why the others are not. A batch is taken with the events that can
 * be read: refusing it whole would make Qlara retry the good ones forever along with the bad.
 */
export function validatePayload(value: unknown): PayloadCheck {
	if (Array.isArray(value)) {
		if (value.length === 0) return { ok: false, message: 'The body is an empty array: expected at least one event.', rejected: [] };
		const events: IDataObject[] = [];
		const rejected: RejectedEvent[] = [];
		value.forEach((event: unknown, index) => {
			const problem = eventProblem(event);
			if (problem) rejected.push({ index, message: `Event ${index + 1} of ${value.length} ${problem}.` });
			else events.push(event as IDataObject);
		});
		if (events.length > 0) return { ok: true, events, rejected, total: value.length };
		const message =
			value.length === 1 ? rejected[0].message : `None of the ${value.length} events can be read. ${rejected[0].message}`;
		return { ok: false, message, rejected };
	}
	if (!isPlainObject(value)) {
		return { ok: false, message: 'The body is not a JSON object or an array of objects.', rejected: [] };
	}
	const problem = eventProblem(value);
	return problem ? { ok: false, message: `The event ${problem}.`, rejected: [] } : { ok: true, events: [value], rejected: [], total: 1 };
}

// Turns one Qlara callback payload, in either of its documented shapes (Qlara's API page's
// minimal one, or the richer one of Qlara's WhatsApp guide), into the item a workflow sees.
import type { IDataObject } from 'n8n-workflow';

/** The event kinds a workflow can react to, in the order of the trigger's outputs. */
export const EVENT_KINDS = ['delivered', 'undeliverable', 'read', 'inbound', 'unknown'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Status codes of a DELIVERY event (Qlara's API page). */
export const STATUS_DELIVERED = 3;
export const STATUS_UNDELIVERABLE = 6;

export interface QlaraEvent extends IDataObject {
	event: EventKind;
	/** The DELIVERY status (3, 6, or a code this package does not know); null when the event has none. */
	statusCode: number | null;
	messageId: string | null;
	/** The sender's own id, echoed back (guide only). */
	customerMessageId: string | null;
	destination: string | null;
	/** Who wrote an INBOUND message. */
	source: string | null;
	channel: string | null;
	/** The text of an INBOUND message. */
	text: string | null;
	timestamp: string | null;
	description: string | null;
	/** The payload exactly as it arrived. */
	raw: IDataObject;
}

/** The event type a payload declares; the API page's shape declares none and is a DELIVERY. */
export function eventTypeOf(payload: IDataObject): string {
	return typeof payload.eventType === 'string' && payload.eventType.trim() !== ''
		? payload.eventType.trim().toUpperCase()
		: 'DELIVERY';
}

/** The API page's shape sends `status`, the guide's `statusCode`: read whichever is present. */
export function statusCodeOf(payload: IDataObject): number | null {
	const value = payload.statusCode ?? payload.status;
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
	return null;
}

function kindOf(eventType: string, statusCode: number | null): EventKind {
	switch (eventType) {
		case 'DELIVERY':
			if (statusCode === STATUS_DELIVERED) return 'delivered';
			if (statusCode === STATUS_UNDELIVERABLE) return 'undeliverable';
			return 'unknown';
		case 'READ':
			return 'read';
		case 'INBOUND':
			return 'inbound';
		default:
			return 'unknown';
	}
}

function text(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

export function normaliseEvent(payload: IDataObject): QlaraEvent {
	const eventType = eventTypeOf(payload);
	const statusCode = statusCodeOf(payload);
	return {
		event: kindOf(eventType, statusCode),
		statusCode,
		messageId: text(payload.messageId),
		customerMessageId: text(payload.customerMessageId),
		destination: text(payload.destination),
		source: text(payload.source),
		channel: text(payload.channel),
		text: text(payload.text),
		timestamp: text(payload.timestamp),
		description: text(payload.description),
		raw: payload,
	};
}

// The payloads POSTed to the callback URL, one event per POST, in the guide's shape (or the
// seed's minimal DELIVERY shape when asked), so receivers can be tested against both.
import type { WebhookShape } from './options';
import type { MessageRecord } from './state';
import { isoSeconds } from './time';

export type EventPayload = Record<string, unknown>;

/** Status code descriptions (seed's table, guide's wording for 3). */
export const STATUS_DESCRIPTIONS = {
	3: 'Message delivered',
	6: 'Message could not be delivered to the recipient',
} as const;

export function deliveryEvent(record: MessageRecord, shape: WebhookShape, now: number): EventPayload {
	const { sent, statusCode = 6, channel } = record;
	if (shape === 'seed') {
		return { messageId: sent.messageId, destination: sent.destination, status: statusCode, timestamp: isoSeconds(now) };
	}
	return {
		eventType: 'DELIVERY',
		messageId: sent.messageId,
		...(sent.customerMessageId !== undefined && { customerMessageId: sent.customerMessageId }),
		destination: sent.destination,
		statusCode,
		description: STATUS_DESCRIPTIONS[statusCode],
		channel,
		timestamp: isoSeconds(now),
	};
}

export function readEvent(record: MessageRecord, now: number): EventPayload {
	return {
		eventType: 'READ',
		messageId: record.sent.messageId,
		destination: record.sent.destination,
		channel: record.channel,
		timestamp: isoSeconds(now),
	};
}

/** A customer's message: source is the customer, destination the business number it reached. */
export function inboundEvent(source: string, destination: string, text: string, at: number): EventPayload {
	return {
		eventType: 'INBOUND',
		source,
		destination,
		text,
		channel: 'WHATSAPP',
		messageType: 'TEXT',
		timestamp: isoSeconds(at),
	};
}

import { normaliseEvent } from '../../../nodes/QlaraTrigger/event';
import { guideDelivered, guideInbound, guideRead, guideUndeliverable, seedDelivered, seedDeliveredItem, seedUndeliverable, unknownStatus } from './fixtures';

describe('normalising a Qlara callback event', () => {
	it("reads the seed's shape: no eventType is a DELIVERY, status 3 is delivered", () => {
		expect(normaliseEvent(seedDelivered)).toEqual(seedDeliveredItem);
	});

	it("reads the seed's status 6 as undeliverable", () => {
		expect(normaliseEvent(seedUndeliverable)).toMatchObject({ event: 'undeliverable', statusCode: 6 });
	});

	it("reads the guide's shape with statusCode, customerMessageId, channel and description", () => {
		expect(normaliseEvent(guideUndeliverable)).toEqual({
			event: 'undeliverable',
			statusCode: 6,
			messageId: 'e766a1f0-0001',
			customerMessageId: 'order-12345',
			destination: '+393401234567',
			source: null,
			channel: 'WHATSAPP',
			text: null,
			timestamp: '2026-04-09T10:30:00Z',
			description: 'Message could not be delivered to the recipient',
			raw: guideUndeliverable,
		});
		expect(normaliseEvent(guideDelivered)).toMatchObject({ event: 'delivered', statusCode: 3 });
	});

	it('reads a READ event, which has no status', () => {
		expect(normaliseEvent(guideRead)).toMatchObject({
			event: 'read',
			statusCode: null,
			messageId: 'e766a1f0-0002',
			channel: 'WHATSAPP',
		});
	});

	it('reads an INBOUND event with its source and text', () => {
		expect(normaliseEvent(guideInbound)).toMatchObject({
			event: 'inbound',
			messageId: null,
			source: '+393401234567',
			destination: '+390212345678',
			text: 'Yes, I confirm',
			raw: guideInbound,
		});
	});

	it('calls a status code it does not know "unknown" and keeps the code', () => {
		expect(normaliseEvent(unknownStatus)).toMatchObject({ event: 'unknown', statusCode: 4, messageId: 'wamid.SEED0009' });
	});

	it('calls an event type it does not know "unknown"', () => {
		expect(normaliseEvent({ eventType: 'CLICK', messageId: 'm1' })).toMatchObject({ event: 'unknown', messageId: 'm1' });
	});

	it('accepts a status sent as a numeric string, and an event type in lower case', () => {
		expect(normaliseEvent({ eventType: 'delivery', messageId: 'm1', statusCode: '6' })).toMatchObject({
			event: 'undeliverable',
			statusCode: 6,
		});
	});

	it('prefers statusCode when both status and statusCode are present', () => {
		expect(normaliseEvent({ messageId: 'm1', status: 6, statusCode: 3 })).toMatchObject({ event: 'delivered', statusCode: 3 });
	});
});

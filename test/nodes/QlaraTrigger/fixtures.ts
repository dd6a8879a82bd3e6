// Callback payloads as the contract describes them (../../../../shared/qlara-api.md, "Delivery webhook").

/** The product page's (seed) DELIVERY shape: no eventType, `status`. */
export const seedDelivered = {
	messageId: 'wamid.SEED0001',
	destination: '+393401234567',
	status: 3,
	timestamp: '2024-01-15T10:30:45Z',
};

/** The item the trigger makes of `seedDelivered`. */
export const seedDeliveredItem = {
	event: 'delivered',
	statusCode: 3,
	messageId: 'wamid.SEED0001',
	customerMessageId: null,
	destination: '+393401234567',
	source: null,
	channel: null,
	text: null,
	timestamp: '2024-01-15T10:30:45Z',
	description: null,
	raw: seedDelivered,
};

export const seedUndeliverable = { ...seedDelivered, messageId: 'wamid.SEED0002', status: 6 };

/** The guides' richer DELIVERY shape. */
export const guideUndeliverable = {
	eventType: 'DELIVERY',
	messageId: 'e766a1f0-0001',
	customerMessageId: 'order-12345',
	destination: '+393401234567',
	statusCode: 6,
	description: 'Message could not be delivered to the recipient',
	channel: 'WHATSAPP',
	timestamp: '2026-04-09T10:30:00Z',
};

export const guideDelivered = {
	...guideUndeliverable,
	messageId: 'e766a1f0-0002',
	customerMessageId: 'order-12346',
	statusCode: 3,
	description: 'Message delivered',
};

export const guideRead = {
	eventType: 'READ',
	messageId: 'e766a1f0-0002',
	destination: '+393401234567',
	channel: 'WHATSAPP',
	timestamp: '2026-04-09T10:31:00Z',
};

export const guideInbound = {
	eventType: 'INBOUND',
	source: '+393401234567',
	destination: '+390212345678',
	text: 'Yes, I confirm',
	channel: 'WHATSAPP',
	messageType: 'TEXT',
	timestamp: '2026-04-09T10:32:00Z',
};

/** A DELIVERY with a status code the seed does not list. */
export const unknownStatus = { ...seedDelivered, messageId: 'wamid.SEED0009', status: 4 };

/** One of each kind, in output order: delivered, undeliverable, read, inbound, unknown. */
export const oneOfEach = [guideDelivered, guideUndeliverable, guideRead, guideInbound, unknownStatus];

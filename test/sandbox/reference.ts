// What tests refer to, in one place: the API paths of Qlara's API page (written out here, not
// taken from the node, so a wrong path in the node fails the tests) and the IDs of the sandbox's
// seed (seed.json).

export const SEND = '/api/message-server/whatsapp/send';
export const PHONE_NUMBERS = '/api/message-server/whatsapp/phone-numbers';
export const TEMPLATES = '/api/message-server/whatsapp/templates';
/** Where the delivery webhook's callback URL is registered. */
export const WEBHOOK = '/api/partner-gateway/v1/webhooks/delivery-status';
/** The status of a message, by the caller's own messageId: `${STATUS}/<messageId>`. */
export const STATUS = '/api/partner-gateway/v1/messages/status';

/** The seed's connected sender (phoneNumberId) and its number. */
export const CONNECTED_SENDER = '109876543210001';
export const CONNECTED_SENDER_NUMBER = '+390212345678';
/** A sender of the seed that is not connected: sends from it are refused. */
export const DISCONNECTED_SENDER = '109876543210002';

/** The seed's templates. */
export const TEMPLATE = {
	/** order_shipped, it, APPROVED: {{1}} name, {{2}} order. */
	orderShippedIt: '1',
	/** order_shipped, en, the same two variables. */
	orderShippedEn: '2',
	welcomeIt: '3',
	appointmentReminder: '5',
	springSalePending: '6',
};

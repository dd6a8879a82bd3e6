// The API paths of the contract's endpoint table, in one place.
const WHATSAPP = '/api/message-server/whatsapp';

export const SEND_PATH = `${WHATSAPP}/send`;
export const PHONE_NUMBERS_PATH = `${WHATSAPP}/phone-numbers`;
export const TEMPLATES_PATH = `${WHATSAPP}/templates`;

export function templatePath(id: string): string {
	return `${TEMPLATES_PATH}/${encodeURIComponent(id)}`;
}

/** The status of a sent message, looked up by the caller's own messageId (guide). */
export function messageStatusPath(customerMessageId: string): string {
	return `/api/partner-gateway/v1/messages/status/${encodeURIComponent(customerMessageId)}`;
}

// The API paths, in one place: those of Qlara's API page
// (https://agiletelecom.com/documentation/whatsapp), and the status lookup of Qlara's WhatsApp guide
// (https://agiletelecom.com/documentation/qlara/guides/whatsapp).
const WHATSAPP = '/api/message-server/whatsapp';

export const SEND_PATH = `${WHATSAPP}/send`;
export const PHONE_NUMBERS_PATH = `${WHATSAPP}/phone-numbers`;
export const TEMPLATES_PATH = `${WHATSAPP}/templates`;

export function templatePath(id: string): string {
	return `${TEMPLATES_PATH}/${encodeURIComponent(id)}`;
}

/** The status of a sent message, looked up by the caller's own messageId (the guide). */
export function messageStatusPath(customerMessageId: string): string {
	return `/api/partner-gateway/v1/messages/status/${encodeURIComponent(customerMessageId)}`;
}

// The account data the sandbox serves and the records it keeps for tests to read.

export type Channel = 'WHATSAPP' | 'RCS' | 'SMS';

export type TemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED';
export const TEMPLATE_STATUSES: readonly TemplateStatus[] = ['APPROVED', 'PENDING', 'REJECTED'];

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
export const TEMPLATE_CATEGORIES: readonly TemplateCategory[] = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

export interface PhoneNumber {
	id: string;
	phoneNumber: string;
	displayName: string;
	/** 'CONNECTED' can send; anything else ('DISCONNECTED', 'PENDING', ...) cannot. */
	status: string;
}

export interface TemplateButton {
	type: 'URL' | 'QUICK_REPLY' | 'PHONE_NUMBER';
	text: string;
	url?: string;
	phoneNumber?: string;
}

/** One component of a template, in the list response's shape (guide). */
export interface TemplateComponent {
	type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
	format?: string;
	text?: string;
	buttons?: TemplateButton[];
}

export interface Template {
	id: number;
	name: string;
	language: string;
	category: TemplateCategory;
	status: TemplateStatus;
	components: TemplateComponent[];
}

/** What a seed file holds: the account as it is when the sandbox starts or is reset. */
export interface Seed {
	phoneNumbers: PhoneNumber[];
	templates: Template[];
}

/** The delivery webhook registration; one per account (guide). */
export interface Webhook {
	id: string;
	callbackUrl: string;
	status: 'ACTIVE';
	createdAt: string;
	updatedAt?: string;
}

export interface SendTemplate {
	name: string;
	language: string;
	parameters: string[];
}

export interface Media {
	type: string;
	[field: string]: unknown;
}

/** A send the API accepted (answered 200 with accepted: true), as it arrived. */
export interface SentMessage {
	messageId: string;
	customerMessageId?: string;
	destination: string;
	phoneNumberId: string;
	template?: SendTemplate;
	body?: string;
	media?: Media;
	fallbackRcs: boolean;
	fallbackSms: boolean;
	campaignId?: string;
	simulation: boolean;
	at: string;
}

export type FaultKind = 'error' | 'reset' | 'slow';

/** One request to the API (control calls under /_sandbox/ are not recorded). */
export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	/** Lower-cased names; x-api-key is kept so tests can assert authentication. */
	headers: Record<string, string>;
	/** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
	body: unknown;
	/** The status answered; 0 when the connection was reset instead. */
	status: number;
	/** Set when an injected fault shaped the answer. */
	fault?: FaultKind;
	at: string;
}

export type EventType = 'DELIVERY' | 'READ' | 'INBOUND';

/** One POST of one event to the callback URL; retries are separate attempts. */
export interface DeliveryAttempt {
	url: string;
	eventType: EventType;
	messageId?: string;
	payload: Record<string, unknown>;
	/** 1 for the first try, 2 for the first retry, ... */
	attempt: number;
	/** The receiver's HTTP status, when it answered. */
	status?: number;
	/** Why the POST failed without an answer (connection refused, timeout, ...). */
	error?: string;
	ok: boolean;
	at: string;
}

export interface Counters {
	/** Sends answered with accepted: true (simulations included). */
	accepted: number;
	/** Sends refused: a 4xx from validation, or a result with accepted: false. */
	rejected: number;
	/** Requests answered 429. */
	rateLimited: number;
	/** Requests answered by an injected fault (5xx, reset or slow answer). */
	faults: number;
	/** Accepted sends per caller's messageId (echoed as customerMessageId). */
	acceptedByCustomerMessageId: Record<string, number>;
	acceptedByDestination: Record<string, number>;
	/** Callback POST attempts, and how many of them failed. */
	callbacks: number;
	callbackFailures: number;
}

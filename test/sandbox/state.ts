// The account as the sandbox holds it (numbers, templates, webhook, conversation windows,
// messages) and the logs and counters tests read. reset() puts it back to the seed.
import { randomUUID } from 'node:crypto';

import { iso } from './time';
import type {
	Channel,
	Counters,
	DeliveryAttempt,
	PhoneNumber,
	RecordedRequest,
	Seed,
	SentMessage,
	Template,
	Webhook,
} from './types';

/** Free-form messages are allowed this long after the customer's last message (seed). */
export const CONVERSATION_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What status polling reports; the names are the guide's deliveryStatus values. */
export type DeliveryStatus = 'SENT' | 'DELIVERED' | 'ERROR' | 'UNKNOWN';

export interface MessageRecord {
	sent: SentMessage;
	deliveryStatus: DeliveryStatus;
	statusCode?: 3 | 6;
	channel: Channel;
	read: boolean;
	/** When the send was accepted (ms): what a client compares with its own attempt's start. */
	acceptedAt: number;
	updatedAt: number;
}

export function emptyCounters(): Counters {
	return {
		accepted: 0,
		rejected: 0,
		rateLimited: 0,
		faults: 0,
		acceptedByCustomerMessageId: {},
		acceptedByDestination: {},
		callbacks: 0,
		callbackFailures: 0,
	};
}

export class SandboxState {
	phoneNumbers: PhoneNumber[] = [];
	templates: Template[] = [];
	webhook: Webhook | null = null;
	/** Cleared in place on reset, so references handed to tests stay live. */
	readonly requests: RecordedRequest[] = [];
	readonly sent: SentMessage[] = [];
	readonly deliveries: DeliveryAttempt[] = [];
	counters: Counters = emptyCounters();

	private nextTemplateId = 1;
	/** Last inbound message time per sender number and customer: the 24-hour windows. */
	private readonly lastInbound = new Map<string, number>();
	private readonly messages = new Map<string, MessageRecord>();
	/** Every messageId sent under each caller's customerMessageId, oldest first. */
	private readonly byCustomerId = new Map<string, string[]>();

	constructor(
		private readonly seed: Seed,
		private readonly now: () => number,
		callbackUrl?: string,
	) {
		this.reset(callbackUrl);
	}

	reset(callbackUrl?: string): void {
		const seed = structuredClone(this.seed);
		this.phoneNumbers = seed.phoneNumbers;
		this.templates = seed.templates;
		this.nextTemplateId = Math.max(0, ...seed.templates.map((t) => t.id)) + 1;
		this.webhook = null;
		if (callbackUrl) this.registerWebhook(callbackUrl);
		this.requests.length = 0;
		this.sent.length = 0;
		this.deliveries.length = 0;
		this.counters = emptyCounters();
		this.lastInbound.clear();
		this.messages.clear();
		this.byCustomerId.clear();
	}

	phoneNumber(id: string): PhoneNumber | undefined {
		return this.phoneNumbers.find((p) => p.id === id);
	}

	/** The sender an inbound message reaches when the caller names none: the first connected one. */
	defaultSender(): PhoneNumber | undefined {
		return this.phoneNumbers.find((p) => p.status === 'CONNECTED') ?? this.phoneNumbers[0];
	}

	template(id: string | number): Template | undefined {
		return this.templates.find((t) => String(t.id) === String(id));
	}

	templateByName(name: string, language: string): Template | undefined {
		return this.templates.find((t) => t.name === name && t.language === language);
	}

	addTemplate(fields: Omit<Template, 'id'>): Template {
		const template: Template = { id: this.nextTemplateId++, ...fields };
		this.templates.push(template);
		return template;
	}

	removeTemplate(template: Template): void {
		this.templates = this.templates.filter((t) => t !== template);
	}

	registerWebhook(callbackUrl: string): Webhook {
		this.webhook = {
			id: randomUUID(),
			callbackUrl,
			status: 'ACTIVE',
			createdAt: iso(this.now()),
		};
		return this.webhook;
	}

	recordInbound(phoneNumberId: string, source: string, at: number): void {
		const key = windowKey(phoneNumberId, source);
		this.lastInbound.set(key, Math.max(at, this.lastInbound.get(key) ?? at));
	}

	windowOpen(phoneNumberId: string, destination: string): boolean {
		const last = this.lastInbound.get(windowKey(phoneNumberId, destination));
		return last !== undefined && this.now() - last < CONVERSATION_WINDOW_MS;
	}

	/** Logs an accepted send and counts it; the record is what delivery and polling update. */
	accept(sent: SentMessage): MessageRecord {
		const record: MessageRecord = {
			sent,
			deliveryStatus: sent.simulation ? 'UNKNOWN' : 'SENT',
			channel: 'WHATSAPP',
			read: false,
			acceptedAt: this.now(),
			updatedAt: this.now(),
		};
		this.sent.push(sent);
		this.messages.set(sent.messageId, record);
		this.counters.accepted++;
		increment(this.counters.acceptedByDestination, sent.destination);
		if (sent.customerMessageId !== undefined) {
			increment(this.counters.acceptedByCustomerMessageId, sent.customerMessageId);
			const ids = this.byCustomerId.get(sent.customerMessageId) ?? [];
			ids.push(sent.messageId);
			this.byCustomerId.set(sent.customerMessageId, ids);
		}
		return record;
	}

	/**
	 * By the caller's customerMessageId first (what the guide polls by; the latest send under it),
	 * else by messageId. Only sends accepted at or before acceptedBy count: the status lag.
	 */
	message(id: string, acceptedBy = Infinity): MessageRecord | undefined {
		const visible = (messageId: string) => {
			const record = this.messages.get(messageId);
			return record !== undefined && record.acceptedAt <= acceptedBy ? record : undefined;
		};
		const ids = this.byCustomerId.get(id);
		if (ids !== undefined) {
			for (let i = ids.length - 1; i >= 0; i--) {
				const record = visible(ids[i]);
				if (record) return record;
			}
		}
		return visible(id);
	}

	countersSnapshot(): Counters {
		return structuredClone(this.counters);
	}
}

function windowKey(phoneNumberId: string, customer: string): string {
	return `${phoneNumberId} ${customer}`;
}

function increment(counts: Record<string, number>, key: string): void {
	counts[key] = (counts[key] ?? 0) + 1;
}

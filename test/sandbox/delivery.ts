// What happens after a send is accepted: the deterministic delivery rule, and the events
// POSTed to the callback URL with retries (so receivers see the duplicates the real service causes).
import type { ClientRequest } from 'node:http';

import { postCallback } from './callback-client';
import { deliveryEvent, inboundEvent, readEvent, type EventPayload } from './events';
import type { ResolvedConfig } from './options';
import type { MessageRecord, SandboxState } from './state';
import { iso, type Timers } from './time';
import type { Channel, DeliveryAttempt, EventType } from './types';

export interface DeliveryOutcome {
	statusCode: 3 | 6;
	channel: Channel;
}

/**
 * The rule tests use to ask for an outcome: a destination ending in 0 is not on WhatsApp,
 * ending in 00 not on RCS either, ending in 000 not reachable at all. Fallbacks are tried
 * in the seed's order (WhatsApp, then RCS, then SMS); an undeliverable message is reported
 * on the last channel tried.
 */
export function deliveryOutcome(
	destination: string,
	fallbacks: { fallbackRcs: boolean; fallbackSms: boolean },
): DeliveryOutcome {
	if (!destination.endsWith('0')) return { statusCode: 3, channel: 'WHATSAPP' };
	if (fallbacks.fallbackRcs && !destination.endsWith('00')) return { statusCode: 3, channel: 'RCS' };
	if (fallbacks.fallbackSms && !destination.endsWith('000')) return { statusCode: 3, channel: 'SMS' };
	const lastTried: Channel = fallbacks.fallbackSms ? 'SMS' : fallbacks.fallbackRcs ? 'RCS' : 'WHATSAPP';
	return { statusCode: 6, channel: lastTried };
}

export interface DeliveryDeps {
	state: SandboxState;
	config: () => ResolvedConfig;
	/** Cleared on reset and stop: pending deliveries die with them. */
	timers: Timers;
	now: () => number;
	log: (line: string) => void;
}

interface AttemptWaiter {
	count: number;
	where?: (attempt: DeliveryAttempt) => boolean;
	resolve: (attempts: DeliveryAttempt[]) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

export class Delivery {
	/** Background jobs (a message's events, an inbound event) not yet finished. */
	private pending = 0;
	/** Bumped on reset: jobs of an older epoch stop at their next step. */
	private epoch = 0;
	private readonly inFlight = new Set<ClientRequest>();
	private idleWaiters: Array<() => void> = [];
	private attemptWaiters: AttemptWaiter[] = [];

	constructor(private readonly deps: DeliveryDeps) {}

	/** Schedules the DELIVERY event (and READ, when configured) of an accepted send. */
	afterSend(record: MessageRecord): void {
		if (record.sent.simulation) return;
		this.run(async (live) => {
			const { config, timers, now } = this.deps;
			await timers.sleep(config().deliveryDelayMs);
			if (!live()) return;
			const outcome = deliveryOutcome(record.sent.destination, record.sent);
			Object.assign(record, {
				statusCode: outcome.statusCode,
				channel: outcome.channel,
				deliveryStatus: outcome.statusCode === 3 ? 'DELIVERED' : 'ERROR',
				updatedAt: now(),
			});
			await this.emit('DELIVERY', deliveryEvent(record, config().webhookShape, now()), live, record);
			// The guide sends READ for WhatsApp and RCS only; SMS has no read receipts.
			if (!config().readEvents || outcome.statusCode !== 3 || outcome.channel === 'SMS' || !live()) return;
			await timers.sleep(config().deliveryDelayMs);
			if (!live()) return;
			record.read = true;
			record.updatedAt = now();
			await this.emit('READ', readEvent(record, now()), live, record);
		});
	}

	inbound(source: string, destination: string, text: string, at: number): EventPayload {
		const event = inboundEvent(source, destination, text, at);
		this.run((live) => this.emit('INBOUND', event, live));
		return event;
	}

	/** Resolves once no delivery work is pending: nothing scheduled, in flight or awaiting a retry. */
	idle(timeoutMs = 10_000): Promise<void> {
		if (this.pending === 0) return Promise.resolve();
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.idleWaiters = this.idleWaiters.filter((w) => w !== done);
				reject(new Error(`Delivery still had ${this.pending} job(s) pending after ${timeoutMs} ms.`));
			}, timeoutMs);
			const done = () => {
				clearTimeout(timer);
				resolve();
			};
			this.idleWaiters.push(done);
		});
	}

	/** Resolves with the attempts once at least count of them (matching where) were made. */
	waitForAttempts(count: number, timeoutMs = 5000, where?: (attempt: DeliveryAttempt) => boolean): Promise<DeliveryAttempt[]> {
		return new Promise((resolve, reject) => {
			const waiter: AttemptWaiter = {
				count,
				where,
				resolve,
				reject,
				timer: setTimeout(() => {
					this.attemptWaiters = this.attemptWaiters.filter((w) => w !== waiter);
					const seen = this.matching(where).length;
					reject(new Error(`Expected ${count} callback attempt(s) within ${timeoutMs} ms; saw ${seen}.`));
				}, timeoutMs),
			};
			this.attemptWaiters.push(waiter);
			this.notifyAttempts();
		});
	}

	/** Forgets all pending work: timers are cleared by the owner, requests in flight are aborted here. */
	reset(): void {
		this.epoch++;
		this.pending = 0;
		for (const request of this.inFlight) request.destroy();
		this.inFlight.clear();
		this.notifyIdle();
	}

	stop(): void {
		this.reset();
		for (const waiter of this.attemptWaiters) {
			clearTimeout(waiter.timer);
			waiter.reject(new Error('The sandbox stopped.'));
		}
		this.attemptWaiters = [];
	}

	private run(job: (live: () => boolean) => Promise<void>): void {
		const epoch = this.epoch;
		const live = () => epoch === this.epoch;
		this.pending++;
		job(live)
			.catch((error: Error) => this.deps.log(`delivery job failed: ${error.stack ?? error.message}`))
			.finally(() => {
				if (!live()) return;
				this.pending--;
				this.notifyIdle();
			});
	}

	/** POSTs one event to the account's callback URL, retrying failures with a doubling backoff. */
	private async emit(eventType: EventType, payload: EventPayload, live: () => boolean, record?: MessageRecord) {
		const { state, config, timers, now, log } = this.deps;
		const url = state.webhook?.callbackUrl;
		if (!url) return;
		const { callbackRetries, callbackRetryDelayMs, callbackTimeoutMs } = config();
		for (let attempt = 1; attempt <= callbackRetries + 1; attempt++) {
			if (attempt > 1) {
				await timers.sleep(callbackRetryDelayMs * 2 ** (attempt - 2));
				if (!live()) return;
			}
			const result = await postCallback(url, payload, callbackTimeoutMs, (request) => this.track(request)).then(
				(status) => ({ status, error: undefined }),
				(error: Error) => ({ status: undefined, error: error.message }),
			);
			if (!live()) return;
			const ok = result.status !== undefined && result.status >= 200 && result.status < 300;
			state.deliveries.push({
				url,
				eventType,
				...(record && { messageId: record.sent.messageId }),
				payload,
				attempt,
				...(result.status !== undefined && { status: result.status }),
				...(result.error !== undefined && { error: result.error }),
				ok,
				at: iso(now()),
			});
			state.counters.callbacks++;
			if (!ok) {
				state.counters.callbackFailures++;
				log(`callback ${eventType} to ${url} failed (attempt ${attempt}): ${result.error ?? `HTTP ${result.status}`}`);
			}
			this.notifyAttempts();
			if (ok) return;
		}
	}

	private track(request: ClientRequest): () => void {
		this.inFlight.add(request);
		return () => this.inFlight.delete(request);
	}

	private matching(where?: (attempt: DeliveryAttempt) => boolean): DeliveryAttempt[] {
		return where ? this.deps.state.deliveries.filter(where) : [...this.deps.state.deliveries];
	}

	private notifyAttempts(): void {
		this.attemptWaiters = this.attemptWaiters.filter((waiter) => {
			const attempts = this.matching(waiter.where);
			if (attempts.length < waiter.count) return true;
			clearTimeout(waiter.timer);
			waiter.resolve(attempts);
			return false;
		});
	}

	private notifyIdle(): void {
		if (this.pending !== 0) return;
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		waiters.forEach((done) => done());
	}
}

// What the requests of one node run share: the Request Options and one pacer, so that items sent
// concurrently, their template fetches and their list pages all count against the same limits.
import { sleep } from 'n8n-workflow';

import type { QlaraCredentials } from '../../../credentials/QlaraApi.credentials';
import { Pacer, type Reservation } from './pacer';
import { DEFAULT_REQUEST_SETTINGS, rateWindows, type RequestSettings } from './requestSettings';

/** Waits are cut into slices of this length, so a stopped execution is noticed soon. */
const WAIT_SLICE_MS = 1000;

export class RequestSession {
	readonly pacer: Pacer;

	/** The `qlaraApi` credential, read once for all the requests of the run. */
	credentials?: Promise<QlaraCredentials>;

	constructor(
		readonly settings: RequestSettings,
		readonly now: () => number = Date.now,
		readonly random: () => number = Math.random,
	) {
		this.pacer = new Pacer(rateWindows(settings));
	}

	/** Waits `ms`, or less if the execution is stopped meanwhile. */
	async wait(ms: number, signal?: AbortSignal): Promise<void> {
		const until = this.now() + ms;
		for (let left = ms; left > 0 && !signal?.aborted; left = until - this.now()) {
			await sleep(Math.min(left, WAIT_SLICE_MS));
		}
	}

	/**
	 * Waits for this request's turn under the rate limits, and for any pause a 429 asked for. The
	 * caller sends, then tells the reservation when the answer came back.
	 */
	async turn(signal?: AbortSignal): Promise<Reservation> {
		for (;;) {
			const reservation = this.pacer.reserve(this.now());
			await this.wait(reservation.at - this.now(), signal);
			// A 429 seen while this request waited for its slot holds it back too.
			if (signal?.aborted || !this.pacer.isPaused(this.now())) return reservation;
			// This start was not used: nothing left, so nothing can arrive late.
			reservation.answered(this.now());
		}
	}
}

/**
 * One session per node-run context (`this` of execute, or of a list search). A WeakMap keeps the
 * operations' signatures free of it and lets n8n drop it with the context.
 */
const sessions = new WeakMap<object, RequestSession>();

/** Starts the session of a node run with the user's Request Options. */
export function startSession(context: object, settings: RequestSettings): RequestSession {
	const session = new RequestSession(settings);
	sessions.set(context, session);
	return session;
}

/** The context's session; one with the defaults for contexts the router did not start (list searches). */
export function sessionFor(context: object): RequestSession {
	let session = sessions.get(context);
	if (session === undefined) {
		session = new RequestSession(DEFAULT_REQUEST_SETTINGS);
		sessions.set(context, session);
	}
	return session;
}

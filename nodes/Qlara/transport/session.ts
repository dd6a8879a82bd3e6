// What the requests of one node run share, as one object the caller opens and hands down: the
// Request Options, the credential read once, this run's own pacer (its caps) and the key's pace in
// this process (see accountPace.ts), the execution's Stop signal and the clock.
import { createHash } from 'crypto';
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { baseUrlOf, type QlaraCredentials } from '../../../credentials/QlaraApi.credentials';
import { accountPace, reserveSoon, type AccountPace } from './accountPace';
import { Pacer, type Reservation } from './pacer';
import { DEFAULT_REQUEST_SETTINGS, rateWindows, type RequestSettings } from './requestSettings';

export type QlaraContext = IExecuteFunctions | ILoadOptionsFunctions;

/** Waits are cut into slices of this length, so a stopped execution is noticed soon. */
const WAIT_SLICE_MS = 250;

export class ApiSession {
	/** This run's own caps (its Request Options), under the key's pace. */
	readonly runPacer: Pacer;

	readonly pace: AccountPace;

	readonly baseUrl: string;

	/** The account (service and key) as a hash that does not reveal the key: what per-account stores are keyed by. */
	readonly account: string;

	constructor(
		readonly context: QlaraContext,
		readonly settings: RequestSettings,
		readonly credentials: QlaraCredentials,
		readonly now: () => number = Date.now,
		readonly random: () => number = Math.random,
	) {
		this.runPacer = new Pacer(rateWindows(settings));
		this.baseUrl = baseUrlOf(credentials);
		this.account = createHash('sha256').update(`${this.baseUrl}\n${credentials.apiKey ?? ''}`).digest('hex');
		this.pace = accountPace(this.account, now());
	}

	/** The execution's Stop, where the context has one (a list search has none). */
	get signal(): AbortSignal | undefined {
		const context = this.context;
		return 'getExecutionCancelSignal' in context && typeof context.getExecutionCancelSignal === 'function'
			? context.getExecutionCancelSignal()
			: undefined;
	}

	get stopped(): boolean {
		return this.signal?.aborted === true;
	}

	/** Waits `ms`, or less if the execution is stopped meanwhile. */
	async wait(ms: number): Promise<void> {
		const until = this.now() + ms;
		for (let left = ms; left > 0 && !this.stopped; left = until - this.now()) {
			await sleep(Math.min(left, WAIT_SLICE_MS));
		}
	}

	/**
	 * Waits for this request's start slot under the run's caps and the key's pace, and for any pause a
	 * 429 asked for. The caller sends, then tells the reservation when the answer came back. A slot
	 * is reserved only once it is near (see RESERVE_AHEAD_MS); one that no longer fits when it comes
	 * (a 429 meanwhile, or earlier requests answered later than the pacer assumed) is given back, and
	 * the request waits for a new one. After Stop, no slot: undefined.
	 */
	async startSlot(): Promise<Reservation | undefined> {
		const pacers = [this.runPacer, this.pace.pacer];
		for (;;) {
			const slot = reserveSoon(pacers, this.now());
			if ('askAgainAt' in slot) {
				await this.wait(Math.max(WAIT_SLICE_MS, slot.askAgainAt - this.now()));
			} else {
				await this.wait(slot.at - this.now());
				if (!this.stopped && slot.fits(this.now())) return slot;
				slot.cancel();
			}
			if (this.stopped) return undefined;
		}
	}
}

/**
 * Opens the session of a node run: reads and decrypts the `qlaraApi` credential once (n8n would do
 * it again for every request, which cost more CPU than the rest of a send; see test/bench).
 */
export async function openApiSession(
	context: QlaraContext,
	settings: RequestSettings = DEFAULT_REQUEST_SETTINGS,
): Promise<ApiSession> {
	const credentials = (await context.getCredentials('qlaraApi')) as QlaraCredentials;
	return new ApiSession(context, settings, credentials);
}

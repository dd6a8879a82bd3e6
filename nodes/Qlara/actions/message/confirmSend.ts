// Whether a send whose answer was lost (timeout, dropped connection, server error) went through
// anyway, asked by the caller's own messageId. Only evidence counts: a status proves this send
// only if it names this destination and says it was accepted after this attempt left; anything
// else (UNKNOWN, another destination, an older message with the same ID, a failed lookup) means
// the node cannot tell, and the item fails as "may have been sent" rather than risk a duplicate.
import type { IDataObject } from 'n8n-workflow';

import { isObject, sendAnswerFromStatus, unwrapData } from '../../helpers/responses';
import { isNotFound, qlaraApiRequest, type ApiSession, type Confirmation } from '../../transport';
import { messageStatusPath } from '../../transport/endpoints';

/**
 * How long after a send its status may still be missing. Qlara's WhatsApp guide does not say how soon a
 * send appears in the status endpoint; a miss is trusted as "not sent" only once it is still a
 * miss this long after the failed attempt ended. A service that takes longer to show a send, or
 * that processes a request later than this after the node gave up on it, can still cause a
 * duplicate: the README states this window.
 */
export const STATUS_VISIBILITY_WINDOW_MS = 10_000;

/** When to look, counted from the failed attempt's end: soon (most sends show at once), then at the window's end. */
const LOOKUPS_AFTER_MS = [1000, 4000, STATUS_VISIBILITY_WINDOW_MS];

/**
 * The channels to ask about. The guide answers 404 when `channel` does not match the message's, and
 * a message can move to RCS or SMS through its fallbacks, so each channel the send allows is asked.
 */
function channelsOf(body: IDataObject): string[] {
	return ['WHATSAPP', ...(body.fallbackRcs === true ? ['RCS'] : []), ...(body.fallbackSms === true ? ['SMS'] : [])];
}

/** When the status says the message was accepted (`acceptedAt`, else the `timestamp` of Qlara's WhatsApp guide), in ms. */
function acceptedAtOf(status: IDataObject): number | undefined {
	for (const key of ['acceptedAt', 'submittedAt', 'createdAt', 'timestamp']) {
		const value = status[key];
		const time = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : Number.NaN;
		if (Number.isFinite(time)) return time;
	}
	return undefined;
}

type Lookup = { sent: IDataObject } | { missing: true } | { cannotTell: string };

/** One look at every channel. */
async function lookOnce(api: ApiSession, body: IDataObject, attemptStartedAt: number): Promise<Lookup> {
	const customerMessageId = String(body.messageId);
	const destination = String(body.destination);
	let doubt: string | undefined;
	for (const channel of channelsOf(body)) {
		let answer: unknown;
		try {
			answer = await qlaraApiRequest(api, { method: 'GET', path: messageStatusPath(customerMessageId), qs: { channel } });
		} catch (error) {
			if (isNotFound(error)) continue;
			doubt = `the status lookup failed (${error instanceof Error ? error.message : String(error)})`;
			continue;
		}
		const status = unwrapData(answer);
		if (!isObject(status)) {
			doubt = 'the status answer could not be read';
			continue;
		}
		const deliveryStatus = String(status.deliveryStatus ?? status.status ?? '').toUpperCase();
		if (deliveryStatus === 'UNKNOWN' || deliveryStatus === '') {
			doubt = `Qlara answered ${deliveryStatus || 'no status'} for Custom Message ID '${customerMessageId}'`;
			continue;
		}
		if (typeof status.destination === 'string' && status.destination !== destination) {
			doubt = `Custom Message ID '${customerMessageId}' belongs to a message to another number; give each message its own ID`;
			continue;
		}
		const acceptedAt = acceptedAtOf(status);
		if (acceptedAt === undefined) {
			doubt = 'the status answer does not say when the message was accepted, so it may be an earlier message with the same Custom Message ID';
			continue;
		}
		if (acceptedAt < attemptStartedAt) {
			doubt = `the message Qlara knows by Custom Message ID '${customerMessageId}' was accepted before this send, so it is an earlier message with the same ID`;
			continue;
		}
		return { sent: sendAnswerFromStatus(status, destination, body.simulation === true) };
	}
	return doubt === undefined ? { missing: true } : { cannotTell: doubt };
}

/**
 * Looks for the send of `body` (which has a messageId) made by the attempt that left at
 * `attemptStartedAt`, over STATUS_VISIBILITY_WINDOW_MS.
 */
export async function confirmSend(api: ApiSession, body: IDataObject, attemptStartedAt: number): Promise<Confirmation> {
	const failedAt = api.now();
	let last: Lookup = { missing: true };
	for (const after of LOOKUPS_AFTER_MS) {
		await api.wait(failedAt + after - api.now());
		if (api.stopped) return { cannotTell: 'the execution was stopped before the status could be checked' };
		last = await lookOnce(api, body, attemptStartedAt);
		if ('sent' in last) return { sent: last.sent };
	}
	return 'missing' in last ? { notSent: true } : { cannotTell: last.cannotTell };
}

// What to do with the account's one delivery webhook, given what is registered now: pure decisions.
import { pointsAtWebhook, sameUrl } from './callbackUrl';

export interface OurUrls {
	/** This node's production webhook URL, without a token. */
	webhookUrl: string;
	/** What Qlara should call: the webhook URL with the token. */
	callbackUrl: string;
}

export type RegistrationPlan =
	/** Already registered exactly as wanted. */
	| { action: 'keep' }
	/** Nothing is registered. */
	| { action: 'register' }
	/** It leads to this workflow but with an old token: ours to correct. */
	| { action: 'update'; current: string }
	/** It belongs to something else and the user allowed replacing it. */
	| { action: 'replace'; current: string }
	/** It belongs to something else and the user did not allow replacing it. */
	| { action: 'refuse'; current: string };

export function planRegistration(current: string | undefined, ours: OurUrls, allowReplace: boolean): RegistrationPlan {
	if (current === undefined) return { action: 'register' };
	if (sameUrl(current, ours.callbackUrl)) return { action: 'keep' };
	if (pointsAtWebhook(current, ours.webhookUrl)) return { action: 'update', current };
	return allowReplace ? { action: 'replace', current } : { action: 'refuse', current };
}

/** On deactivation: remove the registration only while it still leads to this workflow. */
export function shouldRemove(current: string | undefined, ours: OurUrls, recorded?: string): boolean {
	if (current === undefined) return false;
	// The record keeps the URL with its token redacted (registration.ts): the address is what counts.
	if (recorded !== undefined && pointsAtWebhook(current, recorded)) return true;
	return pointsAtWebhook(current, ours.webhookUrl);
}
